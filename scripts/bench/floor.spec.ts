// The physical floor the catalogue is measured against (npm run bench): each engine launched once,
// one page, as many cross-origin fetch calls to unique URLs on a loopback server as the catalogue
// makes in that engine (its scenarios plus their follow-ups), every second one preflighted.
// No harness in between: no registry, no verdicts, no Playwright test per request.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import type { EngineId } from '../../harness/model/types.ts';
import { launchEngine } from '../../harness/engines/launch.ts';
import { loadScenarios } from '../../harness/matrix/load-scenarios.ts';
import { parseIsolation, placement, type Isolation } from '../../harness/model/placement.ts';
import { startOriginServer, PROBE_PATH } from '../../servers/origin.ts';
import { listen } from '../../servers/listen.ts';

/** One probe call per scenario and one per follow-up: what the catalogue asks of each engine. */
export function catalogueRequests(): number {
  return loadScenarios().reduce((n, s) => n + (s.followUp ? 2 : 1), 0);
}

/** Contexts the catalogue opens per engine beside its shared page: one per scenario that gets its own, one per lane. */
export function catalogueContexts(isolation: Isolation = parseIsolation(process.env.CORS_ISOLATION)): number {
  const places = loadScenarios().map((s) => placement(s, isolation));
  return places.filter((p) => p.kind === 'own').length + new Set(places.flatMap((p) => (p.kind === 'lane' ? [p.lane] : []))).size;
}

/** A CORS target that allows everything: the floor measures engines, not verdicts. */
async function startFloorTarget() {
  let preflights = 0;
  let actual = 0;
  const server = http.createServer((req, res) => {
    if (req.method === 'OPTIONS') {
      preflights++;
      res.writeHead(204, { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'x-floor', 'Access-Control-Allow-Methods': 'GET' });
      res.end();
      return;
    }
    actual++;
    res.writeHead(200, { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' });
    res.end('ok');
  });
  const l = await listen(server);
  return { origin: l.origin, close: l.close, counts: () => ({ preflights, actual }) };
}

// In the page: one fetch after the other, each to its own URL; odd ones carry a non-safelisted header.
const LOOP = `(async () => {
  for (let i = 0; i < arg.n; i++) {
    const init = i % 2 === 1 ? { headers: { 'x-floor': '1' } } : {};
    const res = await fetch(arg.target + '/f/' + arg.run + '/' + i, init);
    await res.text();
  }
  return arg.n;
})()`;

test('floor', async ({}, testInfo) => {
  const engineId = testInfo.project.metadata.engine as EngineId;
  const n = Number(process.env.CORSBENCH_REQUESTS ?? catalogueRequests());
  const origin = await startOriginServer();
  const target = await startFloorTarget();
  try {
    const t0 = Date.now();
    const engine = await launchEngine(engineId);
    const tLaunched = Date.now();
    const page = await engine.newPage();
    await page.goto(origin.origin + PROBE_PATH);
    const tPage = Date.now();
    await page.evaluate(LOOP, { n, target: target.origin, run: `${process.pid}-${t0}` }, 600_000);
    const tRequests = Date.now();
    // CORSBENCH_CONTEXTS=1: also what isolation costs by itself, one fresh context per isolated
    // scenario, each loading the page and making one request (reported apart, never in the floor).
    const contexts = process.env.CORSBENCH_CONTEXTS === '1' ? catalogueContexts() : 0;
    for (let i = 0; i < contexts; i++) {
      const own = await engine.newPage();
      await own.goto(origin.origin + PROBE_PATH);
      await own.evaluate(LOOP, { n: 1, target: target.origin, run: `${process.pid}-${t0}-c${i}` }, 60_000);
      await own.close();
    }
    const tContexts = Date.now();
    await page.close();
    await engine.close();
    const tClosed = Date.now();
    expect(target.counts(), 'every request reached the target').toEqual({ preflights: Math.floor(n / 2), actual: n + contexts });
    const timing = {
      engine: engineId, requests: n, preflights: Math.floor(n / 2), contexts,
      startedAt: t0, endedAt: tClosed,
      launchMs: tLaunched - t0, pageMs: tPage - tLaunched, requestsMs: tRequests - tPage, contextsMs: tContexts - tRequests, closeMs: tClosed - tContexts, totalMs: tClosed - t0,
    };
    const out = process.env.CORSBENCH_OUT;
    if (out) fs.writeFileSync(path.join(out, `floor-${engineId}.json`), JSON.stringify(timing));
    await testInfo.attach('floor-timing', { body: JSON.stringify(timing), contentType: 'application/json' });
  } finally {
    await target.close();
    await origin.close();
  }
});
