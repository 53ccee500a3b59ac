// `cors-matrix check` against its own floor (npm run bench -- --check-runs N): the package test's API
// (tests/fixtures/policy/reflecting-api.ts) checked with a one-endpoint policy (the package test's
// own) and a twenty-endpoint one, in every engine, each run a child `CORS_POLICY=… playwright test`
// (what the command runs) timed from spawn to exit; and the floor for the same work
// (scripts/bench/check-floor.mjs: the engines launched once, all at once, the same page loads and
// requests, no test runner), timed the same way. Check and floor alternate, the first of the pair
// changing run by run, so a noisy neighbour hits both alike. Each check run's timings.json (where
// its time went) is kept. The result goes to $CORSBENCH_OUT/check.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from '@playwright/test';
import { startReflectingApi } from '../../tests/fixtures/policy/reflecting-api.ts';
import { CLI, floorRun, inTurn, readJson, run, writeFloorPlan } from './child-runs.ts';

const FRONT_END = 'https://app.example.com';

/** The package test's policy (tests/runs/package.spec.ts), and twenty endpoints of the same API. */
function policies(target: string) {
  const twenty = [
    { path: '/api/me', methods: ['GET'], credentials: true },
    { path: '/api/items', methods: ['GET', 'POST'], requestHeaders: ['Content-Type', 'X-Api-Key'] },
    // Half credentialed simple reads, half preflighted writes, as the first two.
    ...Array.from({ length: 18 }, (_, i) => (i % 2 === 0
      ? { path: `/api/items/${i + 1}`, methods: ['GET'], credentials: true }
      : { path: `/api/items/${i + 1}`, methods: ['GET', 'POST'], requestHeaders: ['Content-Type', 'X-Api-Key'] })),
  ];
  return [
    { name: 'one endpoint', policy: { target, allowedOrigins: [FRONT_END], endpoints: twenty.slice(0, 1) } },
    { name: '20 endpoints', policy: { target, allowedOrigins: [FRONT_END], endpoints: twenty } },
  ];
}

test('check against its floor', async () => {
  test.setTimeout(3_600_000);
  const out = process.env.CORSBENCH_OUT ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cors-bench-check-'));
  const runs = Math.max(1, Number(process.env.CORSBENCH_CHECK_RUNS ?? 3));
  const api = await startReflectingApi();
  try {
    const result = [];
    for (const p of policies(api.origin)) {
      const slug = p.name.replace(/\W+/g, '-');
      const file = path.join(out, `${slug}-policy.json`);
      fs.writeFileSync(file, JSON.stringify(p.policy, null, 2));
      const planFile = path.join(out, `${slug}-plan.json`);
      const plan = await writeFloorPlan('--plan', file, planFile, p.name);
      const entry = {
        policy: p.name, endpoints: plan.endpoints, origins: plan.origins, checksPerEngine: plan.checks, preflightedPerEngine: plan.preflighted,
        check: { wallMs: [] as number[], exitCodes: [] as Array<number | null>, cells: 0, timings: [] as unknown[] },
        floor: { wallMs: [] as number[], runs: [] as unknown[] },
      };
      for (let i = 1; i <= runs; i++) {
        const check = async () => {
          const dir = fs.mkdtempSync(path.join(out, `${slug}-check-${i}-`));
          const r = await run([CLI, 'test'], { CORS_POLICY: file, CORS_REPORT_DIR: dir }, path.join(dir, 'log.txt'));
          const report = readJson(path.join(dir, 'policy.json'));
          // The API reflects every origin: the run finds that and exits 1.
          if (!report) throw new Error(`the check of ${p.name} wrote no policy.json (exit ${r.code}); see ${path.join(dir, 'log.txt')}`);
          entry.check.wallMs.push(Math.round(r.wallMs));
          entry.check.exitCodes.push(r.code);
          entry.check.cells = report.summary?.checks ?? 0;
          entry.check.timings.push(readJson(path.join(dir, 'timings', 'timings.json')));
        };
        const floor = async () => {
          const f = await floorRun(planFile, out, `${slug}-${i}`, p.name);
          entry.floor.wallMs.push(f.wallMs);
          entry.floor.runs.push(f.result);
        };
        await inTurn(i, [check, floor]);
      }
      result.push(entry);
    }
    fs.writeFileSync(path.join(out, 'check.json'), JSON.stringify({ runs, result }, null, 2));
  } finally {
    await api.close();
  }
});
