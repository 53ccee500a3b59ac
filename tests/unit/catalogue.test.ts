// The built-in catalogue as data: size, categories, unique ids, valid entries, and recorded
// deviations that each carry evidence.
import { test, expect } from '@playwright/test';
import { builtinScenarios } from '../../harness/catalogue/categories.ts';
import { deviations } from '../../harness/catalogue/deviations.ts';
import { checkScenario } from '../../harness/matrix/load-scenarios.ts';
import { WPT_SOURCE, category, ok, req, wpt } from '../../harness/catalogue/build.ts';
import { predict } from '../../harness/oracle/predict.ts';

const ctx = { pageOrigin: 'http://127.0.0.1:41001', targetOrigin: 'http://127.0.0.1:41002', otherOrigin: 'http://127.0.0.1:41003', secondOrigin: 'http://127.0.0.1:41004' };

test('the catalogue holds at least 150 scenarios in at least 14 categories', () => {
  expect(builtinScenarios.length).toBeGreaterThanOrEqual(150);
  expect(new Set(builtinScenarios.map((s) => s.category)).size).toBeGreaterThanOrEqual(14);
});

test('every built-in scenario id is unique and passes the custom-file validator', () => {
  const ids = builtinScenarios.map((s) => s.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const s of builtinScenarios) {
    const { source, ...raw } = s;
    expect(() => checkScenario(JSON.parse(JSON.stringify(raw)), `builtin ${s.id}`)).not.toThrow();
    // `builtin` (written for this catalogue) or the WPT file the row comes from.
    expect(source === 'builtin' || WPT_SOURCE.test(source ?? ''), `${s.id} source ${source}`).toBe(true);
  }
});

test('rows taken from web-platform-tests cite their WPT file; category() stamps builtin otherwise', () => {
  const fromWpt = builtinScenarios.filter((s) => s.source !== 'builtin');
  expect(fromWpt.length).toBeGreaterThanOrEqual(48);
  for (const s of fromWpt) expect(s.source, s.id).toMatch(WPT_SOURCE);
  const entry = { title: 't', request: req(), response: ok() };
  const stamped = category('c', [{ ...entry, id: 'a' }, { ...entry, id: 'b', source: wpt('cors/origin.htm') }], wpt('cors/basic.htm'));
  expect(stamped.map((s) => s.source)).toEqual([wpt('cors/basic.htm'), 'https://github.com/web-platform-tests/wpt/blob/master/cors/origin.htm']);
  expect(category('c', [{ ...entry, id: 'a' }])[0].source).toBe('builtin');
});

test('every recorded deviation names its evidence and differs from the oracle', () => {
  for (const [id, engines] of Object.entries(deviations)) {
    const scenario = builtinScenarios.find((s) => s.id === id)!;
    expect(scenario, id).toBeTruthy();
    const oracle = predict(scenario, ctx);
    const predicted = oracle.followUp ?? oracle;
    for (const [engine, d] of Object.entries(engines)) {
      expect(d!.source.length, `${id} ${engine}`).toBeGreaterThan(30);
      const expectedOutcome = scenario.expect?.error ? 'error' : predicted.outcome;
      expect(d!.outcome !== expectedOutcome || d!.preflight !== predicted.preflight, `${id} ${engine} records what the oracle already says`).toBe(true);
    }
  }
});

test('the oracle agrees with every hand-written expectation in the catalogue', () => {
  const handWritten = builtinScenarios.filter((s) => s.expect?.preflight !== undefined);
  expect(handWritten.length).toBeGreaterThan(0);
  for (const s of handWritten) {
    const v = predict(s, ctx);
    expect({ id: s.id, outcome: v.outcome, preflight: v.preflight }).toEqual({ id: s.id, outcome: s.expect!.outcome, preflight: s.expect!.preflight });
  }
});
