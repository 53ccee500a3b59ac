// The package as a new user meets it: `npm pack`, a fresh folder outside the repository with a
// package.json and no TypeScript, `npm install` of the tarball and @playwright/test, then the
// command (`doctor`, `init --openapi`, `check`) against an Express API this test starts, and a spec
// of the user's own that imports `cors-matrix/test`. One engine for the runs, to keep it short;
// the policy runs in every engine are tests/runs/policy.spec.ts. The user's own Playwright projects
// are package-fixture.spec.ts, CommonJS projects and other Playwright releases package-commonjs.spec.ts:
// three files, so three workers, each with a project of its own (one serial chain of 11 minutes was
// the longest part of `npm test`).
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { startReflectingApi } from '../fixtures/policy/reflecting-api.ts';
import { PLAYWRIGHT_PIN } from '../../harness/engines/playwright-pin.ts';
import type { Listening } from '../../servers/listen.ts';
import { freshProject, packOnce, playwrightIn, run, show, type Tarball } from './package-project.ts';

test.describe.configure({ mode: 'serial' });

const openapi = (origin: string) => `openapi: 3.1.0
info: { title: Items, version: '1.0' }
servers:
  - url: ${origin}
components:
  securitySchemes:
    session: { type: apiKey, in: cookie, name: sid }
    key: { type: apiKey, in: header, name: X-Api-Key }
paths:
  /api/me:
    get:
      security: [{ session: [] }]
      responses: { '200': { description: the signed-in user } }
  /api/items:
    get:
      responses: { '200': { description: items } }
    post:
      security: [{ key: [] }]
      requestBody: { content: { application/json: { schema: { type: object } } } }
      responses: { '201': { description: created } }
`;

const userConfig = `import { defineConfig } from '@playwright/test';
import { corsProjects } from 'cors-matrix';

export default defineConfig({ testDir: 'tests', projects: corsProjects() });
`;

const userSpec = `import { test, expect } from 'cors-matrix/test';

const api = process.env.API_ORIGIN;

test('the app may call the API with cookies', async ({ cors }) => {
  const r = await cors.fetch({ from: 'https://app.example.com', url: api + '/api/me', method: 'GET', credentials: 'include' });
  expect(r).toBeAllowed();
  expect(r.preflightSent).toBe(false);
  expect(r.actualSent).toBe(true);
});

test('the app may replace an item', async ({ cors }) => {
  const r = await cors.fetch({ from: 'https://app.example.com', url: api + '/api/items', method: 'PUT',
    headers: { 'Content-Type': 'application/json' }, body: '{}' });
  expect(r).toBeAllowed();
});
`;

let user: string;
let api: Listening;
let tarball: Tarball;

test.beforeAll(async () => {
  test.setTimeout(420_000);
  api = await startReflectingApi();
  tarball = await packOnce();
  // Code only: no tests, fixtures, examples or TypeScript sources.
  expect(tarball.paths.filter((p) => /^(tests|examples|scripts)\/|\.spec\.ts$|(?<!\.d)\.ts$/.test(p))).toEqual([]);
  expect(tarball.paths).toEqual(expect.arrayContaining(['dist/cli/main.js', 'dist/harness/policy/cors-fixture.d.ts', 'dist/servers/probe/probe.js', 'dist/reports/matrix-page.css']));
  // This repository's pin, the first of the releases tested.
  expect(PLAYWRIGHT_PIN.tested[0]).toBe(PLAYWRIGHT_PIN.version);
  user = await freshProject('cors-user-', tarball, { name: 'my-app', private: true, type: 'module' }, [`@playwright/test@${PLAYWRIGHT_PIN.version}`]);
  expect(playwrightIn(user)).toBe(PLAYWRIGHT_PIN.version);
  expect(fs.existsSync(path.join(user, 'node_modules', 'typescript')), 'the user has no TypeScript').toBe(false);
  fs.writeFileSync(path.join(user, 'api.yaml'), openapi(api.origin));
});

test.afterAll(async () => {
  await api?.close();
  if (user) fs.rmSync(user, { recursive: true, force: true });
});

test('npx cors-matrix doctor names each engine found and downloads nothing', async () => {
  test.info().annotations.push({ type: 'tarball', description: `${(tarball.size / 1024).toFixed(0)} kB, ${tarball.files} files` });
  const r = await run('npx', ['cors-matrix', 'doctor'], user);
  expect(r.code, show(r)).toBe(0);
  expect(r.stdout).toMatch(/@playwright\/test 1\.64\.1/);
  expect(r.stdout).toMatch(/chromium\s+found/);
  // What the engine runs with, read back from it (Debian's build blocks third-party cookies by default).
  expect(r.stdout).toMatch(/third-party cookies: \w.*\(chrome:\/\/prefs-internals: profile\.cookie_controls_mode = \d, set by /);
  const help = await run('npx', ['cors-matrix', 'check', '--help'], user);
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/Usage: cors-matrix check \[POLICY\]/);
});

test('npx cors-matrix init --openapi writes the policy the document describes', async () => {
  const r = await run('npx', ['cors-matrix', 'init', '--openapi', 'api.yaml', '--origin', 'https://app.example.com'], user);
  expect(r.code, show(r)).toBe(0);
  expect(JSON.parse(fs.readFileSync(path.join(user, 'cors-policy.json'), 'utf8'))).toEqual({
    target: api.origin,
    allowedOrigins: ['https://app.example.com'],
    endpoints: [
      { path: '/api/me', methods: ['GET'], credentials: true },
      { path: '/api/items', methods: ['GET', 'POST'], requestHeaders: ['Content-Type', 'X-Api-Key'] },
    ],
  });
  // Kept unless --force; a bad document: one line with the file, the JSON pointer and the fix (exit 2).
  const again = await run('npx', ['cors-matrix', 'init', '--openapi', 'api.yaml'], user);
  expect(again.code).toBe(2);
  fs.writeFileSync(path.join(user, 'bad.yaml'), 'openapi: 3.0.3\nservers: [{ url: /v1 }]\npaths: {}\n');
  const bad = await run('npx', ['cors-matrix', 'init', '--openapi', 'bad.yaml', '--out', 'other.json'], user);
  expect(bad.code, show(bad)).toBe(2);
  expect(bad.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^cors-matrix: bad\.yaml, at JSON pointer "\/servers\/0\/url": .*Fix: pass the URL of a test instance with --target/)]);
});

test('npx cors-matrix check finds what the API deserves and exits 1', async () => {
  test.setTimeout(360_000);
  const r = await run('npx', ['cors-matrix', 'check', '--engines', 'chromium'], user);
  test.info().annotations.push({ type: 'check', description: `${r.ms} ms in chromium` });
  expect(r.code, show(r)).toBe(1);
  // One line per kind, the endpoints counted.
  expect(r.stdout).toMatch(/HIGH\s+credentials-reflection\s+2 endpoints \(\/api\/me, \/api\/items\)/);
  expect(r.stdout).toMatch(/exit 1: \d+ check results at or above --fail-on medium/);
  const report = JSON.parse(fs.readFileSync(path.join(user, 'reports', 'out', 'policy.json'), 'utf8')) as { findings: Array<{ kind: string; endpoint: string; severity: string }> };
  expect(report.findings.filter((f) => f.severity === 'high').map((f) => `${f.endpoint} ${f.kind}`).sort()).toEqual(['/api/items credentials-reflection', '/api/me credentials-reflection']);
  expect(fs.existsSync(path.join(user, 'reports', 'out', 'policy.sarif'))).toBe(true);
  const missing = await run('npx', ['cors-matrix', 'check', 'nope.json'], user);
  expect(missing.code, show(missing)).toBe(2);
  expect(missing.stderr).toMatch(/nope\.json/);
});

test("a user's spec with cors-matrix/test passes for the allowed origin and shows the engine's message when it fails", async () => {
  test.setTimeout(300_000);
  fs.writeFileSync(path.join(user, 'playwright.config.js'), userConfig);
  fs.mkdirSync(path.join(user, 'tests'), { recursive: true });
  fs.writeFileSync(path.join(user, 'tests', 'api.spec.js'), userSpec);
  const r = await run('npx', ['playwright', 'test', '--project', 'chromium', '--reporter', 'line'], user, { API_ORIGIN: api.origin });
  expect(r.code, show(r)).toBe(1);
  expect(r.stdout).toMatch(/1 failed/);
  expect(r.stdout).toMatch(/1 passed/);
  // PUT is not in the API's Access-Control-Allow-Methods: Chromium's own words, the oracle's reason, the fix.
  expect(r.stdout).toMatch(/expected Chromium [\d.]+ \(users regime\) to let the page read PUT .*\/api\/items from https:\/\/app\.example\.com, but it blocked it at the preflight/);
  expect(r.stdout).toMatch(/engine's message: .*has been blocked by CORS policy: Method PUT is not allowed by Access-Control-Allow-Methods/);
  expect(r.stdout).toMatch(/reason \(Fetch standard\): .*PUT/);
  expect(r.stdout).toMatch(/fix: Access-Control-Allow-Methods: .*PUT/);
});
