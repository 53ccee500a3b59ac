// Policy mode's speed (npm run bench -- --policy-runs N): the project's two test APIs (the Express
// API with its five CORS set-ups, and a real nginx), each checked by a child
// `CORS_POLICY=… playwright test` in every engine, timed from spawn to exit. Variants (environment
// settings, e.g. CORS_BATCH=0 for one check at a time) alternate run by run so a noisy neighbour
// hits them alike. The result, with check cells per second, goes to $CORSBENCH_OUT/policy.json.
// The APIs are the ones tests/runs/policy.spec.ts checks: the policies measured are the tests'.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { test } from '@playwright/test';
import { startExpressApi, expressPolicy } from '../../tests/fixtures/policy/express-api.ts';
import { startNginx, nginxPolicy } from '../../tests/fixtures/policy/nginx.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const CLI = path.join(ROOT, 'node_modules', '@playwright', 'test', 'cli.js');

interface Variant { name: string; env: Record<string, string> }

function run(policyFile: string, reportDir: string, env: Record<string, string>): Promise<{ wallMs: number; code: number | null }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [CLI, 'test'], {
    cwd: ROOT,
    env: { ...process.env, CORS_POLICY: policyFile, CORS_REPORT_DIR: reportDir, CI: '', FORCE_COLOR: '0', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  return new Promise((resolve) => child.on('exit', (code) => {
    if (!fs.existsSync(path.join(reportDir, 'policy.json'))) process.stderr.write(`policy run wrote no report (exit ${code}): ${stderr}\n`);
    resolve({ wallMs: performance.now() - t0, code });
  }));
}

/** Check cells (a check in one engine) of a policy report, and how many differ from the policy. */
function cellsOf(reportDir: string): { cells: number; failing: number; results: Record<string, string> } {
  const report = JSON.parse(fs.readFileSync(path.join(reportDir, 'policy.json'), 'utf8'));
  const results: Record<string, string> = {};
  let cells = 0;
  let failing = 0;
  for (const c of report.checks) {
    for (const [engine, r] of Object.entries(c.results ?? {}) as Array<[string, { outcome: string; stage?: string; matchesExpected?: false }]>) {
      cells++;
      // policy.json writes matchesExpected only where it is false.
      if (r.matchesExpected === false) failing++;
      results[`${c.endpoint} ${c.purpose} ${c.method}${c.credentials ? ' credentials' : ''} ${c.origin} [${engine}]`] = `${r.outcome}/${r.stage ?? null}/${r.matchesExpected !== false}`;
    }
  }
  return { cells, failing, results };
}

test('policy mode: checks per second', async () => {
  test.setTimeout(3_600_000);
  const out = process.env.CORSBENCH_OUT ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cors-bench-policy-'));
  const runs = Math.max(1, Number(process.env.CORSBENCH_POLICY_RUNS ?? 2));
  const variants: Variant[] = JSON.parse(process.env.CORSBENCH_POLICY_VARIANTS ?? '[{"name":"one at a time","env":{"CORS_BATCH":"0"}},{"name":"batched","env":{}}]');
  const express = await startExpressApi();
  const nginx = await startNginx();
  try {
    const policies = [
      { name: 'express', policy: expressPolicy(express.origin) },
      { name: 'nginx', policy: nginxPolicy(nginx.origin) },
    ];
    const result: Array<{ policy: string; variant: string; wallMs: number[]; cells: number; failing: number[]; differingFromFirst: number }> = [];
    for (const p of policies) {
      const file = path.join(out, `${p.name}-policy.json`);
      fs.writeFileSync(file, JSON.stringify(p.policy, null, 2));
      const byVariant = new Map<string, { wallMs: number[]; cells: number; failing: number[]; differing: number }>();
      let first: Record<string, string> | null = null;
      for (let i = 1; i <= runs; i++) {
        for (const v of variants) {
          const dir = fs.mkdtempSync(path.join(out, `${p.name}-${v.name.replace(/\W+/g, '-')}-${i}-`));
          const r = await run(file, dir, v.env);
          const c = cellsOf(dir);
          first ??= c.results;
          const differing = Object.keys({ ...first, ...c.results }).filter((k) => first![k] !== c.results[k]).length;
          const entry = byVariant.get(v.name) ?? { wallMs: [], cells: c.cells, failing: [], differing: 0 };
          entry.wallMs.push(Math.round(r.wallMs));
          entry.failing.push(c.failing);
          entry.differing = Math.max(entry.differing, differing);
          byVariant.set(v.name, entry);
        }
      }
      for (const [variant, e] of byVariant) result.push({ policy: p.name, variant, wallMs: e.wallMs, cells: e.cells, failing: e.failing, differingFromFirst: e.differing });
    }
    fs.writeFileSync(path.join(out, 'policy.json'), JSON.stringify({ runs, variants, result }, null, 2));
  } finally {
    await Promise.all([express.close(), nginx.close()]);
  }
});
