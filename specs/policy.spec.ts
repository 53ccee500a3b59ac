// Check your API (CORS_POLICY=cors-policy.json npx playwright test): one test per origin under test
// per engine. Each loads the probe page on that origin (emulated by the harness proxy), makes every
// planned request from it and attaches the results for the policy reporter, which decides the run.
import { policyTest as test, expect } from '../harness/policy/policy-fixtures.ts';
import { readPolicyRun } from '../harness/policy/run-inputs.ts';
import { groupTitle } from '../harness/policy/check-plan.ts';
import { runGroup } from '../harness/policy/check-run.ts';
import { POLICY_CONTENT_TYPE, type PolicyRecord } from '../harness/policy/policy-types.ts';

// Planned once, by the runner's set-up (harness/policy/run-inputs.ts).
const plan = readPolicyRun();

for (const group of plan?.groups ?? []) {
  test(groupTitle(group), {
    annotation: { type: 'cors-policy-origin', description: group.origin.origin },
  }, async ({ policyWorker }, testInfo) => {
    const checks = await runGroup(policyWorker, group);
    const record: PolicyRecord = { engine: policyWorker.engine.info, origin: group.origin, checks, lna: policyWorker.lna };
    // Pushed, not attach()ed: attach() creates the test's output folder even for a body held in
    // memory, which left one empty test-results/ folder per origin test; traces still go there.
    testInfo.attachments.push({ name: 'cors-policy', body: Buffer.from(JSON.stringify(record)), contentType: POLICY_CONTENT_TYPE });
    // A check that differs from the policy is a finding about the API, reported (and failing the run)
    // by the policy reporter; the test itself fails only where the harness could not decide, so a
    // worker (and its engine) is not thrown away for every finding.
    const differ = checks.filter((c) => c.result && !c.result.matchesExpected);
    testInfo.annotations.push({ type: 'cors-policy-checks', description: `${checks.length - differ.length} of ${checks.length} as the policy expects` });
    const undecided = differ.filter((c) => c.result!.outcome === 'error').map(({ check, result }) =>
      `${check.method} ${check.path} (${check.purpose}${check.credentials ? ', credentials' : ''}): ${result!.cause}`);
    expect(undecided, `checks from ${group.origin.origin} that ${policyWorker.engineId} could not decide`).toEqual([]);
  });
}
