// A probe that times out after the target answered is not a verdict: the engine stalled (on a loaded
// machine, it is the engine that slows down, not the loopback target). Made real here by freezing the
// engine's own network process (SIGSTOP) the moment the request reaches the target, for longer than
// the probe waits, then letting it go on (SIGCONT): the first attempt times out although the target
// answered, and the cell is the attempt made again on a fresh URL.
import fs from 'node:fs';
import { test, expect } from '../../harness/matrix/catalogue-fixtures.ts';
import { builtinScenarios } from '../../harness/catalogue/categories.ts';
import { runCatalogueScenario } from '../../harness/matrix/scenario-run.ts';
import { PROBE_TIMEOUT_MS } from '../../harness/settings.ts';

/**
 * The engine's network processes: descendants of this worker whose command line names them (one
 * per Chromium; one per MiniBrowser, and a WebKitGTK worker may have started several).
 */
function networkProcesses(pattern: RegExp): number[] {
  const parent = new Map<number, number>();
  const cmd = new Map<number, string>();
  for (const d of fs.readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      cmd.set(Number(d), fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' '));
    } catch { /* gone */ }
  }
  const mine = (pid: number): boolean => { for (let p = pid, n = 0; p > 1 && n < 50; p = parent.get(p) ?? 0, n++) if (p === process.pid) return true; return false; };
  // None found is said by the test's assertion ("froze nothing"), not thrown in the target's handler.
  return [...cmd].filter(([pid, c]) => pattern.test(c) && mine(pid)).map(([pid]) => pid);
}

const NETWORK_PROCESS: Record<string, RegExp | null> = {
  chromium: /--utility-sub-type=network\.mojom\.NetworkService/,
  webkit: /WebKitNetworkProcess/,
  // Firefox's networking runs in its parent process, which also carries WebDriver BiDi: freezing it
  // would freeze the driver the harness reads the page through, not the engine alone.
  firefox: null,
};

test('a probe that timed out after the target answered is probed again on a fresh URL, and the cell says so', async ({ session, engineId }) => {
  const pattern = NETWORK_PROCESS[engineId];
  test.skip(!pattern, 'Firefox\'s network stack shares its process with the driver');
  test.setTimeout(150_000); // up to three attempts at the stall, each a probe timeout and a re-probe
  const scenario = builtinScenarios.find((s) => s.id === 'acao-star')!;
  // Found when the request arrives, not before: Chromium may have restarted its network service
  // since the page loaded (a CI run once froze a process that was gone, and the probe simply answered).
  let pids: number[] = [];
  const signal = (sig: NodeJS.Signals, which = pids) => { for (const pid of which) { try { process.kill(pid, sig); } catch { /* gone */ } } };
  const registry = session.servers.registry;
  const record = registry.record.bind(registry);
  let frozen = 0;
  // The first request the target receives freezes the engine's network process before the target
  // answers (the answer then waits in the socket), for longer than the probe waits.
  registry.record = (key, r) => {
    if (frozen++ === 0) {
      const these = networkProcesses(pattern!);
      pids = these;
      signal('SIGSTOP', these);
      setTimeout(() => signal('SIGCONT', these), PROBE_TIMEOUT_MS + 1_500);
    }
    return record(key, r);
  };
  try {
    // The stall is this test's own doing, and making it can miss: a CI run at load 17 once saw the
    // probe answered within 407 ms, the freeze not taking hold. Made again (up to 3 times) until
    // the target saw the request while the engine was frozen; the cell's verdict is then asserted.
    let cell!: Awaited<ReturnType<typeof runCatalogueScenario>>['record']['cell'];
    const tries: string[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      frozen = 0;
      pids = [];
      cell = (await runCatalogueScenario(session, scenario, engineId)).record.cell;
      tries.push(`attempt ${attempt}: froze ${pids.join(', ') || 'nothing'}, reprobed ${JSON.stringify(cell.reprobed ?? null)}`);
      signal('SIGCONT');
      if (cell.reprobed?.length) break;
    }
    test.info().annotations.push({ type: 'stall', description: tries.join('; ') });
    expect(cell.reprobed ?? [], `${tries.join('; ')}: ${JSON.stringify(cell)}`).toHaveLength(1);
    expect(cell.reprobed![0]).toMatch(/^the engine stalled: the page heard nothing within \d+ ms although the target had answered every request it received \(GET\)$/);
    expect(cell.outcome).toBe('allowed');
    expect(cell.matchesExpected).toBe(true);
  } finally {
    registry.record = record;
    signal('SIGCONT');
  }
});
