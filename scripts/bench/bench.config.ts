// npm run bench (scripts/bench.mjs) runs these: the floor (project per engine, all engines at once,
// one worker each), `prepare`, which writes the scaled catalogue, `policy` (policy mode's speed) and
// `check` (cors-matrix check against its own floor) and `fixture` (the cors fixture against its own).
import { defineConfig } from '@playwright/test';
import { engineProjects } from '../../harness/runner/setup.ts';

const engines = engineProjects({ testDir: '.' });
const out = process.env.CORSBENCH_OUT;

export default defineConfig({
  testDir: '.',
  fullyParallel: true,
  workers: Math.max(1, engines.length),
  retries: 0,
  timeout: 600_000,
  reporter: [['line']],
  outputDir: out ? `${out}/test-results` : undefined,
  projects: [
    ...engines.map((p) => ({ ...p, testMatch: 'floor.spec.ts' })),
    { name: 'prepare', testMatch: 'prepare.spec.ts' },
    { name: 'policy', testMatch: 'policy.spec.ts', timeout: 3_600_000 },
    { name: 'check', testMatch: 'check.spec.ts', timeout: 3_600_000 },
    { name: 'fixture', testMatch: 'fixture.spec.ts', timeout: 3_600_000 },
  ],
});
