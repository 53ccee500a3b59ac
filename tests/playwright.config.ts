// The project's own tests (npm test): unit tests; the catalogue and the harness's engine tests in
// every real engine (all required); and whole-run tests that start child runs. The longest whole
// runs (E2E_SPECS) are `npm run test:e2e` (E2E=1), which CI runs after `npm test`.
// The conformance catalogue alone is ../playwright.config.ts (npm run matrix).
import { defineConfig } from '@playwright/test';
import type { WorkerFixtures } from '../harness/matrix/catalogue-fixtures.ts';
import { engineProjects, checkInputs, regimeProjects, runMetadata, usePrivateTmpDir } from '../harness/runner/setup.ts';

usePrivateTmpDir();

await checkInputs();

/**
 * Whole runs of deployments (Selenium Grid, Playwright servers, remote WebDriver, shards, direct
 * launches), regimes, sessions, baselines, the run's end on signals, and the HTML report of two
 * catalogue runs: each a run or several in three engines. With the first of them `npm test` took
 * 20.7 minutes here (their tests 20 of the 49 minutes summed), without them 17.1 in a clean-clone
 * CI run, 13.8-15.1 with one worker per catalogue column (below), and 15.0 with the package tests
 * in three files at a load of 14-23; `report` (its two child runs hold a worker 5.5 minutes) then
 * moved too: 12.4 at a load of 15-21. The budget is 15 (docs/performance.md). CI runs them as
 * `npm run test:e2e`.
 */
const E2E_SPECS = ['grid', 'shard', 'playwright-servers', 'remote', 'direct-launch', 'policy-session', 'regimes', 'baseline-selection', 'clean-exit', 'report'].map((n) => `**/${n}.spec.ts`);
const e2e = process.env.E2E === '1';

export default defineConfig<{}, Pick<WorkerFixtures, 'engineId' | 'regime' | 'regimeScenariosOnly'>>({
  testDir: '..',
  fullyParallel: true,
  metadata: runMetadata(),
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 3,
  timeout: 60_000,
  reporter: [['list'], ['../reports/matrix-reporter.ts']],
  projects: [
    // The whole runs first: a file of them in serial mode (then one package.spec.ts, 10 minutes) was
    // the run's tail when it started after the catalogue. The package tests are now three files,
    // so three workers (package-project.ts packs once for them).
    // In CI, a whole run that fails is run once more (Playwright reports it as flaky, by name): each
    // starts engines and servers on a shared two-core machine, and one failure there once cost a
    // whole CI run whose log did not say which test it was. Unit tests and catalogue cells never retry.
    { name: 'runs', testDir: './runs', testMatch: e2e ? E2E_SPECS : '**/*.spec.ts', testIgnore: e2e ? [] : E2E_SPECS, timeout: 180_000, retries: process.env.CI ? 1 : 0 },
    { name: 'unit', testDir: './unit', testMatch: '**/*.test.ts' },
    // The harness's engine tests in the first regime's projects; the catalogue in every column, one
    // worker per column (regimeProjects) as `npm run matrix` runs it: spread over several
    // workers, a column launched its engine in each and its batch never saw a full run to work ahead
    // in, and the columns ran one after another (8.2 of 18.4 minutes here, 5 December 2026).
    ...regimeProjects(engineProjects({ require: true })).map((p) => ({ ...p, testDir: '..', testMatch: p.use?.regimeScenariosOnly ? ['specs/catalogue.spec.ts'] : ['specs/catalogue.spec.ts', 'tests/engines/**/*.spec.ts'] })),
  ],
});
