// WebKitGTK's MiniBrowser through WebKitWebDriver (W3C classic) under a private Xvfb, or through
// remote WebDriver endpoints (CORS_WEBDRIVER_URL: a WebKitWebDriver started elsewhere, a Selenium
// Grid listed once per session), or through a Selenium Grid (CORS_GRID: as many sessions as it has
// free slots; a node that fails costs its probes, and its pages go on at another node).
import type { Engine, EngineLocation, EnginePage, ContextOptions } from '../engine.ts';
import type { EngineInfo, Regime } from '../../model/types.ts';
import type { SessionInfo } from '../webdriver.ts';
import { readWebKitConfiguration } from './configuration.ts';
import { startXvfb, type Display } from '../xvfb.ts';
import { startDriver } from './driver.ts';
import { EndpointPool } from './pool.ts';
import { GridPool } from './grid.ts';
import { isNodeFailure } from '../webdriver.ts';
import { WebKitPage, SCRIPT_TIMEOUT_MS, type Endpoint } from './page.ts';
import { extraCapabilities, gridUrl, remoteWebDriverUrls } from './webdriver-env.mjs';
import { startKeptPage, takeKeptPage } from './shared.ts';
import { sharingEnabled } from '../shared-engine.ts';

/**
 * `CORS_WEBKIT_SPARE=1`: a warm spare MiniBrowser (see WebKitGtkEngine.spares). Off by default: 8%
 * faster on the webkit column at load 4-6, but the spare's start takes CPU from the probes running
 * beside it, and under heavy load that is where stalls come from (docs/performance.md).
 */
export const SPARE_ENV = 'CORS_WEBKIT_SPARE';

/** The users regime: Safari blocks third-party cookies (ITP); MiniBrowser's own switch for it. */
const regimeArgs = (regime: Regime): string[] => regime === 'users' ? ['--enable-itp'] : [];

/** A new object each time: a page's session adds its own capabilities to it. */
const sessionCaps = (): Record<string, unknown> => ({
  // Still honoured with --target: the driver hands it to the browser's automation session.
  acceptInsecureCerts: true,
  timeouts: { script: SCRIPT_TIMEOUT_MS, pageLoad: 30_000 },
});

/** The kept page's session: the harness starts its MiniBrowser, as for a page of its own. */
const keptCaps = () => ({ ...sessionCaps(), browserName: 'MiniBrowser' });

/** The run's kept page (shared.ts) is for a local MiniBrowser, with sharing on (CORS_SHARED_ENGINES). */
const keepable = () => sharingEnabled() && !gridUrl() && !remoteWebDriverUrls().length;

export class WebKitGtkEngine implements Engine {
  private constructor(
    readonly info: EngineInfo,
    private readonly loc: EngineLocation,
    private xvfb: Promise<Display> | null,
    private readonly pool: EndpointPool | GridPool | null,
  ) {}

  /**
   * Whether this engine's first page may be the run's kept page (shared.ts): the cors fixture asks
   * for it (LaunchOptions.shared), here, with sharing on (CORS_SHARED_ENGINES).
   */
  private keep = false;
  /** The kept page is this engine's now: a second page at once gets a MiniBrowser of its own. */
  private keptHeld = false;
  /** The kept page's MiniBrowser, once this engine has held it: the same process in every worker of the run. */
  processId: number | null = null;

  private regime: Regime = 'installed';
  /** The endpoints (a MiniBrowser and its driver each) of the pages still open: close() stops them too. */
  private readonly endpoints = new Set<Endpoint>();
  /**
   * Warm spares, by MiniBrowser arguments: a MiniBrowser and its driver started, with no session yet,
   * while the page before it works. A fresh context costs a MiniBrowser start (1-3 s here); the
   * catalogue opens fresh contexts one after another with the same arguments (the isolated
   * scenarios), so the next one starts while the current one probes. A spare is started from the
   * second open of the same arguments on (a lane, opened once, gets none), and close() stops it.
   */
  private readonly spares = new Map<string, Promise<Endpoint>>();
  private readonly opens = new Map<string, number>();
  /** Read once, at launch: a test turns it on for an engine of its own. */
  private readonly spare = process.env[SPARE_ENV] === '1';
  /** Pages' MiniBrowsers still stopping: a closed page does not wait for its processes (close() does). */
  private readonly stopping = new Set<Promise<void>>();

  /** Start the run's kept page now (the runner, while its workers boot): their first pages take it over. */
  static async prelaunch(loc: EngineLocation, regime: Regime = 'installed'): Promise<void> {
    if (!keepable()) return;
    await startKeptPage(loc, regimeArgs(regime), keptCaps());
  }

  static async launch(loc: EngineLocation, regime: Regime = 'installed', shared = false): Promise<WebKitGtkEngine> {
    const keep = shared && keepable();
    const engine = await WebKitGtkEngine.start(loc, keep);
    engine.regime = regime;
    engine.keep = keep;
    (engine.info as EngineInfo).regime = regime;
    return engine;
  }

  private static async start(loc: EngineLocation, keep: boolean): Promise<WebKitGtkEngine> {
    const grid = gridUrl();
    if (grid) {
      extraCapabilities();
      const pool = await GridPool.open(grid);
      const info: EngineInfo = { id: loc.id, browser: loc.browser, version: 'unknown', driver: `${loc.driver} (Selenium Grid)`, notes: pool.describe() };
      // The notes say which node failed: the matrix's engine line and the terminal summary read them.
      pool.onFailure = () => { info.notes = pool.describe(); };
      return new WebKitGtkEngine(info, loc, null, pool);
    }
    const remote = remoteWebDriverUrls();
    if (remote.length) {
      extraCapabilities();
      return new WebKitGtkEngine(
        { id: loc.id, browser: loc.browser, version: 'unknown', driver: `${loc.driver} (remote WebDriver)`, notes: `remote ${remote.join(', ')}` },
        loc, null, new EndpointPool(remote),
      );
    }
    // With the kept page, this worker's own display starts only if it needs a page of its own.
    const xvfb = keep ? null : await startXvfb(loc.xvfbPath!);
    return new WebKitGtkEngine(
      { id: loc.id, browser: loc.browser, version: 'unknown', driver: `${loc.driver} (WebKitWebDriver)`, notes: xvfb ? `${loc.browserPath} under Xvfb ${xvfb.display}` : `${loc.browserPath} under Xvfb` },
      loc, xvfb ? Promise.resolve(xvfb) : null, null,
    );
  }

  /** This worker's own display, for pages of its own. */
  private display(): Promise<Display> {
    if (!this.xvfb) {
      this.xvfb = startXvfb(this.loc.xvfbPath!);
      this.xvfb.catch(() => { this.xvfb = null; });
    }
    return this.xvfb;
  }

  /**
   * Every page is its own session (its own MiniBrowser): a fresh context with its own caches; except
   * the run's kept page, which this worker takes over from the one before it (shared.ts).
   */
  async newPage(options: ContextOptions = {}): Promise<EnginePage> {
    const kept = await this.keptPage(options);
    if (kept) return kept;
    const { endpoint, sessionId } = await this.openSession(options);
    // A Grid page whose node fails goes on in a new session at another node.
    return new WebKitPage(endpoint, sessionId, this.pool instanceof GridPool ? () => this.openSession(options) : undefined);
  }

  /** The run's kept page, where this engine may take it and nobody holds it; else null (why, in the notes). */
  private async keptPage(options: ContextOptions): Promise<EnginePage | null> {
    // Bypassed hosts would go on MiniBrowser's command line, which the next worker could not change.
    if (!this.keep || this.keptHeld || !options.proxy || options.proxyBypass?.length) return null;
    this.keptHeld = true;
    const kept = await takeKeptPage(this.loc, regimeArgs(this.regime), keptCaps(), options.proxy)
      .catch((e: Error) => ({ error: e.message.split('\n')[0] }));
    if ('error' in kept) {
      this.keptHeld = false;
      // A page held by another is how it works, not a failure to note (Chromium's shared-engine notes alike).
      if (!('held' in kept) && !this.info.notes?.includes(kept.error)) (this.info as { notes?: string }).notes = [this.info.notes, `a page launched by its worker: ${kept.error}`].filter(Boolean).join(', ');
      return null;
    }
    const { endpoint, sessionId, record } = kept;
    const give = endpoint.release;
    endpoint.release = async () => { await give(); this.keptHeld = false; };
    if (record.browserVersion) (this.info as { version: string }).version = record.browserVersion;
    this.info.configuration ??= readWebKitConfiguration(record.browserPid);
    this.processId = record.browserPid;
    return new WebKitPage(endpoint, sessionId);
  }

  private async openSession(options: ContextOptions): Promise<{ endpoint: Endpoint; sessionId: string }> {
    // The proxy goes to MiniBrowser itself, not through the W3C `proxy` capability: WebKitWebDriver
    // 2.50 turns `sslProxy` into an https:// proxy URI (TLS to the proxy), so https pages never load,
    // and a `proxy` capability overrides --proxy. MiniBrowser's --proxy serves every scheme through
    // one plain HTTP proxy (CONNECT for https); --ignore-host lists what goes direct.
    const args = regimeArgs(this.regime);
    if (options.proxy) {
      args.push(`--proxy=${options.proxy}`);
      for (const host of options.proxyBypass ?? []) args.push(`--ignore-host=${host}`);
    }
    const caps = sessionCaps();
    let endpoint: Endpoint;
    if (this.pool) {
      // A remote driver launches the browser: `binary` resets its arguments, so --automation again.
      caps['webkitgtk:browserOptions'] = { binary: this.loc.browserPath, args: ['--automation', ...args] };
      Object.assign(caps, extraCapabilities());
      if (this.pool instanceof GridPool) caps.browserName ??= 'MiniBrowser';
      endpoint = await this.pool.acquire(120_000);
      Object.assign(caps, endpoint.capabilities);
    } else {
      // Here the harness starts MiniBrowser itself (driver.ts), with these arguments.
      caps.browserName = 'MiniBrowser';
      const started = await this.localEndpoint(args);
      this.endpoints.add(started);
      endpoint = { ...started, release: () => this.stopLocal(started) };
    }
    let session: SessionInfo;
    try {
      session = await endpoint.client.newSession(caps);
    } catch (e) {
      // A Grid node that fails on a new session is asked for no more (its slot is not given back):
      // the next free node is tried.
      const named = endpoint.failed && isNodeFailure(e) ? endpoint.failed(e as Error) : null;
      await endpoint.release();
      if (named && this.pool instanceof GridPool && this.pool.alive()) return this.openSession(options);
      throw named ?? e;
    }
    try {
      const version = session.capabilities.browserVersion;
      if (typeof version === 'string') (this.info as { version: string }).version = version;
      await endpoint.placed?.(session);
      await endpoint.attach?.();
      if (!this.info.configuration && endpoint.browserPid) this.info.configuration = readWebKitConfiguration(endpoint.browserPid);
      return { endpoint, sessionId: session.sessionId };
    } catch (e) {
      await endpoint.release();
      throw e;
    }
  }

  /** A MiniBrowser and its driver for a new page here: the warm spare for these arguments, else a new one. */
  private async localEndpoint(args: string[]): Promise<Endpoint> {
    const start = async () => startDriver(this.loc.driverPath!, this.loc.browserPath!, args, (await this.display()).display);
    if (!this.spare) return start();
    const key = args.join('\0');
    const opens = (this.opens.get(key) ?? 0) + 1;
    this.opens.set(key, opens);
    const spare = this.spares.get(key);
    this.spares.delete(key);
    // A spare that failed to start is not this page's failure: start one now, as without spares.
    const endpoint = await (spare ? spare.catch(start) : start());
    if (opens >= 2 && !this.closing) {
      const next = start();
      next.catch(() => {}); // its failure is met by the page that takes it
      this.spares.set(key, next);
    }
    return endpoint;
  }

  /** Stops a page's MiniBrowser and driver without making the page wait; close() waits for it. */
  private stopLocal(started: Endpoint): Promise<void> {
    if (!this.endpoints.delete(started)) return Promise.resolve();
    const stop = started.release().finally(() => this.stopping.delete(stop));
    this.stopping.add(stop);
    return Promise.resolve();
  }

  private closing = false;

  /** Stops what this engine started, each bounded (processes.ts): the pages left open, the spares, and Xvfb. */
  async close(): Promise<void> {
    this.closing = true;
    const spares = [...this.spares.values()].map((s) => s.then((e) => e.release(), () => {}));
    this.spares.clear();
    await Promise.all([...[...this.endpoints].map((e) => e.release()), ...spares, ...this.stopping]);
    await (await this.xvfb?.catch(() => null))?.stop();
  }
}
