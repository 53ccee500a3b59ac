// Check your API (CORS_POLICY=cors-policy.json npx playwright test): one test per engine, a step per
// origin under test. Each step loads the probe page on that origin (emulated by the harness proxy),
// makes every planned request from it and hands the results to the policy reporter. The test fails
// for the checks that fail the run (harness/policy/threshold.ts), whatever reporter is in use.
//
// One test per engine, not one per origin: Playwright restarts a worker, and with it the engine, after
// every failed test, and an API with one mistake fails most attacker origins (25 relaunches per engine
// for a reflecting API, minutes of start-up). Each origin is a step, so reporters still show which.
import { policyTest as test, expect } from '../harness/policy/policy-fixtures.ts';
import { readPolicyRun } from '../harness/policy/run-inputs.ts';
import { groupTitle } from '../harness/policy/check-plan.ts';
import { runGroup } from '../harness/policy/check-run.ts';
import { describeFailing, failingResults } from '../harness/policy/threshold.ts';
import { POLICY_CONTENT_TYPE, POLICY_ORIGIN_ANNOTATION, type PolicyRecord } from '../harness/policy/policy-types.ts';

// Planned once, by the runner's set-up (harness/policy/run-inputs.ts).
const plan = readPolicyRun();

if (plan?.groups.length) {
  const checks = plan.groups.reduce((n, g) => n + g.checks.length, 0);
  test(`every origin of the policy (${plan.groups.length} origins, ${checks} checks)`, {
    annotation: plan.groups.map((g) => ({ type: POLICY_ORIGIN_ANNOTATION, description: g.origin.origin })),
  }, async ({ policyWorker }, testInfo) => {
    // A page load per origin and a few probes at a time: a bound that grows with the plan.
    test.setTimeout(120_000 + 1_000 * checks);
    const failOn = plan.policy.failOn;
    for (const group of plan.groups) {
      await test.step(groupTitle(group), async () => {
        const results = await runGroup(policyWorker, group);
        const record: PolicyRecord = { engine: policyWorker.engine.info, origin: group.origin, checks: results, lna: policyWorker.lna };
        // Pushed, not attach()ed: attach() creates the test's output folder even for a body held in
        // memory, which left an empty test-results/ folder per test; traces still go there.
        testInfo.attachments.push({ name: 'cors-policy', body: Buffer.from(JSON.stringify(record)), contentType: POLICY_CONTENT_TYPE });
        // A check fails the test when the harness could not decide it, or when its result stands for a
        // finding at or above the run's threshold (--fail-on): the same rule as the reporter's exit
        // code, so any reporter, shard or merge-reports tells the truth.
        const failing = failingResults(plan.policy, policyWorker.engine.info, results);
        expect.soft(failing.map(describeFailing), `checks from ${group.origin.origin} in ${policyWorker.engineId} that fail at --fail-on ${failOn}`).toEqual([]);
      });
    }
  });
}
