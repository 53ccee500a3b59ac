// The conformance catalogue in every available engine, written as a matrix (npm run matrix).
// CORS_POLICY switches to check-your-API mode (specs/policy.spec.ts): the policy is validated (and
// its target reached) and planned here, before any engine starts, and the policy reporter replaces
// the matrix's; it reads the plan from this config's metadata.
import { defineConfig } from '@playwright/test';
import type { WorkerFixtures } from './harness/matrix/catalogue-fixtures.ts';
import { engineProjects, checkInputs, regimeProjects, runMetadata, usePrivateTmpDir } from './harness/runner/setup.ts';
import { readSettings } from './harness/settings.ts';
import { TIMINGS_METADATA_KEY, mark, processMarks } from './harness/model/timings.ts';

// The run's timings (timings.json, docs/performance.md): this config runs in the runner and again in
// each worker; the marks go to the runner's reporters in the metadata, a worker's with its tests.
mark('configStart');

usePrivateTmpDir();

mark('inputsStart');
await checkInputs();
mark('inputsEnd');

const settings = readSettings();
const policyFile = settings.policyFile;

// Left relative: the junit reporter resolves it against this folder, ours against the working directory.
const outputDir = settings.reportDir;
const engines = engineProjects();
// The package ships this config compiled (cors-matrix's command runs it): specs and reporters, named
// by file here, then end in .js like this file.
const ext = import.meta.url.endsWith('.js') ? '.js' : '.ts';

// A worker's live heap stays near 60 MB, but with no cap V8 lets garbage grow to 200-300 MB per
// worker on a machine with plenty of RAM; the cap makes it collect sooner (peak memory is one of the
// targets npm run bench reports). Workers are forked after this and inherit it.
if (!/--max-old-space-size/.test(process.env.NODE_OPTIONS ?? '')) {
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=384`.trim();
}

mark('configEnd');

export default defineConfig<{}, Pick<WorkerFixtures, 'engineId' | 'regime' | 'regimeScenariosOnly'>>({
  testDir: './specs',
  testMatch: policyFile ? `policy.spec${ext}` : `catalogue.spec${ext}`,
  fullyParallel: true,
  metadata: { ...runMetadata(), [TIMINGS_METADATA_KEY]: processMarks() },
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Catalogue: one worker per engine, all engines at once; each launches its engine and servers once
  // and keeps them busy with several scenarios at a time (harness/matrix/batch.ts). More workers per engine
  // would launch more engines on the same cores; bigger runs shard across machines
  // (docs/performance.md, "When the matrix grows").
  // Policy: one test per engine (specs/policy.spec.ts), so one worker each as well.
  workers: Math.max(1, engines.length),
  // A policy test sets its own bound from its plan's size.
  timeout: policyFile ? 180_000 : 60_000,
  reporter: policyFile
    // The policy reporter writes its own junit.xml: one case per check per engine.
    ? [[process.env.CI ? 'dot' : 'line'], [`./reports/policy-reporter${ext}`, { outputDir }]]
    : [
      [process.env.CI ? 'dot' : 'line'],
      ['junit', { outputFile: `${outputDir}/junit.xml` }],
      [`./reports/matrix-reporter${ext}`, { outputDir }],
    ],
  // Catalogue: a project per column, an engine in a regime (CORS_REGIME; by default every scenario as
  // this machine's packages ship the engines, and the cookie scenarios as their users run them too).
  projects: policyFile ? engines : regimeProjects(engines),
});
