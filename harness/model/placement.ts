// Where a scenario runs, so that no scenario sees another's state. Isolation is by construction:
// every check has a URL of its own (the preflight cache and the HTTP cache are keyed by URL), and
// a scenario on named sites gets a target host of its own (a cookie jar holds cookies per host), so
// most scenarios share the worker's one probe page. A context is opened only where page-level state
// truly differs (a proxy, a permission), once per worker, and reused: a lane. A lane's page moves
// between origins (a sign-in visit, a second page origin), so a lane runs one scenario at a time.
//
// CORS_ISOLATION=contexts brings back one fresh context per scenario that needs one (the layout
// before lanes), to measure the difference and to prove the cells are the same.
import type { PageSpec, Scenario } from './types.ts';

export type OwnContext = 'public-origin' | 'fresh-caches' | 'named-sites';

export type Isolation = 'lanes' | 'contexts';

export const ISOLATIONS: readonly Isolation[] = ['lanes', 'contexts'];

/** `CORS_ISOLATION`: unset or `lanes` (the default), or `contexts`. Throws on anything else. */
export function parseIsolation(value: string | undefined): Isolation {
  if (value === undefined || value === '') return 'lanes';
  if ((ISOLATIONS as readonly string[]).includes(value)) return value as Isolation;
  throw new Error(`${JSON.stringify(value)} is not understood; use ${ISOLATIONS.join(' or ')}`);
}

/** Why a scenario cannot share the probe page with others when each gets a fresh context, or null. */
export function ownContext(scenario: Scenario): OwnContext | null {
  // Local Network Access: a page on a public address, with the permission granted or not.
  if (scenario.page?.origin === 'public') return 'public-origin';
  // Named sites load their page through the harness's proxy, and cookies need a jar of their own
  // (set in a first-party visit, which navigates the page). Checked before follow-ups: a context of
  // its own has fresh caches too.
  if (scenario.sites || scenario.cookies?.length) return 'named-sites';
  // Preflight-cache and HTTP-cache checks need caches nobody else has touched.
  if (scenario.followUp) return 'fresh-caches';
  return null;
}

/** A worker-wide context: what it is opened with, and which page origin it starts on. */
export type Lane = 'sites' | 'public-granted' | 'public-denied' | 'public-site-granted' | 'public-site-denied';

/** Where a scenario runs: the shared probe page, a lane, or a context of its own (entered as the lane it would share, if any). */
export type Where =
  | { kind: 'shared' }
  | { kind: 'lane'; lane: Lane }
  | { kind: 'own'; why: OwnContext; lane: Lane | null };

/** Where a scenario runs, and the scenario as it runs there: everything a run needs to know about its place. */
export type Placement = Where & {
  /** On named sites in a lane, the target has a host of its own (`ownHostLabel`); otherwise the declared scenario. */
  scenario: Scenario;
};

/** The lane of a public page: with the permission or without, on the public origin or a named site. */
export function publicLane(page: PageSpec): Lane {
  const permission = page.localNetworkAccess === 'grant' ? 'granted' : 'denied';
  return page.site ? `public-site-${permission}` : `public-${permission}`;
}

/**
 * Where `declared` runs under `isolation`. `ownHostLabel` (one per run: a scenario run twice gets
 * two jars) names the target's own host when the scenario shares the sites lane.
 */
export function placement(declared: Scenario, isolation: Isolation, ownHostLabel?: string): Placement {
  const where = whereTo(declared, isolation);
  if (where.kind !== 'lane' || where.lane !== 'sites' || !declared.sites || ownHostLabel === undefined) return { ...where, scenario: declared };
  return { ...where, scenario: { ...declared, sites: { ...declared.sites, target: ownHost(declared.sites.target, ownHostLabel) } } };
}

function whereTo(scenario: Scenario, isolation: Isolation): Where {
  if (isolation === 'contexts') {
    const why = ownContext(scenario);
    return why ? own(why, scenario) : { kind: 'shared' };
  }
  if (scenario.page?.origin === 'public') return { kind: 'lane', lane: publicLane(scenario.page) };
  // Named sites: the run gives the target a host of its own, so its cookies are its own.
  if (scenario.sites && new URL(scenario.sites.page).hostname !== new URL(scenario.sites.target).hostname) return { kind: 'lane', lane: 'sites' };
  // A page and target on one host (other scheme or port) would no longer be one host once renamed.
  if (scenario.sites) return own('named-sites', scenario);
  // Cookies on the loopback pair would share 127.0.0.1's jar (cookies ignore the port): a context of their own.
  if (scenario.cookies?.length) return own('named-sites', scenario);
  // Cache checks on the loopback pair keep a fresh context: Firefox ESR 153's reuse of a preflight
  // for an IP-literal target depends on what the context did before (a PUT with a header that a
  // fresh context preflights twice is served from the cache in a context that made earlier
  // preflights), and a fresh context is what plain Firefox with a new profile shows.
  if (scenario.followUp) return own('fresh-caches', scenario);
  return { kind: 'shared' };
}

/** A context of its own, opened and entered as the lane it would share; none for cache checks (the plain loopback page). */
function own(why: OwnContext, scenario: Scenario): Where {
  return { kind: 'own', why, lane: why === 'named-sites' ? 'sites' : why === 'public-origin' ? publicLane(scenario.page!) : null };
}

/** A label that makes a named target host the scenario's own, keeping its site relation and scheme. */
export function ownHost(origin: string, label: string): string {
  const url = new URL(origin);
  url.hostname = `${label}.${url.hostname}`;
  return url.origin;
}
