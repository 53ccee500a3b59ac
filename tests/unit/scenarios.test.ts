// Custom scenario files (CORS_SCENARIOS): every bad input ends with one message naming the file,
// the scenario, the field and the fix; a good file loads with its source.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { loadScenarios, readScenarioFile, InputError } from '../../harness/matrix/load-scenarios.ts';
import { builtinScenarios } from '../../harness/catalogue/categories.ts';
import { runMetadata, validateInputs } from '../../harness/runner/setup.ts';
import { dependsOnRegime } from '../../harness/model/types.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-scenarios-'));
const good = {
  id: 'custom-ok', title: 'custom', category: 'custom',
  request: { api: 'fetch', method: 'GET', headers: {}, credentials: 'omit', body: null },
  response: { status: 200, headers: [['Access-Control-Allow-Origin', '$ORIGIN']], body: 'ok' },
};

function file(name: string, content: unknown): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
  return f;
}

function error(f: string): string {
  try { readScenarioFile(f); } catch (e) { expect(e).toBeInstanceOf(InputError); return (e as Error).message; }
  throw new Error(`${f} was accepted`);
}

const bad: Array<[string, unknown, RegExp]> = [
  ['invalid JSON', '[{ "id": ', /not valid JSON/],
  ['top level not an array', { id: 'x' }, /top level must be a JSON array/],
  ['unknown field', [{ ...good, colour: 'red' }], /scenario \[0\] \(id "custom-ok"\), field "colour": unknown field/],
  ['unknown request field', [{ ...good, request: { ...good.request, cookies: true } }], /field "request\.cookies": unknown field/],
  ['bad api', [{ ...good, request: { ...good.request, api: 'websocket' } }], /field "request\.api".*use one of: fetch, xhr, img, script/],
  ['method with a space', [{ ...good, request: { ...good.request, method: 'GE T' } }], /field "request\.method"/],
  ['bad credentials', [{ ...good, request: { ...good.request, credentials: 'yes' } }], /field "request\.credentials"/],
  ['headers not pairs', [{ ...good, response: { ...good.response, headers: { 'Access-Control-Allow-Origin': '*' } } }], /field "response\.headers": must be an array of \[name, value\] pairs/],
  ['header value with CR/LF', [{ ...good, response: { ...good.response, headers: [['X-A', 'a\r\nSet-Cookie: x=1']] } }], /field "response\.headers\[0\]\[1\]": contains CR or LF/],
  ['header name not a token', [{ ...good, response: { ...good.response, headers: [['Bad Name', 'x']] } }], /field "response\.headers\[0\]\[0\]"/],
  ['status out of range', [{ ...good, response: { ...good.response, status: 42 } }], /field "response\.status": must be an HTTP status/],
  ['missing response', [{ ...good, response: undefined }], /field "response": must be an object/],
  ['bad expected outcome', [{ ...good, expect: { outcome: 'maybe' } }], /field "expect\.outcome"/],
  ['deviation without a source', [{ ...good, expect: { outcome: 'allowed', engines: { webkit: { outcome: 'blocked' } } } }], /field "expect\.engines\.webkit\.source"/],
  ['unknown engine in deviations', [{ ...good, expect: { outcome: 'allowed', engines: { safari: { outcome: 'blocked', source: 'x' } } } }], /field "expect\.engines\.safari": unknown field/],
  ['duplicate ids', [good, good], /scenario \[1\] \(id "custom-ok"\), field "id": duplicate id/],
  ['bad id', [{ ...good, id: 'has space' }], /field "id"/],
  ['redirect hop that is not a redirect', [{ ...good, redirects: [{ status: 200, headers: [], to: 'same' }] }], /field "redirects\[0\]\.status": 200 is not a redirect/],
  ['mode on xhr', [{ ...good, request: { ...good.request, api: 'xhr', mode: 'no-cors' } }], /field "request\.mode": applies to fetch only/],
];

for (const [name, content, message] of bad) {
  test(`rejects a scenario file with ${name}`, () => {
    const f = file(`${name.replace(/\W+/g, '-')}.json`, content);
    const msg = error(f);
    expect(msg).toMatch(message);
    expect(msg).toContain(path.basename(f));
    expect(msg).toMatch(/Fix: /);
  });
}

test('rejects a missing file, naming it', () => {
  expect(error(path.join(dir, 'nope.json'))).toMatch(/nope\.json: cannot read the scenario file/);
});

test('rejects a custom id that shadows a built-in scenario', () => {
  const f = file('shadow.json', [{ ...good, id: builtinScenarios[0].id }]);
  expect(() => loadScenarios({ CORS_SCENARIOS: f })).toThrow(/already a built-in scenario/);
});

test('CORS_SCENARIOS_ONLY without CORS_SCENARIOS is an error', () => {
  expect(() => loadScenarios({ CORS_SCENARIOS_ONLY: '1' })).toThrow(/CORS_SCENARIOS is not/);
});

test('a good file adds to the catalogue, or replaces it with CORS_SCENARIOS_ONLY', () => {
  const f = file('good.json', [good]);
  const all = loadScenarios({ CORS_SCENARIOS: f });
  expect(all.length).toBe(builtinScenarios.length + 1);
  expect(all.at(-1)).toMatchObject({ id: 'custom-ok', source: expect.stringContaining('good.json') });
  expect(loadScenarios({ CORS_SCENARIOS: f, CORS_SCENARIOS_ONLY: '1' }).map((s) => s.id)).toEqual(['custom-ok']);
});

function inputError(f: string): InputError {
  try { readScenarioFile(f); } catch (e) { expect(e).toBeInstanceOf(InputError); return e as InputError; }
  throw new Error(`${f} was accepted`);
}

test('every problem of a file at once, each naming the file, the scenario, the field and the fix', () => {
  const f = file('many.json', [
    { ...good, colour: 'red', request: { ...good.request, api: 'websocket' } },
    { ...good, id: 'second', response: { ...good.response, status: 42, headers: [['Bad Name', 'x'], ['X-A', 'a\nb']] } },
    good, good,
  ]);
  const e = inputError(f);
  expect(e.problems).toEqual([
    expect.stringMatching(/many\.json: scenario \[0\] \(id "custom-ok"\), field "colour": unknown field\. Fix: /),
    expect.stringMatching(/many\.json: scenario \[0\] \(id "custom-ok"\), field "request\.api": is "websocket"\. Fix: use one of/),
    expect.stringMatching(/many\.json: scenario \[1\] \(id "second"\), field "response\.status": must be an HTTP status.*Fix: /),
    expect.stringMatching(/many\.json: scenario \[1\] \(id "second"\), field "response\.headers\[0\]\[0\]".*Fix: /),
    expect.stringMatching(/many\.json: scenario \[1\] \(id "second"\), field "response\.headers\[1\]\[1\]": contains CR or LF.*Fix: /),
    expect.stringMatching(/many\.json: scenario \[2\] \(id "custom-ok"\), field "id": duplicate id\. Fix: /),
    expect.stringMatching(/many\.json: scenario \[3\] \(id "custom-ok"\), field "id": duplicate id\. Fix: /),
  ]);
  expect(e.message).toMatch(/^7 problems:\n {2}- .*many\.json: scenario \[0\]/);
  expect(e.message.split('\n')).toHaveLength(8);
});

test('a file with more than 20 problems lists the first 20 and counts the rest', () => {
  const f = file('lots.json', Array.from({ length: 25 }, (_, i) => ({ ...good, id: `s${i}`, extra: i })));
  const e = inputError(f);
  expect(e.problems).toHaveLength(25);
  const lines = e.message.split('\n');
  expect(lines[0]).toBe('25 problems:');
  expect(lines.filter((l) => l.startsWith('  - '))).toHaveLength(20);
  expect(lines.at(-1)).toBe('  ... and 5 more');
  expect(lines[20]).toMatch(/scenario \[19\] \(id "s19"\), field "extra": unknown field/);
});

test('a request without headers, credentials or body gets {}, "omit" and null', () => {
  const { headers, credentials, body, ...bare } = good.request;
  const f = file('bare.json', [{ ...good, request: bare }, { ...good, id: 'with-some', request: { ...bare, credentials: 'include' } }]);
  const [plain, some] = readScenarioFile(f);
  expect(plain.request).toEqual({ api: 'fetch', method: 'GET', headers: {}, credentials: 'omit', body: null });
  expect(some.request).toEqual({ api: 'fetch', method: 'GET', headers: {}, credentials: 'include', body: null });
  expect(plain.request.headers).not.toBe(some.request.headers);
});

test('a directory given as the scenario file says so, not "not valid JSON"', () => {
  const sub = fs.mkdtempSync(path.join(dir, 'a-dir-'));
  const msg = error(sub);
  expect(msg).toMatch(new RegExp(`${path.basename(sub)} is a directory, not the scenario file \\(CORS_SCENARIOS\\)\\. Fix: `));
  expect(msg).not.toMatch(/not valid JSON/);
});

test('an unreadable scenario file says permission denied, not "not valid JSON"', () => {
  test.skip(process.getuid?.() === 0, 'running as root: chmod 000 does not stop root from reading the file');
  const f = file('locked.json', [good]);
  fs.chmodSync(f, 0o000);
  try {
    expect(error(f)).toMatch(/locked\.json cannot be read \(permission denied\), so it cannot be the scenario file \(CORS_SCENARIOS\)\. Fix: /);
  } finally { fs.chmodSync(f, 0o644); }
});

test('the input check hands the matrix reporter a count of the catalogue, as config metadata', async () => {
  const f = file('counted.json', [good]);
  await validateInputs({ CORS_SCENARIOS: f });
  expect(runMetadata()).toEqual({ corsCatalogue: { scenarios: builtinScenarios.length + 1, regimeDependent: builtinScenarios.filter(dependsOnRegime).length, customOnly: false } });
  await validateInputs({ CORS_SCENARIOS: f, CORS_SCENARIOS_ONLY: '1' });
  expect(runMetadata()).toEqual({ corsCatalogue: { scenarios: 1, regimeDependent: 0, customOnly: true } });
});
