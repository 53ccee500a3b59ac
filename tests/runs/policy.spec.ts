// Check-your-API mode end to end: real APIs (Express with the cors middleware configured five ways,
// a real nginx with a typical mistake) that this test starts itself, a policy file, and a child
// `CORS_POLICY=… npx playwright test` in every engine. Each asserts the exact findings, and that
// the correct configuration has no failing check.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { startRun, leftovers, leftoverTemp, tempDir, contractHoldsIn, ROOT, type RunResult } from './helpers.ts';
import { startExpressApi, expressPolicy } from '../fixtures/policy/express-api.ts';
import { startNginx, nginxPolicy } from '../fixtures/policy/nginx.ts';
import type { PolicyReport } from '../../harness/policy/policy-types.ts';
import { ENGINE_IDS } from '../../harness/model/types.ts';
import { findingGroups } from '../../harness/policy/report.ts';

test.describe.configure({ mode: 'serial' });

const ENGINES: string[] = [...ENGINE_IDS];

function writePolicy(policy: unknown, name = 'cors-policy.json'): { dir: string; file: string } {
  const dir = tempDir('cors-policy-run-');
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(policy, null, 2));
  return { dir, file };
}

function readReport(run: RunResult): PolicyReport {
  const file = path.join(run.reportDir, 'policy.json');
  expect(fs.existsSync(file), `no policy.json\n${run.stdout}\n${run.stderr}`).toBe(true);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as PolicyReport;
}

/** `endpoint severity kind` for every finding, in report order, and each one seen by every engine. */
function findingsOf(report: PolicyReport, endpoint: string, engines = ENGINES): string[] {
  const mine = report.findings.filter((f) => f.endpoint === endpoint);
  for (const f of mine) expect(f.engines, `${f.kind} on ${endpoint}`).toEqual(engines);
  return mine.map((f) => `${f.severity} ${f.kind}`);
}

function failingChecks(report: PolicyReport, endpoint: string): string[] {
  // One entry stands for the same check on several endpoints that came out the same (`endpoints`).
  const on = (c: PolicyReport['checks'][number]) => ((c as { endpoints?: string[] }).endpoints ?? [c.endpoint]).includes(endpoint);
  return report.checks.filter((c) => on(c) && !c.pass).map((c) => `${c.method} ${c.purpose}${c.credentials ? ' credentials' : ''} from ${c.origin}: ${JSON.stringify(Object.fromEntries(Object.entries(c.results).map(([e, r]) => [e, r!.outcome])))}`);
}


test('a bad policy ends the run before any engine starts: file, field, problem', async () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ target: 'http://127.0.0.1:9', allowedOrigins: ['https://example.com/'], endpoints: [{ path: '/x', methods: ['GET'] }] },
      /cors-policy\.json, field "allowedOrigins\[0\]": "https:\/\/example\.com\/" has a trailing slash/],
    [{ target: 'http://127.0.0.1:9', allowedOrigins: ['https://example.com'], endpoints: [{ path: '/x', methods: ['GET'] }] },
      /cors-policy\.json, field "target": cannot connect to http:\/\/127\.0\.0\.1:9 \(connection refused\)/],
  ];
  for (const [policy, message] of cases) {
    const { file, dir } = writePolicy(policy);
    const run = await startRun([], { CORS_POLICY: file, CORS_REPORT_DIR: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /); // one message, no stack trace
    expect(fs.existsSync(path.join(dir, 'policy.json'))).toBe(false);
    expect(await leftovers(run.marker)).toEqual([]);
  }
});

test('Express with cors configured five ways: the exact findings for each, in three engines', async () => {
  test.setTimeout(360_000); // child runs in three engines: over 3 min seen at load 20-40
  const api = await startExpressApi();
  try {
    const { file, dir } = writePolicy(expressPolicy(api.origin));
    const started = Date.now();
    const run = await startRun([], { CORS_POLICY: file, CORS_REPORT_DIR: dir });
    const took = Date.now() - started;
    const report = readReport(run);
    expect(run.code, run.stdout.slice(-3000)).toBe(1);
    expect(report.engines.map((e) => e.id)).toEqual(ENGINES);
    expect(report.summary.errors, run.stdout.slice(-3000)).toBe(0);

    expect(failingChecks(report, '/correct/data')).toEqual([]);
    expect(findingsOf(report, '/correct/data')).toEqual([]);
    expect(findingsOf(report, '/reflect/data')).toEqual(['high credentials-reflection']);
    expect(findingsOf(report, '/regex/data')).toEqual([
      'high suffix-match', 'high prefix-match', 'high special-char-match',
      'medium subdomain-trust', 'medium scheme-downgrade', 'medium port-mismatch',
    ]);
    expect(findingsOf(report, '/wildcard/data')).toEqual(['medium wildcard-with-credentials', 'info wildcard-origin']);
    expect(findingsOf(report, '/handwritten/data')).toEqual(['low error-response-without-cors', 'low missing-vary-origin']);

    // Special-character hosts run where the engine loads them: Firefox refuses ! and ~.
    const bang = report.checks.find((c) => c.origin === 'https://example.com!.attacker.test')!;
    expect(Object.keys(bang.results).sort()).toEqual(['chromium', 'webkit']);
    expect(Object.keys(bang.notRun ?? {})).toEqual(['firefox']);

    // Evidence: what the engine did and said, and the replay's raw headers.
    const reflection = report.findings.find((f) => f.endpoint === '/reflect/data')!;
    expect(reflection.evidence.replay?.label).toBe('replay outside the browser');
    expect(reflection.evidence.responseHeaders).toContainEqual(['Access-Control-Allow-Origin', 'https://attacker.test']);
    expect(reflection.fix).toMatch(/Access-Control-Allow-Origin/);

    for (const f of ['policy.html', 'policy.sarif', 'junit.xml']) expect(fs.existsSync(path.join(dir, f)), f).toBe(true);
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'policy.sarif'), 'utf8'));
    // One alert per kind across endpoints (here each kind is on one endpoint).
    expect(sarif.runs[0].results.length).toBe(findingGroups(report).length);
    contractHoldsIn(dir, [file]);
    expect(run.stdout).toMatch(/HIGH\s+credentials-reflection\s+\/reflect\/data/);
    expect(await leftovers(run.marker)).toEqual([]);
    // The run-local CAs (one per worker) are deleted with their workers.
    expect(await leftoverTemp(run)).toEqual([]);
    test.info().annotations.push({ type: 'policy run', description: `${report.summary.checks} checks x ${report.engines.length} engines in ${took} ms` });
  } finally {
    await api.close();
  }
});

test('nginx (Debian package) with an unanchored regex and add_header without always', async () => {
  test.setTimeout(360_000); // a child run in three engines: over 3 min seen at load 30
  const api = await startNginx();
  try {
    const { file, dir } = writePolicy(nginxPolicy(api.origin));
    const run = await startRun([], { CORS_POLICY: file, CORS_REPORT_DIR: dir });
    const report = readReport(run);
    expect(run.code, run.stdout.slice(-3000)).toBe(1);
    expect(report.summary.errors, run.stdout.slice(-3000)).toBe(0);
    expect(findingsOf(report, '/api/data')).toEqual([
      'high suffix-match', 'high unescaped-dot', 'high special-char-match',
      'medium port-mismatch', 'low error-response-without-cors', 'low missing-vary-origin',
    ]);
    const e404 = report.findings.find((f) => f.kind === 'error-response-without-cors')!;
    expect(e404.evidence.replay?.actual?.status).toBe(404);
    // Debian's nginx says so in Server; its table's fix for errors is `always`.
    expect(report.stack).toMatchObject({ stack: 'nginx', source: 'responses' });
    expect(e404.examples.map((x) => x.stack)).toEqual(['nginx']);
    expect(e404.examples[0].config).toMatch(/always;/);
    contractHoldsIn(dir, [file]);
  } finally {
    await api.close();
  }
});

test('"localNetworkAccess": "deny" in a typed cors-policy.config.ts: Chromium refuses a loopback API', async () => {
  const api = await startExpressApi();
  try {
    const dir = tempDir('cors-policy-run-');
    fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }');
    const file = path.join(dir, 'cors-policy.config.ts');
    fs.writeFileSync(file, [
      `import { definePolicy } from ${JSON.stringify(path.join(ROOT, 'harness/policy/define.ts'))};`,
      'export default definePolicy({',
      `  target: ${JSON.stringify(api.origin)},`,
      "  allowedOrigins: ['https://example.com'],",
      "  localNetworkAccess: 'deny',",
      "  endpoints: [{ path: '/correct/data', methods: ['GET', 'PUT'], requestHeaders: ['Content-Type', 'Authorization'], credentials: true, exposedHeaders: ['X-Request-Id'] }],",
      '});',
    ].join('\n'));
    const run = await startRun(['--project=chromium'], { CORS_POLICY: file, CORS_REPORT_DIR: dir });
    const report = readReport(run);
    expect(run.code, run.stdout.slice(-3000)).toBe(1);
    expect(report.localNetworkAccess).toMatchObject({ mode: 'deny', targetAddressSpace: 'loopback' });
    expect(report.summary.errors).toBe(0);
    expect(findingsOf(report, '/correct/data', ['chromium'])).toEqual(['medium allowed-origin-blocked']);
    expect(report.findings[0]).toMatchObject({ stage: 'preflight', reason: expect.stringMatching(/Local Network Access.*loopback/) });
    const check = report.checks.find((c) => c.originKind === 'allowed' && c.purpose === 'policy')!;
    expect(check.results.chromium).toMatchObject({ outcome: 'blocked', localNetworkAccess: 'denied', preflightSent: false, actualSent: false });
  } finally {
    await api.close();
  }
});
