// Runs one scenario in one engine: register the plan on the target, run the probe in a page on the
// origin, collect what the target saw and what the engine said, and turn it into a cell.
import crypto from 'node:crypto';
import type { Cell, PageResult, Scenario } from './types.ts';
import type { Engine, EnginePage } from './engines/engine.ts';
import type { Servers } from '../servers/index.ts';
import { expressCanSend } from '../servers/target.ts';
import { PROBE_PATH } from '../servers/origin.ts';
import { verdict, type Expectation } from './verdict.ts';

export const PROBE_TIMEOUT_MS = Number(process.env.CORS_PROBE_TIMEOUT_MS ?? 5000);

/** A worker's long-lived state: one engine, its servers, one page reused with unique URLs. */
export interface Session {
  engine: Engine;
  servers: Servers;
  page: EnginePage;
}

export async function openSession(engine: Engine, servers: Servers): Promise<Session> {
  const page = await engine.newPage();
  await page.goto(servers.origin.origin + PROBE_PATH);
  return { engine, servers, page };
}

function readHeaders(s: Scenario): string[] {
  if (s.request.readHeaders) return s.request.readHeaders;
  const names = new Set(s.response.headers.map(([n]) => n.toLowerCase()));
  return [...names];
}

function probeSpec(s: Scenario, url: string) {
  return {
    api: s.request.api,
    url,
    method: s.request.method,
    headers: s.request.headers,
    credentials: s.request.credentials,
    body: s.request.body,
    mode: s.request.mode,
    uploadListener: s.request.uploadListener ?? false,
    readHeaders: readHeaders(s),
    timeoutMs: PROBE_TIMEOUT_MS,
  };
}

function harnessFailure(e: unknown): PageResult {
  return { readable: false, status: null, body: null, headers: null, error: { name: 'HarnessError', message: String((e as Error)?.message ?? e) }, timedOut: false, durationMs: 0 };
}

// Messages are claimed by check key, so probes may run concurrently in one page: an engine's CORS
// text names the URL, and every check has its own. Texts naming no check URL (Chromium's
// "Failed to load resource" echo) cannot be attributed and are dropped.
const pending = new WeakMap<EnginePage, string[]>();

async function messagesFor(page: EnginePage, key: string, expectMessage: boolean): Promise<string[]> {
  const box = pending.get(page) ?? [];
  pending.set(page, box);
  const claim = () => {
    const mine = box.filter((m) => m.includes(key));
    const rest = box.filter((m) => !m.includes(key) && /\/c\/[A-Za-z0-9_-]+\//.test(m));
    box.splice(0, box.length, ...rest.slice(-200));
    return mine;
  };
  box.push(...await page.takeMessages());
  let out = claim();
  // Some engines deliver the console text after the script result: wait for it, bounded.
  const deadline = Date.now() + (expectMessage ? page.messageLagMs : 0);
  while (out.length === 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
    box.push(...await page.takeMessages());
    out = claim();
  }
  return out;
}

export interface RunOptions {
  /** Override the target (e.g. a port nothing listens on). */
  targetOrigin?: string;
}

/** The target that can send this scenario's bytes: Express, or the raw server for what Node refuses. */
function targetFor(scenario: Scenario, servers: Servers) {
  const allHeaders = [...scenario.response.headers, ...(scenario.preflight?.headers ?? []), ...(scenario.redirects ?? []).flatMap((h) => h.headers)];
  return expressCanSend(scenario.request.method, allHeaders) ? servers.target : servers.raw;
}

/** The origins a scenario runs between: what the oracle and the servers both substitute. */
export function originsFor(scenario: Scenario, servers: Servers, options: RunOptions = {}) {
  const page = scenario.page?.origin ?? 'default';
  return {
    pageOrigin: page === 'sandboxed' ? 'null' : page === 'public' ? servers.publicOrigin.origin : servers.origin.origin,
    targetOrigin: options.targetOrigin ?? (scenario.response.fault === 'refused' ? servers.closedOrigin : targetFor(scenario, servers).origin),
    otherOrigin: servers.other.origin,
    secondOrigin: servers.origin2.origin,
  };
}

/** What the servers substitute in header values (the oracle's `substitute` does the same). */
function pageVars(o: ReturnType<typeof originsFor>): Record<string, string> {
  const page = o.pageOrigin === 'null' ? null : new URL(o.pageOrigin);
  return { $ORIGIN: o.pageOrigin, $ORIGIN_HOST: page?.hostname ?? '', $ORIGIN_PORT: page?.port ?? '', $TARGET2: o.otherOrigin, $TARGET: o.targetOrigin };
}

/** Open the page a scenario needs: the worker's shared page, or its own context where isolation matters. */
async function pageFor(session: Session, scenario: Scenario): Promise<{ page: EnginePage; own: boolean }> {
  const kind = scenario.page?.origin ?? 'default';
  if (kind === 'public') {
    const grant = scenario.page?.localNetworkAccess === 'grant';
    const page = await session.engine.newPage({ permissions: grant ? ['local-network-access'] : [] });
    await page.goto(session.servers.publicOrigin.origin + PROBE_PATH);
    return { page, own: true };
  }
  if (scenario.followUp) {
    // Preflight-cache and HTTP-cache checks need caches nobody else has touched.
    const page = await session.engine.newPage();
    await page.goto(session.servers.origin.origin + PROBE_PATH);
    return { page, own: true };
  }
  return { page: session.page, own: false };
}

async function probe(page: EnginePage, fn: string, spec: unknown): Promise<PageResult> {
  try {
    return await page.evaluate<PageResult>(`window.${fn}(arg)`, spec, PROBE_TIMEOUT_MS + 10_000);
  } catch (e) {
    return harnessFailure(e);
  }
}

export async function runScenario(session: Session, scenario: Scenario, expected: Expectation, options: RunOptions = {}): Promise<Cell> {
  const { servers } = session;
  const key = crypto.randomBytes(9).toString('base64url');
  const origins = originsFor(scenario, servers, options);
  servers.registry.register(key, {
    preflight: scenario.preflight,
    response: scenario.response,
    redirects: scenario.redirects,
    vars: pageVars(origins),
  });
  const url = `${origins.targetOrigin}/c/${key}/0`;
  const fn = scenario.page?.origin === 'sandboxed' ? '__corsProbeSandboxed' : '__corsProbe';
  const { page, own } = await pageFor(session, scenario);
  try {
    const first = await probe(page, fn, probeSpec(scenario, url));
    const firstMessages = await messagesFor(page, key, !first.readable && !first.rejectedBeforeSending);
    const seenFirst = servers.registry.observed(key);
    if (!scenario.followUp) return verdict(first, seenFirst, firstMessages, expected, PROBE_TIMEOUT_MS);

    // The follow-up is the request under test; the first one only fills the caches.
    const f = scenario.followUp;
    if (f.fromSecondOrigin) await page.goto(servers.origin2.origin + PROBE_PATH);
    const second: Scenario = { ...scenario, request: { ...scenario.request, ...f.request } };
    const secondResult = await probe(page, fn, probeSpec(second, f.url === 'fresh' ? `${url}?fresh` : url));
    const messages = await messagesFor(page, key, !secondResult.readable && !secondResult.rejectedBeforeSending);
    const all = servers.registry.observed(key).requests;
    const sameUrlAnswered = f.url !== 'fresh' && seenFirst.requests.some((r) => !r.isPreflight && r.answered);
    const cell = verdict(secondResult, { requests: all.slice(seenFirst.requests.length) }, messages, expected, PROBE_TIMEOUT_MS, sameUrlAnswered);
    const firstCell = verdict(first, seenFirst, firstMessages, expected, PROBE_TIMEOUT_MS);
    cell.first = { outcome: firstCell.outcome, preflightSent: firstCell.preflightSent, actualSent: firstCell.actualSent };
    cell.received = all;
    return cell;
  } finally {
    servers.registry.forget(key);
    if (own) await page.close();
  }
}
