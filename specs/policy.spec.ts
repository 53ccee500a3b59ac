// Check your API (CORS_POLICY=cors-policy.json npx playwright test): one test per origin under test
// per engine. Each loads the probe page on that origin (emulated by the harness proxy), makes every
// planned request from it and attaches the results for the policy reporter; the test fails for the
// checks that fail the run (harness/policy/threshold.ts), whatever reporter is in use.
import { policyTest as test, expect } from '../harness/policy/policy-fixtures.ts';
import { readPolicyRun } from '../harness/policy/run-inputs.ts';
import { groupTitle } from '../harness/policy/check-plan.ts';
import { runGroup } from '../harness/policy/check-run.ts';
import { describeFailing, failingResults } from '../harness/policy/threshold.ts';
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
    // A check fails its own test when the harness could not decide it, or when its result stands
    // for a finding at or above the run's threshold (--fail-on): the same rule as the reporter's
    // exit code, so any reporter, shard or merge-reports tells the truth. A failed test costs its
    // worker and engine a restart (a few seconds a finding); that is the price of no false green.
    const failing = failingResults(plan!.policy, policyWorker.engineId, checks);
    testInfo.annotations.push({ type: 'cors-policy-checks', description: `${checks.length - failing.length} of ${checks.length} pass at --fail-on ${plan!.policy.failOn}` });
    expect(failing.map(describeFailing), `checks from ${group.origin.origin} in ${policyWorker.engineId} that fail at --fail-on ${plan!.policy.failOn}`).toEqual([]);
  });
}
