// The cors fixture in Playwright projects a user writes: a project of their own whose browserName
// picks the engine, a run whose failed tests and killed workers must not relaunch engines, and the
// regime reaching the engine. A fresh ESM project outside the repository with the packed tarball,
// as in package.spec.ts (which runs beside this file, in another worker).
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import express from 'express';
import cors from 'cors';
import { test, expect } from '@playwright/test';
import { listen, type Listening } from '../../servers/listen.ts';
import { startReflectingApi } from '../fixtures/policy/reflecting-api.ts';
import { PLAYWRIGHT_PIN } from '../../harness/engines/playwright-pin.ts';
import { freshProject, packOnce, run, show } from './package-project.ts';

test.describe.configure({ mode: 'serial' });

let user: string;
let api: Listening;

test.beforeAll(async () => {
  test.setTimeout(420_000);
  api = await startReflectingApi();
  user = await freshProject('cors-fixture-user-', await packOnce(), { name: 'my-app', private: true, type: 'module' }, [`@playwright/test@${PLAYWRIGHT_PIN.version}`]);
});

test.afterAll(async () => {
  await api?.close();
  if (user) fs.rmSync(user, { recursive: true, force: true });
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
