#!/usr/bin/env node
// The catalogue's webkit column run here, and through a local Selenium Grid (scripts/grid.mjs) of 2
// (with --nodes-max 3, also 3) relay nodes: wall time of each run (the Grid's own start not counted),
// interleaved run by run so a noisy neighbour hits every variant alike; medians and ratios against
// the local run.
// Usage: node scripts/bench/grid.mjs [--runs N] [--grep REGEX] [--nodes-max 3]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startGrid } from '../grid.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const value = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const runs = Number(value('--runs', '3'));
const grep = value('--grep', undefined);

/** One catalogue run of the webkit column; resolves with its wall time and summary. */
function run(env) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-bench-grid-'));
  const argv = ['playwright', 'test', '--project=webkit', ...(grep ? ['-g', grep] : [])];
  const start = performance.now();
  const child = spawn('npx', argv, { cwd: ROOT, env: { ...process.env, CORS_REPORT_DIR: dir, CORS_REGIME: 'installed', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => { err = (err + d).slice(-2000); });
  return new Promise((resolve) => child.on('exit', (code) => {
    const wallMs = performance.now() - start;
    let summary = null;
    try { summary = JSON.parse(fs.readFileSync(path.join(dir, 'matrix.json'), 'utf8')).summary; } catch { /* reported below */ }
    fs.rmSync(dir, { recursive: true, force: true });
    resolve({ code, wallMs, summary, err: code === 0 ? '' : err });
  }));
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
// One node is refused (a webkit worker holds two sessions at once, harness/engines/webkitgtk/grid.ts): measured
// with --nodes-max 3 as 2 and 3 nodes.
const variants = [['local', 0], ['grid, 2 nodes', 2], ...(value('--nodes-max', '2') === '3' ? [['grid, 3 nodes', 3]] : [])];
const times = Object.fromEntries(variants.map(([name]) => [name, []]));
for (let i = 1; i <= runs; i++) {
  for (const [name, nodes] of variants) {
    const grid = nodes ? await startGrid({ nodes }) : null;
    try {
      const r = await run(grid ? { CORS_GRID: grid.url } : {});
      const s = r.summary;
      process.stdout.write(`run ${i} ${name}: ${(r.wallMs / 1000).toFixed(1)} s, exit ${r.code}${s ? `, ${s.cells} cells, ${s.matching} matching, ${s.errors} errors` : ', no matrix.json'}${r.err ? `\n  ${r.err.trim().split('\n').slice(-3).join('\n  ')}` : ''}\n`);
      times[name].push(r.wallMs);
    } finally {
      await grid?.stop();
    }
  }
}
const base = median(times.local);
process.stdout.write(`\nmedians of ${runs} (load at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}):\n`);
for (const [name] of variants) process.stdout.write(`  ${name.padEnd(14)} ${(median(times[name]) / 1000).toFixed(1)} s  ${(median(times[name]) / base).toFixed(2)}x local\n`);
