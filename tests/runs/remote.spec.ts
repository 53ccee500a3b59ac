// Remote engines: the same cells whether an engine runs here or behind a remote endpoint.
// Chromium through `npx playwright run-server` (Playwright's PW_TEST_CONNECT_WS_ENDPOINT), WebKitGTK
// through WebKitWebDriver processes the test starts itself (CORS_WEBDRIVER_URL); both on loopback.
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { test, expect } from '@playwright/test';
import getPort from 'get-port';
import { ROOT, cells, readMatrix as read, startRun } from './helpers.ts';
import { startXvfb } from '../../harness/engines/xvfb.ts';
import { startManaged, type Managed } from '../../harness/engines/processes.ts';
import { WebDriverClient } from '../../harness/engines/webdriver.ts';

test.describe.configure({ mode: 'serial' });

// A few scenarios of every kind the batch schedules: plain, preflighted, credentialed, a sandboxed
// frame, and a preflight-cache follow-up in a context of its own.
const SELECTION = ['-g', ' acao-star:| acao-mismatch:| cred-star:| preflight-put:| preflight-404:| null-origin-acao-star:| cache-max-age-600:'];


/** `npx playwright run-server` on loopback; resolves with its ws endpoint once it listens. */
async function startRunServer(): Promise<{ wsEndpoint: string; child: ChildProcess; stop(): Promise<void> }> {
  const port = await getPort({ host: '127.0.0.1' });
  const cli = path.join(ROOT, 'node_modules', '@playwright', 'test', 'cli.js');
  // --unsafe: the harness sends executablePath and flags for Debian's Chromium (a plain run-server drops them).
  const child = spawn(process.execPath, [cli, 'run-server', '--port', String(port), '--host', '127.0.0.1', '--unsafe'], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let out = '';
  const wsEndpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`run-server did not listen within 30 s: ${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d;
      const m = /Listening on (ws:\/\/\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`run-server exited (${code}): ${out}`)); });
  });
  return {
    wsEndpoint,
    child,
    async stop() {
      try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* gone */ }
      await exited;
    },
  };
}

test('chromium through npx playwright run-server on loopback gives the same cells as a local chromium', async () => {
  test.setTimeout(360_000); // a local and a remote child run on a shared two-core machine (over 3 min at load 30)
  const server = await startRunServer();
  try {
    const remote = await startRun([...SELECTION, '--project=chromium'], { PW_TEST_CONNECT_WS_ENDPOINT: server.wsEndpoint });
    expect(remote.code, remote.stdout + remote.stderr).toBe(0);
    const local = await startRun([...SELECTION, '--project=chromium']);
    expect(local.code, local.stdout + local.stderr).toBe(0);

    const r = read(remote.reportDir);
    const l = read(local.reportDir);
    expect(r.engines.map((e) => e.driver), 'the report names the remote driver').toEqual(['cdp via playwright run-server']);
    expect(r.engines[0].notes).toContain(server.wsEndpoint);
    expect(r.engines[0].version).toBe(l.engines[0].version);
    expect(Object.keys(cells(l))).toHaveLength(7);
    expect(cells(r)).toEqual(cells(l));
  } finally {
    await server.stop();
  }
});

test('webkit through remote WebDriver endpoints (CORS_WEBDRIVER_URL) gives the same cells as a local webkit', async () => {
  test.setTimeout(360_000); // a local and a remote child run on a shared two-core machine (over 3 min at load 30)
  const xvfb = await startXvfb('/usr/bin/Xvfb');
  const drivers: Managed[] = [];
  try {
    // The worker's page holds one endpoint; isolated scenarios take the others (one session each).
    const urls: string[] = [];
    for (let i = 0; i < 3; i++) {
      const port = await getPort({ host: '127.0.0.1' });
      drivers.push(startManaged('/usr/bin/WebKitWebDriver', [`--port=${port}`, '--host=127.0.0.1'], {
        stdio: 'ignore',
        env: { ...process.env, DISPLAY: xvfb.display, WEBKIT_DISABLE_DMABUF_RENDERER: '1', WEBKIT_DISABLE_COMPOSITING_MODE: '1', LIBGL_ALWAYS_SOFTWARE: '1', GDK_BACKEND: 'x11', NO_AT_BRIDGE: '1' },
      }));
      urls.push(`http://127.0.0.1:${port}`);
    }
    for (const u of urls) await new WebDriverClient(u).waitReady(15_000);

    const remote = await startRun([...SELECTION, '--project=webkit'], { CORS_WEBDRIVER_URL: urls.join(',') });
    expect(remote.code, remote.stdout + remote.stderr).toBe(0);
    const local = await startRun([...SELECTION, '--project=webkit']);
    expect(local.code, local.stdout + local.stderr).toBe(0);

    const r = read(remote.reportDir);
    const l = read(local.reportDir);
    expect(r.engines.map((e) => e.driver)).toEqual(['webdriver-classic (remote WebDriver)']);
    expect(r.engines[0].version).toBe(l.engines[0].version);
    expect(Object.keys(cells(l))).toHaveLength(7);
    expect(cells(r)).toEqual(cells(l));
  } finally {
    await Promise.all(drivers.map((d) => d.stop()));
    await xvfb.stop();
  }
});
