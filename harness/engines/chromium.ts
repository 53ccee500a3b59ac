// Chromium, driven by Playwright over CDP. The one engine here that applies Local Network Access.
import type { EngineDescriptor } from './engine.ts';
import { launchPlaywright, prelaunchPlaywright, type PlaywrightLaunch } from './playwright-launch.ts';
import { USERS_DISABLED_FEATURES } from './chromium-configuration.ts';

const ARGS = [
  // A closed network: background fetches to Google hosts fail and slow every start.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const playwright: PlaywrightLaunch = {
  browserType: 'chromium',
  options(engine) {
    // Local Network Access goes by address space, and a proxy hides the page's address.
    const overrides = (engine.publicAddresses ?? []).map((a) => `${a}=public`).join(',');
    // The users regime keeps on the features Chrome's users have (chromium-configuration.ts).
    const users = engine.regime === 'users' ? [`--disable-features=${USERS_DISABLED_FEATURES.join(',')}`] : [];
    return {
      args: [...ARGS, ...users, ...(overrides ? [`--ip-address-space-overrides=${overrides}`] : [])],
      // As root Chromium refuses to start sandboxed.
      chromiumSandbox: false,
    };
  },
  // Read from the browser itself (chrome:// pages over CDP): the same on a Playwright server.
  remoteConfiguration: true,
  configuration: async (browser, regime) => (await import('./chromium-configuration.ts')).readChromiumConfiguration(browser, regime),
};

export const chromium: EngineDescriptor = {
  id: 'chromium',
  label: 'Chromium',
  launch: (loc, options) => launchPlaywright(loc, playwright, options),
  prelaunch: (loc, options) => prelaunchPlaywright(loc, playwright, options),
  corsMessage: /blocked by CORS policy/i,
  networkFailureMessage: /net::ERR_(?!FAILED)[A-Z_]+/,
  mixedContentMessage: /Mixed Content: .* requested an insecure/,
  // The reason is the sentence after "blocked by CORS policy:", the same for every request.
  localNetworkAccess: { message: /address space|Local Network Access|not a secure context and the resource is in more-private/i, reason: /blocked by CORS policy: (.*)$/ },
  users: { population: 'Chrome as its users run it', who: 'Chrome\'s users', crossSiteCookie: 'sent', because: 'cookie controls that block third-party cookies in Incognito only' },
  laxByDefault: 'Chromium\'s Lax default for a cookie without SameSite',
};
