// The engines, in matrix order, and where each lives on this machine. Dependency-free: the set-up
// script runs it before `npm install`, and the engine launchers run it too, so both agree on what
// was found, and the Debian packages to install come from the same list.
import { version } from './find.mjs';
import { chromiumLocator } from './chromium.locate.mjs';
import { firefoxLocator } from './firefox.locate.mjs';
import { webkitLocator } from './webkit.locate.mjs';
import { ENGINE_IDS as KNOWN_IDS } from '../model/engine-ids.mjs';

/** One locator per engine id, in the ids' order; an id without one stops here, not mid-run. */
const LOCATORS = KNOWN_IDS.map((id) => {
  const locator = [chromiumLocator, firefoxLocator, webkitLocator].find((l) => l.id === id);
  if (!locator) throw new Error(`engine ${JSON.stringify(id)} has no locator in harness/engines/`);
  return locator;
});

export const ENGINE_IDS = [...KNOWN_IDS];
/** @typedef {import('./find.mjs').EngineLocation} EngineLocation */

export const DEBIAN_PACKAGES = [...new Set(LOCATORS.flatMap((l) => l.packages))];
export const INSTALL_COMMAND = `apt-get update && apt-get install -y ${DEBIAN_PACKAGES.join(' ')}`;

/**
 * @param {string} id
 * @returns {EngineLocation}
 */
export function locate(id) {
  const locator = LOCATORS.find((l) => l.id === id);
  if (!locator) throw new Error(`unknown engine ${JSON.stringify(id)}: one of ${ENGINE_IDS.join(', ')}`);
  return locator.locate();
}

/** @returns {EngineLocation[]} */
export function locateEngines() {
  return LOCATORS.map((l) => l.locate());
}

/**
 * Versions as the binaries print them (for the set-up's summary; reports use the running engine's own).
 * @param {EngineLocation} loc
 */
export function describe(loc) {
  if (!loc.available) return `missing (${(loc.missing ?? []).join(', ')})`;
  const own = LOCATORS.find((l) => l.id === loc.id)?.describe?.(loc);
  if (own) return own;
  if (loc.executablePath) return version(loc.executablePath) ?? loc.executablePath;
  return 'Playwright build';
}
