// Helpers for tests that start whole `playwright test` runs as child processes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { expect } from '@playwright/test';
import type { Matrix } from '../../harness/model/types.ts';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

export interface RunResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; marker: string; reportDir: string; tmpDir: string }

/** The contract's checker, beside the project as in CI (`../shared`); absent elsewhere. */
const CONTRACT = path.resolve(ROOT, '..', 'shared', 'tools', 'check-contract.mjs');

/**
 * The contract holds for every `*.json` in a report folder, as CI checks `reports/out/*.json`: the
 * folder holds the contract's reports and nothing else (the run's timings go to `timings/`, which it
 * must have written). `inputs` are files a test wrote there itself (a policy file).
 */
export function contractHoldsIn(dir: string, inputs: string[] = []): void {
  expect(fs.existsSync(path.join(dir, 'timings', 'timings.json')), `the run wrote its timings in ${dir}`).toBe(true);
  if (!fs.existsSync(CONTRACT)) return;
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => path.join(dir, f)).filter((f) => !inputs.includes(f));
  expect(files.length, `reports in ${dir}`).toBeGreaterThan(0);
  expect(execFileSync(process.execPath, [CONTRACT, ...files], { encoding: 'utf8' })).toMatch(/contract holds/);
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Start `npx playwright test ...args` in its own process group with a unique marker in its
 * environment, so every process it leaves behind can be found by that marker.
 */
export function startRun(args: string[], env: Record<string, string> = {}, onStdout?: (text: string, child: import('node:child_process').ChildProcess, marker: string) => void,
  onSpawn?: (child: import('node:child_process').ChildProcess, marker: string) => void): Promise<RunResult> {
  const marker = crypto.randomUUID();
  const reportDir = env.CORS_REPORT_DIR ?? tempDir('cors-run-');
  // The run's own TMPDIR: whatever temporary files it (or its browsers) leave are found there.
  const tmpDir = tempDir('t-');
  const child = spawn('npx', ['playwright', 'test', ...args], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, CORS_RUN_MARKER: marker, CORS_REPORT_DIR: reportDir, TMPDIR: tmpDir, CI: '', FORCE_COLOR: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onSpawn?.(child, marker);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; onStdout?.(stdout, child, marker); });
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr, marker, reportDir, tmpDir })));
}

/** Processes (pid and command) whose environment holds the marker. */
export function processesWithMarker(marker: string): Array<{ pid: number; cmd: string }> {
  const found: Array<{ pid: number; cmd: string }> = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    try {
      const env = fs.readFileSync(`/proc/${d}/environ`, 'latin1');
      if (!env.includes(`CORS_RUN_MARKER=${marker}`)) continue;
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'latin1').replace(/\0/g, ' ').trim();
      const state = fs.readFileSync(`/proc/${d}/stat`, 'latin1').split(') ')[1]?.[0];
      if (state !== 'Z') found.push({ pid: Number(d), cmd });
    } catch { /* gone or not ours */ }
  }
  return found;
}

/** Poll until the marker's processes are gone (bounded); returns what is left. */
export async function leftovers(marker: string, withinMs = 20_000): Promise<Array<{ pid: number; cmd: string }>> {
  const deadline = Date.now() + withinMs;
  let left = processesWithMarker(marker);
  while (left.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    left = processesWithMarker(marker);
  }
  return left;
}

/** Temporary files and directories a finished run left in its TMPDIR (polled briefly: browsers clean up last). */
export async function leftoverTemp(run: RunResult, withinMs = 20_000): Promise<string[]> {
  // Playwright keeps its compiled-TypeScript cache in TMPDIR on purpose and reuses it: not a leak.
  const list = () => fs.readdirSync(run.tmpDir).filter((f) => !/^playwright-transform-cache/.test(f));
  const deadline = Date.now() + withinMs;
  let left = list();
  while (left.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    left = list();
  }
  return left;
}

export const readMatrix = (dir: string): Matrix => JSON.parse(fs.readFileSync(path.join(dir, 'matrix.json'), 'utf8'));

/** Each cell as observed: what must not depend on where the engine runs (here, remotely, in a Grid). */
export function cells(m: Matrix) {
  return Object.fromEntries(m.scenarios.flatMap((s) => Object.entries(s.results).map(([e, c]) => [`${s.id} [${e}]`, {
    outcome: c!.outcome, stage: c!.stage, preflightSent: c!.preflightSent, actualSent: c!.actualSent,
    status: c!.status, exposedHeaders: c!.exposedHeaders, matchesExpected: c!.matchesExpected,
  }])));
}

export interface MergeResult { code: number | null; stdout: string; stderr: string }

/** `npx playwright merge-reports ...args` from the project root. */
export function mergeReports(args: string[], env: Record<string, string>): Promise<MergeResult> {
  const child = spawn('npx', ['playwright', 'merge-reports', ...args], { cwd: ROOT, env: { ...process.env, CI: '', FORCE_COLOR: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}
