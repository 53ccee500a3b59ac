// The worker's batch (harness/matrix/batch.ts): scenarios run ahead of their tests and several at once,
// but every cell goes to exactly one test, a jump in the test order stops running ahead, and the
// limits hold. Runs are fake here (a promise the test settles); engines are tested end to end.
import { test, expect } from '@playwright/test';
import { Batch, kindOf, parseBatchSetting, type BatchLimits } from '../../harness/matrix/batch.ts';
import type { Scenario } from '../../harness/model/types.ts';

const scenario = (id: string, over: Partial<Scenario> = {}): Scenario => ({
  id, title: id, category: 'test',
  request: { api: 'fetch', method: 'GET', headers: {}, credentials: 'omit', body: null },
  response: { status: 200, headers: [] },
  ...over,
});

/** A fake run: records what started, and each run ends when the test says so. */
function fakeRuns() {
  const started: string[] = [];
  const pending = new Map<string, Array<(v: string) => void>>();
  let inFlight = 0;
  let peak = 0;
  const run = (s: Scenario) => {
    started.push(s.id);
    inFlight++;
    peak = Math.max(peak, inFlight);
    return new Promise<string>((resolve) => {
      const list = pending.get(s.id) ?? [];
      list.push((v) => { inFlight--; resolve(v); });
      pending.set(s.id, list);
    });
  };
  const finish = (id: string) => { const f = pending.get(id)?.shift(); if (!f) throw new Error(`${id} is not running`); f(`cell of ${id}`); };
  const finishAll = () => { for (const id of [...pending.keys()]) while (pending.get(id)!.length) finish(id); };
  return { run, started, finish, finishAll, peak: () => peak };
}

const limits = (over: Partial<BatchLimits> = {}): BatchLimits => ({ shared: 4, isolated: 1, lanes: 2, ahead: 8, ...over });
const tick = () => new Promise((r) => setImmediate(r));

test('tests asked for in catalogue order open a window: later scenarios start before their tests', async () => {
  const order = Array.from({ length: 12 }, (_, i) => scenario(`s${i}`));
  const f = fakeRuns();
  const b = new Batch(order, f.run, limits());
  for (let i = 0; i < 4; i++) {
    const cell = b.result(order[i]);
    f.finish(`s${i}`);
    expect(await cell).toBe(`cell of s${i}`);
  }
  // After four consecutive tests the window reaches ahead, at most `shared` at a time.
  expect(f.started.length).toBeGreaterThan(4);
  expect(f.peak()).toBeLessThanOrEqual(4 + 1);
  f.finishAll();
  await b.close();
});

test('every cell goes to one test, and a scenario asked for again runs again', async () => {
  const order = [scenario('a'), scenario('b')];
  const f = fakeRuns();
  const b = new Batch(order, f.run, limits());
  const first = b.result(order[0]);
  f.finish('a');
  expect(await first).toBe('cell of a');
  const again = b.result(order[0]);
  expect(f.started.filter((id) => id === 'a')).toHaveLength(2);
  f.finish('a');
  expect(await again).toBe('cell of a');
  await b.close();
});

test('a jump in the test order (a --grep, another shard) starts nothing ahead', async () => {
  const order = Array.from({ length: 20 }, (_, i) => scenario(`s${i}`));
  const f = fakeRuns();
  const b = new Batch(order, f.run, limits());
  for (const i of [2, 7, 11, 15]) {
    const cell = b.result(order[i]);
    f.finish(`s${i}`);
    await cell;
  }
  expect(f.started).toEqual(['s2', 's7', 's11', 's15']);
  await b.close();
  expect(b.wasted).toBe(0);
});

test('CORS_BATCH=0: one scenario at a time, in test order, nothing ahead', async () => {
  const order = Array.from({ length: 6 }, (_, i) => scenario(`s${i}`));
  const f = fakeRuns();
  const b = new Batch(order, f.run, parseBatchSetting('0'));
  for (let i = 0; i < 6; i++) {
    const cell = b.result(order[i]);
    await tick();
    expect(f.started).toEqual(order.slice(0, i + 1).map((s) => s.id));
    f.finish(`s${i}`);
    await cell;
  }
  expect(f.peak()).toBe(1);
  await b.close();
});

test('scenarios with their own context stay under their own limit; slow ones start first', async () => {
  // Cookies on the loopback pair: a context of their own (cookies ignore the port).
  const own: Partial<Scenario> = { cookies: [{ name: 'sid', value: '1', attributes: 'Path=/' }] };
  const order = [
    scenario('p0'), scenario('p1'), scenario('p2'),
    scenario('iso1', own), scenario('hang', { response: { status: 200, headers: [], fault: 'hang' } }),
    scenario('iso2', own), scenario('iso3', own), scenario('plain'),
  ];
  const f = fakeRuns();
  const b = new Batch(order, f.run, limits({ shared: 8, isolated: 1, lanes: 2, ahead: 32 }));
  for (let i = 0; i < 3; i++) {
    const cell = b.result(order[i]);
    f.finish(`p${i}`);
    await cell;
  }
  // The window now covers iso1 and the hang: the hang starts first.
  expect(f.started.slice(3)).toEqual(['hang', 'iso1']);
  // Asking for iso1 widens the window; iso2 waits for iso1's context to end (one at a time).
  const iso1 = b.result(order[3]);
  expect(f.started.slice(5)).toEqual(['plain']);
  f.finish('iso1');
  await iso1;
  await tick();
  expect(f.started.slice(6)).toEqual(['iso2']);
  f.finishAll();
  await b.close();
  expect(b.wasted).toBe(3);
});

test('lane scenarios count against the lanes limit, not the shared page or the isolated one', async () => {
  const sites = { sites: { page: 'https://app.site-a.test', target: 'https://api.site-b.test' } };
  const order = [scenario('p0'), scenario('p1'), scenario('p2'), scenario('p3'), scenario('l1', sites), scenario('l2', sites), scenario('l3', sites), scenario('x1')];
  expect(kindOf(order[4])).toBe('lanes');
  expect(kindOf(order[4], 'contexts')).toBe('isolated');
  expect(kindOf(scenario('f', { followUp: {} }))).toBe('isolated');
  expect(kindOf(scenario('f', { followUp: {} }), 'contexts')).toBe('isolated');
  expect(kindOf(scenario('f', { ...sites, followUp: {} }))).toBe('lanes');
  expect(kindOf(scenario('p', { page: { origin: 'public', localNetworkAccess: 'grant' } }))).toBe('lanes');
  expect(kindOf(scenario('p', { page: { origin: 'public', localNetworkAccess: 'grant' } }), 'contexts')).toBe('isolated');
  const f = fakeRuns();
  const b = new Batch(order, f.run, limits({ shared: 8, isolated: 1, lanes: 2, ahead: 32 }));
  for (let i = 0; i < 4; i++) {
    const cell = b.result(order[i]);
    if (f.started.includes(`p${i}`)) f.finish(`p${i}`);
    await cell;
  }
  // The window covers l1..x1: two lane scenarios at once (l3 waits), and the shared one beside them.
  expect(f.started.filter((id) => !id.startsWith('p')).sort()).toEqual(['l1', 'l2', 'x1']);
  f.finishAll();
  await b.close();
});

test('a run that fails fails its own test only, and unclaimed failures do not escape', async () => {
  const order = [scenario('ok'), scenario('bad'), scenario('later')];
  const b = new Batch(order, async (s) => { if (s.id !== 'ok') throw new Error(`${s.id} broke`); return s.id; }, limits());
  expect(await b.result(order[0])).toBe('ok');
  await expect(b.result(order[1])).rejects.toThrow('bad broke');
  await b.close();
});

test('CORS_BATCH settings', () => {
  expect(parseBatchSetting(undefined)).toEqual({ shared: 8, isolated: 1, lanes: 2, ahead: 32 });
  expect(parseBatchSetting('0')).toEqual({ shared: 1, isolated: 1, lanes: 1, ahead: 0 });
  expect(parseBatchSetting('shared=3,ahead=5')).toEqual({ shared: 3, isolated: 1, lanes: 2, ahead: 5 });
  expect(parseBatchSetting('lanes=4')).toEqual({ shared: 8, isolated: 1, lanes: 4, ahead: 32 });
  expect(() => parseBatchSetting('fast')).toThrow(/not understood/);
});

test('a run started ahead that throws at once does not fail the test that was asked for', async () => {
  const order = [scenario('a'), scenario('b'), scenario('c'), scenario('d')];
  const b = new Batch(order, (s) => { if (s.id === 'd') throw new Error('d cannot start'); return Promise.resolve(s.id); }, limits());
  for (const s of order.slice(0, 3)) expect(await b.result(s)).toBe(s.id);
  await expect(b.result(order[3])).rejects.toThrow('d cannot start');
  await b.close();
});
