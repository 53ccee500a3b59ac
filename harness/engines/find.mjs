// How an engine's binaries are found on this machine, for the per-engine locators. Dependency-free:
// the set-up script runs before `npm install`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { playwrightServerFor } from './playwright-server.mjs';

/**
 * @typedef {{ id: string, available: boolean, kind: 'playwright'|'webdriver',
 *   browser: string, driver: string, executablePath?: string, channel?: string,
 *   driverPath?: string, browserPath?: string, xvfbPath?: string, missing?: string[] }} EngineLocation
 */

/**
 * @typedef {object} EngineLocator
 * @property {string} id
 * @property {string[]} packages Debian packages that provide it (the set-up installs the missing ones).
 * @property {() => EngineLocation} locate
 * @property {(loc: EngineLocation) => string} [describe] Its version for the set-up's summary, where `--version` does not say it.
 */

/** @param {string} p */
export function exists(p) {
  try { fs.accessSync(p, fs.constants.X_OK); return true; } catch { return false; }
}

/**
 * Playwright's browser cache (PLAYWRIGHT_BROWSERS_PATH or ~/.cache/ms-playwright).
 * @param {string} prefix
 * @param {string[]} relative
 */
export function playwrightBrowser(prefix, relative) {
  const root = process.env.PLAYWRIGHT_BROWSERS_PATH && process.env.PLAYWRIGHT_BROWSERS_PATH !== '0'
    ? process.env.PLAYWRIGHT_BROWSERS_PATH
    : path.join(os.homedir(), '.cache', 'ms-playwright');
  let dirs = [];
  try { dirs = fs.readdirSync(root).filter((d) => d.startsWith(prefix + '-')).sort().reverse(); } catch { return null; }
  for (const d of dirs) {
    for (const rel of relative) {
      const p = path.join(root, d, rel);
      if (exists(p)) return p;
    }
  }
  return null;
}

/**
 * `relative` under the Debian multiarch library directories, `preferred` (Debian's amd64 path) first.
 * @param {string} preferred
 * @param {string} relative
 */
export function multiarchLibrary(preferred, relative) {
  if (exists(preferred)) return preferred;
  let dirs = [];
  try { dirs = fs.readdirSync('/usr/lib').filter((d) => /-linux-gnu/.test(d)).sort(); } catch { return null; }
  return dirs.map((d) => path.join('/usr/lib', d, relative)).find(exists) ?? null;
}

/**
 * @param {string} cmd
 * @param {string[]} [args]
 */
export function version(cmd, args = ['--version']) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch { return null; }
}

/**
 * A Playwright server to connect to (CORS_PLAYWRIGHT_SERVER for this engine, or Playwright's own
 * PW_TEST_CONNECT_WS_ENDPOINT for all): the browser runs there, so one missing here is not missing.
 * What is found here is still sent as launch options (executablePath, channel), right for a
 * run-server on this host or one built from the same image.
 * @param {EngineLocation} loc
 * @returns {EngineLocation}
 */
export function remotePlaywright(loc) {
  if (loc.available || !(process.env.PW_TEST_CONNECT_WS_ENDPOINT || playwrightServerFor(loc.id))) return loc;
  return { ...loc, available: true, missing: [], executablePath: undefined, channel: undefined, browser: `${loc.browser} (remote)`, driver: 'playwright' };
}
