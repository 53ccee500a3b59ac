// Runs one scenario in one engine: place it, register its plan on the target, run the probe on the
// page the session gives it, collect what the target saw and what the engine said, and turn it
// into a cell held to its expectation.
import crypto from 'node:crypto';
import { columnInfo, type Cell, type CellRecord, type ColumnId, type PageResult, type Scenario } from '../model/types.ts';
import type { EnginePage } from '../engines/engine.ts';
import type { Servers } from '../../servers/worker-servers.ts';
import { expressCanSend } from '../../servers/target.ts';
import { PROBE_PATH } from '../../servers/origin.ts';
import { REPROBES, stalledAfterAnswer, verdict, type Expectation } from '../probe/verdict.ts';
import { matrixScenario, resolveExpectation, type Resolved } from './expectation.ts';
import { messagesFor, runProbe } from '../probe/evaluate.ts';
import { placement, type Isolation, type Placement } from '../model/placement.ts';
import type { OracleContext } from '../oracle/predict.ts';
import { onPageFor, type Session } from './sessions.ts';
import { PROBE_TIMEOUT_MS } from '../settings.ts';
import { timed } from '../model/timings.ts';
import { slowByDesign } from './batch.ts';

export { PROBE_TIMEOUT_MS };

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

/** Every origin a run involves, the follow-up's second page origin included. */
type Origins = Required<OracleContext>;

/** The origins a scenario runs between: what its placeholders stand for, in the oracle and the servers alike. */
export function originsFor(scenario: Scenario, servers: Servers): Origins {
  const page = scenario.page?.origin ?? 'default';
  const loopbackPage = page === 'sandboxed' ? 'null' : page === 'public' ? scenario.page?.site ?? servers.publicOrigin.origin : servers.origin.origin;
  return {
    pageOrigin: scenario.sites?.page ?? loopbackPage,
    targetOrigin: scenario.sites?.target ?? upstreamFor(scenario, servers),
    otherOrigin: servers.other.origin,
    secondOrigin: servers.origin2.origin,
  };
}

/** The origins as the placed scenario runs: the declared ones, with the target on the host the placement gave it. */
function placedOrigins(declared: Origins, placed: Placement): Origins {
  return placed.scenario.sites ? { ...declared, targetOrigin: placed.scenario.sites.target } : declared;
}

/** Where a scenario runs, with one run's own host label (each run gets a cookie jar of its own). */
function placeRun(declared: Scenario, isolation: Isolation): Placement {
  return placement(declared, isolation, `s${crypto.randomBytes(5).toString('hex')}`);
}

/** Runs a placed scenario between `origins` on the page it belongs on, and holds the cell to `expected`. */
export async function runScenario(session: Session, placed: Placement, origins: Origins, expected: Expectation): Promise<Cell> {
  const { servers } = session;
  const { scenario } = placed;
  const key = crypto.randomBytes(9).toString('base64url');
  const upstream = upstreamFor(scenario, servers);
  servers.registry.register(key, {
    preflight: scenario.preflight,
    response: scenario.response,
    redirects: scenario.redirects,
    origins,
    upstream,
    cookies: scenario.cookies,
  });
  const url = `${origins.targetOrigin}/c/${key}/0`;
  const expression = scenario.page?.origin === 'sandboxed' ? 'window.__corsProbeSandboxed(arg)' : 'window.__corsProbe(arg)';
  // A target that hangs or trickles on purpose makes its probe a wait by design.
  const probeKind = slowByDesign(scenario) ? 'wait' : 'probe';
  try {
    return await onPageFor(session, placed, { key, upstream }, async ({ page, goto }) => {
      const first = await timed(probeKind, () => runProbe(page, expression, probeSpec(scenario, url)));
      const firstMessages = await messagesOf(page, key, first);
      const seenFirst = servers.registry.observed(key);
      if (!scenario.followUp) return verdict(first, seenFirst, firstMessages, expected, PROBE_TIMEOUT_MS);

      // The follow-up is the request under test; the first one only fills the caches.
      const f = scenario.followUp;
      if (f.fromSecondOrigin) await goto(servers.origin2.origin + PROBE_PATH);
      const second: Scenario = { ...scenario, request: { ...scenario.request, ...f.request } };
      const secondResult = await timed(probeKind, () => runProbe(page, expression, probeSpec(second, f.url === 'fresh' ? `${url}?fresh` : url)));
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
export async function runCatalogueScenario(session: Session, scenario: Scenario, column: ColumnId): Promise<ScenarioCell> {
  const placed = placeRun(scenario, session.isolation);
  // Held to what the declared scenario predicts, as the matrix shows it: a target host of its own
  // keeps the site relation and the scheme, so the run is held to the same.
  const declared = originsFor(scenario, session.servers);
  const resolved = resolveExpectation(scenario, column, declared);
  let cell = await runScenario(session, placed, placedOrigins(declared, placed), resolved.forEngine);
  // The engine stalled after the target answered: not a verdict yet. Probed again on a fresh URL
  // (a new host label and check key, so no cache or connection of the first attempt is reused);
  // the cell says it was, with each earlier attempt's cause.
  for (let i = 0; i < REPROBES && stalledAfterAnswer(cell); i++) {
    const again = placeRun(scenario, session.isolation);
    const next = await runScenario(session, again, placedOrigins(declared, again), resolved.forEngine);
    next.reprobed = [...(cell.reprobed ?? []), cell.cause!];
    cell = next;
  }
  return { record: { scenario: matrixScenario(scenario, resolved), engine: columnInfo(session.engine.info), cell }, resolved };
}
