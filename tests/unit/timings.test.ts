// timings.json (reports/timings.ts): overlapping work shared among the kinds active at once, and a
// run's phases built from the marks and intervals its tests attach, adding up to its wall time.
import { test, expect } from '@playwright/test';
import type { FullConfig, TestCase, TestResult } from '@playwright/test/reporter';
import { attribute, TimingsCollector } from '../../reports/timings.ts';
import { TIMINGS_CONTENT_TYPE, TIMINGS_METADATA_KEY, record, takeTimings, timed, type Interval, type TimingsAttachment } from '../../harness/model/timings.ts';

test('a moment of overlapping work is shared equally among the kinds active then; the rest is idle', () => {
  const intervals: Interval[] = [
    { k: 'probe', s: 0, e: 100 },
    { k: 'probe', s: 50, e: 100 }, // a second probe at once: still one kind
    { k: 'context', s: 50, e: 150 },
    { k: 'wait', s: 300, e: 400 }, // past the window: cut at its end
  ];
  const a = attribute(intervals, 0, 350);
  expect(a.probe).toBe(50 + 25);
  expect(a.context).toBe(25 + 50);
  expect(a.wait).toBe(50);
  expect(a.idle).toBe(150);
  expect(a.probe + a.context + a.wait + a.idle + a.launch + a.servers + a.pageLoad + a.replay).toBe(350);
  // The engine's configuration, read inside its launch, takes that time from the launch.
  const nested = attribute([{ k: 'launch', s: 0, e: 100 }, { k: 'configuration', s: 60, e: 90 }], 0, 100);
  expect([nested.launch, nested.configuration]).toEqual([70, 30]);
});

test('the clock hands each interval over once, with the marks', async () => {
  takeTimings();
  record('probe', 1, 2);
  await timed('launch', async () => {});
  const first = takeTimings();
  expect(first.intervals.map((i) => i.k)).toEqual(['probe', 'launch']);
  expect(first.processStart).toBe(performance.timeOrigin);
  expect(takeTimings().intervals).toEqual([]);
});

function testCase(project: string): TestCase {
  const projectSuite = { project: () => ({ name: project }), parent: undefined };
  return { parent: { project: () => undefined, parent: projectSuite } } as unknown as TestCase;
}

function result(workerIndex: number, parallelIndex: number, start: number, duration: number, body?: TimingsAttachment): TestResult {
  return {
    workerIndex, parallelIndex, startTime: new Date(start), duration,
    attachments: body ? [{ name: 'cors-timings', contentType: TIMINGS_CONTENT_TYPE, body: Buffer.from(JSON.stringify(body)) }] : [],
  } as unknown as TestResult;
}

test('a run\'s phases per column, and the critical path adding up to the wall time', () => {
  const t0 = 1_000_000;
  const c = new TimingsCollector('catalogue');
  const begin = t0 + 1000;
  c.onBegin({ metadata: { [TIMINGS_METADATA_KEY]: { pid: 1, processStart: t0, configStart: t0 + 100, inputsStart: t0 + 200, inputsEnd: t0 + 300, configEnd: t0 + 400 } } } as unknown as FullConfig, begin);
  const worker = (pid: number, start: number, fixtures: number, intervals: Interval[]): TimingsAttachment => ({
    pid, processStart: start, configStart: start + 10, inputsStart: start + 20, inputsEnd: start + 30, configEnd: start + 40, fixturesStart: fixtures, intervals, dropped: 0, takenAt: 0,
  });
  // Slot 0: chromium, then chromium-users; slot 1: webkit, which ends last.
  c.onTestEnd(testCase('chromium'), result(0, 0, begin + 1000, 500, worker(11, begin + 100, begin + 500, [{ k: 'launch', s: begin + 500, e: begin + 1200 }])));
  c.onTestEnd(testCase('chromium'), result(0, 0, begin + 1500, 500, { ...worker(11, begin + 100, begin + 500, [{ k: 'probe', s: begin + 1500, e: begin + 1900 }]) }));
  c.onTestEnd(testCase('chromium-users'), result(2, 0, begin + 2500, 500, worker(12, begin + 2100, begin + 2400, [{ k: 'context', s: begin + 2400, e: begin + 2600 }])));
  // A test's duration leaves out the worker fixtures it started: its end is when it handed its timings over.
  c.onTestEnd(testCase('webkit'), result(1, 1, begin + 1000, 1000, { ...worker(13, begin + 200, begin + 600, [{ k: 'launch', s: begin + 600, e: begin + 900 }, { k: 'probe', s: begin + 1000, e: begin + 5000 }]), takenAt: begin + 5000 }));
  const reportsStart = begin + 5200;
  const t = c.build(reportsStart, reportsStart + 50)!;

  expect(t.wallMs).toBe(Math.round(reportsStart + 50 - t0));
  expect(t.run.inputsMs).toBe(100);
  expect(t.run.runnerStartMs).toBe(100);
  expect(t.run.configMs).toBe(200);
  expect(t.run.reportsMs).toBe(50);
  const chromium = t.columns.chromium;
  expect(chromium.tests).toBe(2);
  expect(chromium.phases.inputs).toBe(10);
  expect(chromium.phases.workerStart).toBe(490);
  expect(chromium.workerStart).toEqual({ process: 100, boot: 10, config: 20, spec: 360 });
  expect(chromium.phases.launch).toBe(700);
  expect(chromium.phases.probe).toBe(400);
  expect(chromium.phases.testRunner).toBe(2000 - 500 - 700 - 400);
  // Not the slot's last worker: its teardown is in chromium-users' start.
  expect(chromium.phases.afterTests).toBe(0);
  expect(t.columns['chromium-users'].phases.workerStart).toBe(2400 - 2000 - 10);
  expect(t.columns['chromium-users'].phases.afterTests).toBe(5200 - 3000);
  expect(t.criticalPath.columns).toEqual(['webkit']);
  expect(t.criticalPath.phases.probe).toBe(4000);
  expect(t.criticalPath.phases.afterTests).toBe(200);
  expect(t.criticalPath.totalMs).toBe(t.wallMs);
});
