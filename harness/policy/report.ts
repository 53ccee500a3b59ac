// policy.json (schema cors-policy/1) from the run's plan and what the policy tests attached: one
// record per origin per engine becomes one check per request with a result per engine, then
// findings and a summary. Pure.
import type { EngineId, EngineInfo } from '../model/types.ts';
import { ENGINE_IDS } from '../model/types.ts';
import { findingsFor } from './findings.ts';
import { recognizeStack } from './fixes/recognize.ts';
import { runVerdict } from './threshold.ts';
import { maskedPlan } from './secrets.ts';
import type { Finding, FindingGroup, PolicyCheck, PolicyCheckJson, PolicyJson, PolicyPlan, PolicyRecord, PolicyReport, PolicyResult, PolicyResultJson, Severity } from './policy-types.ts';

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
  const stack = recognizeStack(policy, list);
  const engineList = ENGINE_IDS.filter((id) => engines.has(id)).map((id) => engines.get(id)!);
  const findings = findingsFor(policy, list, engineList, stack);
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
    engines: engineList,
    // What the records alone can say; the reporter, which knows the selection, corrects both.
    complete: true,
    subset: false,
    localNetworkAccess: records[0].lna ?? null,
    stack,
    origins: plan.origins.map(({ origin, kind, derivation, from, note, expected }) => ({ origin, kind, derivation, from, note, expected })),
    checks: list,
    findings,
    verdict: runVerdict(policy, { checks: list, findings, engines: engineList }),
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

/**
 * A text as it reads in every run: the target's origin (and the origin it is served as) become
 * `$TARGET`, and any other loopback port `PORT`, so a reason that names the API's random test port
 * still groups, and fingerprints, the same way next time.
 */
export function stableText(text: string, report: Pick<PolicyReport, 'target' | 'servedAs'>): string {
  let out = text;
  for (const origin of [report.servedAs, report.target].filter((o): o is string => !!o).sort((a, b) => b.length - a.length)) {
    out = out.split(origin).join('$TARGET');
  }
  return out.replace(/\b(127\.\d+\.\d+\.\d+|localhost|\[::1\]):\d+/g, '$1:PORT');
}

/** The findings grouped by kind across endpoints, in report order (severity first). */
export function findingGroups(report: Pick<PolicyReport, 'target' | 'servedAs' | 'findings'>): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const f of report.findings) {
    const key = [f.kind, f.severity, f.stage ?? '', stableText(f.reason ?? '', report)].join(' ').trim();
    let g = groups.get(key);
    if (!g) groups.set(key, g = { key, kind: f.kind, severity: f.severity, title: f.title, endpoints: [], origins: [], engines: [], findings: [] });
    g.findings.push(f);
    if (!g.endpoints.includes(f.endpoint)) g.endpoints.push(f.endpoint);
    for (const o of f.origins) if (!g.origins.includes(o)) g.origins.push(o);
    for (const e of f.engines) if (!g.engines.includes(e)) g.engines.push(e);
  }
  for (const g of groups.values()) g.engines.sort();
  return [...groups.values()];
}

/**
 * What policy.json holds of an engine's result: the contract's fields, and the why where a check
 * differs from the policy. The raw exchange (every request and response header the proxy saw, and
 * the replay) stays in the Playwright attachment and, for the check a finding shows, in the finding's
 * evidence: kept per check it repeated the same headers in every cell (88 MB for 200 endpoints in
 * three engines). `message` is kept where the check differs from the policy or errs. The probe's nonce is cut from messages; the request URL, which carries it, is kept
 * with a session only, where it ties `cookieSent` to the API's own log.
 */
function resultJson(r: PolicyResult): PolicyResultJson {
  const out: PolicyResultJson = {
    outcome: r.outcome, preflightSent: r.preflightSent, status: r.status,
    // A passing check's message only confirms the block it expected (8,200 of them for 200 endpoints).
    message: r.matchesExpected && r.outcome !== 'error' ? null : r.message && r.message.replace(NONCE_QUERY, ''), cookieSent: r.cookieSent,
  };
  if (r.stage) out.stage = r.stage;
  if (r.actualSent !== true) out.actualSent = r.actualSent;
  if (!r.matchesExpected) out.matchesExpected = false;
  if (r.exposedHeaders) out.exposedHeaders = r.exposedHeaders;
  if (r.cause) out.cause = r.cause;
  if (r.reprobed?.length) out.reprobed = r.reprobed.map((c) => c.replace(NONCE_QUERY, ''));
  if (!r.matchesExpected && r.reason) out.reason = r.reason;
  if (!r.matchesExpected && r.fixHint) out.fixHint = r.fixHint;
  if (r.localNetworkAccess === 'denied') out.localNetworkAccess = r.localNetworkAccess;
  const url = r.cookieSent !== null ? r.observed.actual?.request.url : undefined;
  if (url) out.url = url;
  return out;
}

/** The probe's unique query on a request URL (check-run.ts), as engines quote it in their messages. */
const NONCE_QUERY = /[?&]cors-matrix=[A-Za-z0-9_-]+/g;

/**
 * A finding after the first of its group (the same kind on another endpoint) keeps the response
 * headers of its evidence, without the replay and the engine's copy of them, and drops examples
 * equal to the first one's: the same middleware, the same snippet, 200 times.
 */
function slimmed(f: Finding, first: Finding | undefined): Finding {
  if (!first) return f;
  const { replay, observedResponseHeaders, ...evidence } = f.evidence;
  const responseHeaders = evidence.responseHeaders ?? observedResponseHeaders ?? replay?.actual?.headers ?? replay?.preflight?.headers ?? undefined;
  const sameExamples = JSON.stringify(f.examples) === JSON.stringify(first.examples);
  return { ...f, evidence: { ...evidence, ...(responseHeaders ? { responseHeaders } : {}) }, examples: sameExamples ? [] : f.examples };
}

/**
 * The key under which checks on different endpoints are one entry: everything policy.json says of
 * the check but its endpoint, its path (the endpoint's own, or its not-found path) and the values of
 * exposed headers (a request id differs on every answer; whether the page could read it is kept).
 */
function sameCheckKey(c: PolicyCheckJson): string {
  const { endpoint: _e, path: _p, results, ...rest } = c;
  const readable = Object.entries(results).map(([e, r]) => {
    const { exposedHeaders, ...more } = r!;
    return [e, more, exposedHeaders && Object.fromEntries(Object.entries(exposedHeaders).map(([h, v]) => [h, v !== null]))];
  });
  return JSON.stringify([rest, readable]);
}

/**
 * policy.json (cors-policy/1): the report with each check's result slimmed; the same check on many
 * endpoints, with the same results in every engine, as one entry listing the endpoints (a 200-endpoint
 * API with one middleware otherwise repeats every origin's checks 200 times: 3.9 MB in three engines);
 * findings naming their checks by index.
 */
export function policyJson(report: PolicyReport): PolicyJson {
  const firstOfKind = new Map(findingGroups(report).flatMap((g) => g.findings.slice(1).map((f) => [f, g.findings[0]] as const)));
  const checks: PolicyCheckJson[] = [];
  const entryOf = new Map<string, number>();
  const byKey = new Map<string, number>();
  for (const { id, path, requestHeaders, from: _from, results, ...c } of report.checks) {
    const json: PolicyCheckJson = {
      ...c,
      ...(path !== c.endpoint ? { path } : {}),
      ...(requestHeaders.length ? { requestHeaders } : {}),
      results: Object.fromEntries(Object.entries(results).map(([e, r]) => [e, resultJson(r!)])),
    };
    const key = sameCheckKey(json);
    const at = byKey.get(key);
    if (at === undefined) {
      byKey.set(key, checks.length);
      entryOf.set(id, checks.length);
      checks.push(json);
      continue;
    }
    const entry = checks[at];
    entry.endpoints ??= [entry.endpoint];
    if (!entry.endpoints.includes(c.endpoint)) entry.endpoints.push(c.endpoint);
    entryOf.set(id, at);
  }
  return {
    ...report,
    checks,
    findings: report.findings.map((f: Finding) => ({ ...slimmed(f, firstOfKind.get(f)), checks: [...new Set(f.checks.map((id) => entryOf.get(id)!).filter((i) => i !== undefined))] })),
  };
}
