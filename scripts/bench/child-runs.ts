// The child runs of the bench's own specs (check.spec.ts, fixture.spec.ts): each timed from spawn to
// exit in the environment of a user's shell, the floor (check-floor.mjs) run the same way, and the
// steps of a round in turn, so a noisy neighbour hits them alike.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import { locateEngines } from '../../harness/engines/locate.mjs';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
export const CLI = path.join(ROOT, 'node_modules', '@playwright', 'test', 'cli.js');
const FLOOR = path.join(ROOT, 'scripts', 'bench', 'check-floor.mjs');
/** Marks a child run's processes, to tell its browsers from other jobs' on the machine. */
const RUN_MARKER = 'CORSBENCH_CHILD';
const SAMPLE_MS = 200;
/** How long a run's browsers may take to end after it exits, before the next run starts. */
const LINGER_MS = 10_000;

export interface Ran {
  wallMs: number;
  code: number | null;
  /** With `countLaunches`: per engine, the pids of the browsers the run launched. */
  launches: Record<string, number[]> | null;
}

export const readJson = (file: string) => { try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return null; } };

/**
 * Without this worker's Playwright variables: a child runner that inherits TEST_WORKER_INDEX takes
 * itself for a worker (policy mode's runner then starts no engine ahead of its workers).
 */
function userEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const own = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TEST_|PW_)/.test(k)));
  return { ...own, CI: '', FORCE_COLOR: '0', ...env };
}

const exeOf = (pid: number) => { try { return fs.readlinkSync(`/proc/${pid}/exe`); } catch { return null; } };
const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

/**
 * The browsers a run launches: processes of an engine's executable (the located one) whose parent is
 * not of the same executable (renderers and content processes are), carrying the run's marker.
 */
function launchCounter(marker: string) {
  const executables = new Map<string, string>();
  for (const l of locateEngines()) {
    const file = l.executablePath ?? l.browserPath;
    if (l.available && file) { try { executables.set(fs.realpathSync(file), l.id); } catch { /* not here */ } }
  }
  const launches: Record<string, Set<number>> = {};
  const checked = new Map<number, string>();
  const sample = () => {
    for (const d of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      const pid = Number(d);
      const exe = exeOf(pid);
      // Checked again when the executable changes: a process forked by Node becomes the browser at exec.
      if (!exe || checked.get(pid) === exe) continue;
      checked.set(pid, exe);
      const engine = executables.get(exe);
      if (!engine) continue;
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
        if (exeOf(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])) === exe) continue;
        if (!fs.readFileSync(`/proc/${pid}/environ`, 'latin1').includes(`${RUN_MARKER}=${marker}`)) continue;
        (launches[engine] ??= new Set()).add(pid);
      } catch { /* gone */ }
    }
  };
  const timer = setInterval(sample, SAMPLE_MS);
  return {
    async stop(): Promise<Record<string, number[]>> {
      clearInterval(timer);
      sample();
      // Shared browsers end shortly after their run (engine-host.mjs): not while the next run is timed.
      const pids = Object.values(launches).flatMap((s) => [...s]);
      for (const until = Date.now() + LINGER_MS; pids.some(alive) && Date.now() < until;) await new Promise((r) => setTimeout(r, 100));
      return Object.fromEntries(Object.entries(launches).map(([e, s]) => [e, [...s]]));
    },
  };
}

/** A child `node ARGS`, timed from spawn to exit; its output goes to `log`. */
export function run(args: string[], env: Record<string, string>, log: string, options: { countLaunches?: boolean } = {}): Promise<Ran> {
  const marker = crypto.randomUUID();
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: userEnv({ ...env, [RUN_MARKER]: marker }), stdio: ['ignore', 'pipe', 'pipe'] });
  const counter = options.countLaunches ? launchCounter(marker) : null;
  const out = fs.createWriteStream(log);
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  return new Promise((resolve) => child.on('exit', async (code) => {
    const wallMs = performance.now() - t0;
    out.end();
    resolve({ wallMs, code, launches: counter ? await counter.stop() : null });
  }));
}

/** check-floor.mjs's plan for a list of requests (`--plan-requests`) or a policy file (`--plan`). */
export async function writeFloorPlan(flag: '--plan' | '--plan-requests', input: string, planFile: string, what: string) {
  const log = `${planFile}.log`;
  const planned = await run([FLOOR, flag, input, planFile], {}, log);
  const plan = readJson(planFile);
  if (planned.code !== 0 || !plan) throw new Error(`could not plan ${what}; see ${log}`);
  return plan;
}

/** One run of the floor for a plan (check-floor.mjs), in a folder of its own under `out`. */
export async function floorRun(planFile: string, out: string, slug: string, what: string): Promise<{ wallMs: number; result: unknown }> {
  const dir = fs.mkdtempSync(path.join(out, `${slug}-floor-`));
  const r = await run([FLOOR, planFile, path.join(dir, 'floor.json')], {}, path.join(dir, 'log.txt'));
  const result = readJson(path.join(dir, 'floor.json'));
  if (r.code !== 0 || !result) throw new Error(`the floor of ${what} failed (exit ${r.code}); see ${path.join(dir, 'log.txt')}`);
  return { wallMs: Math.round(r.wallMs), result };
}

/** Round `i` (from 1) of `steps`: each once, starting with a different one round by round. */
export async function inTurn(i: number, steps: Array<() => Promise<void>>): Promise<void> {
  for (let k = 0; k < steps.length; k++) await steps[(i - 1 + k) % steps.length]();
}
