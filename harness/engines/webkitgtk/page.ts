// A WebKitGTK page: one WebDriver session, whose commands run one at a time. Probes given at the
// same time share commands (exchange.js); each keeps its own timeout.
import fs from 'node:fs';
import type { EnginePage } from '../engine.ts';
import { isNodeFailure, type SessionInfo, type WebDriverClient } from '../webdriver.ts';
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
  /** The session outlives the page: the run's kept page (shared.ts), which the next worker takes over. */
  keepSession?: boolean;
  /** Capabilities this endpoint needs in the new session (a Grid node asked for by name). */
  capabilities?: Record<string, unknown>;
  /** Learns where the new session runs (a Grid's node): sets `where`. */
  placed?(session: SessionInfo): Promise<void>;
  /** Where the session runs, for notes and errors: `node webkit-1 (http://127.0.0.1:5555)`. */
  where?: string;
  /**
   * The session's command failed: the error to give its probes instead (naming where it ran), the
   * place marked as failed. Absent where a failed command says nothing about the place.
   */
  failed?(e: Error): Error;
}

/** A fresh session elsewhere for a page whose place failed (a Grid's other node). */
export type Reopen = () => Promise<{ endpoint: Endpoint; sessionId: string }>;

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

  /** The endpoint the page is leaving for a new session (once, however many commands failed on it). */
  private leaving: Endpoint | null = null;
  /** Where the page was last sent: a reopened session goes there first. */
  private at: string | null = null;

  constructor(private endpoint: Endpoint, private sessionId: string, private readonly reopen?: Reopen) {
    this.messageLagMs = endpoint.attach ? INSPECTED_LAG_MS : 0;
  }

  private command<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.tail.then(fn);
    this.tail = p.catch(() => {});
    return p;
  }

  async goto(url: string): Promise<void> {
    this.at = url;
    await this.command(() => this.endpoint.client.navigate(this.sessionId, url)).catch((e: Error) => { throw this.lost(e); });
  }

  /**
   * A command failed. Where the endpoint says the place failed (a Grid node), the probes in flight
   * fail naming it, and the page goes on in a new session elsewhere, at the URL it was at: the
   * commands queued meanwhile wait behind the reopening.
   */
  private lost(e: Error): Error {
    const failed = this.endpoint.failed;
    if (!failed || !isNodeFailure(e)) return e;
    const named = failed(e);
    const reopen = this.reopen;
    const gone = this.endpoint;
    if (reopen && !this.closed && this.leaving !== gone) {
      this.leaving = gone;
      void this.command(async () => {
        await gone.release();
        const next = await reopen();
        this.endpoint = next.endpoint;
        this.sessionId = next.sessionId;
        if (this.at) await this.endpoint.client.navigate(this.sessionId, this.at);
      }).catch(() => { /* the next command fails on the old session and says so */ });
    }
    return named;
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
      .catch((e: Error) => {
        const err = this.lost(e);
        for (const job of [...this.outstanding.values()]) this.finish(job, { err: String(err.message ?? err) });
      })
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
    if (!this.endpoint.keepSession) await settledWithin(this.command(() => this.endpoint.client.deleteSession(this.sessionId)), TEARDOWN_MS.page);
    await this.endpoint.release();
  }
}
