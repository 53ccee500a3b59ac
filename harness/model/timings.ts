// Where a run's time goes (docs/performance.md, "Where the time goes"): each process of the run
// (the runner, each worker) takes timestamps where a phase starts and ends, and the workers hand
// theirs to the reporters as a test attachment, like the cells. The reporters add them up per
// engine into timings.json (reports/timings.ts). Timestamps are epoch milliseconds (fractional), so
// those of the runner and of the workers, all on this machine, are on one clock.
//
// The clock is per process and needs no import: `performance` and `globalThis` are globals. It is
// kept on globalThis, so the config, the fixtures and the probe code of one worker share it even if
// a loader gave them two copies of this module.

/** What a worker spends its time on, as its code says it (the reporters add the rest). */
export type PhaseKind =
  /** Launching the engine (Playwright's launch, or Xvfb for WebKitGTK). */
  | 'launch'
  /** Reading the engine's configuration for the reports (inside its launch: it counts for this, not for `launch`). */
  | 'configuration'
  /** Origin and target servers, the proxies, the run's CA and each certificate it issues (an openssl run). */
  | 'servers'
  /** Opening a context (a page with its own state; in WebKitGTK a WebKitWebDriver and MiniBrowser) or closing one. */
  | 'context'
  /** A navigation: the probe page on an origin, a sign-in visit. */
  | 'pageLoad'
  /** A probe in the page: the request under test, from the page's call to its answer. */
  | 'probe'
  /**
   * Waits by design: the engine's message trailing the script result, the exchanges the proxy has
   * not finished, a probe of a target that hangs or trickles on purpose.
   */
  | 'wait'
  /** Policy mode: a check's request made again outside the browser (evidence for a finding). */
  | 'replay';

export const PHASE_KINDS: readonly PhaseKind[] = ['launch', 'configuration', 'servers', 'context', 'pageLoad', 'probe', 'wait', 'replay'];

/**
 * A kind recorded inside another's interval takes that time for itself: an engine's configuration,
 * read during its launch; a certificate the CA issues while a page load waits for it.
 */
export const NESTED_IN: Partial<Record<PhaseKind, PhaseKind>> = { configuration: 'launch', servers: 'pageLoad' };

/** One stretch of work: its kind, start and end. */
export interface Interval { k: PhaseKind; s: number; e: number }

/** A process's start and its config's marks (the config runs in the runner and again in each worker). */
export interface ProcessMarks {
  pid: number;
  /** When the process started (performance.timeOrigin). */
  processStart: number;
  configStart?: number;
  inputsStart?: number;
  inputsEnd?: number;
  configEnd?: number;
  /** The first worker fixture's start. */
  fixturesStart?: number;
}

/** What a test attaches: its worker's marks, and the intervals that ended since the previous attachment. */
export interface TimingsAttachment extends ProcessMarks {
  /**
   * When the test handed it over, at the end of its fixtures: the test's end on the worker's clock
   * (a test's reported duration leaves out the worker fixtures it started).
   */
  takenAt: number;
  intervals: Interval[];
  /** Intervals dropped because the buffer was full (never, in a run whose tests attach). */
  dropped: number;
}

export const TIMINGS_CONTENT_TYPE = 'application/vnd.cors-matrix.timings+json';
/** The runner's marks, in the config's metadata (the reporters read them there). */
export const TIMINGS_METADATA_KEY = 'corsTimings';

/** Intervals kept between two attachments; more are counted, not kept (a spec of the user's own never attaches). */
const MAX_BUFFERED = 50_000;

interface Clock { marks: ProcessMarks; intervals: Interval[]; dropped: number }

function clock(): Clock {
  const g = globalThis as { [k: symbol]: Clock | undefined };
  const key = Symbol.for('cors-matrix.timings');
  return (g[key] ??= { marks: { pid: typeof process === 'undefined' ? 0 : process.pid, processStart: performance.timeOrigin }, intervals: [], dropped: 0 });
}

/** Now, in epoch milliseconds, with the precision of performance.now(). */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

/** Records one stretch of work that has ended. */
export function record(k: PhaseKind, s: number, e: number = now()): void {
  const c = clock();
  if (c.intervals.length >= MAX_BUFFERED) { c.dropped++; return; }
  c.intervals.push({ k, s, e });
}

/** Runs `fn` and records how long it took, whether it resolved or threw. */
export async function timed<T>(k: PhaseKind, fn: () => Promise<T>): Promise<T> {
  const s = now();
  try { return await fn(); } finally { record(k, s); }
}

type Mark = Exclude<keyof ProcessMarks, 'pid' | 'processStart'>;

/** Sets a mark of this process (`fixturesStart` keeps the earliest). */
export function mark(name: Mark, at: number = now()): number {
  const m = clock().marks;
  if (name !== 'fixturesStart' || m.fixturesStart === undefined || at < m.fixturesStart) m[name] = at;
  return at;
}

/** This process's marks so far. */
export function processMarks(): ProcessMarks {
  return { ...clock().marks };
}

/** The attachment a test carries: the marks, and the intervals recorded since the last one (taken). */
export function takeTimings(): TimingsAttachment {
  const c = clock();
  const out = { ...c.marks, takenAt: now(), intervals: c.intervals, dropped: c.dropped };
  c.intervals = [];
  c.dropped = 0;
  return out;
}
