// The engines Playwright drives (Chromium, Firefox, and Playwright's WebKit where installed); what
// differs between them arrives as the descriptor's PlaywrightLaunch.
// Never route a probing context: Playwright answers preflights itself while a route is active,
// so nothing here calls page.route/context.route.
import { chromium, firefox, webkit, type Browser, type BrowserContext, type BrowserType, type Page, type LaunchOptions } from 'playwright';
import type { Engine, EnginePage, EngineLocation, ContextOptions, LaunchOptions as EngineLaunchOptions, RemotePlaywright, PlaywrightLaunch } from './engine.ts';
import type { EngineInfo } from '../model/types.ts';
import { settledWithin, TEARDOWN_MS, withTimeout } from './bounded.ts';
import { killProcessesWithEnv } from './processes.ts';
import { timed } from '../model/timings.ts';

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
  /** `tag`: the value of ENGINE_TAG in its browser's environment (null when the browser is remote). */
  private constructor(readonly info: EngineInfo, private readonly browser: Browser, private readonly tag: string | null) {}

  static async launch(loc: EngineLocation, how: PlaywrightLaunch, engine: EngineLaunchOptions = {}): Promise<PlaywrightEngine> {
    const type = BROWSER_TYPES[how.browserType];
    const own = how.options?.(engine) ?? {};
    const remote = engine.connect;
    const tag = remote ? null : `${process.pid}-${++launches}`;
    const options: LaunchOptions = {
      headless: true, executablePath: loc.executablePath, channel: loc.channel, timeout: LAUNCH_TIMEOUT_MS,
      ...own, ...(inTestWorker() ? RUNNER_DECIDES : {}),
      ...(tag ? { env: { ...(own.env ?? process.env), [ENGINE_TAG]: tag } as Record<string, string> } : {}),
    };
    const browser = remote ? await connect(type, remote, options) : await type.launch(options);
    const version = browser.version();
    const info: EngineInfo = {
      id: loc.id,
      regime: engine.regime ?? 'installed',
      browser: loc.browser,
      version,
      driver: remote ? `${loc.driver} via playwright run-server` : loc.driver,
      notes: [remote && `remote ${remote.wsEndpoint}`, loc.executablePath, loc.channel && `channel ${loc.channel}`].filter(Boolean).join(', ') || undefined,
    };
    if (how.configuration && remote) {
      info.notes = [info.notes, 'configuration not read: the browser runs on a remote Playwright server'].filter(Boolean).join(', ');
    } else if (how.configuration) {
      try {
        // A minute: a chrome:// page in a browser that is still starting on a loaded machine.
        info.configuration = await timed('configuration', () => withTimeout(how.configuration!(browser, engine.regime ?? 'installed', loc), 60_000, 'reading the engine\'s configuration'));
      } catch (e) {
        const why = String((e as Error).message ?? e).split('\n')[0];
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
    return new PlaywrightEngine(info, browser, tag);
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
 * The same browser, launched by a Playwright server (`npx playwright run-server`): the launch options
 * travel in the header Playwright's own `browser` fixture uses. A run-server only applies
 * `executablePath`, `args` and `chromiumSandbox` when started with `--unsafe` (Debian's browsers need them).
 */
async function connect(type: BrowserType, remote: RemotePlaywright, options: LaunchOptions): Promise<Browser> {
  // The environment stays on this machine: the server launches with its own.
  const { env: _env, ...sent } = options;
  return type.connect(remote.wsEndpoint, {
    headers: { 'x-playwright-launch-options': JSON.stringify(sent), ...remote.headers },
    exposeNetwork: remote.exposeNetwork,
    timeout: remote.timeout ?? 60_000,
  });
}
