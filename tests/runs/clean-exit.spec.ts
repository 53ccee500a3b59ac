// The harness leaves no Xvfb, WebKitWebDriver, browser or server process behind: after a normal
// run, after a run whose checks fail, and after Ctrl-C (SIGINT to the process group) or SIGTERM.
// Ctrl-C at any moment ends the run within 10 s: at start-up, while the engines launch, mid-run,
// and after the last cell while the workers stop and the reports are written.
import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { test, expect } from '@playwright/test';
import { startRun, leftovers, leftoverTemp, tempDir, processesWithMarker, type RunResult } from './helpers.ts';
import type { Matrix } from '../../harness/model/types.ts';

test.describe.configure({ mode: 'serial' });
const FEW = ['-g', '› (acao-star|preflight-put):', '--workers=3'];

test('a normal run in all three engines leaves no process behind', async () => {
  const run = await startRun(FEW);
  expect(run.code, run.stdout + run.stderr).toBe(0);
  expect(run.stdout).toMatch(/6 passed/);
  expect(await leftovers(run.marker)).toEqual([]);
  expect(await leftoverTemp(run)).toEqual([]);
});

test('a run whose checks fail leaves no process behind and exits non-zero', async () => {
  const dir = tempDir('cors-fail-');
  const file = path.join(dir, 'wrong.json');
  // Deliberately wrong expectation: ACAO * is allowed, the file says blocked.
  fs.writeFileSync(file, JSON.stringify([{ id: 'wrong-expectation', title: 'wrong on purpose', category: 'test',
    request: { api: 'fetch', method: 'GET', headers: {}, credentials: 'omit', body: null },
    response: { status: 200, headers: [['Access-Control-Allow-Origin', '*']], body: 'ok' }, expect: { outcome: 'blocked' } }]));
  const run = await startRun(['--workers=3'], { CORS_SCENARIOS: file, CORS_SCENARIOS_ONLY: '1' });
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/wrong-expectation/);
  expect(await leftovers(run.marker)).toEqual([]);
  expect(await leftoverTemp(run)).toEqual([]);
});

/** Start a full run and, once the WebKit engine is up, do `act` to it; returns the run and what was running. */
async function interrupt(act: (child: ChildProcess, running: Array<{ pid: number; cmd: string }>) => void) {
  let armed = false;
  let during: Array<{ pid: number; cmd: string }> = [];
  // WebKit first (its Xvfb and WebKitWebDriver are the processes most likely to be orphaned), with
  // Chromium and Firefox running beside it; a slice of the catalogue keeps the run short.
  const run = await startRun(['--workers=3', '--project=webkit', '--project=chromium', '--project=firefox', '-g', '› (acao|cred|preflight-status)'], {}, (out, child, marker) => {
    if (armed || !/\[webkit\]/.test(out)) return;
    armed = true;
    // Wait (bounded) until the WebKit engine is up, then act.
    const deadline = Date.now() + 30_000;
    const poll = setInterval(() => {
      during = processesWithMarker(marker);
      const up = during.some((p) => /Xvfb/.test(p.cmd)) && during.some((p) => /MiniBrowser/.test(p.cmd));
      if (up || Date.now() > deadline) { clearInterval(poll); act(child, during); }
    }, 100);
  });
  // The marker finds the run's processes: proof that the leftover check can see them.
  const cmds = during.map((p) => p.cmd).join('\n');
  expect(during.some((p) => /Xvfb/.test(p.cmd)), cmds).toBe(true);
  expect(during.some((p) => /MiniBrowser/.test(p.cmd)), cmds).toBe(true);
  return run;
}

// One scenario per engine, then one that hangs until the run is interrupted (a custom file's
// scenarios follow the catalogue's): a signal after the first cell always lands mid-run.
const HANG = [{ id: 'zz-hang-until-interrupted', title: 'hangs until the run is interrupted', category: 'test',
  request: { api: 'fetch', method: 'GET' },
  response: { status: 200, headers: [['Access-Control-Allow-Origin', '*']], body: 'ok', fault: 'hang' }, expect: { error: true } }];
const ENGINE_PROCESS = /chromium|firefox|MiniBrowser|WebKitWebDriver|Xvfb/;
const TEST_LINE = /^\s+[✓✘-]\s+\d+ \[/gm;

interface Moment {
  name: string;
  /** Whether cells are still to run when the signal comes (after the last one, none are). */
  cut: boolean;
  /** Scenarios selected (-g): the hang keeps the run going until the signal, except after the last cell. */
  grep: string;
  /** Called on every chunk of output and every 50 ms: true when the signal should go now. */
  now(out: string, marker: string, startedAt: number): boolean;
  /** Done to the run just before the signal. */
  before?(marker: string): void;
}

/** Playwright's worker processes of a run (a test may know the file they run). */
const workersOf = (marker: string) => processesWithMarker(marker).filter((p) => /workerProcessEntry/.test(p.cmd));

const MOMENTS: Moment[] = [
  { name: 'at start-up, before any engine launches', cut: true, grep: ' acao-star:| zz-hang-until-interrupted:',
    now: (_out, _marker, startedAt) => Date.now() - startedAt >= 1000 },
  { name: 'while the engines launch', cut: true, grep: ' acao-star:| zz-hang-until-interrupted:',
    now: (_out, marker) => processesWithMarker(marker).some((p) => ENGINE_PROCESS.test(p.cmd)) },
  { name: 'mid-run, after the first cell', cut: true, grep: ' acao-star:| zz-hang-until-interrupted:',
    now: (out) => (out.match(TEST_LINE) ?? []).length >= 1 },
  // The list reporter prints a test's line as it ends: after the third, the workers are stopping.
  { name: 'after the last cell, while the workers stop and the reports are written', cut: false, grep: ' acao-star:',
    now: (out) => (out.match(TEST_LINE) ?? []).length >= 3 },
  // Workers that never answer their stop, as one Playwright forks while it is stopping never hears
  // of it: Playwright alone waits 5 minutes for each; the runner kills them, the sweep their browsers.
  { name: 'mid-run, while no worker answers (each stopped with SIGSTOP)', cut: true, grep: ' acao-star:| zz-hang-until-interrupted:',
    now: (out, marker) => (out.match(TEST_LINE) ?? []).length >= 1 && workersOf(marker).length === 3,
    before: (marker) => { for (const w of workersOf(marker)) process.kill(w.pid, 'SIGSTOP'); } },
];

const KNOWN_BASELINE = JSON.stringify({ schema: 'cors-matrix/1', note: 'known content: an interrupted run never writes it', engines: [], scenarios: [] }, null, 2) + '\n';

for (const moment of MOMENTS) {
  test(`Ctrl-C ${moment.name} ends the run within 10 s, leaves no process behind and the baseline untouched`, async () => {
    test.setTimeout(240_000);
    const dir = tempDir('cors-ctrl-c-');
    const baseline = path.join(dir, 'baseline.json');
    fs.writeFileSync(baseline, KNOWN_BASELINE);
    const scenarios = path.join(dir, 'hang.json');
    fs.writeFileSync(scenarios, JSON.stringify(HANG));
    const startedAt = Date.now();
    let sentAt = 0;
    let poll: NodeJS.Timeout | undefined;
    const signal = (child: ChildProcess, marker: string) => {
      if (sentAt) return;
      clearInterval(poll);
      moment.before?.(marker);
      sentAt = Date.now();
      process.kill(-child.pid!, 'SIGINT');
    };
    let output = '';
    let spawned = '';
    try {
      const run: RunResult = await startRun(['-g', moment.grep, '--reporter=list,./reports/matrix-reporter.ts'], {
        CORS_BASELINE: baseline, CORS_UPDATE_BASELINE: '1', CORS_SCENARIOS: scenarios, CORS_PROBE_TIMEOUT_MS: '60000',
      }, (out, child, marker) => {
        output = out;
        if (moment.now(out, marker, startedAt)) signal(child, marker);
      }, (child, marker) => {
        spawned = marker;
        poll = setInterval(() => { if (moment.now(output, marker, startedAt)) signal(child, marker); }, 50);
      });
      const exitedAt = Date.now();
      clearInterval(poll);
      const say = `exit ${run.code} (signal ${run.signal})\n${run.stdout}\n${run.stderr}`;
      expect(sentAt, `the moment came: ${say}`).toBeGreaterThan(0);
      const took = exitedAt - sentAt;
      test.info().annotations.push({ type: 'exit', description: `${moment.name}: signal ${sentAt - startedAt} ms into the run, exit ${took} ms after it` });
      process.stdout.write(`Ctrl-C ${moment.name}: sent ${sentAt - startedAt} ms into the run, the run ended ${took} ms later\n`);
      expect(took, `ended within 10 s of the signal: ${say}`).toBeLessThanOrEqual(10_000);
      expect(run.code === 0 && run.signal === null, 'a signalled run never exits 0').toBe(false);
      expect(await leftovers(run.marker, 3000), 'no process of the run is left').toEqual([]);
      expect(fs.readFileSync(baseline, 'utf8'), 'the baseline is untouched').toBe(KNOWN_BASELINE);
      const report = path.join(run.reportDir, 'matrix.json');
      if (fs.existsSync(report)) {
        const m = JSON.parse(fs.readFileSync(report, 'utf8')) as Matrix;
        // Interrupted after the last cell is still cut short: the run did not get to finish.
        expect({ complete: m.complete, cut: m.summary.notRun > 0 }, say).toEqual({ complete: false, cut: moment.cut });
      }
      expect(await leftoverTemp(run)).toEqual([]);
    } finally {
      clearInterval(poll);
      // A failed check leaves nothing running either (a stopped worker would wait forever).
      if (spawned) for (const p of processesWithMarker(spawned)) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } }
    }
  });
}

test('SIGTERM mid-run leaves no process behind', async () => {
  const run = await interrupt((child) => process.kill(-child.pid!, 'SIGTERM'));
  expect(run.code === 0).toBe(false);
  expect(await leftovers(run.marker)).toEqual([]);
  expect(await leftoverTemp(run)).toEqual([]);
});

test('a browser killed mid-run: the run goes on and leaves no process behind', async () => {
  let killed = 0;
  const run = await interrupt((_child, running) => {
    for (const p of running.filter((x) => /MiniBrowser/.test(x.cmd))) { try { process.kill(p.pid, 'SIGKILL'); killed++; } catch { /* gone */ } }
  });
  expect(killed).toBeGreaterThan(0);
  // The run reached its end (a matrix was written) despite the crash.
  expect(run.stdout).toMatch(/scenarios, \d+ cells/);
  expect(await leftovers(run.marker)).toEqual([]);
  expect(await leftoverTemp(run)).toEqual([]);
});

test('two runs at once with different report directories do not collide', async () => {
  const [a, b] = await Promise.all([startRun(FEW), startRun(FEW)]);
  for (const run of [a, b]) {
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const m = JSON.parse(fs.readFileSync(path.join(run.reportDir, 'matrix.json'), 'utf8'));
    expect(m.summary.cells).toBe(6);
    expect(await leftovers(run.marker)).toEqual([]);
    expect(await leftoverTemp(run)).toEqual([]);
  }
  expect(a.reportDir).not.toBe(b.reportDir);
});
