// One interface for every engine: specs and the runner never know which driver is behind it.
// What differs between engines is said once, in each engine's descriptor (harness/engines/registry.ts).
import type { Browser, LaunchOptions as PlaywrightLaunchOptions } from 'playwright';
import type { EngineConfiguration, EngineId, EngineInfo, Regime } from '../model/types.ts';
import type { EngineLocation as Found } from './find.mjs';

/** Where an engine was found (its locator in `<id>.locate.mjs`). */
export type EngineLocation = Omit<Found, 'id'> & { id: EngineId };

/** Everything the harness knows about one engine; the rest of the code asks this, never the id. */
export interface EngineDescriptor {
  readonly id: EngineId;
  /** The engine's name in explanations and notes (e.g. "Chromium's Local Network Access"). */
  readonly label: string;
  launch(loc: EngineLocation, options: LaunchOptions): Promise<Engine>;
  /** Start the run's shared engine for `launch` with these options early, where the driver shares one. */
  prelaunch?(loc: EngineLocation, options: LaunchOptions): Promise<void>;
  /** A sentence to append to a launch failure that says its likely cause. */
  launchFailureHint?(error: unknown): string;
  /** How the engine's console says it refused a request under CORS (or its Local Network Access extension). */
  readonly corsMessage: RegExp;
  /** How it says a request failed below CORS (a refused connection, a reset). */
  readonly networkFailureMessage?: RegExp;
  /** Its words for refusing an http request from an https page (mixed content), before CORS. */
  readonly mixedContentMessage?: RegExp;
  /** Present where the engine applies Local Network Access: how its refusal reads; `reason`'s first group, the part that says why. */
  readonly localNetworkAccess?: { readonly message: RegExp; readonly reason?: RegExp };
  /**
   * The browsers this engine stands for in the `users` regime, and what they do with the API's own
   * `SameSite=None; Secure` cookie on another site's credentialed request (checked on this machine:
   * docs/environment.md, "Regimes"). Policy mode names them in its exploit lines and, in the
   * `installed` regime, judges a finding's severity by them rather than by this machine's build.
   */
  readonly users: {
    /** Who they are, e.g. "Chrome as its users run it". */
    readonly population: string;
    /** The same as a subject, e.g. "Chrome's users". */
    readonly who: string;
    readonly crossSiteCookie: 'sent' | 'withheld';
    /** The setting that decides it, e.g. "Total Cookie Protection". */
    readonly because: string;
  };
  /** Where the engine treats a cookie without SameSite as Lax: why its credentialed request from another site carries none. */
  readonly laxByDefault?: string;
}

export interface ContextOptions {
  /** Permissions to grant in this context (e.g. `local-network-access`). Ignored where unsupported. */
  permissions?: string[];
  /** An HTTP proxy every request of the context goes through (origin emulation). */
  proxy?: string;
  /**
   * `host:port` entries that go direct instead of through `proxy`. Policy mode uses it for
   * Chromium's Local Network Access: a request through the proxy counts as going to the proxy's
   * address, so a target tested without the permission must be reached directly.
   */
  proxyBypass?: string[];
}

export interface EnginePage {
  /** Navigate and wait for the load event. */
  goto(url: string): Promise<void>;
  /**
   * Evaluate `expression` (a JS expression that yields a Promise) in the page with `arg`
   * bound to the name `arg`, and return its JSON-serialisable result.
   */
  evaluate<T>(expression: string, arg: unknown, timeoutMs: number): Promise<T>;
  /** The engine's own console text (CORS errors and warnings) since the last call. */
  takeMessages(): Promise<string[]>;
  /**
   * How long a console text may trail the script result (0: this engine gives none, never wait).
   * The harness waits at most this long, and only until the text arrives.
   */
  readonly messageLagMs: number;
  close(): Promise<void>;
}

export interface Engine {
  readonly info: EngineInfo;
  /** A page in a fresh context (own cookies, HTTP cache and preflight cache where the engine allows). */
  newPage(options?: ContextOptions): Promise<EnginePage>;
  /** Bounded (harness/engines/bounded.ts): what does not close in time is killed. */
  close(): Promise<void>;
  /** The browser's main process where the driver knows it (a run's shared engine keeps it across workers). */
  readonly processId?: number | null;
}

export interface LaunchOptions {
  /** How the engine is configured (default `installed`): harness/model/types.ts `Regime`. */
  regime?: Regime;
  /**
   * `host:port` addresses whose pages the engine must treat as public-internet pages. Chromium applies
   * Local Network Access by address space; a proxy hides the page's address, so the harness marks
   * the public origin server with `--ip-address-space-overrides` instead.
   */
  publicAddresses?: string[];
  /**
   * The run may share this engine across its workers (the cors fixture, where a failed test restarts
   * its worker): Chromium and Firefox through a browser server (shared-engine.ts), WebKitGTK by
   * handing its kept page from worker to worker (webkitgtk/shared.ts). Where a worker keeps its
   * engine for the whole run (policy mode, the catalogue), a browser of its own is faster: every
   * protocol message to a shared one crosses one more process.
   */
  shared?: boolean;
  /**
   * A remote Playwright server (`npx playwright run-server`) to drive the browser on, instead of
   * launching it here: CORS_PLAYWRIGHT_SERVER's for this engine (harness/engines/launch.ts), else
   * Playwright's own `connectOptions` (or `PW_TEST_CONNECT_WS_ENDPOINT`).
   * Applies to the Playwright-driven engines; WebKitGTK reads `CORS_WEBDRIVER_URL` instead.
   */
  connect?: RemotePlaywright;
}

/** Playwright's `connectOptions`, the fields the harness uses. */
export interface RemotePlaywright {
  wsEndpoint: string;
  headers?: Record<string, string>;
  /** e.g. `<loopback>`: the remote browser reaches this machine's loopback servers through the client. */
  exposeNetwork?: string;
  timeout?: number;
  /** The variable that named it, for messages (unset: Playwright's own connectOptions). */
  variable?: 'CORS_PLAYWRIGHT_SERVER';
}

/** How an engine asks to be driven through Playwright (harness/engines/playwright-launch.ts). */
export interface PlaywrightLaunch {
  /** Playwright's browser type that drives the engine. */
  browserType: 'chromium' | 'firefox' | 'webkit';
  /** The engine's own launch options (flags, prefs), added to headless, executablePath and channel. */
  options?(engine: LaunchOptions): PlaywrightLaunchOptions;
  /**
   * Whether `configuration` works on a browser behind a Playwright server: it asks the browser
   * itself (Chromium's chrome:// pages over CDP), not this machine's processes and files (Firefox's
   * profile). Unset: the configuration is not read there, and the engine's notes say so.
   */
  remoteConfiguration?: boolean;
  /** Put the launched browser in the regime (what launch options cannot), then read back what it runs with. */
  configuration?(browser: Browser, regime: Regime, loc: EngineLocation, launcherPid?: number): Promise<EngineConfiguration>;
}
