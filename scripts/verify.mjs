#!/usr/bin/env node
// npm run verify [-- --runs N] [-- --load] [-- playwright args]: runs the catalogue N times
// (default 10) and fails on any cell whose outcome, stage, preflightSent or actualSent differs
// between runs. Each run writes its own report directory under reports/out/verify/.
//
// --load keeps every core busy while the runs go: one CPU hog per core, started here and stopped
// here. Each hog is a child process that spins and exits by itself after --load-minutes (default
// 120), so it cannot outlive a killed verify for long; verify kills them when it ends.
// --load heavy: three hogs per core, and a second catalogue run of every engine going on beside the
// measured runs (restarted whenever it ends, in its own process group, killed when verify ends), as
// on a machine shared with other browser jobs (load average well past the cores).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
function takeOption(name, parse) {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const raw = args[i + 1];
  args.splice(i, 2);
  return parse(raw);
}
function wholeNumber(name, min, max) {
  return (raw) => {
    const v = Number(raw);
    if (!Number.isInteger(v) || v < min || v > max) {
      console.error(`cors-matrix verify: ${name} must be a whole number from ${min} to ${max}, is ${JSON.stringify(raw)}`);
      process.exit(2);
    }
    return v;
  };
}
const runs = takeOption('--runs', wholeNumber('--runs', 2, 100)) ?? 10;
const loadAt = args.indexOf('--load');
const load = loadAt >= 0;
const heavy = load && args[loadAt + 1] === 'heavy';
if (load) args.splice(loadAt, heavy ? 2 : 1);
const loadMinutes = takeOption('--load-minutes', wholeNumber('--load-minutes', 1, 600)) ?? 120;

/** One spinning process per core, each ending itself after `minutes`. */
function startHogs(minutes) {
  const code = `const end = Date.now() + ${minutes * 60_000}; let x = 0; while (Date.now() < end) { for (let i = 0; i < 1e6; i++) x = (x * 31 + i) | 0; }`;
  return Array.from({ length: os.cpus().length * (heavy ? 3 : 1) }, () => spawn(process.execPath, ['-e', code], { stdio: 'ignore' }));
}
const hogs = load ? startHogs(loadMinutes) : [];
/** The heavy setting's second engine run: the whole catalogue again and again, its reports aside. */
let beside = null;
let stopping = false;
function runBeside() {
  if (stopping) return;
  beside = spawn('npx', ['playwright', 'test', '--reporter=dot'], {
    stdio: 'ignore', detached: true,
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^CORS_(BASELINE|UPDATE_BASELINE)$/.test(k))), CORS_REPORT_DIR: path.join(base, 'beside') },
  });
  beside.on('exit', () => setTimeout(runBeside, 1000));
}
const stopHogs = () => {
  stopping = true;
  for (const h of hogs) if (h.exitCode === null) h.kill('SIGKILL');
  if (beside?.pid && beside.exitCode === null) { try { process.kill(-beside.pid, 'SIGKILL'); } catch { /* gone */ } }
};
process.on('exit', stopHogs);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { stopHogs(); process.exit(130); });
const base = path.resolve(process.env.CORS_REPORT_DIR ?? 'reports/out', 'verify');
fs.rmSync(base, { recursive: true, force: true });
if (load) console.log(`load: ${hogs.length} CPU hogs (${heavy ? 'three' : 'one'} per core, each ends by itself within ${loadMinutes} min)${heavy ? ', and a second catalogue run of every engine beside the measured ones' : ''}`);
if (heavy) runBeside();

const FIELDS = ['outcome', 'stage', 'preflightSent', 'actualSent'];
const seen = new Map(); // "scenario engine" -> Map(value string -> [run numbers])
const started = Date.now();
let failedRuns = 0;
for (let n = 1; n <= runs; n++) {
  const dir = path.join(base, `run-${n}`);
  const t0 = Date.now();
  const r = spawnSync('npx', ['playwright', 'test', '--reporter=dot,./reports/matrix-reporter.ts', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', env: { ...process.env, CORS_REPORT_DIR: dir },
  });
  const file = path.join(dir, 'matrix.json');
  if (!fs.existsSync(file)) { console.error(`run ${n}: no matrix.json (exit ${r.status})\n${(r.stdout ?? '').slice(-2000)}`); process.exit(1); }
  if (r.status !== 0) failedRuns++;
  const m = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const s of m.scenarios) {
    for (const [engine, cell] of Object.entries(s.results)) {
      const key = `${s.id} [${engine}]`;
      const value = FIELDS.map((f) => `${f}=${cell[f]}`).join(' ');
      if (!seen.has(key)) seen.set(key, new Map());
      const byValue = seen.get(key);
      byValue.set(value, [...(byValue.get(value) ?? []), n]);
    }
  }
  const reprobed = m.scenarios.flatMap((s) => Object.entries(s.results).filter(([, c]) => c.reprobed?.length).map(([e]) => `${s.id} [${e}]`));
  console.log(`run ${n}/${runs}: ${m.summary.cells} cells, ${m.summary.mismatching} mismatching, ${m.summary.errors} errors, ${((Date.now() - t0) / 1000).toFixed(1)} s, load average ${os.loadavg()[0].toFixed(1)}${reprobed.length ? `; probed again after the engine stalled: ${reprobed.join(', ')}` : ''}`);
}
const differing = [...seen].filter(([, byValue]) => byValue.size > 1);
const partial = [...seen].filter(([, byValue]) => [...byValue.values()].flat().length !== runs);
stopHogs();
console.log(`\n${runs} runs${load ? ` under load (${hogs.length} CPU hogs${heavy ? ' and a second engine run' : ''})` : ''}, ${seen.size} cells each, ${((Date.now() - started) / 1000).toFixed(0)} s in all; runs with a mismatch: ${failedRuns}`);
for (const [key, byValue] of differing) {
  console.log(`  ✗ ${key} differs between runs:`);
  for (const [value, which] of byValue) console.log(`      ${value}  (runs ${which.join(', ')})`);
}
for (const [key] of partial) console.log(`  ✗ ${key} is missing from some runs`);
if (differing.length || partial.length) { console.log(`\nFAILED: ${differing.length + partial.length} cells are not repeatable.`); process.exit(1); }
console.log('OK: every cell is identical in every run.');
