#!/usr/bin/env node
// npm run bench: how long the conformance catalogue takes, against what the engines themselves cost.
//
//   npm run bench                               3 runs of the catalogue and of the floor, then a x4 run
//   npm run bench -- --runs 5 --scale-runs 2
//   npm run bench -- --runs 2 --variant "sequential CORS_BATCH=0" --variant "batched"
//
// The floor (scripts/bench/floor.spec.ts): each engine launched once, one page, as many
// cross-origin fetch calls to unique URLs on a loopback server as the catalogue makes, half of them
// preflighted; all engines at once, one worker each. Both commands are timed the same way, from
// spawn to exit of `playwright test` (the runner's own start-up is in both), and runs alternate
// floor / catalogue so a noisy neighbour hits both alike. The medians, cells per second, the peak
// memory of every process of a run together, and catalogue/floor are printed and written to
// reports/out/bench.json (or $CORS_REPORT_DIR/bench.json). Timings are reported, never asserted.
//
// Where the time goes: every catalogue run writes timings.json (reports/timings.ts), its phases per
// engine column as the run measured them; the bench prints their medians. `--check-runs N` also times
// `cors-matrix check` (scripts/bench/check.spec.ts: the package test's API, a one-endpoint and a
// 20-endpoint policy, every engine) against its own floor (scripts/bench/check-floor.mjs: the same
// page loads and requests with the engines alone, no test runner), with the check runs' phases.
// `--fixture-runs N` times a user's run of fifteen tests with the cors fixture in every engine
// (scripts/bench/fixture.spec.ts), all passing and with one failing, against the same kind of floor,
// with the browsers each run launched per engine.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { locateEngines } from '../harness/engines/locate.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'node_modules', '@playwright', 'test', 'cli.js');
const BENCH_CONFIG = path.join('scripts', 'bench', 'bench.config.ts');
const TARGETS = { ratio: 1.5, scaling: 3.5, memoryBytes: 1.5 * 1024 ** 3, fixtureRatio: 1.5 };
const SAMPLE_MS = 200;
const PAGE = 4096;

const USAGE = `Usage: npm run bench -- [options]
  --runs N          catalogue and floor runs each (default 3; 0 skips them and the x4 run)
  --scale N         also run the catalogue N times over (default 4; 0 skips)
  --scale-runs N    runs of the scaled catalogue and its floor (default 1)
  --variant "NAME [ENV=VALUE ...] [--playwright-flag[=value] ...]"
                    a catalogue variant to time (repeatable; default: the catalogue as configured)
  --no-isolation-floor
                    skip the floor with one fresh context per isolated scenario (the gap's breakdown)
  --policy-runs N   runs of policy mode on the test APIs (Express, nginx), one check at a time
                    (CORS_BATCH=0) against batched (default 2; 0 skips)
  --check-runs N    runs of cors-matrix check (the package test's API, a one-endpoint and a
                    20-endpoint policy, every engine) and of its own floor (default 3; 0 skips)
  --fixture-runs N  runs of a user's 15 tests with the cors fixture in every engine, all passing and
                    one failing, and of their own floor (default 3; 0 skips)
  --out FILE        where to write the JSON (default reports/out/bench.json)`;

function parseArgs(argv) {
  const o = { runs: 3, scale: 4, scaleRuns: 1, variants: [], out: null, isolation: true, policyRuns: 2, checkRuns: 3, fixtureRuns: 3 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') && a.startsWith('--') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    const count = (name) => {
      const v = Number(value());
      if (!Number.isInteger(v) || v < 0) fail(`${name} must be a whole number >= 0`);
      return v;
    };
    if (flag === '--runs') o.runs = count('--runs');
    else if (flag === '--scale') o.scale = count('--scale');
    else if (flag === '--scale-runs') o.scaleRuns = count('--scale-runs');
    else if (flag === '--variant') o.variants.push(parseVariant(value()));
    else if (flag === '--out') o.out = value();
    else if (flag === '--policy-runs') o.policyRuns = count('--policy-runs');
    else if (flag === '--check-runs') o.checkRuns = count('--check-runs');
    else if (flag === '--fixture-runs') o.fixtureRuns = count('--fixture-runs');
    else if (flag === '--no-isolation-floor') o.isolation = false;
    else if (flag === '--help' || flag === '-h') { process.stdout.write(USAGE + '\n'); process.exit(0); }
    else fail(`unknown option ${a}\n${USAGE}`);
  }
  if (o.variants.length === 0) o.variants.push({ name: 'catalogue', env: {}, args: [] });
  return o;
}

function parseVariant(text) {
  const [name, ...rest] = String(text ?? '').trim().split(/\s+/);
  if (!name) fail('--variant needs a name');
  const env = {};
  const args = [];
  for (const t of rest) {
    if (t.startsWith('--')) args.push(t);
    else if (/^[A-Z_][A-Z0-9_]*=/.test(t)) env[t.slice(0, t.indexOf('='))] = t.slice(t.indexOf('=') + 1);
    else fail(`--variant ${name}: "${t}" is neither ENV=VALUE nor a --flag`);
  }
  return { name, env, args };
}

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

// ---- memory: every process of a run, found by parent links and by a marker in its environment ----

function readProcs() {
  const out = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields[0] is the state, [1] the parent, [21] the resident pages.
      if (fields[0] === 'Z') continue;
      out.set(Number(d), { ppid: Number(fields[1]), rss: Number(fields[21]) * PAGE });
    } catch { /* gone */ }
  }
  return out;
}

function pss(pid) {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'latin1'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch { return 0; }
}

/** Samples the tree under `root` (plus anything carrying `marker`, should a process be re-parented). */
function memorySampler(root, marker) {
  const markerOf = new Map();
  const hasMarker = (pid) => {
    if (!markerOf.has(pid)) {
      try { markerOf.set(pid, fs.readFileSync(`/proc/${pid}/environ`, 'latin1').includes(`CORSBENCH_MARKER=${marker}`)); } catch { markerOf.set(pid, false); }
    }
    return markerOf.get(pid);
  };
  const peak = { rss: 0, pss: 0, processes: 0, rssAtPss: 0 };
  const sample = () => {
    const procs = readProcs();
    const children = new Map();
    for (const [pid, p] of procs) {
      if (!children.has(p.ppid)) children.set(p.ppid, []);
      children.get(p.ppid).push(pid);
    }
    const mine = new Set();
    const stack = [root];
    while (stack.length) {
      const pid = stack.pop();
      if (mine.has(pid) || !procs.has(pid)) continue;
      mine.add(pid);
      stack.push(...(children.get(pid) ?? []));
    }
    for (const pid of procs.keys()) if (!mine.has(pid) && hasMarker(pid)) mine.add(pid);
    let rss = 0;
    for (const pid of mine) rss += procs.get(pid).rss;
    if (rss > peak.rss) peak.rss = rss;
    // PSS walks every mapping of every process (smaps_rollup): costly enough on 2 cores to slow the
    // run it measures, so it is read only when the summed RSS comes near its peak so far.
    if (rss >= peak.rssAtPss * 0.9) {
      let p = 0;
      for (const pid of mine) p += pss(pid);
      if (p > peak.pss) peak.pss = p;
      peak.rssAtPss = Math.max(peak.rssAtPss, rss);
    }
    if (mine.size > peak.processes) peak.processes = mine.size;
  };
  const timer = setInterval(sample, SAMPLE_MS);
  return { stop() { clearInterval(timer); sample(); return peak; } };
}

// ---- one timed command ----

function timed(args, env, logFile) {
  const marker = crypto.randomUUID();
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, CI: '', FORCE_COLOR: '0', CORSBENCH_MARKER: marker, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = fs.createWriteStream(logFile);
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const sampler = memorySampler(child.pid, marker);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const memory = sampler.stop();
      log.end();
      resolve({ code, signal, wallMs, memory, log: logFile });
    });
  });
}

function readJson(file) {
  try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return null; }
}

/** What must not change between runs or variants: each cell's observed result. */
function cellsOf(matrix) {
  const out = new Map();
  for (const s of matrix?.scenarios ?? []) {
    for (const [engine, c] of Object.entries(s.results ?? {})) {
      out.set(`${s.id} [${engine}]`, JSON.stringify({ outcome: c.outcome, stage: c.stage, preflightSent: c.preflightSent, actualSent: c.actualSent, cookiesReceived: c.cookiesReceived ?? null, matchesExpected: c.matchesExpected }));
    }
  }
  return out;
}

function diffCells(a, b) {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k)).map((k) => ({ cell: k, from: a.get(k) ?? null, to: b.get(k) ?? null }));
}

const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length === 0 ? null : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const sec = (ms) => (ms === null || ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);
const mib = (b) => `${Math.round(b / 1024 ** 2)} MiB`;
const round = (x, d = 2) => (x === null || x === undefined ? null : Math.round(x * 10 ** d) / 10 ** d);

// ---- the runs ----

async function floorRun(work, label, engines, extraEnv) {
  const dir = fs.mkdtempSync(path.join(work, `floor-${label}-`));
  // the directory name must not collide between the plain floor and the floor with contexts
  const r = await timed(['test', '-c', BENCH_CONFIG, ...engines.map((e) => `--project=${e}`)], { CORSBENCH_OUT: dir, ...extraEnv }, path.join(dir, 'log.txt'));
  const spans = engines.map((e) => readJson(path.join(dir, `floor-${e}.json`))).filter(Boolean);
  if (r.code !== 0 || spans.length !== engines.length) throw new Error(`the floor run failed (exit ${r.code}); see ${r.log}`);
  const engineSpanMs = Math.max(...spans.map((s) => s.endedAt)) - Math.min(...spans.map((s) => s.startedAt));
  return { wallMs: r.wallMs, engineSpanMs, memory: r.memory, requestsPerEngine: spans[0].requests, contextsPerEngine: spans[0].contexts, engines: spans };
}

async function catalogueRun(work, label, variant, extraEnv) {
  const dir = fs.mkdtempSync(path.join(work, `catalogue-${label}-`));
  const r = await timed(['test', ...variant.args], { CORS_REPORT_DIR: dir, ...variant.env, ...extraEnv }, path.join(dir, 'log.txt'));
  const matrix = readJson(path.join(dir, 'matrix.json'));
  if (!matrix) throw new Error(`the catalogue run ${label} wrote no matrix (exit ${r.code}); see ${r.log}`);
  const mismatches = (matrix.scenarios ?? []).flatMap((sc) => Object.entries(sc.results ?? {}).filter(([, c]) => !c.matchesExpected)
    .map(([engine, c]) => `${sc.id} [${engine}]: ${c.outcome}${c.cause ? ` (${String(c.cause).slice(0, 120)})` : ''}`));
  return { wallMs: r.wallMs, exitCode: r.code, memory: r.memory, cells: matrix.summary.cells, summary: matrix.summary, matrixCells: cellsOf(matrix), mismatches, timings: readJson(path.join(dir, 'timings', 'timings.json')) };
}

// ---- where the time goes: the runs' own timings.json (reports/timings.ts), medians per column ----

/** Medians over runs of each column's phases, the critical path's and the run's; null without timings. */
function phaseMedians(list) {
  const all = list.filter(Boolean);
  if (all.length === 0) return null;
  const keys = Object.keys(all[0].criticalPath.phases);
  const columns = [...new Set(all.flatMap((t) => Object.keys(t.columns)))];
  const med = (f) => round(median(all.map(f).filter((v) => v !== undefined && v !== null)), 0);
  const work = (c) => Object.fromEntries(Object.keys(all[0].columns[c]?.work ?? {}).map((k) => [k, { count: med((t) => t.columns[c]?.work[k]?.count), sumMs: med((t) => t.columns[c]?.work[k]?.sumMs) }]));
  return {
    runs: all.length,
    labels: all[0].labels,
    wallMs: med((t) => t.wallMs),
    run: Object.fromEntries(Object.keys(all[0].run).map((k) => [k, med((t) => t.run[k])])),
    columns: Object.fromEntries(columns.map((c) => [c, {
      phases: Object.fromEntries(keys.map((k) => [k, med((t) => t.columns[c]?.phases[k])])),
      workerStart: Object.fromEntries(['process', 'boot', 'config', 'spec'].map((k) => [k, med((t) => t.columns[c]?.workerStart?.[k])])),
      work: work(c),
    }])),
    criticalPath: { columns: all.map((t) => t.criticalPath.columns.join(' + ')), phases: Object.fromEntries(keys.map((k) => [k, med((t) => t.criticalPath.phases[k])])) },
  };
}

/** The phase table: a row per phase, a column per engine column and the critical path (seconds). */
function phaseTable(title, pm) {
  const cols = Object.keys(pm.columns);
  const w = [26, ...cols.map((c) => Math.max(9, c.length + 1)), 14];
  const line = (cells) => cells.map((c, i) => String(c).padEnd(w[i])).join(' ');
  const s1 = (ms) => (ms === null || ms === undefined ? '-' : (ms / 1000).toFixed(1));
  const lines = [`${title} (medians of ${pm.runs} run(s), seconds; phases overlap across columns, the critical path adds up to the wall time)`, line(['phase', ...cols, 'critical path'])];
  for (const k of Object.keys(pm.criticalPath.phases)) {
    if (!pm.criticalPath.phases[k] && cols.every((c) => !pm.columns[c].phases[k])) continue;
    lines.push(line([pm.labels[k] ?? k, ...cols.map((c) => s1(pm.columns[c].phases[k])), s1(pm.criticalPath.phases[k])]));
  }
  lines.push(line(['wall time', ...cols.map(() => ''), s1(pm.wallMs)]));
  lines.push(`  critical path: ${[...new Set(pm.criticalPath.columns)].join('; ')}; runner: start ${s1(pm.run.runnerStartMs)}, config ${s1(pm.run.configMs)}, listing ${s1(pm.run.listingMs)}`);
  for (const c of cols) {
    const x = pm.columns[c];
    const n = (k, what) => `${x.work[k]?.count ?? 0} ${what} (${s1(x.work[k]?.sumMs)} s summed)`;
    lines.push(`  ${c}: ${n('launch', 'launches')}, ${n('context', 'context opens and closes')}, ${n('pageLoad', 'page loads')}, ${n('probe', 'probes')}, ${n('wait', 'designed waits')}; worker start ${s1(x.workerStart.process)} s slot to process + ${s1(x.workerStart.boot)} boot and module loading + ${s1(x.workerStart.config)} config + ${s1(x.workerStart.spec)} spec and fixtures`);
  }
  return lines.join('\n') + '\n';
}

/** One child run of a bench config project that writes `<project>.json` into its CORSBENCH_OUT; its result. */
async function benchProject(work, project, env) {
  const dir = fs.mkdtempSync(path.join(work, `${project}-`));
  const r = await timed(['test', '-c', BENCH_CONFIG, `--project=${project}`], { CORSBENCH_OUT: dir, ...env }, path.join(dir, 'log.txt'));
  const out = readJson(path.join(dir, `${project}.json`));
  if (r.code !== 0 || !out) throw new Error(`the ${project} bench failed (exit ${r.code}); see ${r.log}`);
  return out;
}

/** A check-floor.mjs floor's phases per engine, medians over its runs (check and fixture). */
function checkFloorEngines(engines, runs) {
  return Object.fromEntries(engines.map((e) => [e, Object.fromEntries(['launchMs', 'contextMs', 'pageLoadMs', 'requestsMs', 'closeMs', 'totalMs'].map((k) => [k, round(median(runs.map((f) => f.engines.find((y) => y.engine === e)?.[k] ?? 0)), 0)]))]));
}

function checkFloorLines(floorEngines, origins, requests) {
  return Object.entries(floorEngines).map(([e, f]) => `  floor ${e}: launch ${sec(f.launchMs)}, context ${sec(f.contextMs)}, ${origins} page loads ${sec(f.pageLoadMs)}, ${requests} requests ${sec(f.requestsMs)}, close ${sec(f.closeMs)}\n`).join('');
}

function summarize(runs) {
  const wall = median(runs.map((r) => r.wallMs));
  return {
    runs: runs.length,
    medianWallMs: round(wall, 0),
    wallMs: runs.map((r) => round(r.wallMs, 0)),
    peakRssBytes: Math.max(...runs.map((r) => r.memory.rss)),
    peakPssBytes: Math.max(...runs.map((r) => r.memory.pss)),
    peakProcesses: Math.max(...runs.map((r) => r.memory.processes)),
  };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const engines = locateEngines().filter((l) => l.available).map((l) => l.id);
  if (engines.length === 0) fail('no engine is installed; run npm run setup');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-bench-'));
  const loadAtStart = os.loadavg();
  const say = (m) => process.stdout.write(`[bench] ${m}\n`);
  say(`${engines.join(', ')}; ` + (opts.runs === 0 ? 'no catalogue runs' : `${opts.runs} run(s) of the floor and of ${opts.variants.map((v) => v.name).join(', ')}` +
    (opts.scale > 1 ? `; x${opts.scale}: ${Math.min(opts.scaleRuns, opts.runs)} run(s)` : '')) + `; ${os.cpus().length} cores; work files in ${work}`);

  // The scaled catalogue: written once, run right after a x1 run of the same round, so both meet the
  // same neighbours; its ratio is the median of those pairs.
  let scaleEnv = null;
  if (opts.scale > 1 && opts.scaleRuns > 0 && opts.runs > 0) {
    const file = path.join(work, `catalogue-x${opts.scale}.json`);
    const prep = await timed(['test', '-c', BENCH_CONFIG, '--project=prepare'], { CORSBENCH_SCALED_FILE: file, CORSBENCH_SCALE: String(opts.scale) }, path.join(work, 'prepare.log'));
    if (prep.code !== 0) throw new Error(`could not write the x${opts.scale} catalogue; see ${prep.log}`);
    scaleEnv = { CORS_SCENARIOS: file, CORS_SCENARIOS_ONLY: '1' };
  }
  const scaledFloors = [];
  const scaledRuns = [];
  const scalePairs = [];
  const floors = [];
  const isolationFloors = [];
  const catalogue = Object.fromEntries(opts.variants.map((v) => [v.name, []]));
  for (let i = 1; i <= opts.runs; i++) {
    const f = await floorRun(work, `x1-${i}`, engines, {});
    floors.push(f);
    say(`run ${i}: floor ${sec(f.wallMs)} (engines ${sec(f.engineSpanMs)}, ${f.requestsPerEngine} requests per engine, peak ${mib(f.memory.pss)} PSS)`);
    if (opts.isolation) {
      const fi = await floorRun(work, `x1-contexts-${i}`, engines, { CORSBENCH_CONTEXTS: '1' });
      isolationFloors.push(fi);
      say(`run ${i}: floor + ${fi.contextsPerEngine} fresh contexts per engine ${sec(fi.wallMs)} (engines ${sec(fi.engineSpanMs)})`);
    }
    for (const v of opts.variants) {
      const c = await catalogueRun(work, `${v.name}-${i}`, v, {});
      catalogue[v.name].push(c);
      say(`run ${i}: ${v.name} ${sec(c.wallMs)} (${c.cells} cells, ${c.summary.mismatching} mismatching, ${c.summary.errors} errors, exit ${c.exitCode}, peak ${mib(c.memory.pss)} PSS)`);
      for (const m of c.mismatches.slice(0, 10)) say(`  mismatch: ${m}`);
    }
    if (scaleEnv && i <= opts.scaleRuns) {
      const v = opts.variants[0];
      const f = await floorRun(work, `x${opts.scale}-${i}`, engines, scaleEnv);
      scaledFloors.push(f);
      say(`run ${i}: floor x${opts.scale} ${sec(f.wallMs)} (${f.requestsPerEngine} requests per engine)`);
      const c = await catalogueRun(work, `${v.name}-x${opts.scale}-${i}`, v, scaleEnv);
      scaledRuns.push(c);
      scalePairs.push(c.wallMs / catalogue[v.name][i - 1].wallMs);
      say(`run ${i}: ${v.name} x${opts.scale} ${sec(c.wallMs)} (${c.cells} cells, ${c.summary.mismatching} mismatching, exit ${c.exitCode}, peak ${mib(c.memory.pss)} PSS; ${(scalePairs.at(-1)).toFixed(2)} times this round's x1)`);
      for (const m of c.mismatches.slice(0, 10)) say(`  mismatch: ${m}`);
    }
  }

  // Policy mode: the test APIs, one check at a time against batched, in one child run of the bench config.
  let policy = null;
  if (opts.policyRuns > 0) {
    const p = await benchProject(work, 'policy', { CORSBENCH_POLICY_RUNS: String(opts.policyRuns) });
    policy = p.result.map((x) => ({ ...x, medianWallMs: round(median(x.wallMs), 0), cellsPerSecond: round(x.cells / (median(x.wallMs) / 1000), 1) }));
    for (const x of policy) say(`policy ${x.policy}, ${x.variant}: ${sec(x.medianWallMs)} median of ${x.wallMs.length}, ${x.cells} check cells, ${x.cellsPerSecond} per second, ${x.differingFromFirst} differing from the first run`);
  }

  // cors-matrix check against its own floor, in one child run of the bench config (scripts/bench/check.spec.ts).
  let check = null;
  if (opts.checkRuns > 0) {
    const c = await benchProject(work, 'check', { CORSBENCH_CHECK_RUNS: String(opts.checkRuns) });
    check = c.result.map((x) => {
      const checkWall = median(x.check.wallMs);
      const floorWall = median(x.floor.wallMs);
      const floorEngines = checkFloorEngines(engines, x.floor.runs);
      return {
        policy: x.policy, endpoints: x.endpoints, origins: x.origins, checksPerEngine: x.checksPerEngine, preflightedPerEngine: x.preflightedPerEngine,
        checkCells: x.check.cells, exitCodes: x.check.exitCodes,
        check: { wallMs: x.check.wallMs, medianWallMs: round(checkWall, 0), phases: phaseMedians(x.check.timings) },
        floor: { wallMs: x.floor.wallMs, medianWallMs: round(floorWall, 0), engines: floorEngines },
        ratioToFloor: round(checkWall / floorWall),
      };
    });
    for (const x of check) say(`check, ${x.policy}: ${sec(x.check.medianWallMs)} (${x.check.wallMs.map(sec).join(', ')}), floor ${sec(x.floor.medianWallMs)} (${x.floor.wallMs.map(sec).join(', ')}): check/floor ${x.ratioToFloor}`);
  }

  // The cors fixture against its own floor, in one child run of the bench config (scripts/bench/fixture.spec.ts).
  let fixture = null;
  if (opts.fixtureRuns > 0) {
    const { result: x } = await benchProject(work, 'fixture', { CORSBENCH_FIXTURE_RUNS: String(opts.fixtureRuns) });
    const medianPerEngine = (runs) => Object.fromEntries(engines.map((e) => [e, median(runs.map((r) => r[e] ?? 0))]));
    const variant = (v) => ({
      wallMs: v.wallMs, medianWallMs: round(median(v.wallMs), 0), exitCodes: v.exitCodes, passed: v.passed, failed: v.failed,
      // Browsers launched (their processes), workers, and browsers the tests reported (Chromium and Firefox): medians per engine, then each run's.
      launches: medianPerEngine(v.launches), workers: medianPerEngine(v.workers), reportedBrowsers: medianPerEngine(v.reportedBrowsers),
      runs: v.launches.map((l, i) => ({ launches: l, workers: v.workers[i], reportedBrowsers: v.reportedBrowsers[i] })),
      // Where the time went (the bench's spec attaches each worker's phases; a user's spec does not).
      phases: phaseMedians(v.timings ?? []),
    });
    const [pass, failing] = [variant(x.pass), variant(x.failing)];
    const floorWall = median(x.floor.wallMs);
    // "A failing test costs no engine launch": in every run, as many launches per engine as with none failing.
    const extra = engines.filter((e) => x.failing.launches.some((l, i) => (l[e] ?? 0) > (x.pass.launches[i]?.[e] ?? 0)));
    fixture = {
      tests: x.tests, origins: x.origins, requestsPerEngine: x.requestsPerEngine, preflightedPerEngine: x.preflightedPerEngine,
      pass, failing,
      floor: { wallMs: x.floor.wallMs, medianWallMs: round(floorWall, 0), engines: checkFloorEngines(engines, x.floor.runs) },
      ratioToFloor: round(pass.medianWallMs / floorWall),
      failingToPass: round(failing.medianWallMs / pass.medianWallMs),
      targets: {
        ratioToFloor: { target: TARGETS.fixtureRatio, value: round(pass.medianWallMs / floorWall), met: pass.medianWallMs / floorWall <= TARGETS.fixtureRatio },
        noLaunchOnFailure: { met: extra.length === 0, enginesLaunchingAgain: extra },
      },
    };
    say(`fixture, all pass: ${sec(pass.medianWallMs)} (${pass.wallMs.map(sec).join(', ')}), one failing: ${sec(failing.medianWallMs)} (${failing.wallMs.map(sec).join(', ')}), floor ${sec(fixture.floor.medianWallMs)} (${fixture.floor.wallMs.map(sec).join(', ')}): fixture/floor ${fixture.ratioToFloor}`);
  }

  let scaled = null;
  if (scaleEnv) {
    const v = opts.variants[0];
    scaled = { times: opts.scale, variant: v.name, floor: { ...summarize(scaledFloors), medianEngineSpanMs: round(median(scaledFloors.map((f) => f.engineSpanMs)), 0), requestsPerEngine: scaledFloors[0].requestsPerEngine }, catalogue: { ...summarize(scaledRuns), cells: scaledRuns[0].cells, mismatches: scaledRuns.map((r) => r.mismatches.slice(0, 20)) }, pairRatios: scalePairs.map((x) => round(x)) };
  }

  // ---- report ----
  const perEngine = (runs) => Object.fromEntries(engines.map((e) => [e, Object.fromEntries(['launchMs', 'pageMs', 'requestsMs', 'contextsMs', 'closeMs', 'totalMs'].map((k) => [k, median(runs.map((f) => f.engines.find((x) => x.engine === e)?.[k] ?? 0))]))]));
  const ran = opts.runs > 0;
  const floor = !ran ? null : { ...summarize(floors), medianEngineSpanMs: round(median(floors.map((f) => f.engineSpanMs)), 0), requestsPerEngine: floors[0].requestsPerEngine, preflightedPerEngine: Math.floor(floors[0].requestsPerEngine / 2), engines: perEngine(floors) };
  const isolationFloor = isolationFloors.length
    ? { ...summarize(isolationFloors), medianEngineSpanMs: round(median(isolationFloors.map((f) => f.engineSpanMs)), 0), contextsPerEngine: isolationFloors[0].contextsPerEngine, engines: perEngine(isolationFloors) }
    : null;
  const reference = catalogue[opts.variants[0].name][0]?.matrixCells;
  const variants = !ran ? [] : opts.variants.map((v) => {
    const runs = catalogue[v.name];
    const s = summarize(runs);
    const differing = runs.flatMap((r) => diffCells(reference, r.matrixCells));
    return {
      name: v.name, env: v.env, args: v.args, ...s,
      cells: runs[0].cells,
      cellsPerSecond: round(runs[0].cells / (s.medianWallMs / 1000), 1),
      ratioToFloor: round(s.medianWallMs / floor.medianWallMs),
      ratioToEngineSpan: round(s.medianWallMs / floor.medianEngineSpanMs),
      ratioToFloorWithContexts: isolationFloor ? round(s.medianWallMs / isolationFloor.medianWallMs) : null,
      exitCodes: runs.map((r) => r.exitCode),
      mismatching: runs.map((r) => r.summary.mismatching),
      mismatches: runs.map((r) => r.mismatches.slice(0, 20)),
      errors: runs.map((r) => r.summary.errors),
      cellsDifferingFromFirstRun: differing.length,
      differences: differing.slice(0, 20),
    };
  });
  const main0 = variants[0];
  // The catalogue's runs (x1 and scaled): what the 1.5 GiB target is about.
  const allPeak = Math.max(...variants.map((v) => v.peakRssBytes), scaled?.catalogue.peakRssBytes ?? 0);
  const allPss = Math.max(...variants.map((v) => v.peakPssBytes), scaled?.catalogue.peakPssBytes ?? 0);
  const scaling = scaled ? round(median(scalePairs)) : null;
  const result = {
    schema: 'cors-matrix-bench/1',
    generatedAt: new Date().toISOString(),
    // 1-minute load averages: above the core count, other work shared the machine and timings say less.
    machine: { cores: os.cpus().length, memoryBytes: os.totalmem(), loadAverageAtStart: round(loadAtStart[0]), loadAverageAtEnd: round(os.loadavg()[0]), node: process.version },
    engines,
    method: 'wall time from spawn to exit of `playwright test` (node @playwright/test/cli.js), floor and catalogue alternating; memory: sum over the run\'s processes, sampled every ' + SAMPLE_MS + ' ms',
    floor,
    floorWithContexts: isolationFloor,
    catalogue: variants,
    policy,
    // Where the time goes: each catalogue variant's phases (medians of its runs' timings.json).
    phases: Object.fromEntries(opts.variants.map((v) => [v.name, phaseMedians(catalogue[v.name].map((r) => r.timings))])),
    check,
    fixture,
    scaled: scaled ? { ...scaled, ratioToX1: scaling, ratioToOwnFloor: round(scaled.catalogue.medianWallMs / scaled.floor.medianWallMs) } : null,
    targets: !ran ? null : {
      ratioToFloor: { target: TARGETS.ratio, value: main0.ratioToFloor, met: main0.ratioToFloor <= TARGETS.ratio },
      // The issue's target is for four times the catalogue; another factor gets the ratio, no target.
      scaling: scaled ? { target: scaled.times === 4 ? TARGETS.scaling : null, value: scaling, met: scaled.times === 4 ? scaling <= TARGETS.scaling : null } : null,
      // PSS counts a page shared by several processes once (split between them); summed RSS counts it in each.
      peakMemory: { targetBytes: TARGETS.memoryBytes, pssBytes: allPss, rssSumBytes: allPeak, met: allPss < TARGETS.memoryBytes, metBySummedRss: allPeak < TARGETS.memoryBytes },
    },
  };
  const out = path.resolve(ROOT, opts.out ?? path.join(process.env.CORS_REPORT_DIR ?? path.join('reports', 'out'), 'bench.json'));
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');

  const ok = (b) => (b ? 'met' : 'NOT met');
  if (ran) {
    const line = (cols) => cols.map((c, i) => String(c).padEnd([34, 12, 9, 9, 9, 11, 11, 9][i] ?? 10)).join(' ');
    const row = (label, x, cells, ratio) => line([label, sec(x.medianWallMs), sec(Math.min(...x.wallMs)), sec(Math.max(...x.wallMs)), cells ? round(cells / (x.medianWallMs / 1000), 1) : '-', mib(x.peakPssBytes), mib(x.peakRssBytes), ratio]);
    process.stdout.write('\n' + line(['', 'median wall', 'min', 'max', 'cells/s', 'peak PSS', 'peak RSS+', 'vs floor']) + '\n');
    process.stdout.write(row(`floor (${floor.requestsPerEngine} requests/engine)`, floor, 0, '1.00') + '\n');
    process.stdout.write(line(['  engines alone (no runner)', sec(floor.medianEngineSpanMs)]) + '\n');
    if (isolationFloor) process.stdout.write(row(`floor + ${isolationFloor.contextsPerEngine} contexts/engine`, isolationFloor, 0, round(isolationFloor.medianWallMs / floor.medianWallMs).toFixed(2)) + '\n');
    for (const v of variants) process.stdout.write(row(`${v.name} (${v.cells} cells)`, v, v.cells, v.ratioToFloor.toFixed(2)) + '\n');
    if (scaled) {
      process.stdout.write(row(`floor x${scaled.times} (${scaled.floor.requestsPerEngine} requests/engine)`, scaled.floor, 0, '') + '\n');
      process.stdout.write(row(`${scaled.variant} x${scaled.times} (${scaled.catalogue.cells} cells)`, scaled.catalogue, scaled.catalogue.cells, `${round(scaled.catalogue.medianWallMs / scaled.floor.medianWallMs).toFixed(2)} own`) + '\n');
    }
    process.stdout.write('(PSS: shared pages counted once; RSS+: resident sizes summed over processes, shared pages counted in each)\n');
    for (const e of engines) {
      const f = floor.engines[e];
      const fi = isolationFloor?.engines[e];
      process.stdout.write(`floor ${e}: launch ${sec(f.launchMs)}, page ${sec(f.pageMs)}, ${floor.requestsPerEngine} requests ${sec(f.requestsMs)}, close ${sec(f.closeMs)}` + (fi ? `; ${isolationFloor.contextsPerEngine} fresh contexts ${sec(fi.contextsMs)}` : '') + '\n');
    }
    process.stdout.write(`\ncatalogue/floor ${main0.ratioToFloor} (target <= ${TARGETS.ratio}): ${ok(result.targets.ratioToFloor.met)}; against the engines alone ${main0.ratioToEngineSpan}` +
      (isolationFloor ? `; against the floor with the isolated scenarios' contexts ${main0.ratioToFloorWithContexts}` : '') + '\n');
    if (scaled) process.stdout.write(`x${scaled.times}/x1 ${scaling}, median of ${scalePairs.length} pair(s) run back to back` + (scaled.times === 4 ? ` (target <= ${TARGETS.scaling}): ${ok(result.targets.scaling.met)}` : '') + '\n');
    process.stdout.write(`peak memory of a catalogue run, all processes together: ${mib(allPss)} PSS (target < 1536 MiB): ${ok(result.targets.peakMemory.met)}; summed RSS ${mib(allPeak)}\n`);
    for (const v of variants) {
      if (v.cellsDifferingFromFirstRun) process.stdout.write(`${v.name}: ${v.cellsDifferingFromFirstRun} cell result(s) differ from ${main0.name} run 1 (outcome, stage, preflightSent, actualSent, match): ${v.differences.slice(0, 5).map((d) => d.cell).join(', ')}\n`);
      else process.stdout.write(`${v.name}: every cell's outcome, stage, preflightSent, actualSent and match equal ${main0.name} run 1 in all ${v.runs} run(s)\n`);
    }
    for (const v of opts.variants) {
      const pm = result.phases[v.name];
      if (pm) process.stdout.write('\n' + phaseTable(`where the time goes, ${v.name}`, pm));
    }
  }
  for (const x of check ?? []) {
    process.stdout.write(`\ncheck, ${x.policy}: ${x.endpoints} endpoint(s), ${x.origins} origins, ${x.checksPerEngine} checks per engine (${x.preflightedPerEngine} preflighted), ${x.checkCells} check cells: ` +
      `check ${sec(x.check.medianWallMs)}, floor ${sec(x.floor.medianWallMs)}, check/floor ${x.ratioToFloor}\n`);
    if (x.check.phases) process.stdout.write(phaseTable(`where the time goes, check ${x.policy}`, x.check.phases));
    process.stdout.write(checkFloorLines(x.floor.engines, x.origins, x.checksPerEngine));
  }
  if (fixture) {
    const f = fixture;
    const launches = (e) => `${e} ${f.pass.launches[e]} -> ${f.failing.launches[e]}`;
    const workers = (e) => `${e} ${f.pass.workers[e]} -> ${f.failing.workers[e]}`;
    process.stdout.write(`\nfixture: ${f.tests} tests in ${engines.length} engines, ${f.origins} origins, ${f.requestsPerEngine} requests per engine (${f.preflightedPerEngine} preflighted): ` +
      `all pass ${sec(f.pass.medianWallMs)}, floor ${sec(f.floor.medianWallMs)}, fixture/floor ${f.ratioToFloor} (target <= ${TARGETS.fixtureRatio}): ${ok(f.targets.ratioToFloor.met)}\n`);
    process.stdout.write(`  one test failing: ${sec(f.failing.medianWallMs)}, ${f.failingToPass} times all pass; failed ${f.failing.failed.join(', ')} of ${f.tests * engines.length} (all pass: ${f.pass.failed.join(', ')} failed)\n`);
    process.stdout.write(`  browser launches per engine, all pass -> one failing (medians): ${engines.map(launches).join(', ')}; workers: ${engines.map(workers).join(', ')}\n`);
    process.stdout.write(`  a failing test costs no engine launch: ${ok(f.targets.noLaunchOnFailure.met)}` + (f.targets.noLaunchOnFailure.met ? '' : ` (launched again: ${f.targets.noLaunchOnFailure.enginesLaunchingAgain.join(', ')})`) + '\n');
    if (f.pass.phases) process.stdout.write(phaseTable('where the time goes, fixture, all pass', f.pass.phases));
    process.stdout.write(checkFloorLines(f.floor.engines, f.origins, f.requestsPerEngine));
  }
  const busy = Math.max(loadAtStart[0], os.loadavg()[0]);
  if (busy > os.cpus().length) process.stdout.write(`note: load average ${busy.toFixed(1)} on ${os.cpus().length} cores: other work shared this machine; compare medians of quiet runs\n`);
  process.stdout.write(`wrote ${path.relative(ROOT, out)}\n`);
  fs.rmSync(work, { recursive: true, force: true });
}

main().catch((e) => { process.stderr.write(`bench: ${e.message}\n`); process.exit(1); });
