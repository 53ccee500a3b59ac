// matrix.html opened from file:// in a real Chromium: built by a real catalogue run (with a
// baseline that differs and one scenario that cannot match), it shows every scenario and engine,
// a cell opens its evidence by click and by Enter, every filter narrows the rows, the page logs
// no error, and a screenshot lands next to the report.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect, chromium, type Browser, type Page } from '@playwright/test';
import { ROOT, startRun, tempDir, type RunResult } from './helpers.ts';
import { locate } from '../../harness/engines/launch.ts';
import { renderMatrixHtml } from '../../reports/html.ts';
import type { Matrix, MatrixScenario } from '../../harness/model/types.ts';


const SELECTION = ['-g', 'acao|preflight-404'];
const WRONG = { id: 'acao-report-wrong-on-purpose', title: 'ACAO * expected blocked, wrongly', category: 'report-test',
  request: { api: 'fetch', method: 'GET', headers: { 'X-Report': 'hostile <b>value</b>' }, credentials: 'omit', body: null },
  preflight: { status: 204, headers: [['Access-Control-Allow-Origin', '*'], ['Access-Control-Allow-Headers', 'x-report']] },
  response: { status: 200, headers: [['Access-Control-Allow-Origin', '*'], ['X-Hostile', '<script>alert(1)</script>']], body: 'ok' },
  expect: { outcome: 'blocked' } };

const read = (dir: string): Matrix => JSON.parse(fs.readFileSync(path.join(dir, 'matrix.json'), 'utf8'));

let work = '';
let baselineRun: RunResult;
let run: RunResult;
let m: Matrix;
let browser: Browser | undefined;
const problems: string[] = [];

async function launch(): Promise<Browser> {
  browser ??= await chromium.launch({
    executablePath: locate('chromium').executablePath,
    args: ['--disable-background-networking', '--disable-component-update', ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
  });
  return browser;
}

async function open(file: string): Promise<Page> {
  const page = await (await launch()).newPage({ viewport: { width: 1280, height: 800 } });
  page.on('console', (msg) => { if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`${file}: console ${msg.type()}: ${msg.text()}`); });
  page.on('pageerror', (e) => problems.push(`${file}: page error: ${e.message}`));
  page.on('request', (r) => { if (!r.url().startsWith('file:')) problems.push(`${file}: network request to ${r.url()}`); });
  await page.goto(`file://${file}`);
  return page;
}

const visibleRows = (page: Page) => page.locator('#matrix tr.row:visible');
const scenario = (id: string): MatrixScenario => m.scenarios.find((s) => s.id === id)!;

test.afterAll(async () => { await browser?.close(); });

test.describe('matrix.html of a real run', () => {
  test.describe.configure({ mode: 'serial' });

  test.beforeAll(async () => {
    test.setTimeout(600_000); // two child runs on a shared two-core machine (6 min seen at load 20-40)
    work = tempDir('cors-report-');
    // 1. A real run that writes its matrix as the baseline (CORS_UPDATE_BASELINE=1).
    const baseline = path.join(work, 'baseline.json');
    baselineRun = await startRun(SELECTION, { CORS_REGIME: 'installed', CORS_BASELINE: baseline, CORS_UPDATE_BASELINE: '1', CORS_REPORT_DIR: path.join(work, 'first') });
    const first = read(path.join(work, 'first'));
    expect(baselineRun.code, 'exit 0 exactly when every cell matches').toBe(first.summary.mismatching ? 1 : 0);
    expect(baselineRun.stdout).toContain(`Baseline written to ${baseline}`);
    // 2. Make the baseline differ: one changed cell, one cell the baseline lacks, one scenario gone since.
    const b = JSON.parse(fs.readFileSync(baseline, 'utf8')) as Matrix;
    expect(b.changes).toBeUndefined();
    const flip = b.scenarios.find((s) => s.id === 'acao-star')!.results.webkit!;
    flip.outcome = flip.outcome === 'allowed' ? 'blocked' : 'allowed';
    delete b.scenarios.find((s) => s.id === 'preflight-404')!.results.firefox;
    b.scenarios.push({ ...b.scenarios[0], id: 'acao-retired', results: { chromium: b.scenarios[0].results.chromium } });
    fs.writeFileSync(baseline, JSON.stringify(b));
    // 3. The run under test: compared with that baseline, plus one scenario that cannot match.
    const file = path.join(work, 'wrong.json');
    fs.writeFileSync(file, JSON.stringify([WRONG]));
    run = await startRun(SELECTION, { CORS_REGIME: 'installed', CORS_BASELINE: baseline, CORS_SCENARIOS: file, CORS_REPORT_DIR: path.join(work, 'run') });
    m = read(run.reportDir);
  });

  test('the run exits non-zero on a mismatch and on changes since the baseline, and lists each change', () => {
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(m.changes).toEqual(expect.arrayContaining([
      { scenario: 'acao-star', engine: 'webkit', from: expect.any(String), to: scenario('acao-star').results.webkit!.outcome },
      { scenario: 'preflight-404', engine: 'firefox', from: null, to: 'blocked' },
      ...['chromium', 'firefox', 'webkit'].map((engine) => ({ scenario: WRONG.id, engine, from: null, to: 'allowed' })),
    ]));
    // This run selects a few scenarios (-g): a baseline scenario outside the selection is neither
    // changed nor gone (a full run would report acao-retired as gone).
    expect(m.subset).toBe(true);
    expect(m.changes!.filter((c) => c.scenario === 'acao-retired')).toEqual([]);
    expect(run.stdout).toContain('Δ acao-star [webkit]');
    expect(run.stdout).toContain(`✗ ${WRONG.id} [firefox]: expected blocked, saw allowed`);
    expect(fs.existsSync(path.join(run.reportDir, 'junit.xml'))).toBe(true);
  });

  test('every scenario is a row and every engine a column with browser, version and driver', async () => {
    const page = await open(path.join(run.reportDir, 'matrix.html'));
    const timing = await page.evaluate(() => { const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming; return n.loadEventEnd - n.startTime; });
    test.info().annotations.push({ type: 'load', description: `navigation to load event: ${timing.toFixed(0)} ms, ${fs.statSync(path.join(run.reportDir, 'matrix.html')).size} bytes` });
    expect(m.scenarios.length).toBeGreaterThan(3);
    await expect(visibleRows(page)).toHaveCount(m.scenarios.length);
    for (const s of m.scenarios) {
      const row = page.locator(`#matrix tr.row[id="s-${s.id}"]`);
      await expect(row).toContainText(s.id);
      await expect(row.locator('button.open')).toHaveCount(Object.keys(s.results).length);
    }
    for (const e of m.engines) {
      // Read back from every local engine (chrome:// pages, Firefox's profile, MiniBrowser's command line).
      expect(e.configuration, `${e.id}: ${e.notes}`).toBeDefined();
      expect(e.regime).toBe(e.id.endsWith('-users') ? 'users' : 'installed');
      // The head also says how the engine ran: its third-party cookie setting, read back from it (every setting on hover).
      const cookies = e.configuration ? `third-party cookies ${e.configuration.thirdPartyCookies.value.split(' (')[0]}` : 'configuration not read';
      const head = page.locator(`#matrix thead th[data-engine="${e.id}"]`);
      await expect(head).toHaveText(`${e.id}${e.browser} ${e.version}${e.driver}${cookies}`);
      if (e.configuration) await expect(head).toHaveAttribute('title', new RegExp(`third-party cookies: .*\\(${e.configuration.thirdPartyCookies.from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`));
    }
    await expect(page.locator('#summary')).toContainText(`${m.summary.scenarios} scenarios · ${m.summary.cells} cells · ${m.summary.matching} matching`);
    await expect(page.locator('#summary .verdict.fail')).toBeVisible();
    // Hostile values from the scenario are text, not markup.
    await expect(page.locator('#matrix b, #evidence script')).toHaveCount(0);
    // Outcomes in words, mismatches called out in words.
    const wrong = page.locator(`#matrix tr[id="s-${WRONG.id}"] td.cell`);
    await expect(wrong).toHaveCount(3);
    for (const td of await wrong.all()) await expect(td).toHaveText(/✔ allowed.*≠ expected blocked/);
    await page.close();
  });

  test('a click on a cell opens its evidence: request, what the target received and sent, every engine\'s message, reason and fix', async () => {
    const page = await open(path.join(run.reportDir, 'matrix.html'));
    const s = scenario('preflight-404');
    await page.locator('#s-preflight-404 button.open[data-engine="chromium"]').click();
    const ev = page.locator('#evidence');
    await expect(ev.locator('h2')).toHaveText('preflight-404 in chromium');
    await expect(page.locator('#s-preflight-404 td.cell[data-engine="chromium"]')).toHaveClass(/selected/);
    for (const heading of ['Verdict per engine', 'Why: the Fetch standard', 'What each engine said', 'Request the page made', 'What the target received', 'Headers the target sent']) {
      await expect(ev.locator('h3', { hasText: heading })).toBeVisible();
    }
    await expect(ev).toContainText(s.expected.reason);
    await expect(ev).toContainText(`Fix: ${s.expected.fix}`);
    await expect(ev.locator('dl.kv')).toContainText(`method${s.request.method}`);
    for (const [engine, c] of Object.entries(s.results)) {
      const said = ev.locator(`.side-by-side .per-engine[data-engine="${engine}"]`);
      await expect(said).toContainText(c!.message ? c!.message.split('\n')[0] : 'no console message');
      const received = ev.locator(`section:has(h3:text("What the target received")) .per-engine[data-engine="${engine}"]`);
      for (const r of c!.received) await expect(received).toContainText(`${r.method} ${r.path}`);
      if (c!.received[0]?.origin) await expect(received).toContainText(c!.received[0].origin);
      if (c!.received[0]?.accessControlRequestMethod) await expect(received).toContainText(`Access-Control-Request-Method: ${c!.received[0].accessControlRequestMethod}`);
    }
    await expect(ev).toContainText('no preflight handler: OPTIONS gets 404');
    await expect(ev.locator('.per-engine.sel')).toHaveCount(2); // the selected engine's message and its requests
    // The hostile header value of the wrong scenario shows as text.
    await page.locator(`#matrix tr[id="s-${WRONG.id}"] button.open[data-engine="webkit"]`).click();
    await expect(ev.locator('.hdrs', { hasText: /X-Hostile/ })).toContainText('<script>alert(1)</script>');
    await expect(ev.locator('.hdrs', { hasText: /X-Report/ })).toContainText('hostile <b>value</b>');
    // The close button empties the panel.
    await ev.locator('button.close').click();
    await expect(ev.locator('h2')).toHaveCount(0);
    await page.close();
  });

  test('the keyboard opens a cell with Enter, moves with the arrow keys, and Escape closes it', async () => {
    const page = await open(path.join(run.reportDir, 'matrix.html'));
    const first = page.locator('#s-acao-star button.open[data-engine="chromium"]');
    await first.focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.locator('#s-acao-star button.open[data-engine="firefox"]')).toBeFocused();
    await page.keyboard.press('ArrowDown');
    const below = m.scenarios[m.scenarios.findIndex((s) => s.id === 'acao-star') + 1];
    const target = page.locator(`#matrix tr[id="s-${below.id}"] button.open[data-engine="firefox"]`);
    await expect(target).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.locator('#evidence h2')).toHaveText(`${below.id} in firefox`);
    await expect(page.locator('#evidence h2')).toBeFocused();
    expect(new URL(page.url()).hash).toBe(`#${below.id}/firefox`);
    await page.keyboard.press('Escape');
    await expect(page.locator('#evidence h2')).toHaveCount(0);
    await expect(target).toBeFocused();
    // A link to a cell opens it.
    await page.goto(`file://${path.join(run.reportDir, 'matrix.html')}#acao-star/webkit`);
    await expect(page.locator('#evidence h2')).toHaveText('acao-star in webkit');
    await page.close();
  });

  test('each filter narrows the rows: category, mismatches, changed since baseline, free text, engines disagree', async () => {
    const page = await open(path.join(run.reportDir, 'matrix.html'));
    const total = m.scenarios.length;
    const count = page.locator('#f-count');

    await page.selectOption('#f-category', 'preflight-response');
    await expect(visibleRows(page)).toHaveCount(m.scenarios.filter((s) => s.category === 'preflight-response').length);
    await expect(page.locator('#matrix tbody[data-category="acao-format"]')).toBeHidden();
    await page.selectOption('#f-category', '');
    await expect(visibleRows(page)).toHaveCount(total);

    await page.check('#f-mismatch');
    const mismatching = m.scenarios.filter((s) => Object.values(s.results).some((c) => !c!.matchesExpected)).map((s) => s.id);
    expect(mismatching).toContain(WRONG.id);
    await expect(visibleRows(page)).toHaveCount(mismatching.length);
    await expect(count).toHaveText(`${mismatching.length} of ${total} scenarios`);
    await page.uncheck('#f-mismatch');

    await page.check('#f-changed');
    const changed = new Set(m.changes!.map((c) => c.scenario).filter((id) => m.scenarios.some((s) => s.id === id)));
    await expect(visibleRows(page)).toHaveCount(changed.size);
    expect(changed.size).toBeLessThan(total);
    await page.uncheck('#f-changed');
    await expect(page.locator('details.changes')).toContainText('preflight-404');

    await page.fill('#f-text', 'preflight-404');
    await expect(visibleRows(page)).toHaveCount(1);
    await page.fill('#f-text', 'X-Hostile'); // a header only the evidence holds
    await expect(visibleRows(page)).toHaveCount(1);
    await page.fill('#f-text', 'no such scenario anywhere');
    await expect(visibleRows(page)).toHaveCount(0);
    await expect(page.locator('#no-rows')).toBeVisible();
    await page.fill('#f-text', '');
    await expect(visibleRows(page)).toHaveCount(total);

    // Engines disagree: real engines agree on this selection, so flip one cell of the run's matrix.
    const varied = structuredClone(m);
    const c = varied.scenarios.find((s) => s.id === 'acao-star')!.results.firefox!;
    c.outcome = c.outcome === 'allowed' ? 'blocked' : 'allowed';
    const disagreeing = varied.scenarios.filter((s) => new Set(Object.values(s.results).map((x) => x!.outcome)).size > 1).map((s) => s.id);
    const file = path.join(run.reportDir, 'matrix-varied.html');
    fs.writeFileSync(file, renderMatrixHtml(varied));
    const page2 = await open(file);
    await page2.check('#f-disagree');
    await expect(visibleRows(page2)).toHaveCount(disagreeing.length);
    await expect(page2.locator('#s-acao-star')).toBeVisible();
    // Filters combine.
    await page2.selectOption('#f-category', 'preflight-response');
    await expect(visibleRows(page2)).toHaveCount(disagreeing.filter((id) => varied.scenarios.find((s) => s.id === id)!.category === 'preflight-response').length);
    await page2.close();
    await page.close();
  });

  test('printed, the matrix drops the controls and keeps the open evidence', async () => {
    const page = await open(path.join(run.reportDir, 'matrix.html'));
    await page.check('#f-mismatch');
    await page.locator(`#matrix tr[id="s-${WRONG.id}"] button.open[data-engine="firefox"]`).click();
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('#filters')).toBeHidden();
    await expect(page.locator('#f-print')).toHaveText(/Filtered \(\d+ of \d+ scenarios\): mismatches only/);
    await expect(page.locator('#matrix')).toBeVisible();
    await expect(page.locator('#evidence')).toBeVisible();
    await page.close();
  });

  test('a screenshot of the report with one evidence panel open, and no console error on any page', async () => {
    const page = await open(path.join(run.reportDir, 'matrix.html'));
    await page.locator(`#matrix tr[id="s-${WRONG.id}"] button.open[data-engine="webkit"]`).click();
    await page.locator('#matrix').evaluate((t) => t.scrollIntoView());
    await page.evaluate(() => window.scrollTo(0, 0));
    const shot = path.join(run.reportDir, 'matrix.png');
    await page.screenshot({ path: shot });
    expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
    await page.close();
    expect(problems).toEqual([]);
  });
});

// docs/matrix.png for the README, from a full run's report:
//   npx playwright test && DOCS_MATRIX_HTML=reports/out/matrix.html npx playwright test -c tests/playwright.config.ts --project=runs report.spec.ts -g docs
test.describe('docs screenshot', () => {
  test.skip(!process.env.DOCS_MATRIX_HTML, 'set DOCS_MATRIX_HTML=<a full run\'s matrix.html> to refresh docs/matrix.png');
  test('docs/matrix.png: summary, filters, a few categories and one open evidence panel at 1280x800', async () => {
    const file = path.resolve(process.env.DOCS_MATRIX_HTML!);
    const page = await open(file);
    // The recorded deviations filter brings rows of several categories on one screen.
    await page.check('#f-deviation');
    // Open a mismatch if there is one, else an engine blocking what the others allow, else the first cell.
    const choices = ['#matrix tr.row:visible td.cell.mismatch button.open', '#s-lna-public-to-loopback-denied button.open[data-engine="chromium"]', '#matrix tr.row:visible button.open'];
    for (const css of choices) {
      if (await page.locator(css).count()) { await page.locator(css).first().click(); break; }
    }
    await page.mouse.move(0, 0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(ROOT, 'docs', 'matrix.png') });
    await page.close();
    expect(problems).toEqual([]);
  });
});
