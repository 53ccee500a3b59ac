// Where WebKit lives: remote WebDriver endpoints (CORS_WEBDRIVER_URL) or a Selenium Grid (CORS_GRID), else Playwright's build, else
// Debian's WebKitGTK: WebKitWebDriver driving MiniBrowser under a private Xvfb.
import { exists, multiarchLibrary, playwrightBrowser, version } from './find.mjs';
import { webkitIsRemote } from './webkitgtk/webdriver-env.mjs';

const WEBKIT_DRIVER = '/usr/bin/WebKitWebDriver';
const XVFB = '/usr/bin/Xvfb';
const MINIBROWSER_RELATIVE = 'webkit2gtk-4.1/MiniBrowser';
/** Debian's amd64 path; also what a remote endpoint is told, as it cannot be looked up from here. */
const MINIBROWSER = `/usr/lib/x86_64-linux-gnu/${MINIBROWSER_RELATIVE}`;

/** @satisfies {import('./find.mjs').EngineLocator} */
export const webkitLocator = {
  id: /** @type {const} */ ('webkit'),
  packages: ['webkit2gtk-driver', 'xvfb'],
  locate,
  /** @param {import('./find.mjs').EngineLocation} loc */
  describe(loc) {
    if (loc.kind !== 'webdriver') return undefined;
    // WebKitWebDriver has no --version; the Debian package version names the WebKitGTK release.
    const pkg = version('dpkg-query', ['-W', '-f=${Version}', 'webkit2gtk-driver']);
    return `WebKitGTK ${pkg ?? '(version unknown)'} + Xvfb`;
  },
};

/** @returns {import('./find.mjs').EngineLocation} */
function locate() {
  // A remote endpoint or Grid needs neither WebKitWebDriver nor Xvfb here.
  if (webkitIsRemote()) {
    return { id: 'webkit', available: true, kind: 'webdriver', browser: 'WebKitGTK MiniBrowser', driver: 'webdriver-classic', browserPath: MINIBROWSER, missing: [] };
  }
  const pw = playwrightBrowser('webkit', ['pw_run.sh']);
  if (pw) return { id: 'webkit', available: true, kind: 'playwright', browser: 'WebKit (Playwright)', driver: 'playwright-webkit' };
  const missing = [];
  if (!exists(WEBKIT_DRIVER)) missing.push('webkit2gtk-driver');
  if (!exists(XVFB)) missing.push('xvfb');
  const browserPath = multiarchLibrary(MINIBROWSER, MINIBROWSER_RELATIVE) ?? MINIBROWSER;
  return { id: 'webkit', available: missing.length === 0, kind: 'webdriver', browser: 'WebKitGTK MiniBrowser', driver: 'webdriver-classic', driverPath: WEBKIT_DRIVER, browserPath, xvfbPath: XVFB, missing };
}
