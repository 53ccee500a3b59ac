// WebKit: WebKitGTK's MiniBrowser through WebKitWebDriver (here, or at remote WebDriver endpoints),
// or Playwright's WebKit build where installed. Labelled WebKitGTK, not Safari: same WebCore CORS
// code, different network stack and policies.
import type { EngineDescriptor } from './engine.ts';
import { launchPlaywright } from './playwright-launch.ts';

export const webkit: EngineDescriptor = {
  id: 'webkit',
  label: 'WebKitGTK',
  async launch(loc, options) {
    if (loc.kind !== 'webdriver') {
      const engine = await launchPlaywright(loc, { browserType: 'webkit' }, options);
      // Playwright's WebKit gives each context a new ephemeral network session of its own, which no
      // MiniBrowser switch reaches (--enable-itp sets MiniBrowser's own session): ITP cannot be turned on.
      if (options.regime === 'users') engine.info.notes = [engine.info.notes, 'users regime not applied: Playwright\'s WebKit has no switch for Intelligent Tracking Prevention in its contexts'].filter(Boolean).join(', ');
      return engine;
    }
    // Loaded on launch, as Playwright's driver is (playwright-launch.ts says why).
    const { WebKitGtkEngine } = await import('./webkitgtk/engine.ts');
    return WebKitGtkEngine.launch(loc, options.regime, options.shared);
  },
  // The run's kept page (webkitgtk/shared.ts), started by the runner while its workers boot.
  async prelaunch(loc, options) {
    if (loc.kind !== 'webdriver' || !options.shared) return;
    const { WebKitGtkEngine } = await import('./webkitgtk/engine.ts');
    await WebKitGtkEngine.prelaunch(loc, options.regime);
  },
  // WebKitGTK 2.50's CORS reasons (its `security` console text, which webkitgtk/inspector.ts joins
  // to the line naming the URL). Not that line's "due to access control checks": WebKit says it for
  // every refusal it files as access control, also for one before any CORS step ("Not allowed to
  // request resource": mixed content, Content Security Policy).
  corsMessage: /not allowed by Access-Control-Allow-|Access-Control-Allow-Credentials is not|Access-Control-Allow-Origin cannot contain|wildcard in Access-Control-Allow-Origin|denied by Cross-Origin Resource Sharing policy|Preflight response is not successful|Header Access-Control-[A-Za-z-]+ has an invalid value|Cross origin requests are only supported for/i,
  // libsoup's words for a request that failed below CORS, echoed as "Failed to load resource: ...".
  networkFailureMessage: /Failed to load resource: (?:Could not connect to |Could not resolve host|Connection terminated unexpectedly)/,
  // WebCore's CachedResourceLoader::canRequest refusal; the only loading policy it meets here is
  // mixed content (an https page calling http on a named host), observed with that exact text.
  mixedContentMessage: /^Not allowed to request resource$/m,
  users: { population: 'Safari-like (MiniBrowser with ITP)', who: 'Safari\'s users', crossSiteCookie: 'withheld', because: 'Intelligent Tracking Prevention' },
};
