// The worker option that says which engine a project runs (set per project by engineProjects() in
// harness/runner/setup.ts). Every mode's fixtures declare it from here, so a project's `use` means
// the same to all of them.
import type { EngineId } from '../model/types.ts';

export interface EngineOption {
  engineId: EngineId;
}

/** Spread into `test.extend<{}, EngineOption & ...>`. */
export const engineOption: { engineId: [EngineId, { option: true; scope: 'worker' }] } = {
  engineId: ['chromium', { option: true, scope: 'worker' }],
};
