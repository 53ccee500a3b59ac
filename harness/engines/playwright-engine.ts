// The engines Playwright drives (Chromium, Firefox, and Playwright's WebKit where installed); what
// differs between them arrives as the descriptor's PlaywrightLaunch.
// Never route a probing context: Playwright answers preflights itself while a route is active,
// so nothing here calls page.route/context.route.
import { chromium, firefox, webkit, type Browser, type BrowserContext, type BrowserType, type Page, type LaunchOptions } from 'playwright';
import type { Engine, EnginePage, EngineLocation, ContextOptions, LaunchOptions as EngineLaunchOptions, RemotePlaywright, PlaywrightLaunch } from './engine.ts';
import type { EngineInfo } from '../model/types.ts';
import { timed } from '../model/timings.ts';

const BROWSER_TYPES: Record<PlaywrightLaunch['browserType'], BrowserType> = { chromium, firefox, webkit };

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
    await this.context.close().catch(() => {});
  }
}

export class PlaywrightEngine implements Engine {
  private constructor(readonly info: EngineInfo, private readonly browser: Browser) {}

  static async launch(loc: EngineLocation, how: PlaywrightLaunch, engine: EngineLaunchOptions = {}): Promise<PlaywrightEngine> {
    const type = BROWSER_TYPES[how.browserType];
    const options: LaunchOptions = { headless: true, executablePath: loc.executablePath, channel: loc.channel, ...how.options?.(engine) };
    const remote = engine.connect;
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
        info.configuration = await timed('configuration', () => withTimeout(how.configuration!(browser, engine.regime ?? 'installed', loc), 30_000, 'reading the engine\'s configuration'));
      } catch (e) {
        // Said, never guessed: the reports show the configuration as not read, and why.
        info.notes = [info.notes, `configuration not read: ${String((e as Error).message ?? e).split('\n')[0]}`].filter(Boolean).join(', ');
      }
    }
    return new PlaywrightEngine(info, browser);
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
    await this.browser.close().catch(() => {});
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

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const t = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms); });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}
