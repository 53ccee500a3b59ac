// WebKitGTK's MiniBrowser through WebKitWebDriver (W3C classic) under a private Xvfb, or through a
// remote WebDriver endpoint (CORS_WEBDRIVER_URL: a WebKitWebDriver started elsewhere, a Selenium Grid).
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

/**
 * How long one Execute Async Script command waits in the page for a result before it returns empty
 * and the next command picks the waiting up again. It also bounds how long a probe queued behind
 * slow ones (a hanging target) waits to be started: a session runs one command at a time.
 */
const WAKE_MS = 100;
/** The session's script timeout: far above WAKE_MS, so only a wedged page ever reaches it. */
const SCRIPT_TIMEOUT_MS = 60_000;

/** Where a session lives: a WebKitWebDriver this process started, or a remote endpoint. */
interface Endpoint {
  client: WebDriverClient;
  console: string[];
  release(): Promise<void>;
}

async function startDriver(driverPath: string, display: string): Promise<Endpoint> {
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
  const endpoint: Endpoint = { client: new WebDriverClient(`http://127.0.0.1:${port}`), console: [], release: () => proc.stop() };
  readConsole(proc, endpoint.console);
  try {
    await endpoint.client.waitReady(15_000);
  } catch (e) {
    await proc.stop();
    throw e;
  }
  return endpoint;
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

/**
 * Remote endpoints, one session each at a time (WebKitWebDriver serves one session per process; list
 * a Selenium Grid URL as many times as sessions it may hold). A page waits for a free endpoint.
 */
class EndpointPool {
  private readonly free: string[];
  private readonly waiting: Array<(url: string) => void> = [];
  constructor(readonly urls: string[]) { this.free = [...urls]; }

  async acquire(timeoutMs: number): Promise<Endpoint> {
    const url = this.free.shift() ?? await new Promise<string>((resolve, reject) => {
      const take = (u: string) => { clearTimeout(timer); resolve(u); };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(take), 1);
        reject(new Error(`no free WebDriver endpoint among ${this.urls.length} (CORS_WEBDRIVER_URL) within ${timeoutMs} ms; list more endpoints for isolated scenarios`));
      }, timeoutMs);
      this.waiting.push(take);
    });
    let released = false;
    return {
      client: new WebDriverClient(url),
      console: [],
      release: async () => {
        if (released) return;
        released = true;
        const next = this.waiting.shift();
        if (next) next(url); else this.free.push(url);
      },
    };
  }
}

/** `CORS_WEBDRIVER_URL`: one URL or several, comma-separated. */
export function remoteWebDriverUrls(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.CORS_WEBDRIVER_URL ?? '').split(',').map((u) => u.trim().replace(/\/+$/, '')).filter(Boolean);
}

function extraCapabilities(env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const raw = env.CORS_WEBDRIVER_CAPABILITIES;
  if (!raw) return {};
  try {
    const v = JSON.parse(raw);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch { /* reported below */ }
  throw new Error(`CORS_WEBDRIVER_CAPABILITIES must be a JSON object (merged into alwaysMatch), is ${JSON.stringify(raw.slice(0, 80))}`);
}

interface Job {
  id: number;
  expression: string;
  arg: unknown;
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer?: NodeJS.Timeout;
}

type Settled = { ok?: unknown; err?: string; lost?: boolean };

// One command for any number of probes: start the new ones, then wait in the page until one of the
// outstanding ones settles (or WAKE_MS passes) and hand back every settled result. The page keeps its
// jobs in window.__cmMux; a navigation drops them, and they come back as `lost`.
function exchangeScript(starts: Job[]): string {
  return `const done = arguments[arguments.length - 1];
const starts = arguments[0], waitFor = arguments[1], forget = arguments[2], wakeMs = arguments[3];
const t = window.__cmMux || (window.__cmMux = { known: new Set(), settled: new Map(), wake: null });
for (const id of forget) { t.known.delete(id); t.settled.delete(id); }
const fns = [${starts.map((j) => `(async (arg) => (${j.expression}))`).join(',\n')}];
starts.forEach((s, k) => {
  t.known.add(s.id);
  let p;
  try { p = fns[k](s.arg); } catch (e) { p = Promise.reject(e); }
  Promise.resolve(p).then((v) => ({ ok: v }), (e) => ({ err: String((e && e.stack) || e) })).then((r) => {
    t.settled.set(s.id, r);
    if (t.wake) t.wake();
  });
});
const collect = () => {
  const out = {};
  let any = false;
  for (const id of waitFor) {
    if (t.settled.has(id)) { out[id] = t.settled.get(id); t.settled.delete(id); t.known.delete(id); any = true; }
    else if (!t.known.has(id)) { out[id] = { lost: true }; any = true; }
  }
  return any ? out : null;
};
const ready = collect();
if (ready || waitFor.length === 0) { done(ready || {}); } else {
  let timer;
  new Promise((resolve) => { t.wake = resolve; timer = setTimeout(resolve, wakeMs); })
    .then(() => { clearTimeout(timer); t.wake = null; done(collect() || {}); });
}`;
}

class WebKitPage implements EnginePage {
  // Automation views do not print console messages (see CONSOLE_LINE): nothing to wait for.
  readonly messageLagMs = 0;
  private readonly queued: Job[] = [];
  private readonly outstanding = new Map<number, Job>();
  private forgotten: number[] = [];
  private seq = 0;
  private busy = false;
  private closed = false;
  /** WebDriver commands of this session, one after the other. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly endpoint: Endpoint, private readonly sessionId: string) {}

  private command<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.tail.then(fn);
    this.tail = p.catch(() => {});
    return p;
  }

  async goto(url: string): Promise<void> {
    await this.command(() => this.endpoint.client.navigate(this.sessionId, url));
  }

  /** Probes given at the same time share WebDriver commands; each keeps its own timeout. */
  evaluate<T>(expression: string, arg: unknown, timeoutMs: number): Promise<T> {
    if (this.closed) return Promise.reject(new Error('page closed'));
    return new Promise<T>((resolve, reject) => {
      const job: Job = { id: ++this.seq, expression, arg, resolve: resolve as (v: unknown) => void, reject };
      job.timer = setTimeout(() => this.finish(job, { err: `page evaluation timed out after ${timeoutMs} ms` }), timeoutMs);
      this.queued.push(job);
      this.pump();
    });
  }

  /** Settle a job once; `inPage`: the page handed the result over (and dropped it from its table). */
  private finish(job: Job, r: Settled, inPage = false): void {
    const q = this.queued.indexOf(job);
    if (q >= 0) this.queued.splice(q, 1);
    else if (this.outstanding.delete(job.id)) { if (!inPage) this.forgotten.push(job.id); }
    else return;
    clearTimeout(job.timer);
    if (r.lost) job.reject(new Error('the page navigated or reloaded while the script ran'));
    else if (r.err !== undefined) job.reject(new Error(r.err));
    else job.resolve(r.ok);
  }

  private pump(): void {
    if (this.busy || this.closed || (this.queued.length === 0 && this.outstanding.size === 0)) return;
    this.busy = true;
    void this.command(() => this.exchange())
      .catch((e: Error) => { for (const job of [...this.outstanding.values()]) this.finish(job, { err: String(e.message ?? e) }); })
      .finally(() => { this.busy = false; this.pump(); });
  }

  private async exchange(): Promise<void> {
    const starts = this.queued.splice(0);
    for (const job of starts) this.outstanding.set(job.id, job);
    if (this.outstanding.size === 0) return;
    const forget = this.forgotten.splice(0);
    const results = await this.endpoint.client.executeAsync<Record<string, Settled>>(
      this.sessionId,
      exchangeScript(starts),
      [starts.map((j) => ({ id: j.id, arg: j.arg })), [...this.outstanding.keys()], forget, WAKE_MS],
      SCRIPT_TIMEOUT_MS,
    );
    for (const [id, r] of Object.entries(results ?? {})) {
      const job = this.outstanding.get(Number(id));
      if (job) this.finish(job, r ?? {}, true);
    }
  }

  async takeMessages(): Promise<string[]> {
    return this.endpoint.console.splice(0);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of [...this.queued, ...this.outstanding.values()]) this.finish(job, { err: 'page closed' });
    await this.command(() => this.endpoint.client.deleteSession(this.sessionId)).catch(() => {});
    await this.endpoint.release();
  }
}

export class WebKitGtkEngine implements Engine {
  private constructor(
    readonly info: EngineInfo,
    private readonly loc: EngineLocation,
    private readonly xvfb: Display | null,
    private readonly pool: EndpointPool | null,
  ) {}

  static async launch(loc: EngineLocation): Promise<WebKitGtkEngine> {
    const remote = remoteWebDriverUrls();
    if (remote.length) {
      extraCapabilities();
      return new WebKitGtkEngine(
        { id: 'webkit', browser: 'WebKitGTK MiniBrowser', version: 'unknown', driver: 'webdriver-classic (remote WebDriver)', notes: `remote ${remote.join(', ')}` },
        loc, null, new EndpointPool(remote),
      );
    }
    const xvfb = await startXvfb(loc.xvfbPath!);
    return new WebKitGtkEngine(
      { id: 'webkit', browser: 'WebKitGTK MiniBrowser', version: 'unknown', driver: 'webdriver-classic (WebKitWebDriver)', notes: `${MINIBROWSER} under Xvfb ${xvfb.display}` },
      loc, xvfb, null,
    );
  }

  /** Every page is its own session (its own MiniBrowser): a fresh context with its own caches. */
  async newPage(options: ContextOptions = {}): Promise<EnginePage> {
    // Setting `binary` resets the arguments: --automation must be given again.
    const args = ['--automation', '--enable-write-console-messages-to-stdout=true'];
    // The proxy goes to MiniBrowser itself, not through the W3C `proxy` capability: WebKitWebDriver
    // 2.50 turns `sslProxy` into an https:// proxy URI (TLS to the proxy), so https pages never load,
    // and a `proxy` capability overrides --proxy. MiniBrowser's --proxy serves every scheme through
    // one plain HTTP proxy (CONNECT for https); --ignore-host lists what goes direct.
    if (options.proxy) {
      args.push(`--proxy=${options.proxy}`);
      for (const host of options.proxyBypass ?? []) args.push(`--ignore-host=${host}`);
    }
    const caps: Record<string, unknown> = {
      acceptInsecureCerts: true,
      timeouts: { script: SCRIPT_TIMEOUT_MS, pageLoad: 30_000 },
      'webkitgtk:browserOptions': { binary: MINIBROWSER, args },
      ...(this.pool ? extraCapabilities() : {}),
    };
    const endpoint = this.pool ? await this.pool.acquire(120_000) : await startDriver(this.loc.driverPath!, this.xvfb!.display);
    try {
      const session = await endpoint.client.newSession(caps);
      const version = session.capabilities.browserVersion;
      if (typeof version === 'string') (this.info as { version: string }).version = version;
      return new WebKitPage(endpoint, session.sessionId);
    } catch (e) {
      await endpoint.release();
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.xvfb?.stop();
  }
}
