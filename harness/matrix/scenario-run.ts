// Runs one scenario in one engine: register the plan on the target, run the probe in a page on the
// origin, collect what the target saw and what the engine said, and turn it into a cell.
import crypto from 'node:crypto';
import type { Cell, CellRecord, EngineId, PageResult, Scenario } from '../model/types.ts';
import type { ContextOptions, Engine, EnginePage } from '../engines/engine.ts';
import type { Servers } from '../../servers/worker-servers.ts';
import { expressCanSend } from '../../servers/target.ts';
import { PROBE_PATH } from '../../servers/origin.ts';
import { verdict, type Expectation } from '../probe/verdict.ts';
import { matrixScenario, resolveExpectation, type Resolved } from './expectation.ts';
import { messagesFor, runProbe } from '../probe/evaluate.ts';
import { ownHost, parseIsolation, placement, publicLane, type Isolation, type Lane, type OwnContext, type Placement } from '../model/placement.ts';
import { appliesLocalNetworkAccess } from '../engines/registry.ts';
import { PROBE_TIMEOUT_MS } from '../settings.ts';

export { PROBE_TIMEOUT_MS };

/**
 * A worker's long-lived state: one engine, its servers, one page reused with unique URLs, and the
 * lanes (contexts opened once per worker, harness/model/placement.ts) as scenarios ask for them.
 */
export interface Session {
  engine: Engine;
  servers: Servers;
  page: EnginePage;
  isolation: Isolation;
  lanes: Map<string, LaneState>;
}

/** A lane's page, where it is, and whose turn it is (a lane runs one scenario at a time). */
interface LaneState {
  page: Promise<EnginePage>;
  at: string | null;
  turn: Promise<void>;
  /** Scenarios in the lane or waiting for it. */
  users: number;
  idle?: NodeJS.Timeout;
}

/**
 * A lane nobody has used for this long is closed (its processes' memory back); the next scenario
 * that needs it opens it again. The catalogue's lane scenarios sit together by category, so a lane
 * is opened a few times per run at most.
 */
const LANE_IDLE_MS = 1500;

export async function openSession(engine: Engine, servers: Servers, isolation: Isolation = parseIsolation(process.env.CORS_ISOLATION)): Promise<Session> {
  const page = await engine.newPage();
  await page.goto(servers.origin.origin + PROBE_PATH);
  return { engine, servers, page, isolation, lanes: new Map() };
}

/** Close the session's page and every lane it opened. */
export async function closeSession(session: Session): Promise<void> {
  const lanes = [...session.lanes.values()];
  session.lanes.clear();
  for (const l of lanes) clearTimeout(l.idle);
  await Promise.allSettled([session.page.close(), ...lanes.map(async (l) => (await l.page).close())]);
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
    referrerPolicy: s.request.referrerPolicy,
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
  const loopbackPage = page === 'sandboxed' ? 'null' : page === 'public' ? scenario.page?.site ?? servers.publicOrigin.origin : servers.origin.origin;
  return {
    pageOrigin: scenario.sites?.page ?? loopbackPage,
    targetOrigin: options.targetOrigin ?? scenario.sites?.target ?? upstreamFor(scenario, servers),
    otherOrigin: servers.other.origin,
    secondOrigin: servers.origin2.origin,
  };
}

/** A page a scenario runs on, and how it navigates (a lane keeps track of where its page is). */
interface OnPage {
  page: EnginePage;
  goto(url: string): Promise<void>;
}

/** Context options of a lane, as the engine takes them (a permission only where the engine has it). */
function laneOptions(lane: Lane, session: Session): ContextOptions {
  const lna = appliesLocalNetworkAccess(session.engine.info.id) ? ['local-network-access'] : [];
  switch (lane) {
    // Every request leaves through the proxy, whose address is loopback: Local Network Access
    // would judge the proxy, not the site, so it is granted here and tested on its own category.
    case 'sites': return { proxy: session.servers.proxy.url, permissions: lna };
    case 'public-granted': return { permissions: lna };
    case 'public-denied': return {};
    // The public proxy serves the page; the checks go to the loopback targets directly, so the
    // engine sees a public site call a local API.
    case 'public-site-granted': return { proxy: session.servers.publicProxy.url, proxyBypass: session.servers.directHosts, permissions: lna };
    case 'public-site-denied': return { proxy: session.servers.publicProxy.url, proxyBypass: session.servers.directHosts };
  }
}

/** Run `use` on the lane's page when it is this scenario's turn; the lane opens on first use. */
async function inLane<T>(session: Session, lane: Lane, use: (on: OnPage) => Promise<T>): Promise<T> {
  const options = laneOptions(lane, session);
  const id = JSON.stringify(options);
  let state = session.lanes.get(id);
  if (!state) {
    const opening = session.engine.newPage(options);
    opening.catch(() => { if (session.lanes.get(id) === state) session.lanes.delete(id); });
    state = { page: opening, at: null, turn: Promise.resolve(), users: 0 };
    session.lanes.set(id, state);
  }
  const lanePage = state;
  lanePage.users++;
  clearTimeout(lanePage.idle);
  const previous = lanePage.turn;
  let done!: () => void;
  lanePage.turn = new Promise<void>((resolve) => { done = resolve; });
  await previous;
  try {
    const page = await lanePage.page;
    const goto = async (url: string) => {
      if (lanePage.at === url) return;
      lanePage.at = null;
      await page.goto(url);
      lanePage.at = url;
    };
    return await use({ page, goto });
  } finally {
    done();
    if (--lanePage.users === 0) {
      lanePage.idle = setTimeout(() => {
        if (lanePage.users > 0 || session.lanes.get(id) !== lanePage) return;
        session.lanes.delete(id);
        lanePage.page.then((p) => p.close(), () => {});
      }, LANE_IDLE_MS);
      lanePage.idle.unref();
    }
  }
}

/** Where a lane scenario's page starts (and the sign-in visit first, for cookies). */
async function enterLane(session: Session, lane: Lane, scenario: Scenario, key: string, on: OnPage): Promise<void> {
  const { servers } = session;
  switch (lane) {
    case 'sites': {
      // Cookies on the loopback pair (a fresh context only) go through the proxy too.
      const sites = scenario.sites ?? { page: servers.origin.origin, target: upstreamFor(scenario, servers) };
      servers.serveSites(sites);
      // The login: a top-level visit to the target's own site, which sets the cookies first-party.
      if (scenario.cookies?.length) await on.goto(`${sites.target}/set-cookies/${key}`);
      return on.goto(sites.page + PROBE_PATH);
    }
    case 'public-granted':
    case 'public-denied': return on.goto(servers.publicOrigin.origin + PROBE_PATH);
    case 'public-site-granted':
    case 'public-site-denied': {
      const site = scenario.page!.site!;
      servers.publicProxy.emulate(site);
      return on.goto(site + PROBE_PATH);
    }
  }
}

/**
 * A fresh context for one scenario (CORS_ISOLATION=contexts, or cookies on the loopback pair): opened
 * and entered as the lane it would otherwise share, or the plain loopback page for cache checks.
 */
async function ownPage(session: Session, why: OwnContext, scenario: Scenario, key: string): Promise<EnginePage> {
  const lane = why === 'named-sites' ? 'sites' : why === 'public-origin' ? publicLane(scenario.page!) : null;
  const page = await session.engine.newPage(lane ? laneOptions(lane, session) : {});
  try {
    if (lane) await enterLane(session, lane, scenario, key, { page, goto: (url) => page.goto(url) });
    else await page.goto(session.servers.origin.origin + PROBE_PATH);
  } catch (e) {
    await page.close();
    throw e;
  }
  return page;
}

/** Run `use` on the page `scenario` belongs on: the shared page, its lane's, or a context of its own. */
async function onPageFor<T>(session: Session, where: Placement, scenario: Scenario, key: string, use: (on: OnPage) => Promise<T>): Promise<T> {
  switch (where.kind) {
    case 'shared':
      return use({ page: session.page, goto: () => Promise.reject(new Error('the shared probe page never navigates')) });
    case 'lane':
      return inLane(session, where.lane, async (on) => {
        await enterLane(session, where.lane, scenario, key, on);
        return use(on);
      });
    case 'own': {
      const page = await ownPage(session, where.why, scenario, key);
      try { return await use({ page, goto: (url) => page.goto(url) }); } finally { await page.close(); }
    }
  }
}

/** The scenario as it runs: on named sites in a lane, its target gets a host of its own. */
function placed(scenario: Scenario, where: Placement): Scenario {
  if (where.kind !== 'lane' || where.lane !== 'sites' || !scenario.sites) return scenario;
  const label = `s${crypto.randomBytes(5).toString('hex')}`;
  return { ...scenario, sites: { ...scenario.sites, target: ownHost(scenario.sites.target, label) } };
}

export async function runScenario(session: Session, declared: Scenario, expected: Expectation, options: RunOptions = {}): Promise<Cell> {
  const { servers } = session;
  const key = crypto.randomBytes(9).toString('base64url');
  const where = placement(declared, session.isolation);
  const scenario = placed(declared, where);
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
  try {
    return await onPageFor(session, where, scenario, key, async ({ page, goto }) => {
      const first = await runProbe(page, expression, probeSpec(scenario, url));
      const firstMessages = await messagesOf(page, key, first);
      const seenFirst = servers.registry.observed(key);
      if (!scenario.followUp) return verdict(first, seenFirst, firstMessages, expected, PROBE_TIMEOUT_MS);

      // The follow-up is the request under test; the first one only fills the caches.
      const f = scenario.followUp;
      if (f.fromSecondOrigin) await goto(servers.origin2.origin + PROBE_PATH);
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
    });
  } finally {
    servers.registry.forget(key);
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
