// WebKitGTK's fresh contexts are MiniBrowsers, and with CORS_WEBKIT_SPARE=1 the engine keeps the next one warm: from the
// second page opened with the same arguments on, a spare MiniBrowser starts while the page works, and
// the next page takes it. Checked here on an engine of the test's own (its own Xvfb display, so
// the MiniBrowsers counted are its alone): the page that took the spare runs in the spare's process,
// it is as fresh as a cold one (no cookie of the page before), and close() stops every MiniBrowser.
import fs from 'node:fs';
import { test, expect } from '../../harness/matrix/catalogue-fixtures.ts';
import { launchEngine } from '../../harness/engines/launch.ts';
import { PROBE_PATH } from '../../harness/model/probe-page.ts';

/** The MiniBrowser processes on X display `display`, by their environment. */
function miniBrowsers(display: string): number[] {
  const found: number[] = [];
  for (const d of fs.readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      if (!/MiniBrowser/.test(fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0')[0])) continue;
      if (fs.readFileSync(`/proc/${d}/environ`, 'latin1').split('\0').includes(`DISPLAY=${display}`)) found.push(Number(d));
    } catch { /* gone */ }
  }
  return found.sort((a, b) => a - b);
}

test('a fresh WebKitGTK context comes from a warm spare MiniBrowser, and is as fresh as a cold one', async ({ session, engineId }) => {
  test.skip(engineId !== 'webkit', 'WebKitGTK only: the other engines open contexts inside one browser');
  test.skip(!!process.env.CORS_GRID || !!process.env.CORS_WEBDRIVER_URL, 'remote sessions: the Grid or the endpoint starts the browser');
  test.setTimeout(120_000);
  // Spares are off by default: on for this engine alone (it reads the setting at launch).
  const before = process.env.CORS_WEBKIT_SPARE;
  process.env.CORS_WEBKIT_SPARE = '1';
  const engine = await launchEngine('webkit').finally(() => {
    if (before === undefined) delete process.env.CORS_WEBKIT_SPARE; else process.env.CORS_WEBKIT_SPARE = before;
  });
  const display = /under Xvfb (:\d+)/.exec(engine.info.notes ?? '')?.[1];
  try {
    expect(display, `the engine's notes name its display: ${engine.info.notes}`).toBeTruthy();
    const url = session.servers.origin.origin + PROBE_PATH;
    const cookies = (page: { evaluate<T>(e: string, a: unknown, t: number): Promise<T> }) => page.evaluate<string>('Promise.resolve(document.cookie)', null, 10_000);

    // The first open of these arguments starts no spare: a lane is opened once.
    const first = await engine.newPage();
    await first.goto(url);
    await first.evaluate("Promise.resolve(document.cookie = 'left=behind; max-age=600')", null, 10_000);
    expect(await cookies(first)).toContain('left=behind');
    await first.close();
    await expect.poll(() => miniBrowsers(display!).length, { message: 'the closed page\'s MiniBrowser stops', timeout: 20_000 }).toBe(0);

    // The second starts one, which waits with no session.
    const second = await engine.newPage();
    await second.goto(url);
    await expect.poll(() => miniBrowsers(display!).length, { message: 'the second page and a spare', timeout: 30_000 }).toBe(2);
    expect(await cookies(second), 'a new MiniBrowser has no cookie of the one before').not.toContain('left=');
    await second.evaluate("Promise.resolve(document.cookie = 'left=again; max-age=600')", null, 10_000);
    await second.close();
    await expect.poll(() => miniBrowsers(display!).length, { message: 'the spare alone', timeout: 20_000 }).toBe(1);
    const [spare] = miniBrowsers(display!);

    // The third takes it: it runs in the spare's process, and is fresh.
    const third = await engine.newPage();
    await third.goto(url);
    expect(miniBrowsers(display!), 'the spare serves the third page (and a new spare starts beside it)').toContain(spare);
    expect(await cookies(third), 'the spare has no cookie of the pages before').not.toContain('left=');
    await third.close();
  } finally {
    await engine.close();
  }
  expect(miniBrowsers(display!), 'close() stops the pages\' MiniBrowsers and the spare').toEqual([]);
});
