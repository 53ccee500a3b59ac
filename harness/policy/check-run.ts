// Runs one origin's checks in one engine: load the probe page on that (emulated) origin once, then
// make each request from it with a unique URL. The outcome comes from the page (could it read?),
// the engine's own message, and what the harness proxy saw pass between engine and API; the same
// verdict function as the catalogue decides, so a check that cannot be observed is `error`.
import crypto from 'node:crypto';
import type { ReceivedRequest } from '../model/types.ts';
import type { EnginePage } from '../engines/engine.ts';
import type { ProxyExchange } from '../../servers/proxy.ts';
import { PROBE_PATH } from '../../servers/origin.ts';
import { cookieNames, isPreflightRequest, received as receivedRequest } from '../../servers/target-plan.ts';
import { sessionHeader } from './check-plan.ts';
import { maskResult } from './secrets.ts';
import { REPROBES, stalledAfterAnswer, verdict } from '../probe/verdict.ts';
import { PROBE_TIMEOUT_MS, readSettings } from '../settings.ts';
import { messagesFor, runProbe } from '../probe/evaluate.ts';
import { get } from '../oracle/headers.ts';
import { explainBlocked, isLocalNetworkAccessBlock } from './blocked-reason.ts';
import { replayCheck } from './replay.ts';
import { NONCE_PARAM, type PolicyWorker } from './worker.ts';
import { appliesLocalNetworkAccess } from '../engines/registry.ts';
import type { ObservedResponse, OriginGroup, PlannedCheck, PolicyRecord, PolicyResult } from './policy-types.ts';
import { badPort } from '../oracle/bad-port.ts';
import { timed } from '../model/timings.ts';

type CheckRun = PolicyRecord['checks'][number];

const NONCE_IN_URL = new RegExp(`[?&]${NONCE_PARAM}=[A-Za-z0-9_-]+`);

/**
 * A sandboxed origin's checks share one frame kept in the page (the probe's `keep`): a frame removed
 * as soon as its result is posted sometimes loses Chromium's message that Local Network Access
 * refused the request.
 */
const SANDBOXED_PROBE = 'window.__corsProbeSandboxed(arg, { keep: true })';

/**
 * An http origin the engine never stays on: it asked the proxy for TLS to that very host (HSTS,
 * preloaded for whole TLDs such as .app, .dev and .page) or landed on its https form. No user of
 * that engine is ever at the origin, so its checks are not run there, with the reason.
 */
function upgradedToHttps(origin: string, refused: readonly string[], landedOn?: string): string | null {
  const url = new URL(origin);
  if (url.protocol !== 'http:') return null;
  const port = url.port || '443';
  const asked = refused.some((r) => r === `CONNECT ${url.hostname}:${port}` || r === `CONNECT ${url.hostname}:443`);
  if (!asked && landedOn !== `https://${url.host}`) return null;
  return `the engine upgrades ${origin} to https (its HSTS preload list covers this host), so no page of it is ever on ${origin}: name the https form (https://${url.host}) in the policy instead`;
}

/** An origin on one of the Fetch standard's bad ports: every engine refuses to load it. */
function onBadPort(origin: string): string | null {
  const port = badPort(origin);
  return port === null ? null : `port ${port} is a bad port in the Fetch standard (https://fetch.spec.whatwg.org/#port-blocking): every engine refuses to load a page there, so no user is ever on ${origin}; serve the front end on another port`;
}

/** Navigate to the probe page on `origin`; a navigation cut short by the previous page's error page gets one more try. */
export async function load(page: EnginePage, origin: string): Promise<string | null> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const at = await timed('pageLoad', async () => {
        await page.goto(origin + PROBE_PATH);
        return page.evaluate<string>('Promise.resolve(location.origin + " " + typeof window.__corsProbe)', null, 10_000);
      });
      if (at === `${origin} function`) return null;
      return `the engine did not load the probe page on ${origin} (it is on ${at.split(' ')[0]})`;
    } catch (e) {
      const text = String((e as Error).message ?? e).split('\n')[0];
      if (attempt === 0 && /interrupted by another navigation|NS_BINDING_ABORTED/i.test(text)) continue;
      return `the engine did not load a page on ${origin}: ${text}`;
    }
  }
  return `the engine did not load a page on ${origin}`;
}

function isPreflight(e: ProxyExchange): boolean {
  return isPreflightRequest(e.method, get(e.requestHeaders, 'Access-Control-Request-Method'));
}

function received(e: ProxyExchange): ReceivedRequest {
  const url = new URL(e.url);
  const r = receivedRequest(e.method, url.pathname + url.search, (n) => get(e.requestHeaders, n) ?? undefined, 'target');
  return { ...r, answered: e.answered };
}

function observedOf(e: ProxyExchange | undefined): ObservedResponse | undefined {
  if (!e) return undefined;
  return {
    status: e.status,
    headers: e.responseHeaders ?? [],
    request: { method: e.method, url: e.url, headers: e.requestHeaders.filter(([n]) => !/^proxy-/i.test(n)) },
  };
}

function probeUrl(base: string, path: string, nonce: string): string {
  return `${base}${path}${path.includes('?') ? '&' : '?'}${NONCE_PARAM}=${nonce}`;
}

/** Worth a replay: a failing check, an allowed origin (Vary and wildcard evidence), an ACAO of `*`. */
function wantsReplay(check: PlannedCheck, result: PolicyResult): boolean {
  const acao = get(result.observed.actual?.headers ?? result.observed.preflight?.headers ?? [], 'Access-Control-Allow-Origin');
  return !result.matchesExpected || check.expected === 'allowed' || acao === '*';
}

/**
 * `replay: false`: never repeat the request, outside the browser or in it (the `cors` fixture's
 * requests are the user's own, PUT and DELETE included). Otherwise a check whose probe timed out
 * after the API answered (the engine stalled) is made again on a fresh nonce, as the catalogue does.
 */
export async function runCheck(worker: PolicyWorker, page: EnginePage, check: PlannedCheck, options: { replay?: boolean } = {}): Promise<PolicyResult> {
  let result = await runCheckOnce(worker, page, check, options);
  for (let i = 0; i < REPROBES && options.replay !== false && stalledAfterAnswer(result); i++) {
    const next = await runCheckOnce(worker, page, check, options);
    next.reprobed = [...(result.reprobed ?? []), result.cause!];
    result = next;
  }
  return result;
}

async function runCheckOnce(worker: PolicyWorker, page: EnginePage, check: PlannedCheck, options: { replay?: boolean }): Promise<PolicyResult> {
  const nonce = crypto.randomBytes(9).toString('base64url');
  const url = probeUrl(worker.targetBase(check.origin.pageOrigin), check.path, nonce);
  const session = worker.policy.session;
  // The plan holds session headers masked; only the request itself carries their values.
  const headers = Object.fromEntries(Object.entries(check.headers).map(([n, v]) => [n, sessionHeader(session, n) ?? v]));
  const spec = {
    api: 'fetch', url, method: check.method, headers,
    credentials: check.credentials ? 'include' : 'omit', body: check.body,
    readHeaders: check.readHeaders, timeoutMs: PROBE_TIMEOUT_MS,
  };
  const expression = check.origin.kind === 'null' ? SANDBOXED_PROBE : 'window.__corsProbe(arg)';
  worker.watch(nonce);
  const pageResult = await timed('probe', () => runProbe(page, expression, spec));
  const exchanges = await worker.settle(nonce);
  // Nothing reached the API: the engine refused before sending (Local Network Access), and only its
  // message can say so. A sandboxed frame's message has been seen to trail the result by more than
  // the usual lag, so wait longer here (bounded, and only until the message arrives).
  const lag = exchanges.length === 0 && page.messageLagMs > 0 ? Math.max(page.messageLagMs, 2000) : page.messageLagMs;
  // Checks run side by side in one page: a message naming another check's nonce waits for that
  // check; a text naming no check cannot be attributed.
  const messages = await messagesFor(page, nonce, pageResult.readable ? 0 : lag, NONCE_IN_URL);
  const expectation = {
    outcome: check.expected,
    exposed: check.expected === 'allowed' ? check.readHeaders.map((h) => h.toLowerCase()) : undefined,
    expectedBy: 'scenario' as const,
  };
  const cell = verdict(pageResult, { requests: exchanges.map(received) }, messages, expectation, PROBE_TIMEOUT_MS);
  const observed = { preflight: observedOf(exchanges.find(isPreflight)), actual: observedOf(exchanges.find((e) => !isPreflight(e))) };
  const lnaEngine = appliesLocalNetworkAccess(worker.engineId);
  const result: PolicyResult = {
    outcome: cell.outcome,
    stage: cell.stage,
    preflightSent: worker.direct ? null : cell.preflightSent,
    actualSent: worker.direct ? null : cell.actualSent,
    status: cell.status,
    message: cell.message,
    exposedHeaders: check.readHeaders.length ? cell.exposedHeaders : null,
    matchesExpected: cell.matchesExpected,
    observed,
    localNetworkAccess: !lnaEngine || worker.lna.targetAddressSpace === 'public' ? 'n/a' : worker.direct ? 'denied' : 'granted',
    cookieSent: cookieSent(exchanges, worker),
    durationMs: cell.durationMs,
  };
  if (cell.cause) result.cause = cell.cause;
  if (cell.outcome === 'blocked') {
    const why = explainBlocked(check, observed, cell.message, worker.policy.target);
    result.reason = why.reason;
    if (why.fix) result.fixHint = why.fix;
  }
  // A direct request Local Network Access refused is not an unobserved one: Chromium said why.
  if (worker.direct && result.outcome === 'blocked' && isLocalNetworkAccessBlock(cell.message)) { result.preflightSent = false; result.actualSent = false; }
  if (options.replay !== false && wantsReplay(check, result)) {
    const apiUrl = new URL(probeUrl('', check.path, nonce), worker.policy.target);
    result.replay = await timed('replay', () => replayCheck({ ...check, headers }, apiUrl, observed));
  }
  return maskResult(result, session);
}

/** Did the actual request carry a session cookie (names only; a request never sent carried none)? */
function cookieSent(exchanges: ProxyExchange[], worker: PolicyWorker): boolean | null {
  const session = worker.policy.session;
  if (!session?.cookies.length || worker.direct) return null;
  const names = new Set(session.cookies.map((c) => c.name));
  const actual = exchanges.find((e) => !isPreflight(e));
  return !!actual && cookieNames(get(actual.requestHeaders, 'Cookie') ?? undefined).some((n) => names.has(n));
}

/** Every check of one origin, in one page on that origin. */
export async function runGroup(worker: PolicyWorker, group: OriginGroup): Promise<CheckRun[]> {
  const page = await worker.page();
  const refusedBefore = worker.refused.length;
  const problem = await load(page, group.origin.pageOrigin);
  if (problem) {
    await worker.resetPage();
    // A special-character host is a test of the engine as much as of the server: an engine that
    // refuses the host cannot be attacked through it, nor can a user be on an origin the engine
    // always upgrades to https. Any other origin must load: that is a fault.
    const landed = /\(it is on (\S+)\)$/.exec(problem)?.[1];
    const never = upgradedToHttps(group.origin.pageOrigin, worker.refused.slice(refusedBefore), landed) ?? onBadPort(group.origin.pageOrigin);
    if (never) return group.checks.map((check) => ({ check, result: null, notRun: never }));
    if (group.origin.derivation === 'special-char') return group.checks.map((check) => ({ check, result: null, notRun: problem }));
    return group.checks.map((check) => ({ check, result: errorResult(problem, worker) }));
  }
  // Several checks at a time in the page (each on its own URL), as the catalogue's batch does
  // (CORS_BATCH's `shared`; CORS_BATCH=0, one at a time). A sandboxed origin keeps one frame for all
  // its checks, so its checks go one by one.
  const limit = group.origin.kind === 'null' ? 1 : readSettings().batch.shared;
  const out: CheckRun[] = new Array(group.checks.length);
  let next = 0;
  const lane = async () => {
    while (next < group.checks.length) {
      const i = next++;
      out[i] = { check: group.checks[i], result: await runCheck(worker, page, group.checks[i]) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, group.checks.length) }, lane));
  return out;
}

function errorResult(cause: string, worker: PolicyWorker): PolicyResult {
  return {
    outcome: 'error', stage: null, preflightSent: null, actualSent: null, status: null, message: null, exposedHeaders: null,
    matchesExpected: false, cause, observed: {}, cookieSent: null,
    localNetworkAccess: appliesLocalNetworkAccess(worker.engineId) && worker.lna.targetAddressSpace !== 'public' ? (worker.direct ? 'denied' : 'granted') : 'n/a',
    durationMs: 0,
  };
}
