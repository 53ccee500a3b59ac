// The threshold (`--fail-on`, `failOn`, CORS_FAIL_ON): which findings fail a check's test and the
// run. One rule for both, from checkFinding: a check fails when one engine's result stands for a
// finding at or above the threshold, or when the harness could not decide it. The policy reporter's
// exit code and every Playwright reporter's test status therefore agree. Pure.
import type { EngineId, EngineInfo } from '../model/types.ts';
import type { FailOn } from '../settings.ts';
import { checkFinding } from './findings.ts';
import { engineInfoOf } from './exploit.ts';
import type { FindingKind } from './kinds.ts';
import type { PlannedCheck, Policy, PolicyReport, PolicyResult, Severity } from './policy-types.ts';

/**
 * Medium: every read an attacker can turn against a signed-in user (high, or medium behind a
 * foothold), every allowed origin refused, and every check that tested nothing fail the run; low
 * and info findings (an uncredentialed read, a missing Vary, error answers without CORS, `*` on
 * public data) are reported and do not, as ESLint's warnings do not fail a lint by default.
 */
export const DEFAULT_FAIL_ON: FailOn = 'medium';

const ORDER: Severity[] = ['high', 'medium', 'low', 'info'];

export function atOrAbove(severity: Severity, failOn: FailOn): boolean {
  return failOn !== 'none' && ORDER.indexOf(severity) <= ORDER.indexOf(failOn);
}

export interface FailingCheck {
  check: Pick<PlannedCheck, 'method' | 'path' | 'purpose' | 'credentials' | 'expected'> & { origin: string };
  engine: EngineId;
  result: PolicyResult;
  /** Null: the harness could not decide (always a failure). */
  finding: { kind: FindingKind; severity: Severity } | null;
}

/** One engine's failing results of one origin's checks (the test's view); `engine` as it runs (its regime). */
export function failingResults(policy: Policy, engine: EngineInfo, checks: Array<{ check: PlannedCheck; result: PolicyResult | null }>): FailingCheck[] {
  const out: FailingCheck[] = [];
  for (const { check, result } of checks) {
    if (!result) continue;
    const facts = { originKind: check.origin.kind, derivation: check.origin.derivation, credentials: check.credentials, expected: check.expected, purpose: check.purpose, origin: check.origin.origin };
    const finding = checkFinding(policy, facts, result, engine);
    if (result.outcome === 'error' || (finding && atOrAbove(finding.severity, policy.failOn))) out.push({ check: { ...check, origin: check.origin.origin }, engine: engine.id, result, finding });
  }
  return out;
}

/** One line per failing check: what, from where, in which engine, expected and seen, and why it counts. */
export function describeFailing(f: FailingCheck): string {
  const { check, result } = f;
  const seen = result.outcome === 'error' ? `undecided (${result.cause ?? 'no cause recorded'})`
    : f.finding?.kind === 'inconclusive-endpoint' ? `HTTP ${result.status ?? result.observed.actual?.status ?? result.replay?.actual?.status}`
      : `${result.outcome}${result.stage ? ` at the ${result.stage}` : ''}${result.status ? ` (HTTP ${result.status})` : ''}`;
  const why = f.finding ? `${f.finding.severity} ${f.finding.kind}` : 'the harness could not decide';
  return `${check.method} ${check.path} (${check.purpose}${check.credentials ? ', credentials' : ''}) from ${check.origin} in ${f.engine}: expected ${check.expected}, seen ${seen}: ${why}`;
}

/** The run's exit code and the one line that says why, from the report (the runner's view). */
export function runVerdict(policy: Policy, report: Pick<PolicyReport, 'checks' | 'findings' | 'engines'>): PolicyReport['verdict'] {
  const failOn = policy.failOn;
  let undecided = 0;
  const failing: Array<{ kind: FindingKind; severity: Severity }> = [];
  for (const c of report.checks) {
    for (const [engine, r] of Object.entries(c.results) as Array<[EngineId, PolicyResult]>) {
      if (r.outcome === 'error') { undecided++; continue; }
      const f = checkFinding(policy, c, r, engineInfoOf(report.engines, engine));
      if (f && atOrAbove(f.severity, failOn)) failing.push(f);
    }
  }
  // The one finding that compares origins, so no single check (and no test) carries it.
  const across = report.findings.filter((f) => f.kind === 'missing-vary-origin' && atOrAbove(f.severity, failOn));
  const below = report.findings.filter((f) => !atOrAbove(f.severity, failOn));
  const level = failOn === 'none' ? '--fail-on none' : `--fail-on ${failOn}`;
  if (!failing.length && !undecided && !across.length) {
    const rest = below.length ? `; ${below.length} finding${below.length === 1 ? '' : 's'} below it (${[...new Set(below.map((f) => `${f.severity} ${f.kind}`))].join(', ')}) reported, not failing` : '';
    return { failOn, exitCode: 0, line: `exit 0: no check fails at ${level}${rest}` };
  }
  const worst = [...failing].sort((a, b) => ORDER.indexOf(a.severity) - ORDER.indexOf(b.severity))[0];
  const parts = [
    failing.length ? `${failing.length} check result${failing.length === 1 ? '' : 's'} at or above ${level} (worst: ${worst.severity} ${worst.kind})` : '',
    undecided ? `${undecided} undecided (the harness could not observe them)` : '',
    across.length ? `${across.map((f) => `${f.severity} ${f.kind}`).join(', ')} across origins (no single test shows it)` : '',
  ].filter(Boolean);
  return { failOn, exitCode: 1, line: `exit 1: ${parts.join('; ')}` };
}
