// One way to launch an engine: find it (locate.mjs), then start it with the matching driver.
import type { EngineId } from '../types.ts';
import type { Engine, LaunchOptions } from './engine.ts';
import { locateChromium, locateFirefox, locateWebkit, INSTALL_COMMAND, type EngineLocation } from './locate.mjs';
import { PlaywrightEngine } from './playwright-engine.ts';
import { WebKitGtkEngine } from './webkitgtk-engine.ts';

export function locate(id: EngineId): EngineLocation {
  return id === 'chromium' ? locateChromium() : id === 'firefox' ? locateFirefox() : locateWebkit();
}

export async function launchEngine(id: EngineId, options: LaunchOptions = {}): Promise<Engine> {
  const loc = locate(id);
  if (!loc.available) {
    throw new Error(`${id}: not installed (missing ${(loc.missing ?? []).join(', ')}). Run: ${INSTALL_COMMAND}  (or npm run setup as root)`);
  }
  try {
    return loc.kind === 'webdriver' ? await WebKitGtkEngine.launch(loc) : await PlaywrightEngine.launch(loc, options);
  } catch (e) {
    const hint = id === 'firefox' && /unknown command/.test(String(e))
      ? ' Playwright must be exactly 1.64.1 to drive Firefox ESR 153 over WebDriver BiDi (1.65 sends emulation.setMediaFeaturesOverride, which ESR lacks).'
      : '';
    throw new Error(`${id}: failed to launch ${loc.browser} via ${loc.driver}: ${(e as Error).message}${hint}`);
  }
}
