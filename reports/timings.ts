// timings.json: where a run's time went, per engine column, from the timestamps the run took itself
// (harness/model/timings.ts): the runner's in the config's metadata, each worker's in its tests'
// attachments. Both reporters collect them and write the file beside their report; matrix.json and
// policy.json are untouched. docs/performance.md ("Where the time goes") reads it.
//
// A worker's time, from the moment its slot was free (the run's start, or the previous worker's last
// test in that slot) to its last test, splits into its start-up (process, config, spec), what its
// code recorded (engine launch, servers, contexts, page loads, probes, designed waits, replays), and
// the rest (Playwright's per-test work and the harness's own: plans, verdicts, attachments). Probes
// run several at a time and beside page loads, so a moment when several kinds of work overlap is
// shared equally among the kinds active then: the phases of a worker add up to its time.
import path from 'node:path';
import type { FullConfig, TestCase, TestResult } from '@playwright/test/reporter';
import { NESTED_IN, PHASE_KINDS, TIMINGS_CONTENT_TYPE, TIMINGS_METADATA_KEY, now, type Interval, type PhaseKind, type ProcessMarks, type TimingsAttachment } from '../harness/model/timings.ts';
import { writeAtomic } from './base.ts';

/** The phases of one column (or of the critical path), in milliseconds. */
export interface Phases {
  /** The runner: Node and Playwright's start, the config (less the input checks), loading the specs, listing the tests. */
  runner: number;
  /** The input checks (checkInputs: environment, scenario files or the policy), in the runner and again in each worker. */
  inputs: number;
  /** From the worker's slot being free to its first fixture: the previous worker's teardown, process start, config, spec. */
  workerStart: number;
  launch: number;
  configuration: number;
  servers: number;
  context: number;
  pageLoad: number;
  probe: number;
  wait: number;
  replay: number;
  /** The rest of the workers' time while tests ran: Playwright's per-test work, the harness's plans, verdicts and attachments. */
  testRunner: number;
  /** From the last test to the reporter's onEnd: idle while other workers finish, teardown of every worker, the other reporters. */
  afterTests: number;
  /** This reporter's onEnd: building and writing the reports. */
  reports: number;
}

export const PHASE_LABELS: Record<keyof Phases, string> = {
  runner: 'runner and config',
  inputs: 'input checks',
  workerStart: 'worker start',
  launch: 'engine launch',
  configuration: 'engine configuration read',
  servers: 'proxy, CA, certificates',
  context: 'contexts',
  pageLoad: 'page loads',
  probe: 'probes',
  wait: 'waits by design',
  replay: 'replays (policy)',
  testRunner: 'test runner and harness',
  afterTests: 'teardown, idle',
  reports: 'reports',
};

export interface ColumnTimings {
  workers: number;
  tests: number;
  /** Playwright's parallelIndex of each worker, in order: the slots the column ran in. */
  slots: number[];
  /** Relative to the run's start. */
  firstFixtureMs: number;
  lastTestEndMs: number;
  phases: Phases;
  /**
   * The worker start's parts: `process` from the slot being free to the worker process's start (the
   * previous worker's teardown, the fork), `boot` from there to the config's first line (Node,
   * Playwright's worker, loading the config's modules), `config` the config's body again in the worker
   * (less its input checks), `spec` loading the spec file and the fixtures up to the first.
   */
  workerStart: { process: number; boot: number; config: number; spec: number };
  /** Each kind of recorded work: how many times, and its total (concurrent ones each counted). */
  work: Record<PhaseKind, { count: number; sumMs: number }>;
}

export interface RunTimings {
  schema: 'cors-matrix-timings/1';
  generatedAt: string;
  /** What each phase key means, in the words the docs and the bench print. */
  labels: Record<keyof Phases, string>;
  /** `fixture`: a user's run of the `cors` fixture, timed by the bench (scripts/bench/fixture/). */
  mode: 'catalogue' | 'policy' | 'fixture';
  method: string;
  /** From the runner process's start to the end of this reporter's onEnd. */
  wallMs: number;
  /**
   * The runner's phases: `runnerStartMs` Node and Playwright's start up to the config's first line
   * (with transpiling the config's modules), `configMs` the config less its input checks, `listingMs`
   * loading the specs and listing the tests, up to the reporters' onBegin.
   */
  run: { runnerMs: number; runnerStartMs: number | null; configMs: number | null; listingMs: number | null; inputsMs: number; reportsMs: number; afterTestsMs: number };
  columns: Record<string, ColumnTimings>;
  /**
   * The slot that finished last, whose workers ran one after another: the run's critical path. Its
   * phases, with the runner's and the reports', add up to the wall time.
   */
  criticalPath: { slot: number; columns: string[]; phases: Phases; totalMs: number };
}

interface WorkerAcc {
  column: string;
  workerIndex: number;
  parallelIndex: number;
  marks: ProcessMarks | null;
  intervals: Interval[];
  tests: number;
  firstTestStart: number;
  lastTestEnd: number;
}

const zeroPhases = (): Phases => ({ runner: 0, inputs: 0, workerStart: 0, launch: 0, configuration: 0, servers: 0, context: 0, pageLoad: 0, probe: 0, wait: 0, replay: 0, testRunner: 0, afterTests: 0, reports: 0 });

/**
 * How the window [from, to] splits among the kinds of work in `intervals`: each moment shared equally
 * among the kinds active then (a kind nested in another, NESTED_IN, standing for both); `idle` is the
 * time no kind was.
 */
export function attribute(intervals: readonly Interval[], from: number, to: number): Record<PhaseKind, number> & { idle: number } {
  const out = { ...Object.fromEntries(PHASE_KINDS.map((k) => [k, 0])), idle: 0 } as Record<PhaseKind, number> & { idle: number };
  if (!(to > from)) return out;
  const events: Array<[number, PhaseKind, 1 | -1]> = [];
  for (const i of intervals) {
    const s = Math.max(i.s, from);
    const e = Math.min(i.e, to);
    if (e > s) events.push([s, i.k, 1], [e, i.k, -1]);
  }
  events.sort((a, b) => a[0] - b[0] || a[2] - b[2]);
  const active = new Map<PhaseKind, number>();
  let t = from;
  const spend = (until: number) => {
    const span = until - t;
    if (span <= 0) return;
    const kinds = [...active.keys()].filter((k) => !PHASE_KINDS.some((inner) => NESTED_IN[inner] === k && active.has(inner)));
    if (kinds.length === 0) out.idle += span;
    else for (const k of kinds) out[k] += span / kinds.length;
    t = until;
  };
  for (const [at, k, d] of events) {
    spend(at);
    const n = (active.get(k) ?? 0) + d;
    if (n > 0) active.set(k, n); else active.delete(k);
  }
  spend(to);
  return out;
}

const WORKER_START = ['process', 'boot', 'config', 'spec'] as const;
const round = (x: number) => Math.round(x);
const nullable = (x: number | null) => (x === null ? null : round(x));

/** Where a run's timings go, under the reporter's folder (a folder of its own: see `write`). */
export const TIMINGS_FILE = path.join('timings', 'timings.json');

/** Collects what the run's tests attached, and writes timings.json (both reporters use one). */
export class TimingsCollector {
  private workers = new Map<number, WorkerAcc>();
  private begin = now();
  private runner: ProcessMarks | null = null;

  constructor(private readonly mode: RunTimings['mode']) {}

  onBegin(config: FullConfig, at: number = now()): void {
    this.begin = at;
    this.runner = (config.metadata?.[TIMINGS_METADATA_KEY] as ProcessMarks | undefined) ?? null;
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    // Not run in a worker, or a result without its start (a hand-made one): nothing to time.
    if (result.workerIndex < 0 || !(result.startTime instanceof Date)) return;
    const column = projectOf(test);
    let w = this.workers.get(result.workerIndex);
    const start = result.startTime.getTime();
    const end = start + result.duration;
    if (!w) {
      w = { column, workerIndex: result.workerIndex, parallelIndex: result.parallelIndex, marks: null, intervals: [], tests: 0, firstTestStart: start, lastTestEnd: end };
      this.workers.set(result.workerIndex, w);
    }
    w.tests++;
    w.firstTestStart = Math.min(w.firstTestStart, start);
    w.lastTestEnd = Math.max(w.lastTestEnd, end);
    for (const a of result.attachments) {
      if (a.contentType !== TIMINGS_CONTENT_TYPE || !a.body) continue;
      const { intervals, dropped: _dropped, takenAt, ...marks } = JSON.parse(a.body.toString('utf8')) as TimingsAttachment;
      w.marks = { ...w.marks, ...marks };
      // The worker's own clock: start + duration leaves out the worker fixtures a test started.
      if (takenAt !== undefined) w.lastTestEnd = Math.max(w.lastTestEnd, takenAt);
      for (const i of intervals) w.intervals.push(i);
    }
  }

  /** The run's timings; `reportsStart` is when this reporter's onEnd began. */
  build(reportsStart: number, end: number = now()): RunTimings | null {
    if (this.workers.size === 0) return null;
    const runStart = this.runner?.processStart ?? performance.timeOrigin;
    const runnerInputs = this.runner?.inputsEnd !== undefined && this.runner.inputsStart !== undefined ? this.runner.inputsEnd - this.runner.inputsStart : 0;
    const r = this.runner;
    const run = {
      runnerMs: this.begin - runStart - runnerInputs,
      runnerStartMs: r?.configStart !== undefined ? r.configStart - runStart : null,
      configMs: r?.configStart !== undefined && r.configEnd !== undefined ? r.configEnd - r.configStart - runnerInputs : null,
      listingMs: r?.configEnd !== undefined ? this.begin - r.configEnd : null,
      inputsMs: runnerInputs,
      reportsMs: end - reportsStart,
      afterTestsMs: 0,
    };
    // Workers in the order they held their slot.
    const bySlot = new Map<number, WorkerAcc[]>();
    for (const w of this.workers.values()) {
      const list = bySlot.get(w.parallelIndex) ?? [];
      list.push(w);
      bySlot.set(w.parallelIndex, list);
    }
    const phasesOf = new Map<WorkerAcc, Phases>();
    const startOf = new Map<WorkerAcc, ColumnTimings['workerStart']>();
    for (const list of bySlot.values()) {
      list.sort((a, b) => (a.marks?.processStart ?? a.firstTestStart) - (b.marks?.processStart ?? b.firstTestStart));
      let free = this.begin;
      list.forEach((w, i) => {
        const p = zeroPhases();
        const m = w.marks;
        const fixtures = m?.fixturesStart ?? w.firstTestStart;
        const inputs = m?.inputsEnd !== undefined && m.inputsStart !== undefined ? m.inputsEnd - m.inputsStart : 0;
        p.inputs = inputs;
        p.workerStart = Math.max(0, fixtures - free - inputs);
        const started = m?.processStart ?? free;
        const booted = m?.configStart ?? started;
        const configured = m?.configEnd ?? booted;
        startOf.set(w, { process: Math.max(0, started - free), boot: Math.max(0, booted - started), config: Math.max(0, configured - booted - inputs), spec: Math.max(0, fixtures - configured) });
        const a = attribute(w.intervals, fixtures, w.lastTestEnd);
        for (const k of PHASE_KINDS) p[k] = a[k];
        p.testRunner = a.idle;
        // The slot's last worker waits for the run's end; an earlier one's teardown is its successor's start.
        if (i === list.length - 1) p.afterTests = Math.max(0, reportsStart - w.lastTestEnd);
        phasesOf.set(w, p);
        free = w.lastTestEnd;
      });
    }
    const columns: Record<string, ColumnTimings> = {};
    for (const w of [...this.workers.values()].sort((a, b) => a.workerIndex - b.workerIndex)) {
      const c = columns[w.column] ??= {
        workers: 0, tests: 0, slots: [], firstFixtureMs: Infinity, lastTestEndMs: 0, phases: zeroPhases(), workerStart: { process: 0, boot: 0, config: 0, spec: 0 },
        work: Object.fromEntries(PHASE_KINDS.map((k) => [k, { count: 0, sumMs: 0 }])) as ColumnTimings['work'],
      };
      c.workers++;
      c.tests += w.tests;
      c.slots.push(w.parallelIndex);
      c.firstFixtureMs = Math.min(c.firstFixtureMs, (w.marks?.fixturesStart ?? w.firstTestStart) - runStart);
      c.lastTestEndMs = Math.max(c.lastTestEndMs, w.lastTestEnd - runStart);
      const p = phasesOf.get(w)!;
      for (const k of Object.keys(p) as Array<keyof Phases>) c.phases[k] += p[k];
      const ws = startOf.get(w)!;
      for (const k of WORKER_START) c.workerStart[k] += ws[k];
      for (const i of w.intervals) { c.work[i.k].count++; c.work[i.k].sumMs += i.e - i.s; }
    }
    for (const c of Object.values(columns)) {
      c.firstFixtureMs = round(c.firstFixtureMs);
      c.lastTestEndMs = round(c.lastTestEndMs);
      for (const k of Object.keys(c.phases) as Array<keyof Phases>) c.phases[k] = round(c.phases[k]);
      for (const k of PHASE_KINDS) c.work[k].sumMs = round(c.work[k].sumMs);
      for (const k of WORKER_START) c.workerStart[k] = round(c.workerStart[k]);
    }
    // The critical path: the slot whose last test ended last.
    const [slot, chain] = [...bySlot.entries()].sort((a, b) => Math.max(...b[1].map((w) => w.lastTestEnd)) - Math.max(...a[1].map((w) => w.lastTestEnd)))[0];
    const critical = zeroPhases();
    for (const w of chain) {
      const p = phasesOf.get(w)!;
      for (const k of Object.keys(p) as Array<keyof Phases>) critical[k] += p[k];
    }
    run.afterTestsMs = critical.afterTests;
    critical.runner = run.runnerMs;
    critical.inputs += run.inputsMs;
    critical.reports = run.reportsMs;
    for (const k of Object.keys(critical) as Array<keyof Phases>) critical[k] = round(critical[k]);
    return {
      schema: 'cors-matrix-timings/1',
      generatedAt: new Date().toISOString(),
      labels: PHASE_LABELS,
      mode: this.mode,
      method: 'timestamps taken by the run itself: the runner\'s (config metadata) and each worker\'s (a test attachment); '
        + 'a worker\'s phases run from its slot being free to its last test, overlapping work shared equally among the kinds active at once; '
        + 'columns run side by side, so the wall time is the critical path\'s phases, not the columns\' sum',
      wallMs: round(end - runStart),
      run: { runnerMs: round(run.runnerMs), runnerStartMs: nullable(run.runnerStartMs), configMs: nullable(run.configMs), listingMs: nullable(run.listingMs), inputsMs: round(run.inputsMs), reportsMs: round(run.reportsMs), afterTestsMs: round(run.afterTestsMs) },
      columns,
      criticalPath: { slot, columns: chain.map((w) => w.column), phases: critical, totalMs: round(Object.values(critical).reduce((a, b) => a + b, 0)) },
    };
  }

  /**
   * Writes timings/timings.json under `dir`: in a folder of its own, because `dir/*.json` are the
   * contract's reports (SPEC.md section 5; `check-contract.mjs reports/out/*.json` reads each as one) (not for merge-reports: the shards' clocks are other machines').
   * Never fails the run: timings are reported, not part of its verdict.
   */
  write(dir: string, reportsStart: number): void {
    if (process.argv.includes('merge-reports')) return;
    try {
      const t = this.build(reportsStart);
      if (t) writeAtomic(path.join(dir, TIMINGS_FILE), JSON.stringify(t, null, 2) + '\n');
    } catch (e) {
      process.stderr.write(`cors-matrix: could not write timings.json: ${(e as Error).message}\n`);
    }
  }
}

function projectOf(test: TestCase): string {
  let s = test.parent;
  while (s && !s.project()) s = s.parent!;
  return s?.project()?.name ?? 'unknown';
}
