// The harness leaves no Xvfb, WebKitWebDriver, browser or server process behind: after a normal
// run, after a run whose checks fail, and after Ctrl-C (SIGINT to the process group) mid-run.
import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { test, expect } from '@playwright/test';
import { startRun, leftovers, leftoverTemp, tempDir, processesWithMarker } from './helpers.ts';

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

test('Ctrl-C mid-run leaves no process behind', async () => {
  const run = await interrupt((child) => process.kill(-child.pid!, 'SIGINT'));
  expect(run.code === 0).toBe(false);
  expect(await leftovers(run.marker)).toEqual([]);
  expect(await leftoverTemp(run)).toEqual([]);
});

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
