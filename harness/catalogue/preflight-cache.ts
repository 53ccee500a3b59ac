// The CORS-preflight cache (Fetch §4.9): every row sends the request twice, and the target counts
// whether the follow-up needed a second OPTIONS. Access-Control-Max-Age sets the entry's lifetime
// (an absent or unparsable value falls back to 5 s, Fetch §4.8 CORS-preflight fetch); the entry is
// keyed by origin, URL and credentials, one per allowed method and header (WPT
// fetch/api/cors/cors-preflight-cache.any.js).
import type { Scenario } from '../model/types.ts';
import { ACAC, ACAH, ACAM, ACAO, MAX_AGE, category, exact, ok, pre, req } from './build.ts';

const cached = (maxAge: string | null) => pre([[ACAO, '$ORIGIN'], [ACAM, 'PUT'], [ACAH, 'X-Custom, X-Other'], ...(maxAge === null ? [] : [[MAX_AGE, maxAge] as [string, string]])]);
const putCustom = req({ method: 'PUT', body: 'x', headers: { 'X-Custom': '1' } });

export const preflightCache: Scenario[] = category('preflight-cache', [
  { id: 'cache-max-age-600', title: 'Max-Age 600: the second identical request sends no preflight', request: putCustom, preflight: cached('600'), response: exact, followUp: {} },
  { id: 'cache-max-age-absent', title: 'No Max-Age: cached for the default 5 s, an immediate repeat sends none', request: putCustom, preflight: cached(null), response: exact, followUp: {} },
  { id: 'cache-max-age-0', title: 'Max-Age 0: every request is preflighted', request: putCustom, preflight: cached('0'), response: exact, followUp: {} },
  // Not a delta-seconds value, so Fetch falls back to 5 s; engines differ (deviations.ts).
  { id: 'cache-max-age-negative', title: 'Max-Age -1 (invalid)', request: putCustom, preflight: cached('-1'), response: exact, followUp: {} },
  { id: 'cache-max-age-text', title: 'Max-Age "ten" (invalid)', request: putCustom, preflight: cached('ten'), response: exact, followUp: {} },
  // The cache holds one entry per header name the preflight allowed, not the first request's exact set.
  { id: 'cache-listed-header', title: 'Max-Age 600, the follow-up adds a header the first preflight already allowed', request: putCustom, preflight: cached('600'), response: exact, followUp: { request: { headers: { 'X-Custom': '1', 'X-Other': '2' } } } },
  // A cache miss sends a fresh preflight; this one repeats the first answer, which lacks X-Other, so the follow-up fails.
  { id: 'cache-new-header', title: 'Max-Age 600, the follow-up adds a header not cached: preflighted again', request: putCustom, preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'PUT'], [ACAH, 'X-Custom'], [MAX_AGE, '600']]), response: exact, followUp: { request: { headers: { 'X-Custom': '1', 'X-Other': '2' } } } },
  // Credentials are part of the cache key, so an uncredentialed entry does not serve a credentialed request.
  { id: 'cache-credentials-differ', title: 'Max-Age 600, the follow-up adds credentials (another cache key)', request: putCustom, preflight: pre([[ACAO, '$ORIGIN'], [ACAC, 'true'], [ACAM, 'PUT'], [ACAH, 'X-Custom'], [MAX_AGE, '600']]), response: ok([[ACAO, '$ORIGIN'], [ACAC, 'true']]), followUp: { request: { credentials: 'include' } } },
  // The first preflight's ACAM already listed DELETE, and the cache keeps an entry per allowed
  // method, so the oracle expects the follow-up to hit the cache despite the title's "not cached".
  { id: 'cache-new-method', title: 'Max-Age 600, the follow-up uses DELETE (not cached)', request: putCustom, preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'PUT, DELETE'], [ACAH, 'X-Custom'], [MAX_AGE, '600']]), response: exact, followUp: { request: { method: 'DELETE', body: null } } },
  { id: 'cache-other-url', title: 'Max-Age 600 is per URL: another URL preflights again', request: putCustom, preflight: cached('600'), response: exact, followUp: { url: 'fresh' } },
]);
