// `cors-matrix/test`: Playwright's `test` with a worker fixture `cors` that makes one request from a
// page on any origin the user names, in the project's engine, and `expect` with `toBeAllowed` and
// `toBeBlocked`. It is policy mode's machinery, one request at a time: the engine sits behind the
// origin-emulating proxy (harness/policy/worker.ts), the probe page is served on the named origin,
// and the same run (harness/policy/check-run.ts) and verdict decide. The user's API is not ours to
// instrument, so what was sent comes from what passed through the proxy, never from the page. The
// engine runs in the regime of the worker option `corsRegime` (harness/policy/cors-regime.ts).
import { test as base, expect as baseExpect } from '@playwright/test';
import type { EngineConfiguration, EngineId, Outcome, Regime, Stage } from '../model/types.ts';
import type { EnginePage } from '../engines/engine.ts';
import { withoutApiCallSteps } from '../engines/playwright-private.ts';
import { within, TEARDOWN_MS } from '../engines/bounded.ts';
import { engineOption, type EngineOption } from '../engines/engine-option.ts';
import { openPolicyWorker, type PolicyWorker } from './worker.ts';
import { load, runCheck } from './check-run.ts';
import { checkCorsRegime } from './cors-regime.ts';
import { fixtureRegimeOf } from '../settings.ts';
import { originProblem } from './load.ts';
import { SANDBOX_PAGE_ORIGIN } from './origins.ts';
import { mark } from '../model/timings.ts';
import { get } from '../oracle/headers.ts';
import type { HeaderList } from '../model/types.ts';
import type { PlannedCheck, Policy } from './policy-types.ts';

export interface CorsRequest {
  /** The page's origin, e.g. `https://app.example.com` (emulated by the harness proxy), or `null` (a sandboxed frame). */
  from: string;
  /** The API URL the page calls. */
  url: string;
  /** Default `GET`. */
  method?: string;
  headers?: Record<string, string>;
  /** fetch()'s credentials mode; default `omit`. */
  credentials?: 'omit' | 'same-origin' | 'include';
  body?: string | null;
  /** Response headers the page tries to read (each one comes back in `exposedHeaders`). */
  readHeaders?: string[];
}

export interface CorsResult {
  engine: EngineId;
  /** Browser and version, as the engine reports it. */
  engineVersion: string;
  /**
   * The browser's main process id where known (Chromium and Firefox, launched once per run and
   * shared by the run's workers; WebKitGTK's MiniBrowser of the run's kept page, handed from worker to
   * worker: the same after a failed test restarts the worker); else null.
   */
  engineProcessId: number | null;
  /** How the engine was configured: `users` (as its users run it) or `installed` (as this machine's package ships it). */
  regime: Regime;
  /** What the engine ran with, read back from it (third-party cookies...); null where it could not be read. */
  configuration: EngineConfiguration | null;
  outcome: Outcome;
  stage: Stage | null;
  /** What the harness proxy saw the engine send to the API. */
  preflightSent: boolean | null;
  actualSent: boolean | null;
  /** The status the page read (null when it could not read). */
  status: number | null;
  /** Each `readHeaders` name -> the value the page could read (null: hidden); null when none were asked for. */
  exposedHeaders: Record<string, string | null> | null;
  /** The engine's own console text, or null. */
  message: string | null;
  /** The engine sent a Cookie header with the actual request. */
  cookieSent: boolean;
  /** Why it was blocked, in Fetch-standard terms, and the header that would let it through. */
  reason?: string;
  fix?: string;
  /** For `error`: what the harness saw instead of a decision. */
  cause?: string;
  /** The request as asked, and the response headers the engine received. */
  request: { from: string; url: string; method: string; credentials: string };
  responseHeaders: HeaderList | null;
  preflightHeaders: HeaderList | null;
}

export interface Cors {
  readonly engineId: EngineId;
  readonly regime: Regime;
  fetch(request: CorsRequest): Promise<CorsResult>;
}

/** One engine behind the proxy per API origin (the proxy forwards to the target it was opened for). */
class CorsSession implements Cors {
  private workers = new Map<string, Promise<PolicyWorker>>();
  private pageOrigin = new Map<PolicyWorker, string>();
  /** One request at a time per engine page: messages and proxy exchanges are claimed per request. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly engineId: EngineId, readonly regime: Regime) {}

  fetch(request: CorsRequest): Promise<CorsResult> {
    const run = this.queue.then(() => this.run(request));
    this.queue = run.catch(() => {});
    return run;
  }

  private worker(targetOrigin: string): Promise<PolicyWorker> {
    let w = this.workers.get(targetOrigin);
    if (!w) {
      const policy: Policy = {
        target: targetOrigin, allowedOrigins: [], endpoints: [], blockedOrigins: [],
        allowSubdomains: false, localNetworkAccess: 'grant', failOn: 'none', source: 'cors.fetch', // the user's own expect() judges
      };
      // Origins arrive request by request, so the run's CA is made up front for https ones.
      w = openPolicyWorker(this.engineId, { policy, origins: [], groups: [] }, { regime: this.regime, tls: true, shared: true });
      this.workers.set(targetOrigin, w);
      w.catch(() => this.workers.delete(targetOrigin));
    }
    return w;
  }

  private async run(r: CorsRequest): Promise<CorsResult> {
    const from = r.from;
    const problem = from === 'null' ? null : originProblem(from);
    if (problem) throw new Error(`cors.fetch: "from" ${problem.problem}. Fix: ${problem.fix}`);
    let url: URL;
    try { url = new URL(r.url); } catch { throw new Error(`cors.fetch: "url" ${JSON.stringify(r.url)} is not an absolute URL. Fix: write it like "http://127.0.0.1:8080/api/me"`); }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`cors.fetch: "url" must be http or https, is ${url.protocol}`);
    const method = r.method ?? 'GET';
    const credentials = r.credentials ?? 'omit';
    const pageOrigin = from === 'null' ? SANDBOX_PAGE_ORIGIN : from;
    const worker = await this.worker(url.origin);
    worker.emulate(pageOrigin);
    let page: EnginePage;
    try {
      page = await worker.page();
      if (this.pageOrigin.get(worker) !== pageOrigin) {
        const failed = await load(page, pageOrigin);
        if (failed) { this.pageOrigin.delete(worker); await worker.resetPage(); return this.errorResult(worker, r, method, credentials, failed); }
        this.pageOrigin.set(worker, pageOrigin);
      }
    } catch (e) {
      this.pageOrigin.delete(worker);
      await worker.resetPage();
      throw e;
    }
    const check: PlannedCheck = {
      id: `${method} ${r.url} from ${from}`, endpoint: url.pathname, path: url.pathname + url.search, purpose: 'policy',
      method, headers: r.headers ?? {}, credentials: credentials === 'include', body: r.body ?? null,
      origin: { origin: from, kind: from === 'null' ? 'null' : 'allowed', note: 'cors.fetch', expected: 'allowed', pageOrigin },
      expected: 'allowed', readHeaders: r.readHeaders ?? [],
    };
    let res;
    try { res = await runCheck(worker, page, check, { replay: false }); } catch (e) {
      this.pageOrigin.delete(worker);
      await worker.resetPage();
      throw e;
    }
    const actual = res.observed.actual;
    return {
      ...this.engineOf(worker),
      outcome: res.outcome, stage: res.stage,
      preflightSent: res.preflightSent, actualSent: res.actualSent,
      // The probe's unique query parameter is the harness's, not the user's URL.
      status: res.status, exposedHeaders: res.exposedHeaders, message: res.message?.replace(/[?&]cors-matrix=[A-Za-z0-9_-]+/g, '') ?? null,
      cookieSent: !!actual && get(actual.request.headers, 'Cookie') !== null,
      ...(res.reason ? { reason: res.reason } : {}),
      ...(res.fixHint ? { fix: res.fixHint } : {}),
      ...(res.cause ? { cause: res.cause } : {}),
      request: { from, url: r.url, method, credentials },
      responseHeaders: actual?.headers ?? null,
      preflightHeaders: res.observed.preflight?.headers ?? null,
    };
  }

  private errorResult(worker: PolicyWorker, r: CorsRequest, method: string, credentials: string, cause: string): CorsResult {
    return {
      ...this.engineOf(worker),
      outcome: 'error', stage: null, preflightSent: null, actualSent: null, status: null, exposedHeaders: null,
      message: null, cookieSent: false, cause, request: { from: r.from, url: r.url, method, credentials },
      responseHeaders: null, preflightHeaders: null,
    };
  }

  private engineOf(worker: PolicyWorker): Pick<CorsResult, 'engine' | 'engineVersion' | 'engineProcessId' | 'regime' | 'configuration'> {
    const { info } = worker.engine;
    return { engine: this.engineId, engineVersion: `${info.browser} ${info.version}`, engineProcessId: worker.engine.processId ?? null, regime: this.regime, configuration: info.configuration ?? null };
  }

  async close(): Promise<void> {
    // One still launching is not waited for: Playwright and processes.ts end its processes with the worker.
    await Promise.all([...this.workers.values()].map(async (w) => (await within(w, TEARDOWN_MS.page))?.close()));
  }
}

export const test = base.extend<{}, EngineOption & { corsRegime: Regime; cors: Cors }>({
  ...withoutApiCallSteps,
  // `engineId` is set per project by corsProjects() (one project per engine found here).
  ...engineOption,
  // Set in the config's `use` or by corsProjects({ regime }); left unset, CORS_REGIME, else users.
  corsRegime: [async ({}, use) => { await use(checkCorsRegime(fixtureRegimeOf(), 'environment variable CORS_REGIME')); }, { option: true, scope: 'worker' }],
  cors: [async ({ engineId, corsRegime }, use) => {
    // Where the worker's own time starts, for a run that times itself (the bench's fixture runs).
    mark('fixturesStart');
    const session = new CorsSession(engineId, checkCorsRegime(corsRegime, 'use.corsRegime (in playwright.config, or corsProjects({ regime }))'));
    try { await use(session); } finally { await session.close(); }
  }, { scope: 'worker', timeout: 120_000, title: 'launch engine behind the origin proxy' }],
});

// ---- matchers -------------------------------------------------------------------------------

function isResult(r: unknown): r is CorsResult {
  return !!r && typeof r === 'object' && 'outcome' in r && 'engine' in r && 'request' in r;
}

/** The engine and its regime, as the messages name them: `Chromium 156.0.8078.114 (users regime)`. */
function engineLabel(r: CorsResult): string {
  return `${r.engineVersion} (${r.regime} regime)`;
}

function describeRequest(r: CorsResult): string {
  const q = r.request;
  return `${q.method} ${q.url} from ${q.from}${q.credentials === 'include' ? ' with credentials' : ''}`;
}

const CORS_HEADER = /^access-control-/i;

function corsHeaders(list: HeaderList | null): string {
  const h = (list ?? []).filter(([n]) => CORS_HEADER.test(n) || /^vary$/i.test(n));
  return h.length ? h.map(([n, v]) => `${n}: ${v}`).join(', ') : '(no Access-Control-* headers)';
}

function evidence(r: CorsResult): string[] {
  const lines: string[] = [];
  lines.push(`  sent: preflight ${r.preflightSent === null ? 'not observed' : r.preflightSent ? 'yes' : 'no'}, actual request ${r.actualSent === null ? 'not observed' : r.actualSent ? 'yes' : 'no'}${r.status !== null ? `; status read by the page: ${r.status}` : ''}`);
  if (r.preflightHeaders) lines.push(`  preflight answer: ${corsHeaders(r.preflightHeaders)}`);
  if (r.responseHeaders) lines.push(`  response: ${corsHeaders(r.responseHeaders)}`);
  // Whether cookies could go with a credentialed request is the regime's business, as the engine runs it.
  if (r.request.credentials === 'include') lines.push(`  third-party cookies (${r.regime} regime): ${r.configuration?.thirdPartyCookies.value ?? 'not read back from the engine'}`);
  return lines;
}

const notResult = (name: string, r: unknown) => ({
  pass: false, name,
  message: () => `${name}: expected the result of cors.fetch(...), got ${typeof r === 'object' ? JSON.stringify(r)?.slice(0, 200) : String(r)}`,
});

export const expect = baseExpect.extend({
  /** The page on `from` could read the response (and every `readHeaders` entry was exposed). */
  toBeAllowed(received: CorsResult) {
    const name = 'toBeAllowed';
    if (!isResult(received)) return notResult(name, received);
    const hidden = Object.entries(received.exposedHeaders ?? {}).filter(([, v]) => v === null).map(([n]) => n);
    const pass = received.outcome === 'allowed' && hidden.length === 0;
    const message = () => {
      if (pass) {
        return [`expected ${engineLabel(received)} to refuse ${describeRequest(received)}, but the page read it.`, ...evidence(received)].join('\n');
      }
      const head = received.outcome === 'error'
        ? `expected ${engineLabel(received)} to let the page read ${describeRequest(received)}, but the harness could not decide: ${received.cause}`
        : received.outcome === 'allowed'
          ? `expected ${engineLabel(received)} to let the page read ${describeRequest(received)}; it read the response, but not ${hidden.join(', ')}`
          : `expected ${engineLabel(received)} to let the page read ${describeRequest(received)}, but it blocked it at the ${received.stage === 'preflight' ? 'preflight' : 'actual request'}.`;
      const lines = [head];
      if (received.message) lines.push(`  engine's message: ${received.message.split('\n').join('\n    ')}`);
      if (received.reason) lines.push(`  reason (Fetch standard): ${received.reason}`);
      if (hidden.length) lines.push(`  reason: ${hidden.join(', ')} not listed in Access-Control-Expose-Headers`);
      lines.push(...evidence(received));
      const fix = received.fix ?? (hidden.length ? `send Access-Control-Expose-Headers: ${hidden.join(', ')}` : undefined);
      if (fix) lines.push(`  fix: ${fix}`);
      return lines.join('\n');
    };
    return { pass, name, message, expected: 'allowed', actual: received.outcome };
  },

  /** The engine refused the page this response; `stage` says where (preflight or actual request). */
  toBeBlocked(received: CorsResult, want: { stage?: Stage } = {}) {
    const name = 'toBeBlocked';
    if (!isResult(received)) return notResult(name, received);
    const pass = received.outcome === 'blocked' && (want.stage === undefined || received.stage === want.stage);
    const where = (s: Stage | null | undefined) => s === 'preflight' ? 'at the preflight' : s === 'actual' ? 'at the actual request' : '';
    const message = () => {
      if (pass) {
        const lines = [`expected ${engineLabel(received)} not to block ${describeRequest(received)}${want.stage ? ` ${where(want.stage)}` : ''}, but it did ${where(received.stage)}.`];
        if (received.message) lines.push(`  engine's message: ${received.message.split('\n').join('\n    ')}`);
        if (received.reason) lines.push(`  reason (Fetch standard): ${received.reason}`);
        if (received.fix) lines.push(`  fix: ${received.fix}`);
        lines.push(...evidence(received));
        return lines.join('\n');
      }
      if (received.outcome === 'error') return `expected ${engineLabel(received)} to block ${describeRequest(received)}, but the harness could not decide: ${received.cause}`;
      if (received.outcome === 'blocked') {
        const lines = [`expected ${engineLabel(received)} to block ${describeRequest(received)} ${where(want.stage)}, but it blocked it ${where(received.stage)}.`];
        if (received.message) lines.push(`  engine's message: ${received.message.split('\n').join('\n    ')}`);
        if (received.reason) lines.push(`  reason (Fetch standard): ${received.reason}`);
        lines.push(...evidence(received));
        return lines.join('\n');
      }
      const acao = get(received.responseHeaders ?? [], 'Access-Control-Allow-Origin');
      const acac = get(received.responseHeaders ?? [], 'Access-Control-Allow-Credentials');
      const origin = received.request.from;
      const lines = [`expected ${engineLabel(received)} to block ${describeRequest(received)}${want.stage ? ` ${where(want.stage)}` : ''}, but the page read the response.`];
      lines.push(`  reason (Fetch standard): the response's Access-Control-Allow-Origin is ${acao === null ? 'absent' : JSON.stringify(acao)}${received.request.credentials === 'include' ? ` and Access-Control-Allow-Credentials is ${acac === null ? 'absent' : JSON.stringify(acac)}` : ''}, which passes the CORS check for ${origin}`);
      lines.push(...evidence(received));
      lines.push(`  fix: answer requests from ${origin} without Access-Control-Allow-Origin${received.request.credentials === 'include' ? ' and Access-Control-Allow-Credentials' : ''}: compare the Origin header with an exact list of allowed origins instead of reflecting it`);
      return lines.join('\n');
    };
    return { pass, name, message, expected: want.stage ? `blocked ${where(want.stage)}` : 'blocked', actual: received.outcome === 'blocked' ? `blocked ${where(received.stage)}` : received.outcome };
  },
});

export type { EngineId, Outcome, Stage };
