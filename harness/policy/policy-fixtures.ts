// Policy-mode fixtures: per worker, one engine behind the origin-emulating proxy (harness/policy/
// worker.ts), shared by every origin's test in that worker. The engine projects (`engineId`) are the
// same as the catalogue's; the catalogue's own servers are never started here.
import { test as base } from '@playwright/test';
import { withoutApiCallSteps } from '../engines/playwright-private.ts';
import { engineOption, type EngineOption } from '../engines/engine-option.ts';
import { openPolicyWorker, type PolicyWorker } from './worker.ts';
import { readPolicyRun } from './run-inputs.ts';
import { readSettings } from '../settings.ts';
import { mark } from '../model/timings.ts';
import { timingsFixture } from '../probe/timings-fixture.ts';

export const policyTest = base.extend<{}, EngineOption & { policyWorker: PolicyWorker }>({
  ...withoutApiCallSteps,
  ...engineOption,
  ...timingsFixture,
  policyWorker: [async ({ engineId }, use) => {
    mark('fixturesStart');
    const plan = readPolicyRun();
    if (!plan) throw new Error('policy mode needs a policy: CORS_POLICY=cors-policy.json npx playwright test');
    // Policy mode runs one regime: CORS_REGIME, else users (docs/environment.md, "Regimes").
    const worker = await openPolicyWorker(engineId, plan, { regime: readSettings().regimes[0] });
    try { await use(worker); } finally { await worker.close(); }
  }, { scope: 'worker', timeout: 120_000, title: 'launch engine behind the origin proxy' }],
});

export { expect } from '@playwright/test';
