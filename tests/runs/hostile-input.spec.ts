// Hostile and mistaken input ends the run before any engine starts: exit code 2, one message that
// names the file or variable, the field and the fix, no stack trace and no report written.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { startRun, tempDir } from './helpers.ts';

test.describe.configure({ mode: 'parallel' });

const dir = tempDir('cors-hostile-');
const good = {
  id: 'ok', title: 't', category: 'c',
  request: { api: 'fetch', method: 'GET', headers: {}, credentials: 'omit', body: null },
  response: { status: 200, headers: [['Access-Control-Allow-Origin', '*']], body: 'ok' },
};
function file(name: string, content: unknown): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
  return f;
}

const cases: Array<[string, () => Record<string, string>, RegExp]> = [
  ['an unknown CORS_ variable (typo)', () => ({ CORS_SCENARIO: 'x.json' }), /CORS_SCENARIO: is not a cors-matrix variable\. Fix: did you mean CORS_SCENARIOS/],
  ['a probe timeout that is not a number', () => ({ CORS_PROBE_TIMEOUT_MS: '5s' }), /CORS_PROBE_TIMEOUT_MS: "5s" is not a whole number/],
  ['a probe timeout of zero', () => ({ CORS_PROBE_TIMEOUT_MS: '0' }), /CORS_PROBE_TIMEOUT_MS/],
  ['a missing baseline', () => ({ CORS_BASELINE: path.join(dir, 'none.json') }), /none\.json: cannot read the baseline \(CORS_BASELINE\): no such file/],
  ['a baseline that is not JSON', () => ({ CORS_BASELINE: file('b1.json', '{oops') }), /b1\.json:1:2: not valid JSON: .*Fix: point CORS_BASELINE at a matrix\.json/],
  ['a baseline of another schema', () => ({ CORS_BASELINE: file('b2.json', { schema: 'other' }) }), /schema is "other", not "cors-matrix\/1"/],
  ['CORS_UPDATE_BASELINE without CORS_BASELINE', () => ({ CORS_UPDATE_BASELINE: '1' }), /CORS_UPDATE_BASELINE: is set but CORS_BASELINE is not/],
  ['a report dir that is a file', () => ({ CORS_REPORT_DIR: file('not-a-dir', 'x') }), /CORS_REPORT_DIR: .*not-a-dir exists and is not a directory/],
  ['a WebDriver URL that is not http', () => ({ CORS_WEBDRIVER_URL: 'ftp://127.0.0.1:21' }), /CORS_WEBDRIVER_URL: "ftp:\/\/127\.0\.0\.1:21" is not an http\(s\) URL/],
  ['a variable value with a newline', () => ({ CORS_SCENARIOS: 'a\nb.json' }), /CORS_SCENARIOS: contains NUL, CR or LF/],
  ['CORS_SCENARIOS_ONLY=maybe', () => ({ CORS_SCENARIOS_ONLY: 'maybe' }), /CORS_SCENARIOS_ONLY: "maybe" is not understood/],
  ['a missing scenario file', () => ({ CORS_SCENARIOS: path.join(dir, 'missing.json') }), /missing\.json: cannot read the scenario file/],
  ['a directory as the baseline', () => ({ CORS_BASELINE: dir }), /is a directory, not the baseline \(CORS_BASELINE\)/],
  ['a directory as the scenario file', () => ({ CORS_SCENARIOS: dir }), /is a directory, not the scenario file \(CORS_SCENARIOS\)/],
  ['a directory as the policy file', () => ({ CORS_POLICY: dir }), /is a directory, not the policy file \(CORS_POLICY\)/],
  ['a mistyped variable in policy mode', () => ({ CORS_POLICY: dir, CORS_POLCY: 'x' }), /CORS_POLCY: is not a cors-matrix variable\. Fix: did you mean CORS_POLICY/],
  ['a scenario file that is not JSON', () => ({ CORS_SCENARIOS: file('s1.json', '[{,]') }), /s1\.json:1:3: not valid JSON/],
  ['a scenario file that is an object', () => ({ CORS_SCENARIOS: file('s2.json', good) }), /s2\.json: the top level must be a JSON array/],
  ['an unknown scenario field', () => ({ CORS_SCENARIOS: file('s3.json', [{ ...good, extra: 1 }]) }), /s3\.json: scenario \[0\] \(id "ok"\), field "extra": unknown field/],
  ['a header value with CR/LF (response splitting)', () => ({ CORS_SCENARIOS: file('s4.json', [{ ...good, response: { ...good.response, headers: [['X', 'a\r\nSet-Cookie: s=1']] } }]) }), /field "response\.headers\[0\]\[1\]": contains CR or LF/],
  // A NUL in a response header is legal input (a server can send it; the raw target does), but no page can set one.
  ['a request header value with NUL', () => ({ CORS_SCENARIOS: file('s5.json', [{ ...good, request: { ...good.request, headers: { 'X-A': 'a\u0000b' } } }]) }), /contains CR, LF or NUL/],
  ['a huge scenario file', () => ({ CORS_SCENARIOS: file('s6.json', `[${' '.repeat(6 * 1024 * 1024)}]`) }), /s6\.json: the scenario file is \d+ bytes, over the/],
  ['duplicate ids', () => ({ CORS_SCENARIOS: file('s7.json', [good, good]) }), /field "id": duplicate id/],
  ['a status given as a string', () => ({ CORS_SCENARIOS: file('s8.json', [{ ...good, response: { ...good.response, status: '200' } }]) }), /field "response\.status": must be an HTTP status/],
  ['a method with a space', () => ({ CORS_SCENARIOS: file('s9.json', [{ ...good, request: { ...good.request, method: 'GET /admin' } }]) }), /field "request\.method"/],
  ['an id that would be a path', () => ({ CORS_SCENARIOS: file('s10.json', [{ ...good, id: '../../etc/passwd' }]) }), /field "id"/],
  ['an id that shadows a built-in scenario', () => ({ CORS_SCENARIOS: file('s11.json', [{ ...good, id: 'acao-star' }]) }), /already a built-in scenario/],
  ['a deviation for an unknown engine', () => ({ CORS_SCENARIOS: file('s12.json', [{ ...good, expect: { outcome: 'allowed', engines: { safari: { outcome: 'blocked', source: 'x' } } } }]) }), /field "expect\.engines\.safari": unknown field/],
];

for (const [name, env, message] of cases) {
  test(`bad input ends the run before any engine starts: ${name}`, async () => {
    const reportDir = tempDir('cors-hostile-out-');
    const run = await startRun(['--workers=1'], { ...env(), CORS_REPORT_DIR: env().CORS_REPORT_DIR ?? reportDir });
    expect(run.code, run.stdout + run.stderr).toBe(2);
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('cors-matrix:'));
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(lines[0]).toMatch(/Fix: /);
    expect(run.stderr).not.toMatch(/\n\s+at \S+ \(/);
    expect(run.stdout).not.toMatch(/Running \d+ test/);
    expect(fs.existsSync(path.join(reportDir, 'matrix.json'))).toBe(false);
  });
}
