// The engines Playwright drives (Chromium, Firefox, and Playwright's WebKit where installed); what
// differs between them arrives as the descriptor's PlaywrightLaunch.
// Never route a probing context: Playwright answers preflights itself while a route is active,
// so nothing here calls page.route/context.route.
import { chromium, firefox, webkit, type Browser, type BrowserContext, type BrowserType, type Page, type LaunchOptions } from 'playwright';
import type { Engine, EnginePage, EngineLocation, ContextOptions, LaunchOptions as EngineLaunchOptions, RemotePlaywright, PlaywrightLaunch } from './engine.ts';
import type { EngineInfo, Regime } from '../model/types.ts';
import { settledWithin, TEARDOWN_MS, withTimeout } from './bounded.ts';
import { killProcessesWithEnv } from './processes.ts';
import { timed } from '../model/timings.ts';
import { projectPlaywrightVersion, serverVersionIn, versionMismatch } from './playwright-server.mjs';
import { hostedEndpoint, sharedConfiguration, sharingEnabled, startHost, waitForHost, type HostedEndpoint, type RecordedConfiguration } from './shared-engine.ts';

const BROWSER_TYPES: Record<PlaywrightLaunch['browserType'], BrowserType> = { chromium, firefox, webkit };

/** Playwright's own bound on a launch (its default is 180 s), below the engine fixture's 120 s. */
const LAUNCH_TIMEOUT_MS = 90_000;

/**
 * In a test worker the test runner, not Playwright's launcher, decides when the worker stops. With
 * the launcher's default handlers, a Ctrl-C to the process group makes it close every browser of the
 * worker at once, without bound, and then exit the worker (code 130) in the middle of its teardown,
 * while the scenarios in flight fail as errors; @playwright/test's own browser fixture turns SIGINT
 * off too. The worker's teardown closes the engine (bounded), and Playwright kills its browsers on
 * exit. Elsewhere (`cors-matrix doctor`) nothing else would close them: the handlers stay on.
 */
const RUNNER_DECIDES = { handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false } as const;
const inTestWorker = () => process.env.TEST_WORKER_INDEX !== undefined;

/** A variable set in one launched browser's environment alone: its processes, found to be killed. */
const ENGINE_TAG = 'MATRIX_ENGINE_TAG';
let launches = 0;

class PlaywrightPage implements EnginePage {
  // Firefox's BiDi log entry can arrive after the script result; Chromium's console event precedes it.
  readonly messageLagMs = 500;
  private messages: string[] = [];
  constructor(private readonly context: BrowserContext, private readonly page: Page) {
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') this.messages.push(m.text()); });
    // Firefox over BiDi reports its CORS console text as a `javascript` log entry: a page error here.
    page.on('pageerror', (e) => { this.messages.push(e.name ? `${e.name}: ${e.message}` : e.message); });
  }

  async goto(url: string): Promise<void> {
    await this.page.goto(url, { waitUntil: 'load' });
  }

  async evaluate<T>(expression: string, arg: unknown, timeoutMs: number): Promise<T> {
    const run = this.page.evaluate(`(async (arg) => (${expression}))(${JSON.stringify(arg)})`) as Promise<T>;
    return withTimeout(run, timeoutMs, 'page evaluation');
  }

  async takeMessages(): Promise<string[]> {
    const out = this.messages;
    this.messages = [];
    return out;
  }

  async close(): Promise<void> {
    await settledWithin(this.context.close(), TEARDOWN_MS.page);
  }
}

export class PlaywrightEngine implements Engine {
  /**
   * `tag`: the value of ENGINE_TAG in its browser's environment (null when the browser is remote or
   * shared). `processId`: the browser's main process, where known.
   */
  private constructor(readonly info: EngineInfo, private readonly browser: Browser, private readonly tag: string | null, readonly processId: number | null = null) {}

  static async launch(loc: EngineLocation, how: PlaywrightLaunch, engine: EngineLaunchOptions = {}): Promise<PlaywrightEngine> {
    const type = BROWSER_TYPES[how.browserType];
    const remote = engine.connect;
    const tag = remote ? null : `${process.pid}-${++launches}`;
    const base = launchOptions(loc, how, engine);
    const options: LaunchOptions = {
      ...base, ...(inTestWorker() ? RUNNER_DECIDES : {}),
      ...(tag ? { env: { ...(base.env ?? process.env), [ENGINE_TAG]: tag } as Record<string, string> } : {}),
    };
    let hosted: { dir: string; endpoint: HostedEndpoint } | null = null;
    let unshared: string | undefined;
    if (sharesBrowser(engine)) {
      const found = await hostedEndpoint(how.browserType, base);
      if ('error' in found) unshared = found.error;
      else hosted = found;
    }
    let browser: Browser;
    if (hosted) {
      try {
        browser = await type.connect(hosted.endpoint.wsEndpoint, { timeout: 30_000 });
      } catch (e) {
        unshared = `connecting to the shared browser failed: ${String((e as Error).message ?? e).split('\n')[0]}`;
        hosted = null;
        browser = await type.launch(options);
      }
    } else {
      browser = remote ? await connect(type, loc, remote, options) : await type.launch(options);
    }
    const version = browser.version();
    const info: EngineInfo = {
      id: loc.id,
      regime: engine.regime ?? 'installed',
      browser: loc.browser,
      version,
      driver: remote ? `${loc.driver} via playwright run-server` : loc.driver,
      notes: [remote && `remote ${remote.wsEndpoint}`, loc.executablePath, loc.channel && `channel ${loc.channel}`, unshared && `launched by its worker: ${unshared}`].filter(Boolean).join(', ') || undefined,
    };
    const regime = engine.regime ?? 'installed';
    const readConfiguration = () => configurationOf(how, browser, regime, loc, hosted?.endpoint.hostPid);
    if (how.configuration && remote && !how.remoteConfiguration) {
      // Said, not guessed: what the regime needs travels as launch options, which a run-server applies
      // only when started with --unsafe, and nothing here can read them back from the browser.
      info.notes = [info.notes, `configuration not read: the browser runs on a Playwright server, and its configuration is read from this machine's processes; its preferences${regime === 'users' ? ' (the users regime\'s included)' : ''} were sent as launch options, which a run-server applies only when started with --unsafe`].filter(Boolean).join(', ');
    } else if (how.configuration) {
      // A shared engine's first client reads it (and puts the engine in its regime); the rest reuse that.
      const shared = hosted;
      const recorded = await timed('configuration', async () => (shared && await sharedConfiguration(shared.dir, readConfiguration)) || readConfiguration());
      if (recorded.configuration) {
        info.configuration = recorded.configuration;
        if (remote) {
          // A run-server without --unsafe drops the launch's arguments: the cells would differ silently.
          const dropped = droppedArguments(options.args ?? [], recorded.configuration.automation ?? []);
          if (dropped.length) {
            await browser.close().catch(() => {});
            throw new Error(`${remoteName(loc, remote)}: the server launched the browser without ${dropped.join(', ')} (a run-server applies a client's args only when started with --unsafe). Fix: start it with --unsafe (npm run playwright-servers does)`);
          }
        }
      } else {
        const why = recorded.error ?? 'unknown';
        // The users regime is put in place while the configuration is read (Chromium's cookie
        // controls): unread, it may not hold, and a cell must not claim a regime it did not run in.
        if (engine.regime === 'users') {
          await browser.close().catch(() => {});
          throw new Error(`${loc.id}: the users regime could not be put in place and read back: ${why}`);
        }
        // Said, never guessed: the reports show the configuration as not read, and why.
        info.notes = [info.notes, `configuration not read: ${why}`].filter(Boolean).join(', ');
      }
    }
    // A shared browser is closed by its host at the run's end: closing here disconnects.
    return new PlaywrightEngine(info, browser, hosted ? null : tag, hosted?.endpoint.browserPid ?? null);
  }

  async newPage(options: ContextOptions = {}): Promise<EnginePage> {
    const context = await this.browser.newContext({
      ignoreHTTPSErrors: true,
      proxy: options.proxy ? { server: options.proxy, bypass: options.proxyBypass?.length ? options.proxyBypass.join(',') : undefined } : undefined,
    });
    if (options.permissions?.length) await context.grantPermissions(options.permissions);
    const page = await context.newPage();
    return new PlaywrightPage(context, page);
  }

  async close(): Promise<void> {
    if (await settledWithin(this.browser.close(), TEARDOWN_MS.engine)) return;
    // Not closed in time: the browser and its child processes go, found by the tag they all inherit.
    if (this.tag) killProcessesWithEnv(ENGINE_TAG, this.tag);
  }
}

/**
 * One browser per run (shared-engine.ts): where the run asks for it (`shared`), and the launch does
 * not depend on the worker (its own public addresses) nor happens elsewhere (a remote server).
 */
function sharesBrowser(engine: EngineLaunchOptions): boolean {
  return !!engine.shared && !engine.connect && !engine.publicAddresses?.length && sharingEnabled();
}

/** The launch options of an engine, as the descriptor asks (no signal handling, no tag). */
function launchOptions(loc: EngineLocation, how: PlaywrightLaunch, engine: EngineLaunchOptions): LaunchOptions {
  return { headless: true, executablePath: loc.executablePath, channel: loc.channel, timeout: LAUNCH_TIMEOUT_MS, ...(how.options?.(engine) ?? {}) };
}

/** Put the browser in its regime and read back what it runs with, or why that failed. */
async function configurationOf(how: PlaywrightLaunch, browser: Browser, regime: Regime, loc: EngineLocation, launcherPid?: number): Promise<RecordedConfiguration> {
  try {
    // A minute: a chrome:// page in a browser that is still starting on a loaded machine.
    return { configuration: await withTimeout(how.configuration!(browser, regime, loc, launcherPid), 60_000, 'reading the engine\'s configuration') };
  } catch (e) {
    return { error: String((e as Error).message ?? e).split('\n')[0] };
  }
}

/**
 * Start the run's shared browser for these options now (the runner, before its workers boot), then
 * put it in its regime and read its configuration while the workers boot: their launches find it
 * running, configured and read. A no-op where it would not be shared; never throws (a failure here
 * shows again in the worker, which reports it).
 */
export async function prelaunchPlaywright(loc: EngineLocation, how: PlaywrightLaunch, engine: EngineLaunchOptions): Promise<void> {
  if (!sharesBrowser(engine)) return;
  const options = launchOptions(loc, how, engine);
  const { dir, started } = startHost(how.browserType, options);
  if (!started || !how.configuration) return;
  const found = await waitForHost(dir);
  if ('error' in found) return;
  const browser = await BROWSER_TYPES[how.browserType].connect(found.endpoint.wsEndpoint, { timeout: 30_000 }).catch(() => null);
  if (!browser) return;
  try {
    await sharedConfiguration(found.dir, () => configurationOf(how, browser, engine.regime ?? 'installed', loc, found.endpoint.hostPid));
  } finally {
    await settledWithin(browser.close(), TEARDOWN_MS.engine);
  }
}

/** The switches of `sent` (by name) that the browser's command line lacks. */
export function droppedArguments(sent: readonly string[], commandLine: readonly string[]): string[] {
  const name = (a: string) => a.split('=')[0];
  const have = new Set(commandLine.map(name));
  return sent.filter((a) => a.startsWith('--') && !have.has(name(a))).map(name);
}

/** How messages name a Playwright server: the variable and the engine where CORS_PLAYWRIGHT_SERVER named it. */
function remoteName(loc: EngineLocation, remote: RemotePlaywright): string {
  return remote.variable ? `${remote.variable} ${loc.id}=${remote.wsEndpoint}` : `${loc.id} on the Playwright server ${remote.wsEndpoint}`;
}

const PLAYWRIGHT_VERSION = projectPlaywrightVersion();

/**
 * The same browser, launched by a Playwright server (`npx playwright run-server`): the launch options
 * travel in the header Playwright's own `browser` fixture uses. A run-server only applies
 * `executablePath`, `args`, `chromiumSandbox` and `firefoxUserPrefs` when started with `--unsafe`
 * (Debian's browsers need them; so does each regime). A server of another Playwright version refuses
 * the connection (428): the error says so, with the fix.
 */
async function connect(type: BrowserType, loc: EngineLocation, remote: RemotePlaywright, options: LaunchOptions): Promise<Browser> {
  // The environment stays on this machine: the server launches with its own.
  const { env: _env, ...sent } = options;
  try {
    return await type.connect(remote.wsEndpoint, {
      headers: { 'x-playwright-launch-options': JSON.stringify(sent), ...remote.headers },
      exposeNetwork: remote.exposeNetwork,
      timeout: remote.timeout ?? 60_000,
    });
  } catch (e) {
    const text = String((e as Error).message ?? e);
    const serverVersion = serverVersionIn(text);
    const mismatch = serverVersion && versionMismatch(loc.id, remote.wsEndpoint, serverVersion, PLAYWRIGHT_VERSION);
    if (mismatch) throw new Error(remote.variable ? mismatch : mismatch.replace(`CORS_PLAYWRIGHT_SERVER ${loc.id}=`, `the Playwright server (PW_TEST_CONNECT_WS_ENDPOINT or connectOptions) for ${loc.id} at `));
    throw new Error(`${remoteName(loc, remote)}: connecting failed: ${text.split('\n')[0]}. Fix: start the server (npm run playwright-servers, or npx playwright@${PLAYWRIGHT_VERSION} run-server --unsafe) or correct the URL`);
  }
}
