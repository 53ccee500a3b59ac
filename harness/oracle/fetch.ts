// Fetch §4.1 main fetch and §4.4 HTTP fetch for a CORS-mode request, against the answers a
// scenario scripts for the target: an optional preflight answer, redirect hops, a final response.
// https://fetch.spec.whatwg.org/#concept-main-fetch

import { corsCheck } from './cors-check.ts';
import type { Failure, Problem } from './failures.ts';
import type { HeaderList } from './headers.ts';
import { serializeRequestOrigin } from './origin.ts';
import { corsPreflightFetch, isRedirectStatus, preflightNeeded, type PreflightAnswer } from './preflight.ts';
import type { PreflightCache } from './preflight-cache.ts';
import { followRedirect } from './redirects.ts';
import type { FetchRequest } from './request.ts';
import { corsUnsafeRequestHeaderNames, isCorsSafelistedMethod } from './safelist.ts';
import { REF, cite } from './spec-refs.ts';

/** One answer from a server, already substituted; `location` is set for a redirect hop. */
export interface NetworkResponse {
  readonly status: number;
  readonly headers: HeaderList;
  readonly location: string | null;
  /** The scenario's body text (`$GIF` and `$MODULE` stand for an image and a module script). */
  readonly body?: string;
}

/** What the target answers, in order. */
export interface Exchange {
  readonly preflight: PreflightAnswer;
  /** The answers to the actual requests: redirect hops first, the final response last. */
  readonly answers: readonly NetworkResponse[];
}

export interface FetchParams {
  readonly request: FetchRequest;
  readonly exchange: Exchange;
  readonly cache: PreflightCache;
  /** Hop numbers (0: the first URL) at which a preflight was sent. */
  readonly preflightsAt: number[];
  /** How many actual requests the target has answered. */
  answered: number;
}

export type FetchResult =
  | { readonly type: 'response'; readonly response: NetworkResponse; readonly via: 'wildcard' | 'origin' | 'credentials'; readonly step: string }
  | { readonly type: 'network-error'; readonly failure: Failure };

export function mainFetch(params: FetchParams): FetchResult {
  const { request } = params;
  // Step 12, the CORS-mode branches (same-origin, data: and no-cors requests never get here).
  // Either way response tainting becomes "cors".
  request.responseTainting = 'cors';
  // "use-CORS-preflight flag is set, or unsafe-request flag is set and either the method is not
  // CORS-safelisted or CORS-unsafe request-header names is not empty": HTTP fetch may preflight.
  const mayPreflight = request.useCorsPreflight ||
    (request.unsafeRequest && (!isCorsSafelistedMethod(request.method) || corsUnsafeRequestHeaderNames(request.headerList).length > 0));
  if (!mayPreflight) return httpFetch(params, false);
  const response = httpFetch(params, true);
  // A failed fetch that could have preflighted clears the cache entries for its URL and origin.
  if (response.type === 'network-error') params.cache.clear(request);
  return response;
}

// Fetch §4.4 HTTP fetch. https://fetch.spec.whatwg.org/#concept-http-fetch
function httpFetch(params: FetchParams, makeCorsPreflight: boolean): FetchResult {
  const { request } = params;
  const hop = request.urlList.length - 1;
  // 4.1 Preflight unless the CORS-preflight cache already covers this request.
  if (makeCorsPreflight && preflightNeeded(request, params.cache)) {
    params.preflightsAt.push(hop);
    const nul = nulField(params.exchange.preflight.headers);
    if (nul !== null) return networkError(params, { kind: 'nul-in-field', name: nul }, cite(REF.fieldValues), 'preflight', params.exchange.preflight.status, false);
    const preflight = corsPreflightFetch(request, params.exchange.preflight, params.cache);
    if (!preflight.ok) return networkError(params, preflight.problem, preflight.step, 'preflight', params.exchange.preflight.status, false);
  }
  // 4.3 HTTP-network-or-cache fetch: the target's next answer.
  const response = nextAnswer(params);
  const nul = nulField(response.headers);
  if (nul !== null) return networkError(params, { kind: 'nul-in-field', name: nul }, cite(REF.fieldValues), 'actual', response.status, false);
  // 4.4 Every response of a CORS request, redirects included, must pass the CORS check.
  const isRedirect = response.location !== null && isRedirectStatus(response.status);
  const check = corsCheck(request, response.headers);
  if (!check.ok) return networkError(params, check.problem, cite(REF.corsCheck, check.step), 'actual', response.status, isRedirect);
  // 6. A redirect status with a Location goes to HTTP-redirect fetch, then main fetch again.
  if (isRedirect) return httpRedirectFetch(params, response);
  return { type: 'response', response, via: check.via, step: cite(REF.corsCheck, check.step) };
}

// Fetch §4.5 HTTP-redirect fetch: follow, then run main fetch for the new URL (recursive).
function httpRedirectFetch(params: FetchParams, response: NetworkResponse): FetchResult {
  const redirect = followRedirect(params.request, response.status, response.location!);
  if (!redirect.ok) return networkError(params, redirect.problem, redirect.step, 'actual', response.status, true);
  return mainFetch(params);
}

/**
 * The first header whose value holds a NUL byte, or null. RFC 9110 lets a recipient reject the
 * message or replace the NUL with SP; the oracle rejects, as Chromium 156, Firefox ESR 153 and
 * WebKitGTK 2.50 all do (each fails the request; WebKitGTK: "Could not parse HTTP response").
 */
function nulField(headers: HeaderList): string | null {
  return headers.find(([, v]) => v.includes('\u0000'))?.[0] ?? null;
}

/** The target's answers in order: redirect hops, then the final response. */
function nextAnswer(params: FetchParams): NetworkResponse {
  const { answers } = params.exchange;
  const answer = answers[Math.min(params.answered, answers.length - 1)];
  params.answered++;
  return answer;
}

function networkError(
  params: FetchParams, problem: Problem, step: string, stage: 'preflight' | 'actual', status: number | null, isRedirect: boolean,
): FetchResult {
  const { request } = params;
  return {
    type: 'network-error',
    failure: {
      problem,
      step,
      where: {
        stage,
        hop: request.urlList.length - 1,
        status,
        isRedirect,
        requestOrigin: serializeRequestOrigin(request),
        credentials: request.credentialsMode === 'include',
      },
    },
  };
}
