// Where Firefox lives: Playwright's build, else Debian's Firefox ESR (driven over WebDriver BiDi).
import { exists, playwrightBrowser, remotePlaywright } from './find.mjs';

const SYSTEM = '/usr/bin/firefox-esr';

/** @satisfies {import('./find.mjs').EngineLocator} */
export const firefoxLocator = {
  id: /** @type {const} */ ('firefox'),
  packages: ['firefox-esr'],
  locate: () => remotePlaywright(local()),
};

/** @returns {import('./find.mjs').EngineLocation} */
function local() {
  const pw = playwrightBrowser('firefox', ['firefox/firefox']);
  if (pw) return { id: 'firefox', available: true, kind: 'playwright', browser: 'Firefox (Playwright)', driver: 'juggler' };
  const ok = exists(SYSTEM);
  return { id: 'firefox', available: ok, kind: 'playwright', browser: 'Firefox ESR', driver: 'webdriver-bidi', executablePath: SYSTEM, channel: 'moz-firefox', missing: ok ? [] : ['firefox-esr'] };
}
