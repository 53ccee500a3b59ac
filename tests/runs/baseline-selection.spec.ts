// Runs that do not cover the whole baseline: a run cut short (SIGINT to the process group, as
// Ctrl-C sends it, or SIGTERM, as a cancelled CI job does) never touches the baseline and says it
// is incomplete; a run of one project, one grep or one shard compares, and updates, only the cells
// it selected.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { leftovers, startRun, tempDir, type RunResult } from './helpers.ts';
import type { Matrix, Outcome } from '../../harness/model/types.ts';

test.describe.configure({ mode: 'serial' });

// Three scenarios; a leading space and the colon pin each id (titles read "category › id: title").
const GREP = ' acao-star:| preflight-put:| cred-star:';
const SELECTION = ['-g', GREP, '--workers=3'];

const work = tempDir('cors-selection-');
const full = path.join(work, 'full.json');
const read = (file: string): Matrix => JSON.parse(fs.readFileSync(file, 'utf8'));
const report = (run: RunResult): Matrix => read(path.join(run.reportDir, 'matrix.json'));
const say = (run: RunResult) => `exit ${run.code} (signal ${run.signal})\n${run.stdout}\n${run.stderr}`;

/** A copy of the full baseline, with `edit` applied, under a new name. */
function baselineCopy(name: string, edit: (m: Matrix) => void = () => {}): string {
  const m = read(full);
  edit(m);
  const file = path.join(work, name);
  fs.writeFileSync(file, JSON.stringify(m, null, 2) + '\n');
  return file;
}

const outcomeOf = (m: Matrix, scenario: string, engine: string): Outcome | undefined =>
  m.scenarios.find((s) => s.id === scenario)?.results[engine as 'chromium']?.outcome;

test.beforeAll(async () => {
  test.setTimeout(300_000); // child runs of one engine: over 2 min seen at load 20
  const run = await startRun(SELECTION, { CORS_BASELINE: full, CORS_UPDATE_BASELINE: '1' });
  expect(run.code, say(run)).toBe(0);
  const m = read(full);
  expect(m.summary.cells, 'three scenarios in three engines').toBe(9);
  expect({ complete: m.complete, subset: m.subset }).toEqual({ complete: true, subset: true });
  expect(run.stdout).toContain(`Baseline written to ${full} with only this subset run's 9 cells (no previous baseline)`);
});

// A scenario that hangs for a minute, last in the run (a custom file's scenarios follow the
// catalogue, and tests run in order): the cells before it finish, then the run waits on it, so a
// signal sent after the first cells always lands mid-run.
const HANG = [{ id: 'zz-hang-until-interrupted', title: 'hangs until the run is interrupted', category: 'test',
  request: { api: 'fetch', method: 'GET' },
  response: { status: 200, headers: [['Access-Control-Allow-Origin', '*']], body: 'ok', fault: 'hang' }, expect: { error: true } }];

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} to the process group mid-run with CORS_UPDATE_BASELINE=1 leaves the baseline byte-identical and writes a report marked incomplete`, async () => {
    test.setTimeout(300_000); // child runs of one engine: over 2 min seen at load 20
    const baseline = baselineCopy(`before-${signal}.json`);
    const before = fs.readFileSync(baseline);
    const scenarios = path.join(work, 'hang.json');
    fs.writeFileSync(scenarios, JSON.stringify(HANG));
    let sent = false;
    // The list reporter prints a line as each test ends; after two, cells exist and the hang is pending.
    const run = await startRun(['-g', `${GREP}| zz-hang-until-interrupted:`, '--project=chromium', '--reporter=list,./reports/matrix-reporter.ts'], {
      CORS_BASELINE: baseline, CORS_UPDATE_BASELINE: '1', CORS_SCENARIOS: scenarios, CORS_PROBE_TIMEOUT_MS: '60000',
    }, (out, child) => {
      if (sent || (out.match(/✓/g) ?? []).length < 2) return;
      sent = true;
      process.kill(-child.pid!, signal);
    });
    test.info().annotations.push({ type: 'exit', description: `${signal}: code ${run.code}, signal ${run.signal}` });
    // npx exits at once on SIGTERM (it waits on SIGINT): the runner writes its report after, so wait for it to end.
    expect(await leftovers(run.marker, 30_000)).toEqual([]);
    expect(sent, say(run)).toBe(true);
    expect(run.code, `a signalled run never exits 0: ${say(run)}`).not.toBe(0);
    expect(fs.readFileSync(baseline).equals(before), 'the baseline is byte-identical').toBe(true);
    const m = report(run);
    expect(m.complete).toBe(false);
    expect(m.summary.notRun, say(run)).toBeGreaterThan(0);
    expect(m.summary.cells + m.summary.notRun).toBe(4);
    if (signal === 'SIGINT') {
      // npx waited for the runner, so its output is all here (after SIGTERM it is not, see above).
      const top = run.stdout.slice(run.stdout.indexOf('\ninterrupted:'));
      expect(top, 'the summary opens with it').toMatch(new RegExp(`^\\ninterrupted: ${m.summary.notRun} cells not run\\.`));
      expect(run.stdout).toContain(`baseline not written: the run was incomplete (${m.summary.notRun} cells not run); ${baseline} is unchanged.`);
    }
    const html = fs.readFileSync(path.join(run.reportDir, 'matrix.html'), 'utf8');
    expect(html).toContain(`interrupted: ${m.summary.notRun} cell${m.summary.notRun === 1 ? '' : 's'} not run.`);
  });
}

test('--project=chromium against a full baseline: no change when nothing changed, exactly the flipped cell when one was flipped', async () => {
  test.setTimeout(300_000); // child runs of one engine: over 2 min seen at load 20
  const same = await startRun([...SELECTION, '--project=chromium'], { CORS_BASELINE: full });
  expect(same.code, say(same)).toBe(0);
  const m = report(same);
  expect(m.changes, 'no Firefox or WebKitGTK cell counts as gone').toEqual([]);
  expect({ complete: m.complete, subset: m.subset, notRun: m.summary.notRun }).toEqual({ complete: true, subset: true, notRun: 0 });
  expect(same.stdout).toContain('No cell changed since the baseline (only the cells this subset run selected are compared).');

  const seen = outcomeOf(read(full), 'acao-star', 'chromium')!;
  const other: Outcome = seen === 'allowed' ? 'blocked' : 'allowed';
  const flipped = baselineCopy('flipped.json', (b) => { b.scenarios.find((s) => s.id === 'acao-star')!.results.chromium!.outcome = other; });
  const run = await startRun([...SELECTION, '--project=chromium'], { CORS_BASELINE: flipped });
  expect(run.code, say(run)).toBe(1);
  expect(report(run).changes).toEqual([{ scenario: 'acao-star', engine: 'chromium', from: other, to: seen }]);
});

test('a --grep update replaces its own cells and keeps every other cell of the baseline', async () => {
  test.setTimeout(300_000); // child runs of one engine: over 2 min seen at load 20
  const baseline = baselineCopy('grep-update.json');
  const before = read(baseline);
  const run = await startRun(['-g', ' preflight-put:', '--workers=3'], { CORS_BASELINE: baseline, CORS_UPDATE_BASELINE: '1' });
  expect(run.code, say(run)).toBe(0);
  expect(run.stdout).toContain(`Baseline written to ${baseline}: this subset run's 3 cells merged in, every other cell kept (0 cells differ from the previous baseline).`);
  const after = read(baseline);
  expect(after.scenarios.map((s) => s.id)).toEqual(before.scenarios.map((s) => s.id));
  for (const s of before.scenarios.filter((x) => x.id !== 'preflight-put')) {
    expect(after.scenarios.find((x) => x.id === s.id), `${s.id} is kept as it was`).toEqual(s);
  }
  const put = after.scenarios.find((s) => s.id === 'preflight-put')!;
  expect(Object.keys(put.results).sort()).toEqual(['chromium', 'firefox', 'webkit']);
  expect(put.results.chromium, 'the cell is this run\'s').not.toEqual(before.scenarios.find((s) => s.id === 'preflight-put')!.results.chromium);
  expect(after.summary.cells).toBe(9);
});

test('one shard against the baseline compares only its own cells', async () => {
  test.setTimeout(300_000); // child runs of one engine: over 2 min seen at load 20
  const run = await startRun([...SELECTION, '--shard=1/2'], { CORS_BASELINE: full });
  const m = report(run);
  expect(m.summary.cells, 'the shard holds part of the selection').toBeLessThan(9);
  expect(m.summary.cells).toBeGreaterThan(0);
  expect(m.changes, `the other shard's cells are not "gone": ${say(run)}`).toEqual([]);
  expect({ complete: m.complete, subset: m.subset }).toEqual({ complete: true, subset: true });
  expect(run.code, say(run)).toBe(0);
});
