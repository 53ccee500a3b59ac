// Sharded runs: `--shard=i/n --reporter=blob` on n machines, then `merge-reports --config` writes
// the same matrix.json and matrix.html as one unsharded run of the same selection (only timings
// and the run's own ports differ), the same JUnit cases, and the same exit code.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { contractHoldsIn, mergeReports, startRun, tempDir } from './helpers.ts';
import type { Matrix } from '../../harness/model/types.ts';

test.describe.configure({ mode: 'serial' });

// About six scenarios: a leading space and the colon pin each id (titles read "category › id: title").
const SELECTION = ['-g', ' acao-star:| acao-mismatch:| preflight-404:| preflight-put:| cred-star:| shard-wrong-on-purpose:', '--workers=2'];
// One cell per engine that cannot match (ACAO * is readable; the file says blocked), so the exit code is tested too.
const WRONG = [{ id: 'shard-wrong-on-purpose', title: 'wrong on purpose', category: 'test',
  request: { api: 'fetch', method: 'GET', headers: {}, credentials: 'omit', body: null },
  response: { status: 200, headers: [['Access-Control-Allow-Origin', '*']], body: 'ok' }, expect: { outcome: 'blocked' } }];

const read = (dir: string): Matrix => JSON.parse(fs.readFileSync(path.join(dir, 'matrix.json'), 'utf8'));

/** What must not depend on how the run was cut: everything but timings and the run's own ports. */
function essence(m: Matrix) {
  return {
    engines: m.engines.map(({ notes: _where, ...e }) => e), // notes name this run's Xvfb display
    scenarios: m.scenarios.map((s) => ({
      id: s.id, category: s.category, expected: s.expected,
      cells: Object.fromEntries(Object.entries(s.results).map(([e, c]) => [e, { outcome: c!.outcome, stage: c!.stage, preflightSent: c!.preflightSent, actualSent: c!.actualSent, matchesExpected: c!.matchesExpected }])),
    })),
    summary: { ...m.summary, durationMs: 0 },
  };
}

/** The matrix as the HTML shows it: row ids in order, and each cell's visible outcome. */
function htmlCells(dir: string): string[] {
  const html = fs.readFileSync(path.join(dir, 'matrix.html'), 'utf8');
  return [...html.matchAll(/<tr class="row" data-i="\d+" id="s-([^"]+)">|<button type="button" class="open" data-i="\d+" data-engine="([^"]+)"[^>]*><span class="outcome"><i aria-hidden="true">.<\/i> (\w+)/g)]
    .map((x) => (x[1] ? `row ${x[1]}` : `${x[2]} ${x[3]}`));
}

const junitCases = (dir: string) => [...fs.readFileSync(path.join(dir, 'junit.xml'), 'utf8').matchAll(/<testcase name="([^"]+)" classname="[^"]*"/g)].map((x) => x[1]).sort();

test('two blob shards merged with --config write the matrix, JUnit and exit code of one unsharded run', async () => {
  test.setTimeout(720_000); // four child runs on a shared two-core machine (over 6 min at load 30)
  const work = tempDir('cors-shard-');
  const scenarios = path.join(work, 'wrong.json');
  fs.writeFileSync(scenarios, JSON.stringify(WRONG));
  const env = { CORS_SCENARIOS: scenarios };

  const shards = [];
  for (const i of [1, 2]) {
    // Each "machine" has its own blob folder (the blob reporter empties its folder when it starts).
    const run = await startRun([...SELECTION, `--shard=${i}/2`, '--reporter=blob'], { ...env, PLAYWRIGHT_BLOB_OUTPUT_DIR: path.join(work, `blob-${i}`), CORS_REPORT_DIR: path.join(work, `shard-${i}`) });
    expect(fs.readdirSync(path.join(work, `blob-${i}`)).filter((f) => f.endsWith('.zip')), run.stdout + run.stderr).toHaveLength(1);
    // With --reporter=blob only the blob is written; the matrix comes from the merge.
    expect(fs.existsSync(path.join(work, `shard-${i}`, 'matrix.json'))).toBe(false);
    shards.push(run);
  }
  expect(shards.some((r) => r.code === 1), 'the shard holding the wrong scenario fails').toBe(true);

  const all = path.join(work, 'all-blobs');
  fs.mkdirSync(all);
  for (const i of [1, 2]) for (const f of fs.readdirSync(path.join(work, `blob-${i}`))) fs.copyFileSync(path.join(work, `blob-${i}`, f), path.join(all, f));
  const merged = await mergeReports(['--config=playwright.config.ts', all], { ...env, CORS_REPORT_DIR: path.join(work, 'merged') });
  const plain = await startRun(SELECTION, { ...env, CORS_REPORT_DIR: path.join(work, 'plain') });

  expect(plain.code, plain.stdout + plain.stderr).toBe(1);
  expect(merged.code, `merge exits non-zero when a cell mismatches:\n${merged.stdout}${merged.stderr}`).toBe(1);
  expect(merged.stderr + merged.stdout).toContain('cors-matrix: the merged run failed: 3 of');

  const a = read(path.join(work, 'merged'));
  const b = read(path.join(work, 'plain'));
  expect(b.scenarios.length, 'the selection holds about six scenarios').toBeGreaterThanOrEqual(4);
  expect(a.engines.map((e) => e.id)).toEqual(b.engines.map((e) => e.id));
  expect(a.scenarios.map((s) => s.id), 'same scenarios, same order').toEqual(b.scenarios.map((s) => s.id));
  expect(essence(a)).toEqual(essence(b));
  contractHoldsIn(path.join(work, 'plain'));
  expect(a.summary.durationMs).toBeGreaterThan(0);
  expect(htmlCells(path.join(work, 'merged'))).toEqual(htmlCells(path.join(work, 'plain')));
  expect(htmlCells(path.join(work, 'plain')).length).toBe(b.scenarios.length * (1 + b.engines.length));
  expect(junitCases(path.join(work, 'merged'))).toEqual(junitCases(path.join(work, 'plain')));
  expect(merged.stdout).toMatch(/CORS matrix: \d+ scenarios × \d engines/);
  expect(merged.stdout).toContain('✗ shard-wrong-on-purpose [webkit]');
});
