// npm run bench (scripts/bench.mjs) runs these: the floor (project per engine, all engines at once,
// one worker each) and `prepare`, which writes the scaled catalogue.
import { defineConfig } from '@playwright/test';
import { engineProjects } from '../../harness/config.ts';

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
  ],
});
