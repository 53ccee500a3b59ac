// A worker's scenarios run ahead of its tests, several at once in the worker's engine, while the
// catalogue keeps one Playwright test per scenario per engine (the reporter, --grep, --shard, JUnit
// and retries see exactly what they saw before): each test only awaits its own scenario's cell.
//
// A worker cannot see which tests it will get (Playwright hands them over one at a time), so the
// batch reads the order they arrive in. A test for the scenario right after the previous one is a
// sign of a full run and widens a window of scenarios started ahead (doubling, up to `ahead`); a
// jump (a --grep, the start of a shard, tests spread over several workers) closes it. Work started
// ahead for a test that never comes is dropped, never handed to anyone else; every cell goes to one
// test, and a scenario asked for twice runs twice.
//
// Isolation is the run's business (harness/model/placement.ts says where each scenario runs);
// the batch only keeps the number of scenarios that start browser processes low, and lets lane
// scenarios (one at a time per lane) wait without holding the shared page's places (DEFAULT_LIMITS).
import type { Scenario } from '../model/types.ts';
import { placement, type Isolation } from '../model/placement.ts';
import { DEFAULT_LIMITS, type BatchLimits } from '../settings.ts';

export { DEFAULT_LIMITS, parseBatchSetting, type BatchLimits } from '../settings.ts';


export type Kind = keyof Omit<BatchLimits, 'ahead'>;

/**
 * Which limit a scenario counts against: `isolated` when it starts browser processes while it runs
 * (a context of its own, or a sandboxed frame: Chromium gives each opaque-origin frame a renderer),
 * `lanes` in a lane, else `shared`.
 */
export function kindOf(s: Scenario, isolation: Isolation = 'lanes'): Kind {
  const where = placement(s, isolation);
  if (where.kind === 'own' || s.page?.origin === 'sandboxed') return 'isolated';
  return where.kind === 'lane' ? 'lanes' : 'shared';
}

/** Scenarios slow by design (a target that hangs or trickles): started first within the window. */
export function slowByDesign(s: Scenario): boolean {
  const slow = (f: string | undefined) => f === 'hang' || f === 'slow-body' || f === 'endless-body';
  return slow(s.response.fault) || slow(s.preflight?.fault) || (s.redirects ?? []).some((h) => slow(h.fault));
}

interface Running<T> {
  result: Promise<T>;
}

export class Batch<T> {
  private readonly position = new Map<string, number>();
  /** Each scenario's limit, by its position in `order`: its placement, decided once. */
  private readonly kinds: Kind[];
  private readonly running = new Map<number, Running<T>>();
  private queue: number[] = [];
  private window = 0;
  private last = -2;
  private inFlight: Record<Kind, number> = { shared: 0, isolated: 0, lanes: 0 };
  private closed = false;
  /** Scenarios started ahead and never asked for (counted when the batch closes). */
  wasted = 0;

  constructor(
    private readonly order: readonly Scenario[],
    private readonly run: (s: Scenario) => Promise<T>,
    private readonly limits: BatchLimits = DEFAULT_LIMITS,
    isolation: Isolation = 'lanes',
  ) {
    order.forEach((s, i) => this.position.set(s.id, i));
    this.kinds = order.map((s) => kindOf(s, isolation));
  }

  /** The cell of `scenario`: already running ahead, or started now (never held back by the limits). */
  result(scenario: Scenario): Promise<T> {
    const i = this.position.get(scenario.id);
    if (i === undefined || this.order[i] !== scenario || this.closed) return this.run(scenario);
    this.window = i === this.last + 1 ? Math.min(this.limits.ahead, Math.max(1, this.window * 2)) : 0;
    this.last = i;
    // Queued work before this test will not be asked for in this worker: tests run in catalogue order.
    this.queue = this.queue.filter((j) => j > i);
    const mine = this.running.get(i) ?? this.start(i);
    this.running.delete(i);
    for (let j = i + 1; j <= Math.min(i + this.window, this.order.length - 1); j++) {
      if (!this.running.has(j) && !this.queue.includes(j)) this.queue.push(j);
    }
    this.pump();
    return mine.result;
  }

  private pump(): void {
    if (this.closed) return;
    const rank = (j: number) => (slowByDesign(this.order[j]) ? 0 : this.kind(j) !== 'shared' ? 1 : 2);
    this.queue.sort((a, b) => rank(a) - rank(b) || a - b);
    this.queue = this.queue.filter((j) => {
      const kind = this.kind(j);
      if (this.inFlight[kind] >= this.limits[kind]) return true;
      this.running.set(j, this.start(j));
      return false;
    });
  }

  private kind(j: number): Kind {
    return this.kinds[j];
  }

  private start(j: number): Running<T> {
    const kind = this.kind(j);
    this.inFlight[kind]++;
    // Async, so a run that throws at once (say, its expectation cannot be resolved) fails its own test.
    const result = (async () => this.run(this.order[j]))().finally(() => {
      this.inFlight[kind]--;
      this.pump();
    });
    // A run nobody asks for must not end the worker with an unhandled rejection.
    result.catch(() => {});
    return { result };
  }

  /** Stop starting work and wait for what is in flight (each run is bounded by the probe timeouts). */
  async close(): Promise<void> {
    this.closed = true;
    this.queue = [];
    this.wasted += this.running.size;
    await Promise.allSettled([...this.running.values()].map((r) => r.result));
    this.running.clear();
  }
}
