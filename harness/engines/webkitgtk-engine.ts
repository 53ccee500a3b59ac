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

/** A WebKitWebDriver process with one session: WebKitWebDriver 2.50 serves one session at a time. */
interface Driver {
  client: WebDriverClient;
  process: Managed;
  console: string[];
}

async function startDriver(driverPath: string, display: string): Promise<Driver> {
  const port = await getPort({ host: '127.0.0.1' });
  const proc = startManaged(driverPath, [`--port=${port}`, '--host=127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DISPLAY: display,
      // The DMA-BUF renderer aborts without a GPU; software GL is enough for fetch probes.
      WEBKIT_DISABLE_DMABUF_RENDERER: '1',
      WEBKIT_DISABLE_COMPOSITING_MODE: '1',
      LIBGL_ALWAYS_SOFTWARE: '1',
      GDK_BACKEND: 'x11',
      NO_AT_BRIDGE: '1',
    },
  });
  const driver: Driver = { client: new WebDriverClient(`http://127.0.0.1:${port}`), process: proc, console: [] };
  readConsole(proc, driver.console);
  try {
    await driver.client.waitReady(15_000);
  } catch (e) {
    await proc.stop();
    throw e;
  }
  return driver;
}

function readConsole(proc: Managed, into: string[]): void {
  let buffer = '';
  const onData = (d: Buffer) => {
    buffer += d.toString('utf8');
    let i: number;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const m = CONSOLE_LINE.exec(buffer.slice(0, i));
      buffer = buffer.slice(i + 1);
      if (m) into.push(`${m[1]}: ${m[2]}`);
    }
  };
  proc.child.stdout?.on('data', onData);
  proc.child.stderr?.on('data', onData);
}

class WebKitPage implements EnginePage {
  // Automation views do not print console messages (see CONSOLE_LINE): nothing to wait for.
  readonly messageLagMs = 0;
  constructor(private readonly driver: Driver, private readonly sessionId: string) {}

  async goto(url: string): Promise<void> {
    await this.driver.client.navigate(this.sessionId, url);
  }

  async evaluate<T>(expression: string, arg: unknown, timeoutMs: number): Promise<T> {
    await this.driver.client.setTimeouts(this.sessionId, { script: timeoutMs });
    const script = `const done = arguments[arguments.length - 1];
      (async (arg) => (${expression}))(arguments[0]).then((v) => done({ ok: v }), (e) => done({ err: String(e && e.stack || e) }));`;
    const r = await this.driver.client.executeAsync<{ ok?: T; err?: string }>(this.sessionId, script, [arg], timeoutMs);
    if (r && 'err' in r && r.err) throw new Error(r.err);
    return r.ok as T;
  }

  async takeMessages(): Promise<string[]> {
    return this.driver.console.splice(0);
  }

  async close(): Promise<void> {
    await this.driver.client.deleteSession(this.sessionId).catch(() => {});
    await this.driver.process.stop();
  }
}

export class WebKitGtkEngine implements Engine {
  private constructor(readonly info: EngineInfo, private readonly loc: EngineLocation, private readonly xvfb: Display) {}

  static async launch(loc: EngineLocation): Promise<WebKitGtkEngine> {
    const xvfb = await startXvfb(loc.xvfbPath!);
    return new WebKitGtkEngine(
      { id: 'webkit', browser: 'WebKitGTK MiniBrowser', version: 'unknown', driver: 'webdriver-classic (WebKitWebDriver)', notes: `${MINIBROWSER} under Xvfb ${xvfb.display}` },
      loc, xvfb,
    );
  }

  /** Every page is its own WebKitWebDriver + MiniBrowser: a fresh context with its own caches. */
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
    const driver = await startDriver(this.loc.driverPath!, this.xvfb.display);
    try {
      const session = await driver.client.newSession(caps);
      const version = session.capabilities.browserVersion;
      if (typeof version === 'string') (this.info as { version: string }).version = version;
      return new WebKitPage(driver, session.sessionId);
    } catch (e) {
      await driver.process.stop();
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.xvfb.stop();
  }
}
