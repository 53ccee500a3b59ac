// Where Chromium lives: CORS_CHROMIUM_PATH, else Playwright's build, else Debian's package.
import { exists, playwrightBrowser, remotePlaywright } from './find.mjs';

const SYSTEM = '/usr/lib/chromium/chromium';

/** @satisfies {import('./find.mjs').EngineLocator} */
export const chromiumLocator = {
  id: /** @type {const} */ ('chromium'),
  packages: ['chromium'],
  locate: () => remotePlaywright(local()),
};

/** @returns {import('./find.mjs').EngineLocation} */
function local() {
  const override = process.env.CORS_CHROMIUM_PATH;
  if (override) {
    return { id: 'chromium', available: exists(override), kind: 'playwright', browser: 'Chromium', driver: 'cdp', executablePath: override, missing: exists(override) ? [] : [override] };
  }
  const pw = playwrightBrowser('chromium', ['chrome-linux/chrome', 'chrome-linux64/chrome']);
  if (pw) return { id: 'chromium', available: true, kind: 'playwright', browser: 'Chromium (Playwright)', driver: 'cdp' };
  const ok = exists(SYSTEM);
  return { id: 'chromium', available: ok, kind: 'playwright', browser: 'Chromium', driver: 'cdp', executablePath: SYSTEM, missing: ok ? [] : ['chromium'] };
}
