// The conformance catalogue in every available engine, written as a matrix (npm run matrix).
// CORS_POLICY switches to check-your-API mode (specs/policy.spec.ts).
import os from 'node:os';
import { defineConfig } from '@playwright/test';
import type { WorkerFixtures } from './harness/fixtures.ts';
import { engineProjects, checkInputs } from './harness/config.ts';
import { loadScenarios } from './harness/scenarios.ts';

checkInputs(() => { loadScenarios(); });

export default defineConfig<{}, Pick<WorkerFixtures, 'engineId'>>({
  testDir: './specs',
  testMatch: 'catalogue.spec.ts',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: Math.max(2, os.cpus().length),
  timeout: 60_000,
  reporter: [
    [process.env.CI ? 'dot' : 'line'],
    ['junit', { outputFile: `${process.env.CORS_REPORT_DIR ?? 'reports/out'}/junit.xml` }],
    ['./reports/matrix-reporter.ts'],
  ],
  projects: engineProjects(),
});
