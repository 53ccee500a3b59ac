// Page result + what the target saw -> the matrix cell. Pure: no I/O.
// A result is observed, never assumed: `allowed` needs the page to have read the response;
// `blocked` needs the target to have seen the request the engine then refused (or the engine's own
// CORS message when it refused before sending); everything else is `error` with its cause.
import type { Cell, CellExpectation, Outcome, PageResult, ReceivedRequest, RequestHeadersSeen, Stage, TargetObservation } from '../model/types.ts';
import { isCorsMessage, isMixedContentMessage, isNetworkFailureMessage } from '../engines/registry.ts';

/** What the cell is held to (harness/model/types.ts): a field left undefined is not checked. */
export type Expectation = CellExpectation;

interface Decision { outcome: Outcome; stage: Stage | null; cause?: string }

const STALLED = 'the engine stalled: the page heard nothing within';

/**
 * A probe that timed out after the target had answered: what the engine does with that answer was
 * not observed (a loaded machine slows the engine, not the target), so the cell is probed again on
 * a fresh URL rather than reported (harness/matrix/scenario-run.ts).
 */
/** How many times a check that stalled after the answer is probed again, in both modes. */
export const REPROBES = 2;

export function stalledAfterAnswer(cell: Pick<Cell, 'outcome' | 'cause'>): boolean {
  return cell.outcome === 'error' && !!cell.cause?.startsWith(STALLED);
}

function decide(page: PageResult, requests: ReceivedRequest[], message: string | null, timeoutMs: number, answeredBefore: boolean): Decision {
  const preflights = requests.filter((r) => r.isPreflight);
  const actuals = requests.filter((r) => !r.isPreflight);
  const unanswered = requests.find((r) => !r.answered);
  if (page.error?.name === 'HarnessError') return { outcome: 'error', stage: null, cause: `the harness could not run the probe: ${page.error.message}` };
  if (page.timedOut) {
    // An endless body is the one timeout the target caused on purpose: say which answer never ended.
    const endless = requests.find((r) => r.fault === 'endless-body');
    if (endless) return { outcome: 'error', stage: null, cause: `no answer within ${timeoutMs} ms: the target sent the headers of ${endless.method} ${endless.path} and a body that never ends (endless-body), and the engine waited for it` };
    // The target answered everything it was asked, without a fault of its own, and the page still
    // heard nothing: the engine (or the machine under it) stalled. Not the target's doing, so not yet a verdict (stalledAfterAnswer).
    // A slow body is a fault whose answer ends (1.5 s of pacing): once it has ended, the engine had it
    // all, as with any answer (a loaded run saw fault-slow-body time out so, once in 4113 cells).
    if (requests.length && requests.every((r) => r.answered && (!r.fault || r.fault === 'slow-body'))) {
      return { outcome: 'error', stage: null, cause: `${STALLED} ${timeoutMs} ms although the target had answered every request it received (${requests.map((r) => r.method).join(', ')})` };
    }
    return { outcome: 'error', stage: null, cause: `no answer within ${timeoutMs} ms (the target hung or the engine stalled)` };
  }
  if (unanswered) return { outcome: 'error', stage: null, cause: `the connection closed before the target finished answering ${unanswered.method} ${unanswered.path}` };
  if (page.readable) return { outcome: 'allowed', stage: null };
  const faulted = requests.find((r) => r.fault);
  if (faulted) return { outcome: 'error', stage: null, cause: `the target misbehaved below HTTP on purpose (${faulted.fault}) answering ${faulted.method} ${faulted.path}; the engine then failed the request (${page.error ? `${page.error.name}: ${page.error.message}` : 'no error text'})` };
  if (preflights.length === 0 && actuals.length === 0) {
    // The Fetch API refused the call itself (e.g. a no-cors PUT): observed in the page, nothing sent.
    if (page.rejectedBeforeSending) return { outcome: 'blocked', stage: 'actual' };
    // Mixed content is refused before CORS is consulted (Fetch "main fetch": should request be
    // blocked as mixed content): its own cause, never a CORS block.
    if (message && isMixedContentMessage(message)) return { outcome: 'error', stage: null, cause: `mixed content: the engine refused to send the request before CORS (its mixed-content check): ${message.split('\n')[0]}` };
    if (message && isNetworkFailureMessage(message)) return { outcome: 'error', stage: null, cause: `the target received no request and the engine reports a network failure: ${message.split('\n')[0]}` };
    // The target answered this very URL moments ago and is up: the engine reused its cached
    // response (HTTP cache) and refused it for this page.
    if (answeredBefore) return { outcome: 'blocked', stage: 'actual' };
    // Refused before anything was sent (Local Network Access), in the engine's own CORS words.
    if (message && isCorsMessage(message)) return { outcome: 'blocked', stage: 'preflight' };
    const why = page.error ? `${page.error.name}: ${page.error.message}` : 'no error';
    return { outcome: 'error', stage: null, cause: `the target received no request (${why}); target down, refused, or blocked before sending without a CORS message` };
  }
  // The engine sent a preflight and never the actual request: refused at the preflight.
  if (actuals.length === 0) return { outcome: 'blocked', stage: 'preflight' };
  return { outcome: 'blocked', stage: 'actual' };
}

function cookiesMatch(received: string[], expected: string[] | undefined): boolean {
  if (!expected) return true;
  return [...received].sort().join('\n') === [...expected].sort().join('\n');
}

function refererOf(requests: ReceivedRequest[]): { preflight: string | null; actual: string | null } {
  return { preflight: requests.find((r) => r.isPreflight)?.referer ?? null, actual: requests.find((r) => !r.isPreflight)?.referer ?? null };
}

function exposureMatches(page: PageResult, exposed: string[] | undefined): boolean {
  if (!exposed || !page.readable || !page.headers) return true;
  return Object.entries(page.headers).every(([name, value]) => (value !== null) === exposed.includes(name.toLowerCase()));
}

function headersSeen(requests: ReceivedRequest[]): RequestHeadersSeen {
  const preflight = requests.find((r) => r.isPreflight);
  const actual = requests.find((r) => !r.isPreflight);
  const first = actual ?? preflight;
  const seen: RequestHeadersSeen = {};
  if (first) seen.origin = first.origin;
  if (preflight) {
    seen['access-control-request-method'] = preflight.accessControlRequestMethod;
    seen['access-control-request-headers'] = preflight.accessControlRequestHeaders;
  }
  if (actual) seen.cookie = actual.cookie;
  return seen;
}

/**
 * `answeredBefore`: the target already answered the same URL in this page (a follow-up request),
 * so a request that never reached it came from the engine's HTTP cache.
 */
export function verdict(page: PageResult, observation: TargetObservation, messages: string[], expected: Expectation, timeoutMs: number, answeredBefore = false): Cell {
  const requests = observation.requests;
  const texts = page.rejectedBeforeSending && page.error ? [...messages, `${page.error.name}: ${page.error.message}`] : messages;
  const message = texts.length ? texts.join('\n') : null;
  const d = decide(page, requests, message, timeoutMs, answeredBefore);
  const preflightCount = requests.filter((r) => r.isPreflight).length;
  const actualCount = requests.length - preflightCount;
  const preflightSent = preflightCount > 0;
  const cookiesReceived = requests.find((r) => !r.isPreflight)?.cookies ?? [];
  const matchesExpected = d.outcome === expected.outcome
    && (expected.preflight === undefined || expected.preflight === preflightSent)
    && exposureMatches(page, expected.exposed)
    // Cookies are compared on the actual request only: a request never sent carried none.
    && (actualCount === 0 || cookiesMatch(cookiesReceived, expected.cookiesReceived))
    // Each request the engine sent carries the Referer it should; one never sent carried none.
    && (expected.referer === undefined || requests.every((r) => r.referer === expected.referer));
  const cell: Cell = {
    outcome: d.outcome,
    stage: d.stage,
    preflightSent,
    actualSent: actualCount > 0,
    status: page.readable ? page.status : null,
    exposedHeaders: page.readable ? page.headers : null,
    message,
    requestHeaders: headersSeen(requests),
    cookiesReceived,
    ...(expected.referer === undefined ? {} : { referer: refererOf(requests) }),
    matchesExpected,
    durationMs: page.durationMs,
    preflightCount,
    actualCount,
    expectedBy: expected.expectedBy,
    received: requests,
  };
  if (d.cause) cell.cause = d.cause;
  return cell;
}
