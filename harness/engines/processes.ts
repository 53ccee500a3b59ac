// The one place that starts helper processes (Xvfb, WebKitWebDriver) and guarantees they stop:
// each runs in its own process group, killed as a group on close, on process exit and on signals.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const live = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try { process.kill(-child.pid, signal); } catch { /* already gone */ }
}

let hooked = false;
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => { for (const c of live) killGroup(c); });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      for (const c of live) killGroup(c);
      process.kill(process.pid, sig);
    });
  }
}

export interface Managed {
  child: ChildProcess;
  /** Kill the whole group and wait for the leader to exit. */
  stop(): Promise<void>;
}

export function startManaged(command: string, args: string[], options: SpawnOptions): Managed {
  hookExit();
  const child = spawn(command, args, { ...options, detached: true });
  live.add(child);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    child.once('exit', () => { live.delete(child); resolve(); });
    child.once('error', () => { live.delete(child); resolve(); });
  });
  return {
    child,
    async stop() {
      killGroup(child, 'SIGTERM');
      const grace = setTimeout(() => killGroup(child, 'SIGKILL'), 2000);
      await exited;
      clearTimeout(grace);
      // Children of the leader (MiniBrowser, its web processes) share the group: make sure they go too.
      if (child.pid !== undefined) { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }
    },
  };
}
