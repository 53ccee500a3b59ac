// How an engine asks to be driven through Playwright. The driver itself (playwright-engine.ts) loads
// on the first launch: the registry is also read by the verdict, the scenario checks and the
// reports, which have no use for a browser driver.
import type { LaunchOptions } from 'playwright';
import type { Engine, EngineLocation, LaunchOptions as EngineLaunchOptions } from './engine.ts';

export interface PlaywrightLaunch {
  /** Playwright's browser type that drives the engine. */
  browserType: 'chromium' | 'firefox' | 'webkit';
  /** The engine's own launch options (flags, prefs), added to headless, executablePath and channel. */
  options?(engine: EngineLaunchOptions): LaunchOptions;
}

export async function launchPlaywright(loc: EngineLocation, how: PlaywrightLaunch, options: EngineLaunchOptions): Promise<Engine> {
  const { PlaywrightEngine } = await import('./playwright-engine.ts');
  return PlaywrightEngine.launch(loc, how, options);
}
