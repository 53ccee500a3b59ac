// The package as a new user meets it: `npm pack`, a fresh folder outside the repository with a
// package.json and no TypeScript, `npm install` of the tarball and @playwright/test, then the
// command (`doctor`, `init --openapi`, `check`) against an Express API this test starts, and a spec
// of the user's own that imports `cors-matrix/test`. One engine for the runs, to keep it short;
// the policy runs in every engine are tests/runs/policy.spec.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { spawn } from 'node:child_process';
import express from 'express';
import cors from 'cors';
import { test, expect } from '@playwright/test';
import { ROOT, tempDir } from './helpers.ts';
import { listen, type Listening } from '../../servers/listen.ts';
import { startReflectingApi } from '../fixtures/policy/reflecting-api.ts';
import { PLAYWRIGHT_PIN } from '../../harness/engines/playwright-pin.ts';

test.describe.configure({ mode: 'serial' });

interface Ran { code: number | null; stdout: string; stderr: string; ms: number }

/** A child in `cwd` with the environment of a user's shell: nothing of this run's Playwright or harness. */
function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Ran> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TEST_|CORS_|PW_|PLAYWRIGHT_(?!BROWSERS_PATH))/.test(k))) as Record<string, string>;
  const started = Date.now();
  const child = spawn(cmd, args, { cwd, env: { ...clean, CI: '', FORCE_COLOR: '0', PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started })));
}

const show = (r: Ran) => `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

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
/** npm's default CommonJS project (`npm init -y`) on the newest tested Playwright. */
let cjs: string;
/** A project whose Playwright is older than the range. */
let older: string;
let api: Listening;
let tarball: { file: string; size: number; files: number };
let packDir: string;

test.beforeAll(async () => {
  test.setTimeout(420_000);
  api = await startReflectingApi();
  packDir = tempDir('cors-pack-');
  // Builds first (prepack), as `npm publish` would.
  const packed = await run('npm', ['pack', '--json', '--pack-destination', packDir], ROOT);
  expect(packed.code, show(packed)).toBe(0);
  const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{ filename: string; size: number; entryCount: number; files: Array<{ path: string }> }>;
  tarball = { file: path.join(packDir, path.basename(info[0].filename)), size: info[0].size, files: info[0].entryCount };
  // Code only: no tests, fixtures, examples or TypeScript sources.
  const paths = info[0].files.map((f) => f.path);
  expect(paths.filter((p) => /^(tests|examples|scripts)\/|\.spec\.ts$|(?<!\.d)\.ts$/.test(p))).toEqual([]);
  expect(paths).toEqual(expect.arrayContaining(['dist/cli/main.js', 'dist/harness/policy/cors-fixture.d.ts', 'dist/servers/probe/probe.js', 'dist/reports/matrix-page.css']));

  user = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-user-'));
  expect(path.relative(ROOT, user).startsWith('..')).toBe(true);
  fs.writeFileSync(path.join(user, 'package.json'), JSON.stringify({ name: 'my-app', private: true, type: 'module' }, null, 2));
  cjs = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-cjs-'));
  older = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-older-'));
  const init = await run('npm', ['init', '-y'], cjs);
  expect(init.code, show(init)).toBe(0);
  fs.writeFileSync(path.join(older, 'package.json'), JSON.stringify({ name: 'older-app', private: true, type: 'module' }, null, 2));
  // One project per tested release (the first is this repository's pin), and one below the range,
  // which npm only installs past the peer range, as a user with --legacy-peer-deps would.
  const [oldest, newest] = [PLAYWRIGHT_PIN.tested[0], PLAYWRIGHT_PIN.tested.at(-1)!];
  expect(oldest).toBe(PLAYWRIGHT_PIN.version);
  const npmInstall = (dir: string, ...specs: string[]) => run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '-D', tarball.file, ...specs], dir);
  // npm adds no second, newer `playwright` beside the user's @playwright/test (an optional peer).
  const installs = await Promise.all([
    npmInstall(user, `@playwright/test@${oldest}`),
    npmInstall(cjs, `@playwright/test@${newest}`),
    npmInstall(older, '@playwright/test@1.63.0', '--legacy-peer-deps'),
  ]);
  for (const installed of installs) expect(installed.code, show(installed)).toBe(0);
  const versionIn = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'playwright', 'package.json'), 'utf8')).version;
  expect([versionIn(user), versionIn(cjs)]).toEqual([oldest, newest]);
  expect(fs.existsSync(path.join(user, 'node_modules', 'typescript')), 'the user has no TypeScript').toBe(false);
  fs.writeFileSync(path.join(user, 'api.yaml'), openapi(api.origin));
});

test.afterAll(async () => {
  await api?.close();
  for (const dir of [user, cjs, older, packDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
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

test("a project of the user's own whose browserName is firefox runs the cors fixture in Firefox", async () => {
  test.setTimeout(300_000);
  // No corsProjects(): the user's own project, as Playwright users write them.
  fs.writeFileSync(path.join(user, 'playwright.firefox.config.js'), `import { defineConfig } from '@playwright/test';
// Firefox's first https page (the run's CA, the proxy) takes longer than 30 s on a busy machine.
export default defineConfig({ testDir: 'firefox-tests', timeout: 120_000, projects: [{ name: 'mine', use: { browserName: 'firefox' } }] });
`);
  fs.mkdirSync(path.join(user, 'firefox-tests'), { recursive: true });
  fs.writeFileSync(path.join(user, 'firefox-tests', 'engine.spec.js'), `import { test, expect } from 'cors-matrix/test';
test('the engine is the project\\'s browser', async ({ cors }) => {
  expect(cors.engineId).toBe('firefox');
  const r = await cors.fetch({ from: 'https://app.example.com', url: process.env.API_ORIGIN + '/api/me', credentials: 'include' });
  expect(r.engine).toBe('firefox');
  expect(r.engineVersion).toMatch(/Firefox/);
  expect(r).toBeAllowed();
});
`);
  const r = await run('npx', ['playwright', 'test', '-c', 'playwright.firefox.config.js', '--reporter', 'line'], user, { API_ORIGIN: api.origin });
  expect(r.code, show(r)).toBe(0);
  expect(r.stdout).toMatch(/1 passed/);
});

test('a failed test or a killed worker restarts the worker but not its engine: the next worker connects to the browser the run launched once, or takes over its WebKitGTK page', async () => {
  test.setTimeout(360_000);
  const second = await startReflectingApi();
  const results = fs.mkdtempSync(path.join(user, 'reuse-results-'));
  try {
    fs.mkdirSync(path.join(user, 'reuse-tests'), { recursive: true });
    fs.writeFileSync(path.join(user, 'playwright.reuse.config.js'), `import { defineConfig } from '@playwright/test';
import { corsProjects } from 'cors-matrix';
export default defineConfig({ testDir: 'reuse-tests', workers: 1, timeout: 120_000, projects: corsProjects({ engines: ['chromium', 'firefox', 'webkit'] }) });
`);
    // Serial in one worker: the first test fails, so Playwright starts a new worker for the second,
    // which is killed (no teardown at all), so a third worker runs the last.
    fs.writeFileSync(path.join(user, 'reuse-tests', 'reuse.spec.js'), `import fs from 'node:fs';
import os from 'node:os';
import { test, expect } from 'cors-matrix/test';
test.describe.configure({ mode: 'default' });
const note = (name, r) => fs.writeFileSync(process.env.RESULTS + '/' + test.info().project.name + '-' + name + '.json', JSON.stringify({ worker: process.pid, runner: process.ppid, tmp: os.tmpdir(), engine: r.engineProcessId }));
test('fails on purpose', async ({ cors }) => {
  const r = await cors.fetch({ from: 'https://app.example.com', url: process.env.API_ORIGIN + '/api/me' });
  note('first', r);
  expect(r.outcome).toBe('failing on purpose');
});
test('runs in a new worker, then ends without its teardown', async ({ cors }) => {
  // Through this worker's own proxy (WebKitGTK's page, taken over, is pointed at it by the run's relay).
  const second = await cors.fetch({ from: 'https://app.example.com', url: process.env.API_ORIGIN + '/api/me' });
  note('second', second);
  expect(second).toBeAllowed();
  // As a crash or an out-of-memory kill would: nothing of the worker gives anything back.
  process.kill(process.pid, 'SIGKILL');
});
test('runs after a worker that was killed', async ({ cors }) => {
  const r = await cors.fetch({ from: 'https://app.example.com', url: process.env.API_ORIGIN + '/api/me' });
  note('after-kill', r);
  expect(r).toBeAllowed();
  const other = await cors.fetch({ from: 'https://app.example.com', url: process.env.SECOND_API + '/api/me' });
  note('other-api', other);
  expect(other).toBeAllowed();
});
`);
    const r = await run('npx', ['playwright', 'test', '-c', 'playwright.reuse.config.js', '--reporter', 'line'], user, { API_ORIGIN: api.origin, SECOND_API: second.origin, RESULTS: results });
    expect(r.stdout, show(r)).toMatch(/6 failed/);
    expect(r.stdout, show(r)).toMatch(/3 passed/);
    for (const engine of ['chromium', 'firefox', 'webkit']) {
      const seen = (name: string) => JSON.parse(fs.readFileSync(path.join(results, `${engine}-${name}.json`), 'utf8')) as { worker: number; engine: number | null };
      const [first, next, other, afterKill] = [seen('first'), seen('second'), seen('other-api'), seen('after-kill')];
      expect(next.worker, `${engine}: the failed test restarted the worker`).not.toBe(first.worker);
      expect(afterKill.worker, `${engine}: the killed worker was replaced`).not.toBe(next.worker);
      expect(first.engine, `${engine}: the engine's process id is known`).toEqual(expect.any(Number));
      expect(next.engine, `${engine}: the new worker's engine is the same browser process`).toBe(first.engine);
      expect(afterKill.engine, `${engine}: a worker killed without its teardown leaves the engine to the next one`).toBe(first.engine);
      // WebKitGTK hands over its page, to one worker's page at a time: a second origin's page is a MiniBrowser of its own.
      if (engine === 'webkit') expect(other.engine, 'webkit: a second API origin, while the kept page is held, has a page of its own').not.toBe(first.engine);
      else expect(other.engine, `${engine}: a second API origin uses the same browser too`).toBe(first.engine);
    }
    // The run closed what it launched: no browser of the run is left.
    for (const { engine } of ['chromium', 'firefox', 'webkit'].map((e) => JSON.parse(fs.readFileSync(path.join(results, `${e}-first.json`), 'utf8')) as { engine: number })) {
      let alive = true;
      for (let i = 0; i < 100 && alive; i++) {
        try { process.kill(engine, 0); await new Promise((res) => setTimeout(res, 100)); } catch { alive = false; }
      }
      expect(alive, `browser ${engine} ended with the run`).toBe(false);
    }
    // Nor any other process of the run (they all carry RESULTS): WebKitGTK's kept page, its keeper, Xvfb.
    const ofTheRun = () => fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((pid) => {
      try { return fs.readFileSync(`/proc/${pid}/environ`, 'latin1').includes(`RESULTS=${results}\0`); } catch { return false; }
    }).map((pid) => { try { return fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ').trim(); } catch { return pid; } });
    for (let i = 0; i < 100 && ofTheRun().length; i++) await new Promise((res) => setTimeout(res, 100));
    expect(ofTheRun(), 'processes of the run left behind').toEqual([]);
    // Nor the folder where the run's engines were found (shared-engine.ts): the last host removes it.
    const { runner, tmp } = JSON.parse(fs.readFileSync(path.join(results, 'chromium-first.json'), 'utf8')) as { runner: number; tmp: string };
    const hosts = path.join(tmp, `cors-engines-${runner}`);
    for (let i = 0; i < 50 && fs.existsSync(hosts); i++) await new Promise((res) => setTimeout(res, 100));
    expect(fs.existsSync(hosts), `${hosts} is left behind`).toBe(false);
  } finally {
    await second.close();
  }
});

/**
 * An API that signs the page in cross-site: /sign-in answers a credentialed request with a
 * `SameSite=None; Secure` cookie, /me says in X-Saw-Cookie which Cookie header reached it.
 */
async function startSessionApi(): Promise<Listening> {
  const app = express();
  app.use(cors({ origin: true, credentials: true, exposedHeaders: ['X-Saw-Cookie'] }));
  app.get('/sign-in', (_req, res) => { res.setHeader('Set-Cookie', 'sid=s3cret; SameSite=None; Secure; Path=/'); res.json({}); });
  app.get('/me', (req, res) => { res.setHeader('X-Saw-Cookie', req.headers.cookie ?? 'none'); res.json({}); });
  return listen(http.createServer(app));
}

test("the cors fixture's regime reaches the engine: Chromium sends a cross-site cookie in users, not in installed", async () => {
  test.setTimeout(360_000);
  const sessionApi = await startSessionApi();
  const results = fs.mkdtempSync(path.join(user, 'regime-results-'));
  try {
    // The default (users, CORS_REGIME unset) and corsProjects({ regime: 'installed' }), side by side.
    fs.writeFileSync(path.join(user, 'playwright.regimes.config.js'), `import { defineConfig } from '@playwright/test';
import { corsProjects } from 'cors-matrix';

export default defineConfig({ testDir: 'regime-tests', workers: 2, timeout: 120_000, projects: [
  ...corsProjects({ engines: ['chromium'] }),
  ...corsProjects({ engines: ['chromium'], regime: 'installed', prefix: 'installed-' }),
] });
`);
    fs.mkdirSync(path.join(user, 'regime-tests'), { recursive: true });
    // No session option in the fixture: the API's own cross-site answer sets the cookie, as a sign-in would.
    fs.writeFileSync(path.join(user, 'regime-tests', 'cookie.spec.js'), `import fs from 'node:fs';
import { test, expect } from 'cors-matrix/test';

test('a cookie the API set cross-site comes back with the next request, as the regime allows', async ({ cors }) => {
  const from = 'https://app.example.com';
  expect(await cors.fetch({ from, url: process.env.SESSION_API + '/sign-in', credentials: 'include' })).toBeAllowed();
  const me = await cors.fetch({ from, url: process.env.SESSION_API + '/me', credentials: 'include', readHeaders: ['X-Saw-Cookie'] });
  expect(me).toBeAllowed();
  fs.writeFileSync(process.env.RESULTS + '/' + test.info().project.name + '.json', JSON.stringify({
    regime: me.regime, cookieSent: me.cookieSent, apiSaw: me.exposedHeaders['X-Saw-Cookie'], thirdPartyCookies: me.configuration?.thirdPartyCookies.value,
  }));
});
`);
    const r = await run('npx', ['playwright', 'test', '-c', 'playwright.regimes.config.js', '--reporter', 'line'], user, { SESSION_API: sessionApi.origin, RESULTS: results });
    test.info().annotations.push({ type: 'regimes', description: `${r.ms} ms for chromium in both regimes` });
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toMatch(/2 passed/);
    const read = (project: string) => JSON.parse(fs.readFileSync(path.join(results, `${project}.json`), 'utf8'));
    expect(read('chromium')).toEqual({ regime: 'users', cookieSent: true, apiSaw: 'sid=s3cret', thirdPartyCookies: expect.stringMatching(/^allowed outside Incognito/) });
    // Debian's Chromium blocks third-party cookies as installed; Playwright's own build was not tried here.
    expect(read('installed-chromium')).toEqual({ regime: 'installed', cookieSent: false, apiSaw: 'none', thirdPartyCookies: expect.stringMatching(/^blocked/) });
  } finally {
    await sessionApi.close();
  }
});

const onlyLine = (r: Ran) => r.stderr.trim().split('\n').filter((l) => l.trim());

test(`Playwright ${PLAYWRIGHT_PIN.tested.at(-1)} in a CommonJS project: doctor accepts it, Firefox ESR is refused in one line before any engine starts`, async () => {
  const doctor = await run('npx', ['cors-matrix', 'doctor'], cjs);
  expect(doctor.code, show(doctor)).toBe(0);
  expect(doctor.stdout).toContain(`@playwright/test ${PLAYWRIGHT_PIN.tested.at(-1)}`);
  expect(doctor.stdout).toMatch(/refused, left out of check and matrix: .*emulation\.setMediaFeaturesOverride/);
  fs.writeFileSync(path.join(cjs, 'cors-policy.json'), JSON.stringify({ target: api.origin, allowedOrigins: ['https://app.example.com'], endpoints: [{ path: '/api/me', methods: ['GET'] }] }));
  const refused = await run('npx', ['cors-matrix', 'check', '--engines', 'firefox'], cjs);
  expect(refused.code, show(refused)).toBe(2);
  const esc = (v: string) => v.replace(/\./g, '\\.');
  expect(onlyLine(refused), show(refused)).toEqual([expect.stringMatching(new RegExp(`^cors-matrix: --engines firefox: @playwright/test ${esc(PLAYWRIGHT_PIN.tested.at(-1)!)} cannot drive Firefox ESR .*Fix: npm i -D @playwright/test@${esc(PLAYWRIGHT_PIN.version)}`))]);
  expect(refused.ms).toBeLessThan(15_000);
  expect(fs.existsSync(path.join(cjs, 'reports'))).toBe(false);
  fs.rmSync(path.join(cjs, 'cors-policy.json'));
});

test('Playwright below the range: doctor exits 1 and check refuses in one line with the install command', async () => {
  const doctor = await run('npx', ['cors-matrix', 'doctor'], older);
  expect(doctor.code, show(doctor)).toBe(1);
  expect(doctor.stdout).toMatch(/@playwright\/test 1\.63\.0 - outside >=1\.64\.1 <1\.66\.0/);
  const r = await run('npx', ['cors-matrix', 'check', 'cors-policy.json'], older);
  expect(r.code, show(r)).toBe(2);
  expect(onlyLine(r)).toEqual([`cors-matrix: @playwright/test 1.63.0 is outside ${PLAYWRIGHT_PIN.range}, the releases this package is tested with. Fix: npm i -D @playwright/test@${PLAYWRIGHT_PIN.version}`]);
  expect(r.ms).toBeLessThan(15_000);
});

test('a CommonJS project loads typed policy files written with import (.js, .ts) as Playwright loads its config', async () => {
  // A target nobody answers on: the run stops at it, after the policy file was loaded and validated.
  const closed = await listen(http.createServer());
  const deadTarget = closed.origin;
  await closed.close();
  const body = `definePolicy({ target: '${deadTarget}', allowedOrigins: ['https://app.example.com'], endpoints: [{ path: '/api/me', methods: ['GET'] }] })`;
  fs.writeFileSync(path.join(cjs, 'imports.config.js'), `import { definePolicy } from 'cors-matrix';\nexport default ${body};\n`);
  fs.writeFileSync(path.join(cjs, 'typed.config.ts'), `import { definePolicy, type PolicyInput } from 'cors-matrix';\nconst policy: PolicyInput = ${body};\nexport default definePolicy(policy);\n`);
  for (const file of ['imports.config.js', 'typed.config.ts']) {
    const r = await run('npx', ['cors-matrix', 'check', file, '--engines', 'chromium'], cjs);
    expect(r.code, `${file}\n${show(r)}`).toBe(2);
    expect(r.stderr, file).toContain(`${file}, field "target": cannot connect to ${deadTarget}`);
  }
});

test(`a CommonJS policy (module.exports = definePolicy(...)) runs in Chromium and WebKitGTK under Playwright ${PLAYWRIGHT_PIN.tested.at(-1)}`, async () => {
  test.setTimeout(300_000);
  fs.writeFileSync(path.join(cjs, 'cors-policy.config.js'), `const { definePolicy } = require('cors-matrix');
module.exports = definePolicy({
  target: '${api.origin}',
  allowedOrigins: ['https://app.example.com'],
  endpoints: [{ path: '/api/me', methods: ['GET'], credentials: true }],
});
`);
  const r = await run('npx', ['cors-matrix', 'check', '--engines', 'chromium,webkit'], cjs);
  test.info().annotations.push({ type: 'check', description: `${r.ms} ms in chromium and webkit` });
  expect(r.code, show(r)).toBe(1);
  const report = JSON.parse(fs.readFileSync(path.join(cjs, 'reports', 'out', 'policy.json'), 'utf8')) as { engines?: unknown; findings: Array<{ kind: string; endpoint: string; severity: string; engines?: string[] }> };
  expect(report.findings.filter((f) => f.severity === 'high').map((f) => `${f.endpoint} ${f.kind}`)).toEqual(['/api/me credentials-reflection']);
  expect(JSON.stringify(report)).toMatch(/WebKitGTK/);
  expect(JSON.stringify(report)).toMatch(/Chromium/);
});
