// The oracle beyond a single exchange: redirects, no-cors, the API's own checks, elements, and
// the follow-up request (preflight cache, HTTP cache).

import { test, expect } from '@playwright/test';
import { PreflightCache } from '../../harness/oracle/preflight-cache.ts';
import { createRequest, isApiError, type FetchRequest } from '../../harness/oracle/request.ts';
import { preflightRequestHeaders } from '../../harness/oracle/preflight.ts';
import { followRedirect } from '../../harness/oracle/redirects.ts';
import { answer, ctx, ok, preflightOk, run } from './oracle-helpers.ts';

const star = answer([['Access-Control-Allow-Origin', '*']]);
const hop = (to: 'same' | 'other', headers: Array<[string, string]> = [['Access-Control-Allow-Origin', '*']], status = 302) =>
  ({ status, headers, to });

// ---- Fetch §4.5 HTTP-redirect fetch and §4.4 step 4.4 ------------------------------------------

test('Fetch §4.4 HTTP fetch step 4.4: a same-origin redirect hop passes the CORS check and keeps the page Origin', () => {
  expect(run({ redirects: [hop('same', [['Access-Control-Allow-Origin', '$ORIGIN']])] })).toMatchObject({ outcome: 'allowed', preflight: false });
});

test('Fetch §4.4 HTTP fetch step 4.4: a redirect response without ACAO fails before it is followed', () => {
  const verdict = run({ redirects: [hop('same', [])] });
  expect(verdict).toMatchObject({ outcome: 'blocked', stage: 'actual', step: 'Fetch §4.10 CORS check, step 2' });
  expect(verdict.reason).toContain('302 redirect response has no Access-Control-Allow-Origin');
});

test('Fetch §2.2.5 redirect-taint: after a cross-origin redirect the Origin is null, so ACAO $ORIGIN fails', () => {
  const verdict = run({ redirects: [hop('other')], response: ok() });
  expect(verdict).toMatchObject({ outcome: 'blocked', stage: 'actual' });
  expect(verdict.reason).toContain('after a cross-origin redirect the request\'s Origin is null');
});

test('Fetch §2.2.5 redirect-taint: after a cross-origin redirect, ACAO null passes', () => {
  expect(run({ redirects: [hop('other')], response: answer([['Access-Control-Allow-Origin', 'null']]) }).outcome).toBe('allowed');
});

test('Fetch §2.2.5 redirect-taint: after a cross-origin redirect, ACAO * passes without credentials', () => {
  expect(run({ redirects: [hop('other')], response: star }).outcome).toBe('allowed');
});

test('Fetch §2.2.5 redirect-taint: going to the second target and back still taints the request', () => {
  expect(run({ redirects: [hop('other'), hop('other')], response: ok() }).outcome).toBe('blocked');
  expect(run({ redirects: [hop('other'), hop('other')], response: answer([['Access-Control-Allow-Origin', 'null']]) }).outcome).toBe('allowed');
});

test('Fetch §2.2.5 redirect-taint: same-origin hops on the target keep the page Origin', () => {
  expect(run({ redirects: [hop('same'), hop('same')], response: ok() }).outcome).toBe('allowed');
});

test('Fetch §4.5 HTTP-redirect fetch step 9: a redirect Location with userinfo is a network error', () => {
  const verdict = run({ redirects: [{ ...hop('same'), userinfo: true }], response: star });
  expect(verdict).toMatchObject({ outcome: 'blocked', stage: 'actual', step: 'Fetch §4.5 HTTP-redirect fetch, step 9' });
  expect(verdict.reason).toContain('user:pass@');
  expect(run({ redirects: [{ ...hop('other'), userinfo: true }], response: star }).outcome).toBe('blocked');
});

test('Fetch §4.5 HTTP-redirect fetch step 10: once CORS-tainted, userinfo is refused even toward the page\'s own origin', () => {
  const request = createRequest({ api: 'fetch', method: 'GET', headers: {}, credentials: 'omit', body: null }, ctx.pageOrigin, `${ctx.targetOrigin}/first`) as FetchRequest;
  request.responseTainting = 'cors';
  const result = followRedirect(request, 302, 'http://user:pass@127.0.0.1:4100/back');
  expect(result).toMatchObject({ ok: false, step: 'Fetch §4.5 HTTP-redirect fetch, step 10' });
});

test('Fetch §4.5 HTTP-redirect fetch step 7: more than 20 redirects is a network error', () => {
  const redirects = Array.from({ length: 21 }, () => hop('same'));
  expect(run({ redirects, response: star }).step).toBe('Fetch §4.5 HTTP-redirect fetch, step 7');
  expect(run({ redirects: redirects.slice(1), response: star }).outcome).toBe('allowed');
});

test('Fetch §4.1 main fetch: the URL after a redirect gets its own preflight, with the tainted null Origin', () => {
  const preflight = preflightOk([['Access-Control-Allow-Methods', 'PUT']]);
  expect(run({ request: { method: 'PUT' }, preflight, redirects: [hop('other', [['Access-Control-Allow-Origin', '$ORIGIN']], 307)], response: star }))
    .toMatchObject({ outcome: 'blocked', stage: 'preflight', preflight: true });
  const starPreflight = { status: 204, headers: [['Access-Control-Allow-Origin', '*'], ['Access-Control-Allow-Methods', 'PUT']] as Array<[string, string]> };
  expect(run({ request: { method: 'PUT' }, preflight: starPreflight, redirects: [hop('other', [['Access-Control-Allow-Origin', '*']], 307)], response: star }).outcome)
    .toBe('allowed');
});

test('Fetch §4.5 HTTP-redirect fetch step 12: a 303 turns PUT into GET, so the next URL needs no preflight', () => {
  const preflight = preflightOk([['Access-Control-Allow-Methods', 'PUT']]);
  expect(run({ request: { method: 'PUT', body: 'x' }, preflight, redirects: [hop('other', [['Access-Control-Allow-Origin', '$ORIGIN']], 303)], response: star }).outcome)
    .toBe('allowed');
});

test('Fetch §4.5 HTTP-redirect fetch step 12: a 302 turns POST into GET and drops Content-Type', () => {
  const request = { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } };
  const preflight = preflightOk([['Access-Control-Allow-Headers', 'content-type']]);
  // Would need a second preflight (answered by the same OPTIONS handler with the page origin) if the method stayed POST+JSON.
  expect(run({ request, preflight, redirects: [hop('other', [['Access-Control-Allow-Origin', '$ORIGIN']], 302)], response: star }).outcome).toBe('allowed');
  expect(run({ request, preflight, redirects: [hop('other', [['Access-Control-Allow-Origin', '$ORIGIN']], 307)], response: star }).outcome).toBe('blocked');
});

test('Fetch §4.5 HTTP-redirect fetch step 13: a cross-origin redirect drops Authorization, so the next URL needs no preflight', () => {
  // Had Authorization survived, the next URL's preflight would carry Origin: null and fail ACAO $ORIGIN.
  const credentials = ['Access-Control-Allow-Credentials', 'true'] as [string, string];
  const verdict = run({
    request: { headers: { Authorization: 'Bearer x' }, credentials: 'include' },
    preflight: preflightOk([['Access-Control-Allow-Headers', 'authorization'], credentials]),
    redirects: [hop('other', [['Access-Control-Allow-Origin', '$ORIGIN'], credentials], 307)],
    response: answer([['Access-Control-Allow-Origin', 'null'], credentials]),
  });
  expect(verdict).toMatchObject({ outcome: 'allowed', preflight: true });
});

// ---- no-cors and the APIs' own checks ---------------------------------------------------------

test('Fetch §4.1 main fetch step 12: mode no-cors gives an opaque response the page cannot read', () => {
  const verdict = run({ request: { mode: 'no-cors', method: 'POST', body: 'x', headers: { 'Content-Type': 'application/json' } }, response: star });
  expect(verdict).toMatchObject({ outcome: 'blocked', preflight: false, stage: 'actual', readableHeaders: [] });
  expect(verdict.reason).toContain('no-cors gives an opaque response');
});

test('Fetch §5.4 new Request(): no-cors with PUT throws a TypeError', () => {
  const verdict = run({ request: { mode: 'no-cors', method: 'PUT' } });
  expect(verdict).toMatchObject({ outcome: 'blocked', preflight: false, stage: 'actual' });
  expect(verdict.reason).toContain('TypeError');
});

test('Fetch §5.1 Headers append: the request-no-cors guard drops non-safelisted headers', () => {
  const request = createRequest({ api: 'fetch', method: 'POST', headers: { 'X-A': '1', Accept: 'text/plain', Range: 'bytes=0-1' }, credentials: 'omit', body: null, mode: 'no-cors' }, ctx.pageOrigin, `${ctx.targetOrigin}/x`);
  expect(isApiError(request) ? request.error : request.headerList).toEqual([['Accept', 'text/plain']]);
});

test('Fetch §5.4 new Request(): a body on GET throws a TypeError', () => {
  expect(run({ request: { method: 'GET', body: 'x' } }).reason).toContain('GET/HEAD method cannot have body');
});

test('Fetch §2.2.1 forbidden method: TRACE throws before anything is sent', () => {
  expect(run({ request: { method: 'trace' } })).toMatchObject({ outcome: 'blocked', preflight: false });
});

test('XHR §3.5.6 send(): GET drops the body, so no Content-Type and no preflight', () => {
  const request = createRequest({ api: 'xhr', method: 'get', headers: {}, credentials: 'omit', body: 'x' }, ctx.pageOrigin, `${ctx.targetOrigin}/x`) as FetchRequest;
  expect(request.headerList).toEqual([]);
  expect(request.body).toBeNull();
});

test('XHR §3.5.6 send(): withCredentials false is credentials mode same-origin, true is include', () => {
  const base = { api: 'xhr' as const, method: 'GET', headers: {}, body: null };
  expect((createRequest({ ...base, credentials: 'omit' }, ctx.pageOrigin, ctx.targetOrigin) as FetchRequest).credentialsMode).toBe('same-origin');
  expect((createRequest({ ...base, credentials: 'include' }, ctx.pageOrigin, ctx.targetOrigin) as FetchRequest).credentialsMode).toBe('include');
});

test('XHR §3.5.2 setRequestHeader(): a repeated name combines, and the combined value is what the safelist sees', () => {
  const request = createRequest({ api: 'xhr', method: 'GET', headers: { Accept: 'a'.repeat(64), accept: 'b'.repeat(64) }, credentials: 'omit', body: null }, ctx.pageOrigin, ctx.targetOrigin) as FetchRequest;
  expect(request.headerList).toEqual([['Accept', `${'a'.repeat(64)}, ${'b'.repeat(64)}`]]);
  expect(preflightRequestHeaders(request)).toEqual({ 'access-control-request-method': 'GET', 'access-control-request-headers': 'accept' });
});

test('Fetch §4.8 CORS-preflight fetch steps 3-5: Access-Control-Request-Headers is sorted, lowercase, comma-joined without spaces', () => {
  const request = createRequest({ api: 'fetch', method: 'patch', headers: { 'X-B': '1', 'Content-Type': 'application/json', 'X-A': '2' }, credentials: 'omit', body: null }, ctx.pageOrigin, ctx.targetOrigin) as FetchRequest;
  expect(preflightRequestHeaders(request)).toEqual({ 'access-control-request-method': 'patch', 'access-control-request-headers': 'content-type,x-a,x-b' });
});

// ---- elements ---------------------------------------------------------------------------------

const gif = (headers: Array<[string, string]>) => ({ status: 200, headers, body: '$GIF' });

test('HTML <img crossorigin>: never preflighted, CORS check on the response, nothing readable', () => {
  expect(run({ request: { api: 'img', headers: { 'X-A': '1' } }, response: gif([['Access-Control-Allow-Origin', '$ORIGIN']]) }))
    .toMatchObject({ outcome: 'allowed', preflight: false, readableHeaders: [] });
  expect(run({ request: { api: 'img' }, response: gif([]) }).outcome).toBe('blocked');
});

test('HTML <img crossorigin="use-credentials">: ACAO * fails, exact origin plus ACAC true passes', () => {
  expect(run({ request: { api: 'img', credentials: 'include' }, response: gif([['Access-Control-Allow-Origin', '*']]) }).outcome).toBe('blocked');
  const exact = gif([['Access-Control-Allow-Origin', '$ORIGIN'], ['Access-Control-Allow-Credentials', 'true']]);
  expect(run({ request: { api: 'img', credentials: 'include' }, response: exact }).outcome).toBe('allowed');
});

test('HTML update the image data: a CORS-passing response that is not an image fires error', () => {
  const verdict = run({ request: { api: 'img' }, response: ok() });
  expect(verdict).toMatchObject({ outcome: 'blocked', step: 'HTML update the image data' });
});

test('HTML fetch a single module script: $MODULE is served as text/javascript and loads', () => {
  expect(run({ request: { api: 'script' }, response: { status: 200, headers: [['Access-Control-Allow-Origin', '*']], body: '$MODULE' } }).outcome).toBe('allowed');
});

test('HTML fetch a single module script: a CORS-passing 404, a non-JavaScript type or no type still fails', () => {
  expect(run({ request: { api: 'script' }, response: { status: 404, headers: [['Access-Control-Allow-Origin', '*']], body: '$MODULE' } }).reason).toContain('ok status');
  expect(run({ request: { api: 'script' }, response: ok([['Content-Type', 'text/plain']]) }).reason).toContain('JavaScript MIME type');
  expect(run({ request: { api: 'script' }, response: ok() }).reason).toContain('without a Content-Type');
});

// ---- Fetch §4.9 CORS-preflight cache: the follow-up request ---------------------------------

const cached = (maxAge: string | null, followUp = {}) => run({
  request: { method: 'PUT' },
  preflight: preflightOk([['Access-Control-Allow-Methods', 'PUT'], ...(maxAge === null ? [] : [['Access-Control-Max-Age', maxAge] as [string, string]])]),
  followUp,
});

test('Fetch §4.9 CORS-preflight cache: a same-URL follow-up within max-age sends no preflight', () => {
  expect(cached('600').followUp).toEqual({ outcome: 'allowed', preflight: false });
});

test('Fetch §4.8 CORS-preflight fetch step 7.9: no Access-Control-Max-Age caches for the default 5 s', () => {
  expect(cached(null).followUp).toEqual({ outcome: 'allowed', preflight: false });
});

test('Fetch §4.8 CORS-preflight fetch step 7.9: an invalid Access-Control-Max-Age (-1) falls back to 5 s', () => {
  expect(cached('-1').followUp).toEqual({ outcome: 'allowed', preflight: false });
});

test('Fetch §4.9 CORS-preflight cache: max-age 0 expires at once, so the follow-up preflights again', () => {
  expect(cached('0').followUp).toEqual({ outcome: 'allowed', preflight: true });
});

test('Fetch §4.9 CORS-preflight cache: a fresh URL is a different cache key', () => {
  expect(cached('600', { url: 'fresh' }).followUp).toEqual({ outcome: 'allowed', preflight: true });
});

test('Fetch §4.9 CORS-preflight cache: a method the first preflight did not allow needs its own preflight', () => {
  expect(cached('600', { request: { method: 'DELETE' } }).followUp).toEqual({ outcome: 'blocked', preflight: true });
});

test('Fetch §4.9 CORS-preflight cache: an uncredentialed entry does not serve a credentialed follow-up', () => {
  const verdict = run({
    request: { method: 'PUT' },
    preflight: preflightOk([['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Allow-Credentials', 'true']]),
    response: ok([['Access-Control-Allow-Credentials', 'true']]),
    followUp: { request: { credentials: 'include' } },
  });
  expect(verdict.followUp).toEqual({ outcome: 'allowed', preflight: true });
});

test('Fetch §4.9 CORS-preflight cache: a credentialed entry serves an uncredentialed follow-up', () => {
  const verdict = run({
    request: { method: 'PUT', credentials: 'include' },
    preflight: preflightOk([['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Allow-Credentials', 'true']]),
    response: ok([['Access-Control-Allow-Credentials', 'true']]),
    followUp: { request: { credentials: 'omit' } },
  });
  expect(verdict.followUp).toEqual({ outcome: 'allowed', preflight: false });
});

test('Fetch §4.9 CORS-preflight cache: header-name entries are case-insensitive, and * never covers Authorization', () => {
  const cache = new PreflightCache();
  const request = { origin: ctx.pageOrigin, urlList: [`${ctx.targetOrigin}/first`], credentialsMode: 'omit' as const };
  cache.create(request, 60, null, '*');
  cache.create(request, 60, null, 'X-Token');
  expect(cache.headerNameMatch('x-token', request)).toBeDefined();
  expect(cache.headerNameMatch('x-other', request)?.headerName).toBe('*');
  expect(cache.headerNameMatch('authorization', request)).toBeUndefined();
});

test('Fetch §4.1 main fetch: a failed actual request clears the cache entries, so the follow-up preflights again', () => {
  const verdict = run({
    request: { method: 'PUT' },
    preflight: preflightOk([['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Max-Age', '600']]),
    response: answer([]),
    followUp: {},
  });
  expect(verdict).toMatchObject({ outcome: 'blocked', stage: 'actual', preflight: true });
  expect(verdict.followUp).toEqual({ outcome: 'blocked', preflight: true });
});

test('Fetch §4.9 CORS-preflight cache: a follow-up from a second origin does not hit the first origin\'s entries', () => {
  expect(cached('600', { fromSecondOrigin: true }).followUp).toMatchObject({ preflight: true });
});

// ---- RFC 9111: the HTTP cache between two page origins ------------------------------------
// The target reflects each request's Origin (`$REQUEST_ORIGIN`), as `cors({ origin: true })` does.
const reflect = (extra: Array<[string, string]> = []) => answer([['Access-Control-Allow-Origin', '$REQUEST_ORIGIN'], ...extra]);

test('a server configured for the first page origin ($ORIGIN) blocks the second origin', () => {
  expect(run({ response: ok(), followUp: { fromSecondOrigin: true } }).followUp?.outcome).toBe('blocked');
});

test('RFC 9111 §4.1: a cacheable response without Vary: Origin serves the first origin\'s ACAO to the second origin', () => {
  const verdict = run({ response: reflect([['Cache-Control', 'max-age=600']]), followUp: { fromSecondOrigin: true } });
  expect(verdict.outcome).toBe('allowed');
  expect(verdict.followUp).toEqual({ outcome: 'blocked', preflight: false });
});

test('RFC 9111 §4.1: Vary: Origin keeps the cached response from the second origin', () => {
  const verdict = run({ response: reflect([['Cache-Control', 'max-age=600'], ['Vary', 'Accept, Origin']]), followUp: { fromSecondOrigin: true } });
  expect(verdict.followUp).toEqual({ outcome: 'allowed', preflight: false });
});

test('RFC 9111 §4.2: an uncacheable response (no-store, or no lifetime) is fetched again for the second origin', () => {
  expect(run({ response: reflect([['Cache-Control', 'no-store']]), followUp: { fromSecondOrigin: true } }).followUp?.outcome).toBe('allowed');
  expect(run({ response: reflect(), followUp: { fromSecondOrigin: true } }).followUp?.outcome).toBe('allowed');
});

test('RFC 9111 §4.1: ACAO * cached for one origin is fine for another', () => {
  expect(run({ response: answer([['Access-Control-Allow-Origin', '*'], ['Cache-Control', 'max-age=600']]), followUp: { fromSecondOrigin: true } }).followUp?.outcome).toBe('allowed');
});
