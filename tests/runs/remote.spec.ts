// Remote engines: the same cells whether an engine runs here or behind a remote endpoint.
// WebKitGTK through WebKitWebDriver processes the test starts itself (CORS_WEBDRIVER_URL), on
// loopback. Chromium and Firefox on Playwright servers: playwright-servers.spec.ts; a Grid: grid.spec.ts.
import path from 'node:path';
import { test, expect } from '@playwright/test';
import getPort from 'get-port';
import { cells, readMatrix as read, startRun } from './helpers.ts';
import { startXvfb } from '../../harness/engines/xvfb.ts';
import { startManaged, type Managed } from '../../harness/engines/processes.ts';
import { WebDriverClient } from '../../harness/engines/webdriver.ts';

test.describe.configure({ mode: 'serial' });

// A few scenarios of every kind the batch schedules: plain, preflighted, credentialed, a sandboxed
// frame, and a preflight-cache follow-up in a context of its own.
const SELECTION = ['-g', ' acao-star:| acao-mismatch:| cred-star:| preflight-put:| preflight-404:| null-origin-acao-star:| cache-max-age-600:'];

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
