// Report generation in isolation: the baseline diff, the scenario order of merged shards, escaping
// of hostile values in matrix.html, baseline input errors, and the terminal summary.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { buildMatrix, cellKey, cellsNotRun, diffBaseline, mergeIntoBaseline, mergeOrder, summarize } from '../../reports/matrix.ts';
import { renderMatrixHtml, scriptJson } from '../../reports/html.ts';
import { esc, wallTimeMs } from '../../reports/base.ts';
import MatrixReporter from '../../reports/matrix-reporter.ts';
import type { FullConfig, Suite, TestCase, TestResult } from '@playwright/test/reporter';
import { BaselineError, baselineSettings, baselineText, checkBaseline, parseBaseline, readBaseline } from '../../reports/baseline.ts';
import { terminalSummary } from '../../reports/summary.ts';
import { CELL_CONTENT_TYPE, type Cell, type CellRecord, type EngineId, type EngineInfo, type Matrix, type MatrixScenario, type Outcome } from '../../harness/model/types.ts';

const ENGINES: Record<EngineId, EngineInfo> = {
  chromium: { id: 'chromium', browser: 'Chromium', version: '156.0', driver: 'cdp' },
  firefox: { id: 'firefox', browser: 'Firefox ESR', version: '153.7.0', driver: 'webdriver-bidi' },
  webkit: { id: 'webkit', browser: 'WebKitGTK MiniBrowser', version: '2.50.6', driver: 'webdriver-classic' },
};

function cell(outcome: Outcome, over: Partial<Cell> = {}): Cell {
  return {
    outcome, stage: outcome === 'blocked' ? 'actual' : null, preflightSent: false, actualSent: true, status: outcome === 'allowed' ? 200 : null,
    exposedHeaders: null, message: null, requestHeaders: { origin: 'http://127.0.0.1:1', cookie: false }, matchesExpected: true, durationMs: 3,
    preflightCount: 0, actualCount: 1, expectedBy: 'oracle',
    received: [{ method: 'GET', path: '/c/k/0', origin: 'http://127.0.0.1:1', accessControlRequestMethod: null, accessControlRequestHeaders: null, cookie: false, cookies: [], referer: null, isPreflight: false, answered: true, server: 'target' }],
    cookiesReceived: [],
    ...over,
  };
}

function scenario(id: string, category: string, results: Partial<Record<EngineId, Cell>>, over: Partial<MatrixScenario> = {}): MatrixScenario {
  return {
    id, category, title: `title of ${id}`, source: 'builtin',
    expected: { outcome: 'allowed', preflight: false, reason: `reason for ${id}`, fix: `fix for ${id}` },
    request: { api: 'fetch', method: 'GET', headers: {}, credentials: 'omit', body: null },
    preflight: null,
    response: { status: 200, headers: [['Access-Control-Allow-Origin', '*']], body: 'ok' },
    results, ...over,
  };
}

function matrix(scenarios: MatrixScenario[], over: Partial<Matrix> = {}): Matrix {
  const records: CellRecord[] = scenarios.flatMap((s) => Object.entries(s.results).map(([e, c]) => ({ scenario: { ...s, results: {} }, engine: ENGINES[e as EngineId], cell: c! })));
  return { ...buildMatrix(records, scenarios.map((s) => s.id), 1234, new Date('2026-11-25T12:00:00Z')), ...over };
}

const all = (o: Outcome): Partial<Record<EngineId, Cell>> => ({ chromium: cell(o), firefox: cell(o), webkit: cell(o) });

test.describe('baseline diff', () => {
  const before = matrix([scenario('a', 'x', all('allowed')), scenario('b', 'x', all('blocked')), scenario('gone', 'y', { chromium: cell('allowed') })]);

  test('an unchanged run has no changes', () => {
    expect(diffBaseline(before, before)).toEqual([]);
  });

  test('lists every changed, new and vanished cell, sorted by scenario and engine', () => {
    const after = matrix([
      scenario('a', 'x', { ...all('allowed'), webkit: cell('blocked') }), // changed
      scenario('b', 'x', { chromium: cell('blocked'), firefox: cell('blocked') }), // webkit cell vanished
      scenario('fresh', 'y', { firefox: cell('error') }), // new scenario
    ]);
    expect(diffBaseline(before, after)).toEqual([
      { scenario: 'a', engine: 'webkit', from: 'allowed', to: 'blocked' },
      { scenario: 'b', engine: 'webkit', from: 'blocked', to: null },
      { scenario: 'fresh', engine: 'firefox', from: null, to: 'error' },
      { scenario: 'gone', engine: 'chromium', from: 'allowed', to: null },
    ]);
  });

  test('a baseline file without this run\'s comparison, parsed back, diffs as the matrix did', () => {
    const withChanges = { ...before, changes: [{ scenario: 'a', engine: 'webkit', from: 'allowed' as const, to: 'blocked' as const }] };
    const text = baselineText(withChanges);
    expect(JSON.parse(text).changes).toBeUndefined();
    expect(diffBaseline(parseBaseline(text, 'b.json'), before)).toEqual([]);
  });
});

test.describe('a selection: part of the catalogue, or a run cut short', () => {
  const base = matrix([scenario('a', 'x', all('allowed')), scenario('b', 'x', all('blocked')), scenario('c', 'y', all('allowed'))]);
  const keys = (...pairs: Array<[string, EngineId]>) => new Set(pairs.map(([s, e]) => cellKey(s, e)));

  test('a baseline cell outside the selection is neither changed nor gone', () => {
    // --project=chromium: the run holds only chromium cells, one of them flipped.
    const run = matrix([scenario('a', 'x', { chromium: cell('blocked') }), scenario('b', 'x', { chromium: cell('blocked') }), scenario('c', 'y', { chromium: cell('allowed') })]);
    const selected = keys(['a', 'chromium'], ['b', 'chromium'], ['c', 'chromium']);
    expect(diffBaseline(base, run, selected)).toEqual([{ scenario: 'a', engine: 'chromium', from: 'allowed', to: 'blocked' }]);
    expect(diffBaseline(base, run).filter((c) => c.to === null)).toHaveLength(6); // what it said before: every other cell "gone"
  });

  test('a selected cell that did not run is not run, never gone; a selected cell new to the baseline is new', () => {
    const run = matrix([scenario('a', 'x', { firefox: cell('allowed') }), scenario('fresh', 'z', { firefox: cell('error') })]);
    const selected = keys(['a', 'firefox'], ['b', 'firefox'], ['fresh', 'firefox']);
    expect(diffBaseline(base, run, selected)).toEqual([{ scenario: 'fresh', engine: 'firefox', from: null, to: 'error' }]);
    expect(cellsNotRun(selected, run)).toEqual([cellKey('b', 'firefox')]);
  });

  test('merging a subset replaces its cells, adds new ones, keeps every other cell and scenario, and recounts', () => {
    const run = matrix([
      scenario('b', 'x', { webkit: cell('allowed', { matchesExpected: false }) }),
      scenario('fresh', 'z', { webkit: cell('error') }),
    ]);
    run.engines = [{ ...ENGINES.webkit, version: '2.52.0' }];
    const merged = mergeIntoBaseline(base, run, keys(['b', 'webkit'], ['fresh', 'webkit']));
    expect(merged.scenarios.map((s) => s.id), 'the baseline\'s order, a new scenario after its neighbours').toEqual(['a', 'b', 'c', 'fresh']);
    expect(merged.scenarios[0]).toEqual(base.scenarios[0]);
    expect(merged.scenarios[1].results.webkit!.outcome).toBe('allowed');
    expect(merged.scenarios[1].results.chromium).toEqual(base.scenarios[1].results.chromium);
    expect(merged.scenarios[2]).toEqual(base.scenarios[2]);
    expect(Object.keys(merged.scenarios[3].results)).toEqual(['webkit']);
    expect(merged.engines.map((e) => `${e.id} ${e.version}`)).toEqual(['chromium 156.0', 'firefox 153.7.0', 'webkit 2.52.0']);
    expect(merged.summary).toEqual(summarize(merged.scenarios, run.summary.durationMs));
    expect(merged.summary).toMatchObject({ scenarios: 4, cells: 10, mismatching: 1, errors: 1, notRun: 0 });
    expect({ complete: merged.complete, subset: merged.subset }).toEqual({ complete: true, subset: false });
    // Nothing of the merge leaks into the baseline it came from.
    expect(base.scenarios[1].results.webkit!.outcome).toBe('blocked');
  });

  test('the summary counts cells the way buildMatrix does, with the cells not run', () => {
    expect(summarize(base.scenarios, 5, 2)).toEqual({ ...base.summary, durationMs: 5, notRun: 2 });
  });

  test('an interrupted matrix says so first, in plain words, in the terminal and in the HTML', () => {
    const cut = { ...matrix([scenario('a', 'x', { chromium: cell('allowed') })]), complete: false };
    cut.summary.notRun = 5;
    const text = terminalSummary(cut, [], '/tmp/out', { file: 'base.json', kind: 'refused', notRun: 5 });
    expect(text.split('\n')[1]).toBe('interrupted: 5 cells not run. This matrix is incomplete; the baseline was not written.');
    expect(text).toContain('baseline not written: the run was incomplete (5 cells not run); base.json is unchanged.');
    expect(text).toContain('FAILED: interrupted, 5 cells not run.');
    const html = renderMatrixHtml(cut);
    expect(html.indexOf('interrupted: 5 cells not run.')).toBeLessThan(html.indexOf('<h1>'));
    expect(html).toContain('✖</span> 5 not run');
    expect(renderMatrixHtml(base)).not.toContain('role="alert"');
  });
});

test.describe('scenario order', () => {
  test('one project per engine keeps the catalogue order', () => {
    expect(mergeOrder([['a', 'b', 'c'], ['a', 'b', 'c']])).toEqual(['a', 'b', 'c']);
  });

  test('shards replayed by merge-reports, each a contiguous part, give the catalogue order back', () => {
    // Shard 1: chromium a..e, firefox a..b; shard 2: firefox c..e, webkit a..e (the blobs' project order).
    expect(mergeOrder([['a', 'b', 'c', 'd', 'e'], ['a', 'b'], ['c', 'd', 'e'], ['a', 'b', 'c', 'd', 'e']])).toEqual(['a', 'b', 'c', 'd', 'e']);
    // A shard that starts mid-catalogue, seen before the one holding the start.
    expect(mergeOrder([['d', 'e'], ['a', 'b', 'c', 'd', 'e']])).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(mergeOrder([['c'], ['a', 'b'], ['b', 'c', 'd']])).toEqual(['a', 'b', 'c', 'd']);
    // Contradicting lists cannot come from one catalogue; the order still holds every id once.
    expect(mergeOrder([['a', 'b'], ['b', 'a']])).toEqual(['a', 'b']);
  });

  test('buildMatrix keeps one cell per scenario and engine, the last one recorded', () => {
    const s = scenario('a', 'x', {});
    const m = buildMatrix([
      { scenario: s, engine: ENGINES.webkit, cell: cell('blocked') },
      { scenario: s, engine: ENGINES.chromium, cell: cell('allowed') },
      { scenario: s, engine: ENGINES.webkit, cell: cell('allowed') },
    ], ['a'], 10);
    expect(m.engines.map((e) => e.id)).toEqual(['chromium', 'webkit']);
    expect(m.summary).toMatchObject({ scenarios: 1, cells: 2 });
    expect(m.scenarios[0].results.webkit!.outcome).toBe('allowed');
  });
});

test.describe('matrix.html', () => {
  const HOSTILE = '<script>alert(1)</script>';

  test('a hostile header value, title, message or source shows as text, never as markup', () => {
    const s = scenario('hostile', 'acao-format', {
      chromium: cell('blocked', { message: `blocked: ${HOSTILE}`, matchesExpected: false }),
      firefox: cell('allowed', { exposedHeaders: { 'x-evil': HOSTILE } }),
      webkit: cell('allowed', { expectedBy: 'deviation' }),
    }, {
      title: `ACAO ${HOSTILE}`,
      request: { api: 'fetch', method: 'GET', headers: { 'X-Test': HOSTILE }, credentials: 'omit', body: HOSTILE },
      preflight: { status: 204, headers: [['Access-Control-Allow-Headers', HOSTILE]] },
      response: { status: 200, headers: [['Access-Control-Allow-Origin', HOSTILE], ['X-"quote"', '" onmouseover="alert(2)']], body: HOSTILE },
      deviations: { webkit: { outcome: 'allowed', source: `javascript:alert(3) ${HOSTILE}`, note: HOSTILE } },
    });
    const html = renderMatrixHtml(matrix([s], { changes: [{ scenario: `</script>${HOSTILE}`, engine: 'webkit', from: 'allowed', to: null }] }));
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('</script><script>');
    expect(html).toContain('&quot; onmouseover=&quot;alert(2)');
    expect(html).not.toContain('href="javascript:');
    // The page's own scripts are the only two <script> elements.
    expect(html.match(/<script[\s>]/g)).toHaveLength(2);
  });

  test('data for the page script cannot end its <script> element', () => {
    const json = scriptJson({ id: `</script><!-- ${HOSTILE} \u2028` });
    expect(json).not.toContain('<');
    expect(JSON.parse(json)).toEqual({ id: `</script><!-- ${HOSTILE} \u2028` });
  });

  test('esc covers the five HTML metacharacters', () => {
    expect(esc(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(esc(null)).toBe('');
  });

  test('every scenario is a row, grouped by category, every engine a column with browser, version and driver', () => {
    const m = matrix([scenario('a', 'acao-format', all('allowed')), scenario('b', 'credentials', all('blocked')), scenario('c', 'acao-format', all('allowed'))]);
    const html = renderMatrixHtml(m);
    for (const id of ['a', 'b', 'c']) expect(html).toContain(`id="s-${id}"`);
    for (const e of Object.values(ENGINES)) expect(html).toContain(`<span class="eid">${e.id}</span><span class="browser">${esc(e.browser)} ${e.version}</span><span class="driver">${e.driver}</span>`);
    expect(html.match(/<tbody data-category=/g)).toHaveLength(2);
    expect(html).toContain('✔</i> allowed');
    expect(html).toContain('✖</i> blocked');
    // No baseline: the filter is there but disabled, and says why.
    expect(html).toMatch(/<input type="checkbox" id="f-changed" disabled> changed since baseline <span class="n">\(no baseline\)/);
    // Self-contained: no external resource.
    expect(html).not.toMatch(/<(link|img|iframe)\b|\bsrc=|@import|url\(/);
  });

  test('a mismatch, a recorded deviation and a change stand out in the cell, in words', () => {
    const s = scenario('a', 'x', {
      chromium: cell('blocked', { matchesExpected: false }),
      firefox: cell('blocked', { expectedBy: 'deviation' }),
      webkit: cell('allowed'),
    }, { deviations: { firefox: { outcome: 'blocked', source: 'https://bugzilla.mozilla.org/show_bug.cgi?id=1' } } });
    const html = renderMatrixHtml(matrix([s], { changes: [{ scenario: 'a', engine: 'webkit', from: 'blocked', to: 'allowed' }] }));
    expect(html).toMatch(/class="cell blocked mismatch"[^]*?≠<\/i> expected allowed/);
    expect(html).toMatch(/class="cell blocked match deviation"[^]*?◆<\/i> deviation/);
    expect(html).toMatch(/class="cell allowed match changed"[^]*?Δ<\/i> was blocked/);
    expect(html).toContain('<a href="https://bugzilla.mozilla.org/show_bug.cgi?id=1" rel="noreferrer noopener">');
    expect(html).toContain('1 cell changed since the baseline');
  });
});

test('a faults scenario expects error, never a CORS decision, and says so in the Expected column', () => {
  const s = scenario('fault-hang', 'faults', { chromium: cell('error', { cause: 'no answer within 5000 ms' }), webkit: cell('allowed', { matchesExpected: false }) },
    { expected: { outcome: 'allowed', preflight: false, reason: 'transport fault (hang)', fix: 'Nothing to change', error: true } });
  const html = renderMatrixHtml(matrix([s]));
  expect(html).toContain('<td class="expected error"><i aria-hidden="true">⚠</i> error<small>transport fault; CORS would say allowed</small>');
  expect(html).toMatch(/class="cell allowed mismatch"[^]*?≠<\/i> expected error/);
  expect(terminalSummary(matrix([s]), [], '/tmp')).toContain('✗ fault-hang [webkit]: expected error, saw allowed');
});

test.describe('baseline input', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-baseline-'));

  test('a missing file names the file and how to create it, in one line', () => {
    const file = path.join(dir, 'missing.json');
    expect(() => readBaseline(file)).toThrow(BaselineError);
    try { readBaseline(file); } catch (e) {
      expect((e as Error).message).toContain(file);
      expect((e as Error).message).toContain('CORS_UPDATE_BASELINE=1');
      expect((e as Error).message).not.toContain('\n');
    }
  });

  test('invalid JSON, a wrong schema and a bad outcome name the file and the field', () => {
    expect(() => parseBaseline('{"schema": ', 'base.json')).toThrow(/^CORS_BASELINE base\.json: is not valid JSON/);
    expect(() => parseBaseline('{"schema":"cors-policy/1","scenarios":[]}', 'base.json')).toThrow(/field "schema": is "cors-policy\/1", expected "cors-matrix\/1"/);
    expect(() => parseBaseline('{"schema":"cors-matrix/1","scenarios":[{"id":"a","results":{"webkit":{"outcome":"maybe"}}}]}', 'base.json'))
      .toThrow(/field "scenarios\[0\]\.results\.webkit\.outcome": is "maybe"\. Fix: use one of: allowed, blocked, error/);
  });

  test('CORS_UPDATE_BASELINE=1 needs CORS_BASELINE, and may replace a missing or broken file', () => {
    expect(() => baselineSettings({ CORS_UPDATE_BASELINE: '1' })).toThrow(/needs a file to write/);
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, 'not json');
    expect(checkBaseline({ CORS_UPDATE_BASELINE: '1', CORS_BASELINE: broken })).toEqual({ settings: { file: broken, update: true }, baseline: null });
    expect(() => checkBaseline({ CORS_BASELINE: broken })).toThrow(BaselineError);
    expect(checkBaseline({})).toEqual({ settings: { file: null, update: false }, baseline: null });
  });
});

test('the terminal summary counts per category and engine, then says why each mismatch happened and how to fix it', () => {
  const m = matrix([
    scenario('acao-x', 'acao-format', { chromium: cell('allowed'), firefox: cell('blocked', { matchesExpected: false, message: 'CORS header missing\nsecond line' }), webkit: cell('error', { matchesExpected: false, cause: 'timeout' }) }),
    scenario('cred-y', 'credentials', all('allowed')),
  ], { changes: [{ scenario: 'cred-y', engine: 'webkit', from: 'blocked', to: 'allowed' }] });
  const out = terminalSummary(m, [], '/tmp/out');
  expect(out).toMatch(/acao-format \(1\)\s+1\/1\s+0\/1 ✗1\s+0\/1 ✗1 ⚠1/);
  expect(out).toMatch(/credentials \(1\)\s+1\/1\s+1\/1\s+1\/1/);
  expect(out).toContain('✗ acao-x [firefox]: expected allowed, saw blocked at the actual request');
  expect(out).toContain('why: reason for acao-x');
  expect(out).toContain('fix: fix for acao-x');
  expect(out).toContain('firefox said: CORS header missing');
  expect(out).not.toContain('second line');
  expect(out).toContain('cause: timeout');
  expect(out).toContain('Δ cred-y [webkit]: blocked -> allowed');
  expect(out).toContain('FAILED: 2 cells do not match, 1 cells changed since the baseline.');
});

test.describe('the run\'s duration', () => {
  test('is the run\'s wall time from Playwright, or the reporter\'s own clock when Playwright gives no span', () => {
    expect(wallTimeMs({ duration: 40_000.4 }, 0, 999_999)).toBe(40_000);
    // A merge of blobs without an end event: Playwright's span is negative.
    expect(wallTimeMs({ duration: -1e13 }, 1_000, 41_000)).toBe(40_000);
    expect(wallTimeMs({ duration: Number.NaN }, 1_000, 41_000)).toBe(40_000);
  });

  /** Feed the reporter two cells of 30 s each from a run that took 40 s, with stdout and stderr captured. */
  async function run(options: ConstructorParameters<typeof MatrixReporter>[0]) {
    const said: string[] = [];
    const out = process.stdout.write;
    const err = process.stderr.write;
    process.stdout.write = process.stderr.write = ((chunk: string) => { said.push(String(chunk)); return true; }) as typeof process.stdout.write;
    try {
      const reporter = new MatrixReporter(options);
      reporter.onBegin({} as FullConfig, { suites: [] } as unknown as Suite);
      for (const engine of ['chromium', 'firefox'] as const) {
        const record: CellRecord = { scenario: scenario('acao-star', 'acao', {}), engine: ENGINES[engine], cell: cell('allowed', { durationMs: 30_000 }) };
        const attachment = { name: 'cell', contentType: CELL_CONTENT_TYPE, body: Buffer.from(JSON.stringify(record)) };
        reporter.onTestEnd({ annotations: [], titlePath: () => [] } as unknown as TestCase, { status: 'passed', attachments: [attachment] } as unknown as TestResult);
      }
      const status = await reporter.onEnd({ status: 'passed', startTime: new Date(), duration: 40_000 });
      return { status, said: said.join('') };
    } finally {
      process.stdout.write = out;
      process.stderr.write = err;
    }
  }

  test('matrix.json holds the wall time, not the sum of the cells\' times, and the HTML says it is wall time', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-wall-'));
    const { status } = await run({ outputDir: dir });
    expect(status).toBeUndefined();
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'matrix.json'), 'utf8')) as Matrix;
    expect(m.summary.durationMs).toBe(40_000);
    expect(fs.readFileSync(path.join(dir, 'matrix.html'), 'utf8')).toContain('40.0 s wall time');
  });

  test('a baseline the reporter cannot use fails the run with its message and writes no report, without exiting', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-wall-'));
    const missing = path.join(dir, 'none.json');
    const { status, said } = await run({ outputDir: dir, baseline: missing });
    expect(status).toEqual({ status: 'failed' });
    expect(said).toContain(`cors-matrix: CORS_BASELINE ${missing}: no such file`);
    expect(fs.existsSync(path.join(dir, 'matrix.json'))).toBe(false);
  });
});
