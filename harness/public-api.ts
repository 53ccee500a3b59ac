// `cors-matrix`: what a user's own files import. Typed policy and scenario files, and the engine
// projects for the user's playwright.config.ts (with the `cors` fixture of `cors-matrix/test`).
import type { PlaywrightTestProject } from '@playwright/test';
import type { EngineId, Regime, Scenario } from './model/types.ts';
import { engineProjects, prelaunchFixtureEngines } from './runner/setup.ts';
import { checkCorsRegime } from './policy/cors-regime.ts';

export { definePolicy } from './policy/define.ts';
export type { PolicyInput } from './policy/policy-types.ts';
export type { Scenario, EngineId, Regime } from './model/types.ts';

/**
 * A typed scenario list (completion and errors in the editor). `cors-matrix matrix --scenarios`
 * reads JSON, so a typed list is written out with JSON.stringify; every field is checked there.
 */
export function defineScenarios(scenarios: Scenario[]): Scenario[] {
  return scenarios;
}

/**
 * One Playwright project per engine installed here (the user's Playwright browsers first, else the
 * system's), each setting the `cors` fixture's engine. Missing engines are named once on stderr with
 * the command that installs them; `require: true` makes a missing one end the run (exit 2).
 * `engines` keeps only the listed ones. `regime` sets each project's `corsRegime` (`users`, the
 * fixture's default, or `installed`); left out, the fixture's own default applies (CORS_REGIME, else users).
 */
export function corsProjects(options: { engines?: EngineId[]; require?: boolean; prefix?: string; testDir?: string; regime?: Regime } = {}): PlaywrightTestProject<{}, { engineId: EngineId; corsRegime: Regime }>[] {
  // Checked when the config loads: a mistyped regime ends the run before any engine starts.
  const regime = options.regime === undefined ? undefined : checkCorsRegime(options.regime, 'corsProjects({ regime })');
  const projects = engineProjects({ require: options.require, prefix: options.prefix, testDir: options.testDir });
  const keep = options.engines;
  const out = keep ? projects.filter((p) => keep.includes(p.use!.engineId!)) : projects;
  // An undefined testDir would override the config's own; so would an undefined corsRegime.
  const made = out.map(({ testDir, ...p }) => ({ ...p, ...(testDir ? { testDir } : {}), ...(regime ? { use: { ...p.use, corsRegime: regime } } : {}) }));
  // The engines start now, in the runner, while its workers boot (docs/performance.md, "One engine per run").
  prelaunchFixtureEngines(made);
  return made;
}
