// WebKit: WebKitGTK's MiniBrowser through WebKitWebDriver (here, or at remote WebDriver endpoints),
// or Playwright's WebKit build where installed. Labelled WebKitGTK, not Safari: same WebCore CORS
// code, different network stack and policies.
import type { EngineDescriptor } from './engine.ts';
import { launchPlaywright } from './playwright-launch.ts';

export const webkit: EngineDescriptor = {
  id: 'webkit',
  label: 'WebKitGTK',
  async launch(loc, options) {
    if (loc.kind !== 'webdriver') return launchPlaywright(loc, { browserType: 'webkit' }, options);
    // Loaded on launch, as Playwright's driver is (playwright-launch.ts says why).
    const { WebKitGtkEngine } = await import('./webkitgtk/engine.ts');
    return WebKitGtkEngine.launch(loc);
  },
  corsMessage: /access control checks|not allowed by Access-Control/i,
};
