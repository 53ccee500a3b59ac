// Policy reports at scale and over time: findings of one kind across endpoints read as one line,
// one HTML block and one SARIF alert; SARIF fingerprints hold across target ports; reasons and
// fixes name the origins the engine really saw; policy.json keeps the raw exchange out of checks.
import { test, expect } from '@playwright/test';
import { validatePolicy } from '../../harness/policy/load.ts';
import { planPolicy } from '../../harness/policy/check-plan.ts';
import { explainBlocked } from '../../harness/policy/blocked-reason.ts';
import { buildPolicyReport, findingGroups, policyJson } from '../../harness/policy/report.ts';
import { policySummary } from '../../reports/policy-reporter.ts';
import { policySarif } from '../../reports/policy-sarif.ts';
import { renderPolicyHtml } from '../../reports/policy-html.ts';
import type { HeaderList } from '../../harness/model/types.ts';
import type { PolicyRecord, PolicyResult, PlannedCheck } from '../../harness/policy/policy-types.ts';

const ENDPOINTS = 12;

/** `ENDPOINTS` endpoints on one API at `target`, all behind one middleware that reflects the Origin. */
function reflectingRun(target: string, reason?: string) {
  const policy = validatePolicy({
    target, allowedOrigins: ['https://example.com'],
    endpoints: Array.from({ length: ENDPOINTS }, (_, i) => ({ path: `/api/items/${i}`, methods: ['GET'] })),
  }, 'cors-policy.json');
  const plan = planPolicy(policy);
  const result = (check: PlannedCheck): PolicyResult => {
    const headers: HeaderList = [['Access-Control-Allow-Origin', check.origin.origin], ['Vary', 'Origin']];
    // An allowed origin refused (`reason` given): a reason that names the target's random port.
    const refused = reason !== undefined && check.origin.kind === 'allowed' && check.purpose === 'policy';
    // No Access-Control-Allow-Credentials: a credentialed read is refused.
    const outcome = refused || check.credentials ? 'blocked' : 'allowed';
    return {
      outcome, stage: refused ? 'preflight' : outcome === 'blocked' ? 'actual' : null, preflightSent: false, actualSent: true, status: outcome === 'blocked' ? null : 200,
      message: null, exposedHeaders: null, matchesExpected: outcome === check.expected, ...(refused ? { reason } : {}),
      observed: { actual: { status: 200, headers, request: { method: check.method, url: `${target}${check.path}?cors-matrix=n`, headers: [['Origin', check.origin.origin]] } } },
      replay: { label: 'replay outside the browser', actual: { request: { method: check.method, url: `${target}${check.path}`, headers: [['Origin', check.origin.origin]] }, status: 200, headers } },
      localNetworkAccess: 'n/a', cookieSent: null, durationMs: 1,
    };
  };
  const records: PolicyRecord[] = plan.groups.map((g) => ({
    engine: { id: 'chromium', browser: 'Chromium', version: '156', driver: 'cdp' },
    origin: g.origin, lna: { mode: 'grant', targetAddressSpace: 'loopback', note: 'granted' },
    checks: g.checks.map((check) => ({ check, result: result(check) })),
  }));
  return { plan, report: buildPolicyReport(plan, records, 1000, '2026-12-03T12:00:00Z') };
}

test('one kind on every endpoint is one terminal line, one HTML block and one SARIF alert, with the endpoints counted', () => {
  const { report } = reflectingRun('http://127.0.0.1:41001');
  expect(report.findings.map((f) => f.kind)).toEqual(Array(ENDPOINTS).fill('origin-reflection'));
  const groups = findingGroups(report);
  expect(groups.map((g) => [g.kind, g.endpoints.length])).toEqual([['origin-reflection', ENDPOINTS]]);

  const lines = policySummary(report, 'reports/out').split('\n').filter((l) => /^\s*(HIGH|MEDIUM|LOW|INFO)\s+origin-reflection/.test(l));
  expect(lines).toEqual([expect.stringMatching(new RegExp(`LOW\\s+origin-reflection\\s+${ENDPOINTS} endpoints \\(/api/items/0, /api/items/1, /api/items/2, …\\)\\s+https://attacker\\.test \\(\\+\\d+ more\\)`))]);

  expect(renderPolicyHtml(report).match(/<details class="finding"/g)).toHaveLength(1);
  const sarif = policySarif(report);
  expect(sarif.runs[0].results).toHaveLength(1);
  expect(sarif.runs[0].results[0].relatedLocations).toHaveLength(ENDPOINTS - 1);
  expect(sarif.runs[0].results[0].message.text).toMatch(new RegExp(`^${ENDPOINTS} endpoints \\(`));
});

test('SARIF fingerprints and the analysis category hold when the target comes up on another port', () => {
  const prints = (port: number) => {
    const target = `http://127.0.0.1:${port}`;
    const sarif = policySarif(reflectingRun(target, `${target} answered the preflight of http://localhost:${port + 1}/x with 500`).report);
    expect(JSON.stringify(sarif.runs[0].results.map((r) => r.partialFingerprints))).not.toContain(String(port));
    return { category: sarif.runs[0].automationDetails.id, prints: sarif.runs[0].results.map((r) => [r.ruleId, r.partialFingerprints]) };
  };
  const first = prints(41001);
  expect(first.prints.map(([kind]) => kind)).toEqual(['allowed-origin-blocked', 'origin-reflection']);
  expect(prints(52777)).toEqual(first);
});

test('a blocked check\'s reason and fix name the origins the engine saw, never a $ORIGIN placeholder', () => {
  const { plan } = reflectingRun('http://127.0.0.1:41001');
  const allowed = plan.groups.flatMap((g) => g.checks).find((c) => c.origin.kind === 'allowed' && c.purpose === 'policy')!;
  const headers: HeaderList = [['Access-Control-Allow-Origin', 'https://example.com.attacker.test']];
  const why = explainBlocked(allowed, { actual: { status: 200, headers, request: { method: 'GET', url: 'http://127.0.0.1:41001/api/items/0', headers: [] } } }, null, 'http://127.0.0.1:41001');
  expect(why.reason).toContain('https://example.com.attacker.test');
  expect(why.fix).toContain('https://example.com');
  expect(`${why.reason} ${why.fix}`).not.toMatch(/\$(ORIGIN|TARGET)/);
  // A finding's own fix writes the value to send, not a stand-in for it.
  const { report } = reflectingRun('http://127.0.0.1:41001');
  expect(report.findings[0].fix).toMatch(/Access-Control-Allow-Origin: https:\/\/example\.com only when the request's Origin is exactly https:\/\/example\.com/);
  expect(report.findings[0].fix).not.toMatch(/<[^>]+>|\$ORIGIN/);
});

test('policy.json keeps each check\'s contract fields and leaves the raw exchange to the findings\' evidence', () => {
  const { report } = reflectingRun('http://127.0.0.1:41001');
  const json = policyJson(report);
  const c = json.checks.find((x) => x.derivation === 'suffix')!;
  expect(c).toMatchObject({ endpoint: '/api/items/0', method: 'GET', origin: 'https://example.com.attacker.test', originKind: 'attacker', expected: 'blocked', pass: false });
  expect(c.results.chromium).toEqual({ outcome: 'allowed', preflightSent: false, status: 200, message: null, matchesExpected: false, cookieSent: null });
  expect(c).not.toHaveProperty('id');
  // Each finding keeps its evidence, and names its checks by their place in `checks`.
  const f = json.findings[0];
  expect(f.evidence.replay?.actual?.headers).toContainEqual(['Access-Control-Allow-Origin', 'https://attacker.test']);
  expect(f.checks.map((i) => json.checks[i].endpoint)).toEqual(Array(f.checks.length).fill(f.endpoint));
});

test('policy.json: the same check on endpoints that came out the same is one entry naming them; an endpoint that differs keeps its own', () => {
  const { plan, report } = reflectingRun('http://127.0.0.1:41001');
  // On /api/items/3 the attacker's uncredentialed read was refused, in this one engine's result.
  for (const c of report.checks) {
    if (c.endpoint === '/api/items/3' && c.originKind === 'attacker' && !c.credentials) c.results.chromium = { ...c.results.chromium!, outcome: 'blocked', stage: 'actual', status: null, matchesExpected: true };
  }
  const json = policyJson(report);
  const all = plan.policy.endpoints.map((e) => e.path);
  const others = all.filter((p) => p !== '/api/items/3');
  const suffix = json.checks.filter((c) => c.derivation === 'suffix' && !c.credentials);
  expect(suffix.map((c) => [c.endpoint, c.endpoints ?? [c.endpoint], c.results.chromium!.outcome])).toEqual([
    ['/api/items/0', others, 'allowed'],
    ['/api/items/3', ['/api/items/3'], 'blocked'],
  ]);
  // Every check is still counted, and a finding on any endpoint points at entries that name it.
  expect(json.summary.checks).toBe(plan.groups.reduce((n, g) => n + g.checks.length, 0));
  expect(json.checks.length).toBeLessThan(json.summary.checks / 5);
  for (const f of json.findings) {
    expect(f.checks.length).toBeGreaterThan(0);
    for (const i of f.checks) expect(json.checks[i].endpoints ?? [json.checks[i].endpoint]).toContain(f.endpoint);
  }
});
