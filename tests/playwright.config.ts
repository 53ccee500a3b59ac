// The project's own tests (npm test): unit tests; the catalogue and the harness's engine tests in
// every real engine (all required); and whole-run tests that start child runs.
// The conformance catalogue alone is ../playwright.config.ts (npm run matrix).
import { defineConfig } from '@playwright/test';
import type { WorkerFixtures } from '../harness/matrix/catalogue-fixtures.ts';
import { engineProjects, checkInputs, regimeProjects, runMetadata, usePrivateTmpDir } from '../harness/runner/setup.ts';

usePrivateTmpDir();

await checkInputs();

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
    { name: 'unit', testDir: './unit', testMatch: '**/*.test.ts' },
    // The harness's engine tests in the first regime's projects; the catalogue in every column.
    ...regimeProjects(engineProjects({ require: true })).map((p) => ({ ...p, testDir: '..', testMatch: p.use?.regimeScenariosOnly ? ['specs/catalogue.spec.ts'] : ['specs/catalogue.spec.ts', 'tests/engines/**/*.spec.ts'] })),
    { name: 'runs', testDir: './runs', testMatch: '**/*.spec.ts', timeout: 180_000 },
  ],
});
