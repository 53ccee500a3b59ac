// The environment: every CORS_* variable is known to the check and documented with its default,
// and every input check runs in both modes (a typo in policy mode ends the run like any other).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { ENV_VARIABLES, checkEnv } from '../../harness/settings.ts';
import { validateInputs } from '../../harness/runner/setup.ts';
import { InputError } from '../../harness/input/validate.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-env-'));

/** The rows of docs/environment.md's table: variable -> default. */
function documented(): Map<string, string> {
  const text = fs.readFileSync(path.join(ROOT, 'docs/environment.md'), 'utf8');
  return new Map([...text.matchAll(/^\| `(CORS_[A-Z0-9_]+)` \| ([^|]*) \|/gm)].map((m) => [m[1], m[2].trim()]));
}

function sources(d: string): string[] {
  return fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => {
    const f = path.join(d, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'out' ? [] : sources(f);
    return /\.(ts|mjs|js)$/.test(e.name) ? [f] : [];
  });
}

test('docs/environment.md lists exactly the variables the harness knows, each with its default', () => {
  const docs = documented();
  expect([...docs.keys()].sort(), 'documented variables').toEqual(Object.keys(ENV_VARIABLES).sort());
  for (const [name, { default: value }] of Object.entries(ENV_VARIABLES)) expect(docs.get(name), `default of ${name}`).toBe(value);
});

test('every CORS_* variable the code reads is in the known list', () => {
  const files = [...['harness', 'reports', 'servers', 'specs', 'scripts'].flatMap((d) => sources(path.join(ROOT, d))),
    path.join(ROOT, 'playwright.config.ts'), path.join(ROOT, 'tests/playwright.config.ts')];
  const read = new Set<string>();
  for (const f of files) {
    // django-cors-headers' settings are named CORS_* too: text its fix table prints, not variables read here.
    if (f.includes(path.join('harness', 'policy', 'fixes', 'django.ts'))) continue;
    for (const m of fs.readFileSync(f, 'utf8').matchAll(/(?:env\.|env\[['"`]|['"`])(CORS_[A-Z0-9_]+)\b/g)) read.add(m[1]);
  }
  expect(read.size).toBeGreaterThan(5);
  expect([...read].filter((n) => !(n in ENV_VARIABLES)), 'read but not in harness/settings.ts ENV_VARIABLES').toEqual([]);
});

test('the variable the runner hands its workers is not taken for a typo', () => {
  expect(() => checkEnv({ CORS_RUN_TMPDIR: dir })).not.toThrow();
});

test('one module reads the CORS_* variables: the settings (and the locators the set-up runs before npm install)', () => {
  const readers = new Set(['harness/settings.ts', 'harness/engines/chromium.locate.mjs', 'harness/engines/webkitgtk/webdriver-env.mjs', 'harness/engines/playwright-server.mjs']);
  const files = [...['harness', 'reports', 'servers', 'specs', 'cli'].flatMap((d) => sources(path.join(ROOT, d))), path.join(ROOT, 'playwright.config.ts')];
  const elsewhere: string[] = [];
  for (const f of files) {
    const rel = path.relative(ROOT, f);
    if (readers.has(rel)) continue;
    // A read, not the set-up writing its own variable or the command composing a child run's environment.
    for (const m of fs.readFileSync(f, 'utf8').matchAll(/(delete\s+)?\benv\.(CORS_[A-Z0-9_]+)\b(\s*=(?!=))?/g)) {
      if (!m[1] && !m[3]) elsewhere.push(`${rel}: ${m[2]}`);
    }
  }
  expect(elsewhere, 'read through readSettings() in harness/settings.ts').toEqual([]);
});

test('policy mode checks the environment too: a mistyped variable ends the run before the policy is read', async () => {
  const policy = path.join(dir, 'never-read.json');
  const run = validateInputs({ CORS_POLICY: policy, CORS_POLCY: 'p.json' });
  await expect(run).rejects.toBeInstanceOf(InputError);
  await expect(run).rejects.toThrow(/environment variable CORS_POLCY: is not a cors-matrix variable\. Fix: did you mean CORS_POLICY /);
});

test('policy mode checks the policy file, not the scenario files', async () => {
  const policy = path.join(dir, 'bad-policy.json');
  fs.writeFileSync(policy, JSON.stringify({ target: 'http://127.0.0.1:8080', allowedOrigins: [], endpoints: [{ path: '/x', methods: ['GET'] }] }));
  await expect(validateInputs({ CORS_POLICY: policy, CORS_SCENARIOS: path.join(dir, 'no-such-scenarios.json') }))
    .rejects.toThrow(/bad-policy\.json, field "allowedOrigins": is empty/);
});

test('every problem of the environment at once', () => {
  let error: InputError | undefined;
  try { checkEnv({ CORS_SCENARIO: 'x.json', CORS_PROBE_TIMEOUT_MS: '5s', CORS_UPDATE_BASELINE: '1' }); } catch (e) { error = e as InputError; }
  expect(error).toBeInstanceOf(InputError);
  expect(error!.problems).toEqual([
    expect.stringMatching(/^environment variable CORS_SCENARIO: is not a cors-matrix variable\. Fix: did you mean CORS_SCENARIOS/),
    expect.stringMatching(/^environment variable CORS_PROBE_TIMEOUT_MS: "5s" is not a whole number/),
    expect.stringMatching(/^environment variable CORS_UPDATE_BASELINE: is set but CORS_BASELINE is not/),
  ]);
  expect(error!.message).toMatch(/^3 problems:\n {2}- environment variable CORS_SCENARIO/);
});

test('a baseline that is a directory says so, not "not valid JSON"', () => {
  expect(() => checkEnv({ CORS_BASELINE: dir })).toThrow(/is a directory, not the baseline \(CORS_BASELINE\)\. Fix: /);
});
