// The worker option that says which engine a project runs (set per project by engineProjects() in
// harness/runner/setup.ts). Every mode's fixtures declare it from here, so a project's `use` means
// the same to all of them.
import type { EngineId } from '../model/types.ts';

export interface EngineOption {
  engineId: EngineId;
}

/**
 * Spread into `test.extend<{}, EngineOption & ...>`. A project that does not set `engineId` (one the
 * user wrote, outside corsProjects()) runs the engine its Playwright `browserName` names: the three
 * browser names are the engine ids, so a `firefox` project never silently runs Chromium.
 */
export const engineOption = {
  engineId: [async ({ browserName }: { browserName: EngineId }, use: (id: EngineId) => Promise<void>) => { await use(browserName); }, { option: true, scope: 'worker' }],
} as unknown as { engineId: [EngineId, { option: true; scope: 'worker' }] };
