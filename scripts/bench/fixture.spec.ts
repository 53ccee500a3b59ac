// The cors fixture against its own floor (npm run bench -- --fixture-runs N): a user's Playwright run
// of fifteen tests with `cors-matrix/test` (scripts/bench/fixture/: the package's sources in place of
// the package) in every engine, against the package test's API (tests/fixtures/policy/reflecting-api.ts),
// timed from spawn to exit of `playwright test`; the same run with one test failing on purpose
// (Playwright restarts that worker, which must connect to the browser the run launched, not launch
// another); and the floor (check-floor.mjs: the same fifteen requests, the engines launched once, all
// at once, a page load per origin, no test runner). The three take turns. Each fixture run counts the
// browsers it launched by their processes, and its workers and the browsers its tests reported from
// Playwright's JSON report. The result goes to $CORSBENCH_OUT/fixture.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from '@playwright/test';
import { startReflectingApi } from '../../tests/fixtures/policy/reflecting-api.ts';
import { CASES } from './fixture/requests.ts';
import { CLI, floorRun, inTurn, readJson, run, writeFloorPlan } from './child-runs.ts';

const CONFIG = path.join('scripts', 'bench', 'fixture', 'playwright.config.ts');

interface JsonSuite { suites?: JsonSuite[]; specs?: Array<{ tests: Array<{ projectName: string; annotations?: Annotation[]; results: Array<{ workerIndex: number; annotations?: Annotation[] }> }> }> }
interface Annotation { type: string; description?: string }

/** Per project (an engine): the workers its tests ran in, and the browser processes they reported. */
function perProject(report: { suites?: JsonSuite[] }) {
  const workers: Record<string, Set<number>> = {};
  const browsers: Record<string, Set<string>> = {};
  const visit = (suite: JsonSuite) => {
    for (const s of suite.suites ?? []) visit(s);
    for (const t of (suite.specs ?? []).flatMap((s) => s.tests)) {
      for (const r of t.results) {
        (workers[t.projectName] ??= new Set()).add(r.workerIndex);
        for (const a of [...(t.annotations ?? []), ...(r.annotations ?? [])]) {
          if (a.type === 'engineProcessId' && a.description !== 'null') (browsers[t.projectName] ??= new Set()).add(a.description!);
        }
      }
    }
  };
  for (const s of report.suites ?? []) visit(s);
  const count = (m: Record<string, Set<unknown>>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v.size]));
  return { workers: count(workers), reportedBrowsers: count(browsers) };
}

test('the cors fixture against its floor', async () => {
  test.setTimeout(3_600_000);
  const out = process.env.CORSBENCH_OUT ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cors-bench-fixture-'));
  const runs = Math.max(1, Number(process.env.CORSBENCH_FIXTURE_RUNS ?? 3));
  const requestsFile = path.join(out, 'fixture-requests.json');
  fs.writeFileSync(requestsFile, JSON.stringify(CASES.map((c) => ({ from: c.request.from, method: c.request.method, headers: c.request.headers, credentials: c.request.credentials, body: c.request.body }))));
  const planFile = path.join(out, 'fixture-plan.json');
  const plan = await writeFloorPlan('--plan-requests', requestsFile, planFile, 'the fixture\'s requests');
  const api = await startReflectingApi();
  try {
    const variant = () => ({ timings: [] as unknown[], wallMs: [] as number[], exitCodes: [] as Array<number | null>, passed: [] as number[], failed: [] as number[], launches: [] as Array<Record<string, number>>, workers: [] as Array<Record<string, number>>, reportedBrowsers: [] as Array<Record<string, number>> });
    const entry = { tests: CASES.length, origins: plan.origins, requestsPerEngine: plan.checks, preflightedPerEngine: plan.preflighted, pass: variant(), failing: variant(), floor: { wallMs: [] as number[], runs: [] as unknown[] } };
    const fixture = (name: 'pass' | 'failing', i: number) => async () => {
      const dir = fs.mkdtempSync(path.join(out, `fixture-${name}-${i}-`));
      const report = path.join(dir, 'report.json');
      const r = await run([CLI, 'test', '-c', CONFIG], {
        API_ORIGIN: api.origin, CORSBENCH_FIXTURE_REPORT: report, CORSBENCH_FIXTURE_OUT: path.join(dir, 'test-results'), CORSBENCH_FIXTURE_TIMINGS: dir,
        ...(name === 'failing' ? { CORSBENCH_FIXTURE_FAIL: '1' } : {}),
      }, path.join(dir, 'log.txt'), { countLaunches: true });
      const json = readJson(report);
      if (!json) throw new Error(`the fixture run (${name}) wrote no report (exit ${r.code}); see ${path.join(dir, 'log.txt')}`);
      const v = entry[name];
      v.wallMs.push(Math.round(r.wallMs));
      v.timings.push(readJson(path.join(dir, 'timings', 'timings.json')));
      v.exitCodes.push(r.code);
      v.passed.push(json.stats?.expected ?? 0);
      v.failed.push(json.stats?.unexpected ?? 0);
      v.launches.push(Object.fromEntries(Object.entries(r.launches ?? {}).map(([e, pids]) => [e, pids.length])));
      const p = perProject(json);
      v.workers.push(p.workers);
      v.reportedBrowsers.push(p.reportedBrowsers);
    };
    const floor = (i: number) => async () => {
      const f = await floorRun(planFile, out, `fixture-${i}`, 'the fixture\'s requests');
      entry.floor.wallMs.push(f.wallMs);
      entry.floor.runs.push(f.result);
    };
    for (let i = 1; i <= runs; i++) await inTurn(i, [fixture('pass', i), floor(i), fixture('failing', i)]);
    fs.writeFileSync(path.join(out, 'fixture.json'), JSON.stringify({ runs, result: entry }, null, 2));
  } finally {
    await api.close();
  }
});
