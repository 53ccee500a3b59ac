// The catalogue laid out as before issue 6, for npm run bench -- --variant "... -c scripts/bench/layout.config.ts":
// workers = max(2, cores) shared by all engines, no per-engine cap (engines start in turn, a worker
// per engine change). Everything else is the project's own playwright.config.ts.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import config from '../../playwright.config.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const local = (p: string) => (p.startsWith('./') ? path.join(root, p) : p);

export default defineConfig({
  ...config,
  testDir: path.join(root, 'specs'),
  outputDir: path.join(root, 'test-results'),
  workers: Math.max(2, os.cpus().length),
  reporter: (config.reporter as Array<[string, unknown]>).map(([name, options]) => [local(name), options]),
  projects: (config.projects ?? []).map(({ workers: _workers, ...p }) => p),
});
