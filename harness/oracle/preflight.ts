// Fetch §4.8 CORS-preflight fetch (https://fetch.spec.whatwg.org/#cors-preflight-fetch-0) and the
// HTTP fetch step that decides whether one is needed.

import { corsCheck } from './cors-check.ts';
import type { CorsCheckProblem, PreflightProblem } from './failures.ts';
import { DELTA_SECONDS, TOKEN_LIST, extractHeaderListValues, isFailure, type HeaderList } from './headers.ts';
import type { PreflightCache } from './preflight-cache.ts';
import type { FetchRequest } from './request.ts';
import { corsUnsafeRequestHeaderNames, isCorsNonWildcardRequestHeaderName, isCorsSafelistedMethod } from './safelist.ts';
import { REF, cite } from './spec-refs.ts';

/** How the target answers OPTIONS. */
export interface PreflightAnswer {
  readonly status: number;
  readonly headers: HeaderList;
}

/** A scenario without a `preflight` answer: OPTIONS gets 404 and no CORS headers. */
export const NO_OPTIONS_ROUTE: PreflightAnswer = { status: 404, headers: [] };

/** Access-Control-Max-Age when absent or invalid (Fetch §4.8 step 7.9). */
export const DEFAULT_MAX_AGE = 5;

export type PreflightResult =
  | { ok: true; maxAge: number }
  | { ok: false; problem: PreflightProblem | CorsCheckProblem; step: string };

// Fetch §2.2.3 ok status: 200 to 299. https://fetch.spec.whatwg.org/#ok-status
export function isOkStatus(status: number): boolean {
  return status >= 200 && status <= 299;
}

// Fetch §2.2.3 redirect status. https://fetch.spec.whatwg.org/#redirect-status
export function isRedirectStatus(status: number): boolean {
  return [301, 302, 303, 307, 308].includes(status);
}

// Fetch §4.4 HTTP fetch, step 4.1: a preflight is made unless the cache covers the method (when
// it needs covering) and every CORS-unsafe request-header name.
// https://fetch.spec.whatwg.org/#concept-http-fetch
export function preflightNeeded(request: FetchRequest, cache: PreflightCache): boolean {
  const methodUncovered = cache.methodMatch(request.method, request) === undefined &&
    (!isCorsSafelistedMethod(request.method) || request.useCorsPreflight);
  const headerUncovered = corsUnsafeRequestHeaderNames(request.headerList)
    .some((name) => cache.headerNameMatch(name, request) === undefined);
  return methodUncovered || headerUncovered;
}

/** The headers the preflight carries (steps 3-5), for evidence panels and tests. */
export function preflightRequestHeaders(request: FetchRequest): Record<string, string> {
  // 3. `Access-Control-Request-Method` is the request's method.
  const headers: Record<string, string> = { 'access-control-request-method': request.method };
  // 4-5. `Access-Control-Request-Headers` lists the CORS-unsafe names joined by "," (no space).
  const unsafe = corsUnsafeRequestHeaderNames(request.headerList);
  if (unsafe.length > 0) headers['access-control-request-headers'] = unsafe.join(',');
  return headers;
}

export function corsPreflightFetch(request: FetchRequest, response: PreflightAnswer, cache: PreflightCache): PreflightResult {
  // 1-6. The preflight is an OPTIONS to the same URL (never redirected: HTTP-network-or-cache
  // fetch does not follow redirects), answered by `response`.
  // 7-8. The CORS check runs on the request (so its credentials mode counts) and the status must be ok.
  const check = corsCheck(request, response.headers);
  if (!isOkStatus(response.status)) return notOk(response.status, check.ok ? null : check.problem);
  if (!check.ok) return { ok: false, problem: check.problem, step: cite(REF.corsCheck, check.step) };
  const allowed = allowedMethodsAndHeaders(request, response.headers);
  if (!allowed.ok) return allowed;
  // 7.8-7.9 max-age: failure or null means 5. (7.10, the engine's cap, is per engine.)
  const maxAge = extractMaxAge(response.headers);
  // 7.12-7.15 Store one cache entry per allowed method and per allowed header name.
  for (const method of allowed.methods) storeMethod(cache, request, method, maxAge);
  for (const name of allowed.headerNames) storeHeaderName(cache, request, name, maxAge);
  // 7.16 Return response.
  return { ok: true, maxAge };
}

function notOk(status: number, cors: CorsCheckProblem | null): PreflightResult {
  const step = cite(REF.preflightFetch, '7 (ok status)');
  if (isRedirectStatus(status)) return { ok: false, problem: { kind: 'preflight-redirect', status }, step };
  return { ok: false, problem: { kind: 'preflight-status', status, cors }, step };
}

type Allowed = { ok: true; methods: string[]; headerNames: string[] } | { ok: false; problem: PreflightProblem; step: string };

// Fetch §4.8 steps 7.1-7.7: the methods and header names the preflight response allows.
function allowedMethodsAndHeaders(request: FetchRequest, headers: HeaderList): Allowed {
  const include = request.credentialsMode === 'include';
  // 7.1-7.2 Extract both lists.
  const methods = extractHeaderListValues('Access-Control-Allow-Methods', headers, TOKEN_LIST);
  const headerNames = extractHeaderListValues('Access-Control-Allow-Headers', headers, TOKEN_LIST);
  // 7.3 If either is failure, return a network error.
  if (isFailure(methods)) return { ok: false, problem: { kind: 'acam-invalid', token: methods.invalid }, step: cite(REF.preflightFetch, '7.3') };
  if (isFailure(headerNames)) return { ok: false, problem: { kind: 'acah-invalid', token: headerNames.invalid }, step: cite(REF.preflightFetch, '7.3') };
  // 7.4 A preflight forced by the use-CORS-preflight flag allows its own method when ACAM is absent.
  const methodList = methods ?? (request.useCorsPreflight ? [request.method] : []);
  const nameList = headerNames ?? [];
  // 7.5 The method must be listed (case-sensitively), be safelisted, or be covered by `*` without credentials.
  if (!methodList.includes(request.method) && !isCorsSafelistedMethod(request.method) && (include || !methodList.includes('*'))) {
    return { ok: false, problem: { kind: 'method-not-allowed', method: request.method, allowed: methodList }, step: cite(REF.preflightFetch, '7.5') };
  }
  // 7.6 `Authorization` must be listed by name: `*` never covers it.
  const listed = (name: string) => nameList.some((item) => item.toLowerCase() === name.toLowerCase());
  if (request.headerList.some(([name]) => isCorsNonWildcardRequestHeaderName(name) && !listed(name))) {
    return { ok: false, problem: { kind: 'authorization-not-allowed', wildcard: nameList.includes('*') }, step: cite(REF.preflightFetch, '7.6') };
  }
  // 7.7 Every CORS-unsafe name must be listed, or covered by `*` without credentials.
  const unlisted = corsUnsafeRequestHeaderNames(request.headerList).find((name) => !listed(name) && (include || !nameList.includes('*')));
  if (unlisted !== undefined) {
    return { ok: false, problem: { kind: 'header-not-allowed', name: unlisted, allowed: nameList }, step: cite(REF.preflightFetch, '7.7') };
  }
  return { ok: true, methods: methodList, headerNames: nameList };
}

// Fetch §4.8 steps 7.8-7.9. https://fetch.spec.whatwg.org/#http-access-control-max-age
export function extractMaxAge(headers: HeaderList): number {
  const maxAge = extractHeaderListValues('Access-Control-Max-Age', headers, DELTA_SECONDS);
  if (maxAge === null || isFailure(maxAge)) return DEFAULT_MAX_AGE;
  return Number(maxAge[0]);
}

// Fetch §4.8 steps 7.12-7.13: refresh a matching method entry's max-age, or create one.
function storeMethod(cache: PreflightCache, request: FetchRequest, method: string, maxAge: number): void {
  const entry = cache.methodMatch(method, request);
  if (entry) entry.maxAge = maxAge;
  else cache.create(request, maxAge, method, null);
}

// Fetch §4.8 steps 7.14-7.15: the same for header names.
function storeHeaderName(cache: PreflightCache, request: FetchRequest, name: string, maxAge: number): void {
  const entry = cache.headerNameMatch(name, request);
  if (entry) entry.maxAge = maxAge;
  else cache.create(request, maxAge, null, name);
}
