#!/usr/bin/env node
// npm run verify [-- --runs N] [-- playwright args]: runs the catalogue N times (default 10) and
// fails on any cell whose outcome, preflightSent or actualSent differs between runs.
// Each run writes its own report directory under reports/out/verify/.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
let runs = 10;
const i = args.indexOf('--runs');
if (i >= 0) {
  runs = Number(args[i + 1]);
  args.splice(i, 2);
  if (!Number.isInteger(runs) || runs < 2 || runs > 100) {
    console.error(`cors-matrix verify: --runs must be a whole number from 2 to 100, is ${JSON.stringify(args[i + 1])}`);
    process.exit(2);
  }
}
const base = path.resolve(process.env.CORS_REPORT_DIR ?? 'reports/out', 'verify');
fs.rmSync(base, { recursive: true, force: true });

const FIELDS = ['outcome', 'preflightSent', 'actualSent'];
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
  console.log(`run ${n}/${runs}: ${m.summary.cells} cells, ${m.summary.mismatching} mismatching, ${m.summary.errors} errors, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
const differing = [...seen].filter(([, byValue]) => byValue.size > 1);
const partial = [...seen].filter(([, byValue]) => [...byValue.values()].flat().length !== runs);
console.log(`\n${runs} runs, ${seen.size} cells each, ${((Date.now() - started) / 1000).toFixed(0)} s in all; runs with a mismatch: ${failedRuns}`);
for (const [key, byValue] of differing) {
  console.log(`  ✗ ${key} differs between runs:`);
  for (const [value, which] of byValue) console.log(`      ${value}  (runs ${which.join(', ')})`);
}
for (const [key] of partial) console.log(`  ✗ ${key} is missing from some runs`);
if (differing.length || partial.length) { console.log(`\nFAILED: ${differing.length + partial.length} cells are not repeatable.`); process.exit(1); }
console.log('OK: every cell is identical in every run.');
