// The harness leaves no Xvfb, WebKitWebDriver, browser or server process behind: after a normal
// run, after a run whose checks fail, and after Ctrl-C (SIGINT to the process group) mid-run.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { startRun, leftovers, tempDir, processesWithMarker } from './helpers.ts';

test.describe.configure({ mode: 'serial' });
const FEW = ['-g', '› (acao-star|preflight-put):', '--workers=3'];

test('a normal run in all three engines leaves no process behind', async () => {
  const run = await startRun(FEW);
  expect(run.code, run.stdout + run.stderr).toBe(0);
  expect(run.stdout).toMatch(/6 passed/);
  expect(await leftovers(run.marker)).toEqual([]);
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
});

test('Ctrl-C mid-run leaves no process behind', async () => {
  let armed = false;
  let during: string[] = [];
  const run = await startRun(['--workers=3'], {}, (out, child, marker) => {
    if (armed || !/\[webkit\]/.test(out)) return;
    armed = true;
    // Wait (bounded) until the WebKit engine is up, then interrupt the whole group as Ctrl-C does.
    const deadline = Date.now() + 30_000;
    const poll = setInterval(() => {
      during = processesWithMarker(marker).map((p) => p.cmd);
      const up = during.some((c) => /Xvfb/.test(c)) && during.some((c) => /MiniBrowser/.test(c));
      if (up || Date.now() > deadline) { clearInterval(poll); process.kill(-child.pid!, 'SIGINT'); }
    }, 100);
  });
  // The marker finds the run's processes: proof that the leftover check below can see them.
  expect(during.some((c) => /Xvfb/.test(c)), during.join('\n')).toBe(true);
  expect(during.some((c) => /MiniBrowser/.test(c)), during.join('\n')).toBe(true);
  expect(run.code === 0).toBe(false);
  expect(await leftovers(run.marker)).toEqual([]);
});
