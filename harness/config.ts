// What both Playwright configs share: the engine projects, and input checks that end a run before
// any engine starts, with one message (file, field, fix) instead of a stack trace.
import type { PlaywrightTestProject } from '@playwright/test';
import type { EngineId } from './types.ts';
import { ENGINE_IDS } from './types.ts';
import type { WorkerFixtures } from './fixtures.ts';
import { locateEngines, INSTALL_COMMAND } from './engines/locate.mjs';
import { InputError } from './scenarios.ts';
import { checkEnv } from './env.ts';

/** Check the environment, then `check` (scenario or policy files); end the run on bad input. */
export function checkInputs(check: () => void = () => {}): void {
  try {
    checkEnv();
    check();
  } catch (e) {
    if (e instanceof InputError) {
      process.stderr.write(`\ncors-matrix: ${e.message}\n\n`);
      process.exit(2);
    }
    throw e;
  }
}

/** One project per engine available here; missing ones are named once, with the install command. */
export function engineProjects(options: { testDir?: string; require?: boolean; prefix?: string } = {}): PlaywrightTestProject<{}, Pick<WorkerFixtures, 'engineId'>>[] {
  const found = locateEngines();
  const missing = found.filter((l) => !l.available);
  if (missing.length && !process.env.TEST_WORKER_INDEX) {
    const names = missing.map((m) => `${m.id} (${(m.missing ?? []).join(', ')})`).join('; ');
    const msg = `cors-matrix: not installed: ${names}. Install with: ${INSTALL_COMMAND}`;
    if (options.require) { process.stderr.write(msg + '\n'); process.exit(2); }
    process.stderr.write(msg + ' - running the other engines.\n');
  }
  return ENGINE_IDS.filter((id) => found.find((l) => l.id === id)?.available).map((id: EngineId) => ({
    name: (options.prefix ?? '') + id,
    testDir: options.testDir,
    metadata: { engine: id },
    use: { engineId: id },
  }));
}
