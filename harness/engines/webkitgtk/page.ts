// A WebKitGTK page: one WebDriver session, whose commands run one at a time. Probes given at the
// same time share commands (exchange.js); each keeps its own timeout.
import fs from 'node:fs';
import type { EnginePage } from '../engine.ts';
import type { WebDriverClient } from '../webdriver.ts';
import { settledWithin, TEARDOWN_MS } from '../bounded.ts';

/** The in-page multiplexer, sent with every exchange. */
const EXCHANGE = fs.readFileSync(new URL('./exchange.js', import.meta.url), 'utf8');

/**
 * How long one Execute Async Script command waits in the page for a result before it returns empty
 * and the next command picks the waiting up again. It also bounds how long a probe queued behind
 * slow ones (a hanging target) waits to be started: a session runs one command at a time.
 */
const WAKE_MS = 100;
/** The session's script timeout: far above WAKE_MS, so only a wedged page ever reaches it. */
export const SCRIPT_TIMEOUT_MS = 60_000;

/** Where a session lives: a WebKitWebDriver this process started, or a remote endpoint. */
export interface Endpoint {
  client: WebDriverClient;
  /** The engine's console texts, as they arrive (inspector.ts); stays empty at a remote endpoint. */
  console: string[];
  /** Connects to the engine's console once the session exists; absent where it cannot be reached. */
  attach?(): Promise<void>;
  release(): Promise<void>;
  /** The MiniBrowser's process, where the harness started it (its command line is what it runs with). */
  browserPid?: number;
}

/**
 * How long a console text may trail the script result. The inspector delivered every text 0-4 ms
 * after the promise settled, once after the WebDriver reply; the wait ends as soon as it arrives,
 * and the bound only costs a probe that gets no text at all (a fault, an opaque response).
 */
const INSPECTED_LAG_MS = 150;

interface Job {
  id: number;
  expression: string;
  arg: unknown;
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer?: NodeJS.Timeout;
}

type Settled = { ok?: unknown; err?: string; lost?: boolean };

/** The command's script: the new probes as functions, then the multiplexer over them. */
function exchangeScript(starts: Job[]): string {
  return `const fns = [${starts.map((j) => `(async (arg) => (${j.expression}))`).join(',\n')}];
${EXCHANGE}
exchange(fns, ...arguments);`;
}

export class WebKitPage implements EnginePage {
  /** Without the inspector (remote endpoints) there is no text to wait for. */
  readonly messageLagMs: number;
  private readonly queued: Job[] = [];
  private readonly outstanding = new Map<number, Job>();
  private forgotten: number[] = [];
  private seq = 0;
  private busy = false;
  private closed = false;
  /** WebDriver commands of this session, one after the other. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly endpoint: Endpoint, private readonly sessionId: string) {
    this.messageLagMs = endpoint.attach ? INSPECTED_LAG_MS : 0;
  }

  private command<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.tail.then(fn);
    this.tail = p.catch(() => {});
    return p;
  }

  async goto(url: string): Promise<void> {
    await this.command(() => this.endpoint.client.navigate(this.sessionId, url));
  }

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
    // The session's commands run one at a time: DELETE waits behind a command in flight (up to the
    // script timeout). Not that long: releasing the endpoint stops its driver and browser anyway.
    await settledWithin(this.command(() => this.endpoint.client.deleteSession(this.sessionId)), TEARDOWN_MS.page);
    await this.endpoint.release();
  }
}
