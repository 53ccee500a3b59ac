// policy.json (schema cors-policy/1) from the run's plan and what the policy tests attached: one
// record per origin per engine becomes one check per request with a result per engine, then
// findings and a summary. Pure.
import type { EngineId, EngineInfo } from '../model/types.ts';
import { ENGINE_IDS } from '../model/types.ts';
import { findingsFor } from './findings.ts';
import { runVerdict } from './threshold.ts';
import { maskedPlan } from './secrets.ts';
import type { PolicyCheck, PolicyPlan, PolicyRecord, PolicyReport, Severity } from './policy-types.ts';

/** `plan`: the run's, as the set-up planned it (masked again here: nothing in a report holds a secret). */
export function buildPolicyReport(runPlan: PolicyPlan, records: PolicyRecord[], durationMs: number, generatedAt = new Date().toISOString()): PolicyReport {
  const plan = maskedPlan(runPlan);
  const policy = plan.policy;
  const engines = new Map<EngineId, EngineInfo>();
  const checks = new Map<string, PolicyCheck>();
  for (const record of records) {
    engines.set(record.engine.id, record.engine);
    for (const { check, result, notRun } of record.checks) {
      let c = checks.get(check.id);
      if (!c) {
        c = {
          id: check.id, endpoint: check.endpoint, path: check.path, purpose: check.purpose, method: check.method,
          requestHeaders: Object.keys(check.headers), credentials: check.credentials,
          origin: check.origin.origin, originKind: check.origin.kind, expected: check.expected, results: {}, pass: true,
        };
        if (check.origin.derivation) c.derivation = check.origin.derivation;
        if (check.origin.from) c.from = check.origin.from;
        checks.set(check.id, c);
      }
      if (result) c.results[record.engine.id] = result;
      if (notRun) (c.notRun ??= {})[record.engine.id] = notRun;
    }
  }
  // The plan's order (origins, then endpoints and methods), whatever order the tests finished in.
  const order = new Map(plan.groups.flatMap((g) => g.checks).map((c, i) => [c.id, i]));
  const list = [...checks.values()].sort((a, b) => (order.get(a.id) ?? 1e9) - (order.get(b.id) ?? 1e9));
  for (const c of list) c.pass = Object.values(c.results).every((r) => r!.matchesExpected);
  const findings = findingsFor(policy, list);
  // A check on an endpoint and method that answered only errors neither passed nor failed.
  for (const f of findings.filter((x) => x.kind === 'inconclusive-endpoint')) {
    for (const c of list.filter((x) => f.checks.includes(x.id))) { c.inconclusive = f.description; c.pass = false; }
  }
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  return {
    schema: 'cors-policy/1',
    generatedAt,
    target: policy.target,
    ...(policy.servedAs ? { servedAs: policy.servedAs } : {}),
    ...(policy.session ? { sessionCookies: policy.session.cookies.map((c) => c.name) } : {}),
    policyFile: policy.source,
    engines: ENGINE_IDS.filter((id) => engines.has(id)).map((id) => engines.get(id)!),
    // What the records alone can say; the reporter, which knows the selection, corrects both.
    complete: true,
    subset: false,
    localNetworkAccess: records[0].lna ?? null,
    origins: plan.origins.map(({ origin, kind, derivation, from, note, expected }) => ({ origin, kind, derivation, from, note, expected })),
    checks: list,
    findings,
    verdict: runVerdict(policy, { checks: list, findings }),
    summary: {
      checks: list.length,
      passed: list.filter((c) => c.pass && Object.keys(c.results).length > 0).length,
      failed: list.filter((c) => !c.pass && !c.inconclusive).length,
      inconclusive: list.filter((c) => c.inconclusive).length,
      errors: list.filter((c) => Object.values(c.results).some((r) => r!.outcome === 'error')).length,
      notRun: list.filter((c) => Object.keys(c.results).length === 0).length,
      testsNotRun: 0,
      findings: { high: count('high'), medium: count('medium'), low: count('low'), info: count('info') },
      durationMs,
    },
  };
}

/** A run fails as its verdict says (threshold.ts: the same rule that fails each origin's test). */
export function policyFailed(report: PolicyReport): boolean {
  return report.verdict.exitCode !== 0;
}
