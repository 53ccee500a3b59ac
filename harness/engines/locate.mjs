// Where each engine lives on this machine. Dependency-free: the set-up script runs it before
// `npm install`, and the engine launchers run it too, so both agree on what was found.
// Order (SPEC.md section 4): Playwright's own browser where installed, else Debian's package.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

export const DEBIAN_PACKAGES = ['chromium', 'firefox-esr', 'webkit2gtk-driver', 'xvfb'];
export const INSTALL_COMMAND = `apt-get update && apt-get install -y ${DEBIAN_PACKAGES.join(' ')}`;

const SYSTEM = {
  chromium: '/usr/lib/chromium/chromium',
  firefox: '/usr/bin/firefox-esr',
  webkitDriver: '/usr/bin/WebKitWebDriver',
  xvfb: '/usr/bin/Xvfb',
};

function exists(p) {
  try { fs.accessSync(p, fs.constants.X_OK); return true; } catch { return false; }
}

/** Playwright's browser cache (PLAYWRIGHT_BROWSERS_PATH or ~/.cache/ms-playwright). */
function playwrightBrowser(prefix, relative) {
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

function version(cmd, args = ['--version']) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch { return null; }
}

/**
 * @typedef {{ id: 'chromium'|'firefox'|'webkit', available: boolean, kind: 'playwright'|'webdriver',
 *   browser: string, driver: string, executablePath?: string, channel?: string,
 *   driverPath?: string, xvfbPath?: string, missing?: string[] }} EngineLocation
 */

/**
 * A Playwright server to connect to (Playwright's own PW_TEST_CONNECT_WS_ENDPOINT): the browser runs
 * there, so one missing here is not missing. What is found here is still sent as launch options
 * (executablePath, channel), right for a run-server on this host or one built from the same image.
 */
function remotePlaywright(loc) {
  if (loc.available || !process.env.PW_TEST_CONNECT_WS_ENDPOINT) return loc;
  return { ...loc, available: true, missing: [], executablePath: undefined, channel: undefined, browser: `${loc.browser} (remote)`, driver: 'playwright' };
}

/** @returns {EngineLocation} */
export function locateChromium() {
  return remotePlaywright(localChromium());
}

function localChromium() {
  if (process.env.CORS_CHROMIUM_PATH) {
    return { id: 'chromium', available: exists(process.env.CORS_CHROMIUM_PATH), kind: 'playwright', browser: 'Chromium', driver: 'cdp', executablePath: process.env.CORS_CHROMIUM_PATH, missing: exists(process.env.CORS_CHROMIUM_PATH) ? [] : [process.env.CORS_CHROMIUM_PATH] };
  }
  const pw = playwrightBrowser('chromium', ['chrome-linux/chrome', 'chrome-linux64/chrome']);
  if (pw) return { id: 'chromium', available: true, kind: 'playwright', browser: 'Chromium (Playwright)', driver: 'cdp' };
  const ok = exists(SYSTEM.chromium);
  return { id: 'chromium', available: ok, kind: 'playwright', browser: 'Chromium', driver: 'cdp', executablePath: SYSTEM.chromium, missing: ok ? [] : ['chromium'] };
}

/** @returns {EngineLocation} */
export function locateFirefox() {
  return remotePlaywright(localFirefox());
}

function localFirefox() {
  const pw = playwrightBrowser('firefox', ['firefox/firefox']);
  if (pw) return { id: 'firefox', available: true, kind: 'playwright', browser: 'Firefox (Playwright)', driver: 'juggler' };
  const ok = exists(SYSTEM.firefox);
  return { id: 'firefox', available: ok, kind: 'playwright', browser: 'Firefox ESR', driver: 'webdriver-bidi', executablePath: SYSTEM.firefox, channel: 'moz-firefox', missing: ok ? [] : ['firefox-esr'] };
}

/** @returns {EngineLocation} */
export function locateWebkit() {
  // A remote WebDriver endpoint (CORS_WEBDRIVER_URL) needs neither WebKitWebDriver nor Xvfb here.
  if (process.env.CORS_WEBDRIVER_URL?.trim()) {
    return { id: 'webkit', available: true, kind: 'webdriver', browser: 'WebKitGTK MiniBrowser', driver: 'webdriver-classic', missing: [] };
  }
  const pw = playwrightBrowser('webkit', ['pw_run.sh']);
  if (pw) return { id: 'webkit', available: true, kind: 'playwright', browser: 'WebKit (Playwright)', driver: 'playwright-webkit' };
  const missing = [];
  if (!exists(SYSTEM.webkitDriver)) missing.push('webkit2gtk-driver');
  if (!exists(SYSTEM.xvfb)) missing.push('xvfb');
  return { id: 'webkit', available: missing.length === 0, kind: 'webdriver', browser: 'WebKitGTK MiniBrowser', driver: 'webdriver-classic', driverPath: SYSTEM.webkitDriver, xvfbPath: SYSTEM.xvfb, missing };
}

/** @returns {EngineLocation[]} */
export function locateEngines() {
  return [locateChromium(), locateFirefox(), locateWebkit()];
}

/** Versions as the binaries print them (for the set-up's summary; reports use the running engine's own). */
export function describe(loc) {
  if (!loc.available) return `missing (${(loc.missing ?? []).join(', ')})`;
  if (loc.kind === 'webdriver') {
    // WebKitWebDriver has no --version; the Debian package version names the WebKitGTK release.
    const pkg = version('dpkg-query', ['-W', '-f=${Version}', 'webkit2gtk-driver']);
    return `WebKitGTK ${pkg ?? '(version unknown)'} + Xvfb`;
  }
  if (loc.executablePath) return version(loc.executablePath) ?? loc.executablePath;
  return 'Playwright build';
}
