// Chromium and Firefox (and Playwright's WebKit where installed) through Playwright.
// Never route a probing context: Playwright answers preflights itself while a route is active
// (SPEC.md section 7), so nothing here calls page.route/context.route.
import os from 'node:os';
import { chromium, firefox, webkit, type Browser, type BrowserContext, type BrowserType, type Page, type LaunchOptions } from 'playwright';
import type { Engine, EnginePage, ContextOptions, LaunchOptions as EngineLaunchOptions, RemotePlaywright } from './engine.ts';
import type { EngineInfo } from '../types.ts';
import type { EngineLocation } from './locate.mjs';

const CHROMIUM_ARGS = [
  // A closed network: background fetches to Google hosts fail and slow every start.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

function launchOptions(loc: EngineLocation, engine: EngineLaunchOptions): LaunchOptions {
  const options: LaunchOptions = { headless: true, executablePath: loc.executablePath, channel: loc.channel };
  if (loc.id === 'chromium') {
    const overrides = (engine.publicAddresses ?? []).map((a) => `${a}=public`).join(',');
    options.args = overrides ? [...CHROMIUM_ARGS, `--ip-address-space-overrides=${overrides}`] : CHROMIUM_ARGS;
    // As root Chromium refuses to start sandboxed.
    options.chromiumSandbox = false;
  }
  if (loc.id === 'firefox') {
    // Firefox over BiDi as root fails when $HOME is not root's (Playwright's own hint).
    options.env = { ...process.env, HOME: os.homedir() } as Record<string, string>;
    options.firefoxUserPrefs = {
      // Print the web console (CORS reasons included) so the harness can read the engine's own text.
      'devtools.console.stdout.content': true,
      // Without it Firefox sends loopback requests past a context's proxy: origin emulation
      // (policy mode) must see, and forward, the requests to a loopback target.
      'network.proxy.allow_hijacking_localhost': true,
    };
  }
  return options;
}

class PlaywrightPage implements EnginePage {
  // Firefox's BiDi log entry can arrive after the script result; Chromium's console event precedes it.
  readonly messageLagMs = 500;
  private messages: string[] = [];
  constructor(private readonly context: BrowserContext, private readonly page: Page, private readonly owner: PlaywrightEngine) {
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
    const out = [...this.messages, ...this.owner.takeStdoutMessages()];
    this.messages = [];
    return out;
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => {});
  }
}

export class PlaywrightEngine implements Engine {
  private stdoutLines: string[] = [];
  private constructor(readonly info: EngineInfo, private readonly browser: Browser) {}

  static async launch(loc: EngineLocation, engine: EngineLaunchOptions = {}): Promise<PlaywrightEngine> {
    const type = loc.id === 'chromium' ? chromium : loc.id === 'firefox' ? firefox : webkit;
    const options = launchOptions(loc, engine);
    const remote = engine.connect;
    const browser = remote ? await connect(type, remote, options) : await type.launch(options);
    const version = browser.version();
    const info: EngineInfo = {
      id: loc.id,
      browser: loc.browser,
      version,
      driver: remote ? `${loc.driver} via playwright run-server` : loc.driver,
      notes: [remote && `remote ${remote.wsEndpoint}`, loc.executablePath, loc.channel && `channel ${loc.channel}`].filter(Boolean).join(', ') || undefined,
    };
    return new PlaywrightEngine(info, browser);
  }

  /** Firefox's console lines printed to stdout; Playwright exposes no stdout, so this stays empty. */
  takeStdoutMessages(): string[] {
    const out = this.stdoutLines;
    this.stdoutLines = [];
    return out;
  }

  async newPage(options: ContextOptions = {}): Promise<EnginePage> {
    const context = await this.browser.newContext({
      ignoreHTTPSErrors: true,
      proxy: options.proxy ? { server: options.proxy, bypass: options.proxyBypass?.length ? options.proxyBypass.join(',') : undefined } : undefined,
    });
    if (options.permissions?.length) await context.grantPermissions(options.permissions);
    const page = await context.newPage();
    return new PlaywrightPage(context, page, this);
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
