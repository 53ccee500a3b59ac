// junit.xml for policy mode: one test case per check per engine, so a CI system lists each failing
// request (the Playwright tests are per origin and pass unless the harness could not decide).
import type { PolicyReport } from '../harness/policy/policy-types.ts';
import { escXml as x } from './base.ts';

export function policyJunit(report: PolicyReport): string {
  const suites = report.engines.map((e) => {
    const cases = report.checks.filter((c) => c.results[e.id] || c.notRun?.[e.id]).map((c) => {
      const r = c.results[e.id];
      const name = `${c.method} ${c.path} ${c.purpose}${c.credentials ? ' credentials' : ''} from ${c.origin}`;
      const head = `<testcase classname="${x(`${e.id}.${c.endpoint}`)}" name="${x(name)}" time="${((r?.durationMs ?? 0) / 1000).toFixed(3)}">`;
      if (!r) return `${head}<skipped message="${x(c.notRun?.[e.id])}"/></testcase>`;
      if (r.matchesExpected) return `${head}</testcase>`;
      const why = r.outcome === 'error' ? r.cause : r.reason ?? (r.outcome === 'allowed' ? 'the page could read the response' : r.message);
      const tag = r.outcome === 'error' ? 'error' : 'failure';
      return `${head}<${tag} message="${x(`expected ${c.expected}, was ${r.outcome}`)}">${x(why)}</${tag}></testcase>`;
    });
    const failures = report.checks.filter((c) => c.results[e.id] && !c.results[e.id]!.matchesExpected && c.results[e.id]!.outcome !== 'error').length;
    const errors = report.checks.filter((c) => c.results[e.id]?.outcome === 'error').length;
    const skipped = report.checks.filter((c) => !c.results[e.id] && c.notRun?.[e.id]).length;
    return `<testsuite name="${x(`cors-policy ${e.id}`)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}">${cases.join('')}</testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="cors-policy ${x(report.target)}">${suites.join('')}</testsuites>\n`;
}
