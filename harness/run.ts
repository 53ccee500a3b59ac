// Runs one scenario in one engine: register the plan on the target, run the probe in a page on the
// origin, collect what the target saw and what the engine said, and turn it into a cell.
import crypto from 'node:crypto';
import type { Cell, CellRecord, EngineId, PageResult, Scenario } from './types.ts';
import type { Engine, EnginePage } from './engines/engine.ts';
import type { Servers } from '../servers/index.ts';
import { expressCanSend } from '../servers/target.ts';
import { PROBE_PATH } from '../servers/origin.ts';
import { verdict, type Expectation } from './verdict.ts';
import { matrixScenario, resolveExpectation, type Resolved } from './expectation.ts';
import { messagesFor, runProbe } from './probe.ts';
import { ownContext } from './scenario/isolation.ts';
import { appliesLocalNetworkAccess } from './engines/registry.ts';

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

// Probes run concurrently in one page, so a message is claimed by its check's key. One naming
// another check's URL waits for that check; texts naming no check URL (Chromium's "Failed to
// load resource" echo) cannot be attributed.
const CHECK_URL = /\/c\/[A-Za-z0-9_-]+\//;

function messagesOf(page: EnginePage, key: string, result: PageResult): Promise<string[]> {
  const expectMessage = !result.readable && !result.rejectedBeforeSending;
  return messagesFor(page, key, expectMessage ? page.messageLagMs : 0, CHECK_URL);
}

export interface RunOptions {
  /** Override the target (e.g. a port nothing listens on). */
  targetOrigin?: string;
}

/**
 * The target that can take this scenario's requests and send its bytes: Express, or the raw server
 * for what Node refuses (a method, response bytes, or request header values with control bytes,
 * the follow-up's included: Node's parser would drop that request before any handler saw it).
 */
export function targetFor(scenario: Scenario, servers: Pick<Servers, 'target' | 'raw'>) {
  const allHeaders = [...scenario.response.headers, ...(scenario.preflight?.headers ?? []), ...(scenario.redirects ?? []).flatMap((h) => h.headers)];
  const f = scenario.followUp?.request;
  const requests = [scenario.request, ...(f ? [{ method: f.method ?? scenario.request.method, headers: f.headers ?? scenario.request.headers }] : [])];
  const fits = requests.every((r) => expressCanSend(r.method, allHeaders, r.headers));
  return fits ? servers.target : servers.raw;
}

/** The loopback server that answers a scenario's checks (behind its named target, if it has one). */
function upstreamFor(scenario: Scenario, servers: Servers): string {
  return scenario.response.fault === 'refused' ? servers.closedOrigin : targetFor(scenario, servers).origin;
}

/** The origins a scenario runs between: what its placeholders stand for, in the oracle and the servers alike. */
export function originsFor(scenario: Scenario, servers: Servers, options: RunOptions = {}) {
  const page = scenario.page?.origin ?? 'default';
  const loopbackPage = page === 'sandboxed' ? 'null' : page === 'public' ? servers.publicOrigin.origin : servers.origin.origin;
  return {
    pageOrigin: scenario.sites?.page ?? loopbackPage,
    targetOrigin: options.targetOrigin ?? scenario.sites?.target ?? upstreamFor(scenario, servers),
    otherOrigin: servers.other.origin,
    secondOrigin: servers.origin2.origin,
  };
}

/** Open the page a scenario needs: the worker's shared page, or a context of its own. */
async function pageFor(session: Session, scenario: Scenario, key: string): Promise<{ page: EnginePage; own: boolean }> {
  switch (ownContext(scenario)) {
    case 'named-sites': {
      const { servers, engine } = session;
      const sites = scenario.sites ?? { page: servers.origin.origin, target: upstreamFor(scenario, servers) };
      servers.serveSites(sites);
      // Every request leaves through the proxy, whose address is loopback: Local Network Access
      // would judge the proxy, not the site, so it is granted here and tested on its own category.
      const lna = appliesLocalNetworkAccess(engine.info.id) ? ['local-network-access'] : [];
      const page = await engine.newPage({ proxy: servers.proxy.url, permissions: lna });
      try {
        // The login: a top-level visit to the target's own site, which sets the cookies first-party.
        if (scenario.cookies?.length) await page.goto(`${sites.target}/set-cookies/${key}`);
        await page.goto(sites.page + PROBE_PATH);
      } catch (e) {
        await page.close();
        throw e;
      }
      return { page, own: true };
    }
    case 'public-origin': {
      const grant = scenario.page?.localNetworkAccess === 'grant';
      const page = await session.engine.newPage({ permissions: grant ? ['local-network-access'] : [] });
      await page.goto(session.servers.publicOrigin.origin + PROBE_PATH);
      return { page, own: true };
    }
    case 'fresh-caches': {
      const page = await session.engine.newPage();
      await page.goto(session.servers.origin.origin + PROBE_PATH);
      return { page, own: true };
    }
    case null:
      return { page: session.page, own: false };
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
    origins,
    upstream: upstreamFor(scenario, servers),
    cookies: scenario.cookies,
  });
  const url = `${origins.targetOrigin}/c/${key}/0`;
  const expression = scenario.page?.origin === 'sandboxed' ? 'window.__corsProbeSandboxed(arg)' : 'window.__corsProbe(arg)';
  const { page, own } = await pageFor(session, scenario, key);
  try {
    const first = await runProbe(page, expression, probeSpec(scenario, url));
    const firstMessages = await messagesOf(page, key, first);
    const seenFirst = servers.registry.observed(key);
    if (!scenario.followUp) return verdict(first, seenFirst, firstMessages, expected, PROBE_TIMEOUT_MS);

    // The follow-up is the request under test; the first one only fills the caches.
    const f = scenario.followUp;
    if (f.fromSecondOrigin) await page.goto(servers.origin2.origin + PROBE_PATH);
    const second: Scenario = { ...scenario, request: { ...scenario.request, ...f.request } };
    const secondResult = await runProbe(page, expression, probeSpec(second, f.url === 'fresh' ? `${url}?fresh` : url));
    const messages = await messagesOf(page, key, secondResult);
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

/** A catalogue cell with what it was held to: the record the matrix reporter reads, and the expectation. */
export interface ScenarioCell {
  record: CellRecord;
  resolved: Resolved;
}

/** Runs a catalogue scenario in the session's engine and puts its cell on the matrix record. */
export async function runCatalogueScenario(session: Session, scenario: Scenario, engineId: EngineId): Promise<ScenarioCell> {
  const resolved = resolveExpectation(scenario, engineId, originsFor(scenario, session.servers));
  const cell = await runScenario(session, scenario, resolved.forEngine);
  return { record: { scenario: matrixScenario(scenario, resolved), engine: session.engine.info, cell }, resolved };
}
