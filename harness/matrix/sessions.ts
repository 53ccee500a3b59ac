// A worker's pages: the one shared probe page, the lanes (contexts opened once per worker as
// scenarios ask for them, closed when idle), and contexts of a scenario's own. Given a placement
// (harness/model/placement.ts), it hands a run the page it belongs on, entered where it starts.
import type { ContextOptions, Engine, EnginePage } from '../engines/engine.ts';
import type { Servers } from '../../servers/worker-servers.ts';
import { PROBE_PATH } from '../../servers/origin.ts';
import { type Isolation, type Lane, type Placement } from '../model/placement.ts';
import { appliesLocalNetworkAccess } from '../engines/registry.ts';
import { readSettings } from '../settings.ts';
import { timed } from '../model/timings.ts';

/**
 * A worker's long-lived state: one engine, its servers, one page reused with unique URLs, and the
 * lanes as scenarios ask for them.
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

export async function openSession(engine: Engine, servers: Servers, isolation: Isolation = readSettings().isolation): Promise<Session> {
  const page = await timed('context', () => engine.newPage());
  await timed('pageLoad', () => page.goto(servers.origin.origin + PROBE_PATH));
  return { engine, servers, page, isolation, lanes: new Map() };
}

/** Close the session's page and every lane it opened. */
export async function closeSession(session: Session): Promise<void> {
  const lanes = [...session.lanes.values()];
  session.lanes.clear();
  for (const l of lanes) clearTimeout(l.idle);
  await timed('context', () => Promise.allSettled([session.page.close(), ...lanes.map(async (l) => (await l.page).close())]));
}

/** A page a scenario runs on, and how it navigates (a lane keeps track of where its page is). */
export interface OnPage {
  page: EnginePage;
  goto(url: string): Promise<void>;
}

/** What entering a lane needs besides the placement: the check's key, and the loopback server behind its target. */
export interface Entry {
  key: string;
  upstream: string;
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
    const opening = timed('context', () => session.engine.newPage(options));
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
      await timed('pageLoad', () => page.goto(url));
      lanePage.at = url;
    };
    return await use({ page, goto });
  } finally {
    done();
    if (--lanePage.users === 0) {
      lanePage.idle = setTimeout(() => {
        if (lanePage.users > 0 || session.lanes.get(id) !== lanePage) return;
        session.lanes.delete(id);
        lanePage.page.then((p) => timed('context', () => p.close()), () => {});
      }, LANE_IDLE_MS);
      lanePage.idle.unref();
    }
  }
}

/** Where a lane scenario's page starts (and the sign-in visit first, for cookies). */
async function enterLane(session: Session, lane: Lane, placed: Placement, entry: Entry, on: OnPage): Promise<void> {
  const { servers } = session;
  const { scenario } = placed;
  switch (lane) {
    case 'sites': {
      // Cookies on the loopback pair (a fresh context only) go through the proxy too.
      const sites = scenario.sites ?? { page: servers.origin.origin, target: entry.upstream };
      servers.serveSites(sites);
      // The login: a top-level visit to the target's own site, which sets the cookies first-party.
      if (scenario.cookies?.length) await on.goto(`${sites.target}/set-cookies/${entry.key}`);
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
async function ownPage(session: Session, lane: Lane | null, placed: Placement, entry: Entry): Promise<EnginePage> {
  const page = await timed('context', () => session.engine.newPage(lane ? laneOptions(lane, session) : {}));
  const goto = (url: string) => timed('pageLoad', () => page.goto(url));
  try {
    if (lane) await enterLane(session, lane, placed, entry, { page, goto });
    else await goto(session.servers.origin.origin + PROBE_PATH);
  } catch (e) {
    await timed('context', () => page.close());
    throw e;
  }
  return page;
}

/** Run `use` on the page a placed scenario belongs on: the shared page, its lane's, or a context of its own. */
export async function onPageFor<T>(session: Session, placed: Placement, entry: Entry, use: (on: OnPage) => Promise<T>): Promise<T> {
  switch (placed.kind) {
    case 'shared':
      return use({ page: session.page, goto: () => Promise.reject(new Error('the shared probe page never navigates')) });
    case 'lane':
      return inLane(session, placed.lane, async (on) => {
        await enterLane(session, placed.lane, placed, entry, on);
        return use(on);
      });
    case 'own': {
      const page = await ownPage(session, placed.lane, placed, entry);
      try { return await use({ page, goto: (url) => timed('pageLoad', () => page.goto(url)) }); } finally { await timed('context', () => page.close()); }
    }
  }
}
