// How an engine asks to be driven through Playwright. The driver itself (playwright-engine.ts) loads
// on the first launch: the registry is also read by the verdict, the scenario checks and the
// reports, which have no use for a browser driver.
import type { Engine, EngineLocation, LaunchOptions as EngineLaunchOptions, PlaywrightLaunch } from './engine.ts';

export type { PlaywrightLaunch };

export async function launchPlaywright(loc: EngineLocation, how: PlaywrightLaunch, options: EngineLaunchOptions): Promise<Engine> {
  const { PlaywrightEngine } = await import('./playwright-engine.ts');
  return PlaywrightEngine.launch(loc, how, options);
}

export async function prelaunchPlaywright(loc: EngineLocation, how: PlaywrightLaunch, options: EngineLaunchOptions): Promise<void> {
  const { prelaunchPlaywright: start } = await import('./playwright-engine.ts');
  await start(loc, how, options);
}
