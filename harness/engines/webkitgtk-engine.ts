// WebKitGTK's MiniBrowser through WebKitWebDriver (W3C classic) under a private Xvfb.
// Labelled WebKitGTK, not Safari: same WebCore CORS code, different network stack and policies.
import getPort from 'get-port';
import type { Engine, EnginePage, ContextOptions } from './engine.ts';
import type { EngineInfo } from '../types.ts';
import type { EngineLocation } from './locate.mjs';
import { startManaged, type Managed } from './processes.ts';
import { startXvfb, type Display } from './xvfb.ts';
import { WebDriverClient } from './webdriver.ts';

const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/**
 * Console lines MiniBrowser prints with --enable-write-console-messages-to-stdout
 * (`<url>:<line>:<col>: CONSOLE <LEVEL> <text>`). Seen in a normal MiniBrowser window; the views
 * WebKitWebDriver creates in automation mode (2.50.6) do not inherit the setting, so this stays empty
 * there and WebKitGTK cells carry no engine message.
 */
const CONSOLE_LINE = / CONSOLE ([A-Z]+(?: [A-Z]+)?) (.*)$/;

class WebKitPage implements EnginePage {
  constructor(private readonly engine: WebKitGtkEngine, private readonly client: WebDriverClient, private readonly sessionId: string) {}

  async goto(url: string): Promise<void> {
    await this.client.navigate(this.sessionId, url);
  }

  async evaluate<T>(expression: string, arg: unknown, timeoutMs: number): Promise<T> {
    await this.client.setTimeouts(this.sessionId, { script: timeoutMs });
    const script = `const done = arguments[arguments.length - 1];
      (async (arg) => (${expression}))(arguments[0]).then((v) => done({ ok: v }), (e) => done({ err: String(e && e.stack || e) }));`;
    const r = await this.client.executeAsync<{ ok?: T; err?: string }>(this.sessionId, script, [arg], timeoutMs);
    if (r && 'err' in r && r.err) throw new Error(r.err);
    return r.ok as T;
  }

  async takeMessages(): Promise<string[]> {
    return this.engine.takeConsole();
  }

  async close(): Promise<void> {
    await this.client.deleteSession(this.sessionId).catch(() => {});
  }
}

export class WebKitGtkEngine implements Engine {
  private console: string[] = [];
  private constructor(
    readonly info: EngineInfo,
    private readonly client: WebDriverClient,
    private readonly xvfb: Display,
    private readonly driver: Managed,
  ) {}

  static async launch(loc: EngineLocation): Promise<WebKitGtkEngine> {
    const xvfb = await startXvfb(loc.xvfbPath!);
    let driver: Managed | undefined;
    try {
      const port = await getPort({ host: '127.0.0.1' });
      driver = startManaged(loc.driverPath!, [`--port=${port}`, '--host=127.0.0.1'], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          DISPLAY: xvfb.display,
          // The DMA-BUF renderer aborts without a GPU; software GL is enough for fetch probes.
          WEBKIT_DISABLE_DMABUF_RENDERER: '1',
          WEBKIT_DISABLE_COMPOSITING_MODE: '1',
          LIBGL_ALWAYS_SOFTWARE: '1',
          GDK_BACKEND: 'x11',
          NO_AT_BRIDGE: '1',
        },
      });
      const client = new WebDriverClient(`http://127.0.0.1:${port}`);
      await client.waitReady(15_000);
      const engine = new WebKitGtkEngine(
        { id: 'webkit', browser: 'WebKitGTK MiniBrowser', version: 'unknown', driver: 'webdriver-classic (WebKitWebDriver)', notes: `${MINIBROWSER} under Xvfb ${xvfb.display}` },
        client, xvfb, driver,
      );
      engine.readConsole(driver);
      return engine;
    } catch (e) {
      await driver?.stop();
      await xvfb.stop();
      throw e;
    }
  }

  private readConsole(driver: Managed): void {
    let buffer = '';
    const onData = (d: Buffer) => {
      buffer += d.toString('utf8');
      let i: number;
      while ((i = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        const m = CONSOLE_LINE.exec(line);
        if (m) this.console.push(`${m[1]}: ${m[2]}`);
      }
    };
    driver.child.stdout?.on('data', onData);
    driver.child.stderr?.on('data', onData);
  }

  takeConsole(): string[] {
    const out = this.console;
    this.console = [];
    return out;
  }

  async newPage(options: ContextOptions = {}): Promise<EnginePage> {
    const caps: Record<string, unknown> = {
      acceptInsecureCerts: true,
      'webkitgtk:browserOptions': {
        binary: MINIBROWSER,
        // Setting `binary` resets the arguments: --automation must be given again.
        args: ['--automation', '--enable-write-console-messages-to-stdout=true'],
      },
    };
    if (options.proxy) {
      const hostPort = options.proxy.replace(/^https?:\/\//, '');
      caps.proxy = { proxyType: 'manual', httpProxy: hostPort, sslProxy: hostPort };
    }
    const session = await this.client.newSession(caps);
    const version = session.capabilities.browserVersion;
    if (typeof version === 'string' && this.info.version === 'unknown') (this.info as { version: string }).version = version;
    return new WebKitPage(this, this.client, session.sessionId);
  }

  async close(): Promise<void> {
    await this.driver.stop();
    await this.xvfb.stop();
  }
}
