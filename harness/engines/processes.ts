// The one place that starts helper processes (Xvfb, WebKitWebDriver) and guarantees they stop:
// each runs in its own process group, killed as a group on close, on process exit and on signals;
// and the one place that finds processes by what /proc says about them (an engine's browser, a
// run's leftovers).
import fs from 'node:fs';
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const live = new Set<ChildProcess>();

/** How long a helper has to end on SIGTERM before its group gets SIGKILL. */
const STOP_GRACE_MS = 2000;

function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try { process.kill(-child.pid, signal); } catch { /* already gone */ }
}

/** Listeners added by onSignal: they never keep a signal from ending the process. */
const passive = new WeakSet<(...args: unknown[]) => void>();

/** Whether something in this process handles `signal` (a listener onSignal did not add). */
export function handledElsewhere(signal: NodeJS.Signals): boolean {
  return process.listeners(signal).some((l) => !passive.has(l as (...args: unknown[]) => void));
}

/**
 * Listen for `signal` without taking its default action away: when something else in the process
 * handles it (a Playwright worker ignores SIGINT and SIGTERM until its runner stops it; the runner
 * stops its workers on SIGINT), `handled` runs and the process lives on; when nothing does, `alone`
 * runs and the process dies of the signal, as it would have without this listener.
 */
export function onSignal(signal: NodeJS.Signals, on: { handled?: () => void; alone?: () => void }): void {
  const listener = () => {
    if (handledElsewhere(signal)) { on.handled?.(); return; }
    on.alone?.();
    for (const l of process.listeners(signal)) process.off(signal, l as () => void);
    process.kill(process.pid, signal);
  };
  passive.add(listener);
  process.on(signal, listener);
}

let hooked = false;
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => { for (const c of live) killGroup(c); });
  // Where the process handles the signal, its teardown stops the helpers (and 'exit' the rest):
  // killing them at once would fail the scenarios in flight as errors before the run is stopped.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) onSignal(sig, { alone: () => { for (const c of live) killGroup(c); } });
}

export interface Managed {
  child: ChildProcess;
  /** Kill the whole group and wait (bounded) for the leader to exit. */
  stop(): Promise<void>;
}

/**
 * `outlive`: the process is not stopped when this one exits or gets a signal (the run's kept
 * WebKitGTK page, webkitgtk/shared.ts): its keeper stops it, and the runner's exit sweep. Its stdio
 * must then be files, not pipes to this process, which a write after this process is gone would break.
 */
export function startManaged(command: string, args: string[], options: SpawnOptions, { outlive = false } = {}): Managed {
  hookExit();
  const child = spawn(command, args, { ...options, detached: true });
  if (!outlive) live.add(child);
  else child.unref();
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    child.once('exit', () => { live.delete(child); resolve(); });
    child.once('error', () => { live.delete(child); resolve(); });
  });
  return {
    child,
    async stop() {
      killGroup(child, 'SIGTERM');
      const grace = setTimeout(() => killGroup(child, 'SIGKILL'), STOP_GRACE_MS);
      // A leader stuck in the kernel after SIGKILL is not waited for: 'exit' reaps what it can.
      let bound: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise<void>((resolve) => { bound = setTimeout(resolve, STOP_GRACE_MS + 1000); })]);
      clearTimeout(grace);
      clearTimeout(bound);
      // Children of the leader (MiniBrowser, its web processes) share the group: make sure they go too.
      if (child.pid !== undefined) { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }
    },
  };
}

/**
 * startManaged with stderr piped to this process, or, with `log`, written to that file: the process
 * then outlives this one (`outlive`), and a write after this one has gone cannot break a pipe.
 * `said()` gives stderr's last bytes, for the error that says why it did not start. `more`: stdio
 * after stderr (Xvfb's -displayfd pipe).
 */
export function startLogged(command: string, args: string[], env: NodeJS.ProcessEnv | undefined, log?: string, more: Array<'pipe' | 'ignore'> = []): { proc: Managed; said: () => string } {
  const err = log ? fs.openSync(log, 'a') : 'pipe';
  const proc = startManaged(command, args, { stdio: ['ignore', 'ignore', err, ...more], env }, { outlive: !!log });
  if (typeof err === 'number') fs.closeSync(err);
  if (log) return { proc, said: () => { try { return fs.readFileSync(log, 'utf8').slice(-1500).trim(); } catch { return ''; } } };
  let tail = '';
  proc.child.stderr?.on('data', (d: Buffer) => { tail = (tail + d.toString('utf8')).slice(-1500); });
  return { proc, said: () => tail.trim() };
}

/** Every process (but this one) whose /proc entry passes `test`; Linux /proc only, elsewhere none. */
function processesWhere(test: (pid: string) => boolean): number[] {
  let pids: string[];
  try { pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid); } catch { return []; }
  return pids.filter((pid) => { try { return test(pid); } catch { return false; } }).map(Number);
}

/**
 * SIGKILL every process whose environment holds `name=value`, and its process group where it leads
 * one (a browser Playwright launched, Xvfb): a run's or an engine's processes, found by a variable
 * set for them alone, so another run's are never touched. `below`: `value` is a directory, and a
 * value inside it counts too. Returns how many were killed.
 */
export function killProcessesWithEnv(name: string, value: string, below = false): number {
  const entries = [`${name}=${value}\0`, ...(below ? [`${name}=${value}/`] : [])];
  const found = processesWhere((pid) => {
    const env = fs.readFileSync(`/proc/${pid}/environ`, 'latin1');
    return entries.some((e) => env.includes(e));
  });
  for (const pid of found) {
    try { process.kill(-pid, 'SIGKILL'); } catch { /* leads no group */ }
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  }
  return found.length;
}

