// Custom scenario files (CORS_SCENARIOS): every bad input ends with one message naming the file,
// the scenario, the field and the fix; a good file loads with its source.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { loadScenarios, readScenarioFile, InputError } from '../../harness/scenarios.ts';
import { builtinScenarios } from '../../harness/catalogue/index.ts';

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
  ['header value with CR/LF', [{ ...good, response: { ...good.response, headers: [['X-A', 'a\r\nSet-Cookie: x=1']] } }], /field "response\.headers\[0\]\[1\]": contains CR, LF or NUL/],
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
