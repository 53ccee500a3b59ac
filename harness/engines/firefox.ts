// Firefox, driven by Playwright: Debian's Firefox ESR over WebDriver BiDi, or Playwright's build.
import os from 'node:os';
import { PLAYWRIGHT_PIN, firefoxRefusal } from './playwright-pin.ts';
import type { EngineDescriptor } from './engine.ts';
import { launchPlaywright, prelaunchPlaywright, type PlaywrightLaunch } from './playwright-launch.ts';

const playwright: PlaywrightLaunch = {
  browserType: 'firefox',
  options: (engine) => ({
    // Firefox over BiDi as root fails when $HOME is not root's (Playwright's own hint).
    env: { ...process.env, HOME: os.homedir() } as Record<string, string>,
    firefoxUserPrefs: {
      // Print the web console (CORS reasons included) so the harness can read the engine's own text.
      'devtools.console.stdout.content': true,
      // Without it Firefox sends loopback requests past a context's proxy: origin emulation
      // (policy mode) must see, and forward, the requests to a loopback target.
      'network.proxy.allow_hijacking_localhost': true,
      // The users regime: Firefox's release default, Total Cookie Protection, stated rather than inherited.
      ...(engine.regime === 'users' ? { 'network.cookie.cookieBehavior': 5 } : {}),
    },
  }),
  configuration: async (_browser, regime, loc, launcherPid) => (await import('./firefox-configuration.ts')).readFirefoxConfiguration(loc.executablePath ?? 'firefox', regime, launcherPid),
};

export const firefox: EngineDescriptor = {
  id: 'firefox',
  label: 'Firefox',
  launch: (loc, options) => {
    // Refused before Firefox starts: otherwise every new context fails with a stack trace.
    const refused = firefoxRefusal(loc);
    return refused ? Promise.reject(new Error(`firefox: ${refused}`)) : launchPlaywright(loc, playwright, options);
  },
  prelaunch: (loc, options) => (firefoxRefusal(loc) ? Promise.resolve() : prelaunchPlaywright(loc, playwright, options)),
  launchFailureHint: (e) => /unknown command/.test(String(e))
    ? ` Playwright must be exactly ${PLAYWRIGHT_PIN.version} to drive Firefox ESR 153 over WebDriver BiDi (${PLAYWRIGHT_PIN.why}: emulation.setMediaFeaturesOverride).`
    : '',
  corsMessage: /Cross-Origin Request Blocked/i,
  // Firefox words a refused connection as a CORS failure.
  networkFailureMessage: /CORS request did not succeed/,
  mixedContentMessage: /Blocked loading mixed active content/,
  users: { population: 'Firefox release defaults', who: 'Firefox\'s users', crossSiteCookie: 'withheld', because: 'Total Cookie Protection' },
};
