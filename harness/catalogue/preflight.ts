// Preflights: what triggers one (methods, safelisted headers and their value limits), what status
// passes, the Allow-Methods / Allow-Headers forms, ACAO on the preflight, and the preflight cache.
import type { HeaderList, Scenario, ScenarioRequest } from '../types.ts';
import { ACAC, ACAH, ACAM, ACAO, MAX_AGE, category, ok, pre, req } from './build.ts';

const allowAll = (extra: HeaderList = []) => pre([[ACAO, '$ORIGIN'], [ACAM, 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, patch, CHICKEN'], [ACAH, 'X-Custom, Content-Type, Accept, Accept-Language, Content-Language, Range, Authorization'], ...extra]);
const exact = ok([[ACAO, '$ORIGIN']]);

/** A request that triggers (or not) a preflight; the preflight allows everything, so only `preflight` varies. */
function trigger(id: string, title: string, request: Partial<ScenarioRequest>): Omit<Scenario, 'category' | 'source'> {
  return { id, title, request: req(request), preflight: allowAll(), response: exact };
}

const long = (n: number) => 'a'.repeat(n);

export const preflightTrigger: Scenario[] = category('preflight-trigger', [
  trigger('method-get', 'GET is safelisted: no preflight', { method: 'GET' }),
  trigger('method-head', 'HEAD is safelisted: no preflight', { method: 'HEAD' }),
  trigger('method-post-form', 'POST with a form body: no preflight', { method: 'POST', body: 'a=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }),
  trigger('method-delete', 'DELETE is preflighted', { method: 'DELETE' }),
  trigger('method-patch', 'PATCH is preflighted', { method: 'PATCH', body: 'x' }),
  trigger('method-lowercase-put', 'put (lower case) is normalised to PUT', { method: 'put', body: 'x' }),
  trigger('method-lowercase-get', 'get (lower case) is normalised to GET: no preflight', { method: 'get' }),
  trigger('method-options', 'OPTIONS as the actual method is preflighted', { method: 'OPTIONS' }),
  trigger('method-custom', 'A custom method (CHICKEN) is preflighted', { method: 'CHICKEN' }),
  trigger('header-accept-unsafe-byte', 'Accept with a " (unsafe byte) is preflighted', { headers: { Accept: 'text/"x"' } }),
  trigger('header-accept-128', 'Accept of exactly 128 bytes: no preflight', { headers: { Accept: long(128) } }),
  trigger('header-accept-129', 'Accept of 129 bytes is preflighted', { headers: { Accept: long(129) } }),
  trigger('header-accept-language-unsafe', 'Accept-Language with ( is preflighted', { headers: { 'Accept-Language': 'en(gb)' } }),
  trigger('header-accept-language-safe', 'Accept-Language en-GB;q=0.9: no preflight', { headers: { 'Accept-Language': 'en-GB;q=0.9' } }),
  trigger('header-content-language-unsafe', 'Content-Language with @ is preflighted', { headers: { 'Content-Language': 'en@x' } }),
  trigger('content-type-text-plain-charset', 'Content-Type text/plain;charset=utf-8: no preflight', { method: 'POST', body: 'x', headers: { 'Content-Type': 'text/plain;charset=utf-8' } }),
  trigger('content-type-multipart', 'Content-Type multipart/form-data: no preflight', { method: 'POST', body: 'x', headers: { 'Content-Type': 'multipart/form-data; boundary=x' } }),
  trigger('content-type-text-html', 'Content-Type text/html is preflighted', { method: 'POST', body: 'x', headers: { 'Content-Type': 'text/html' } }),
  trigger('content-type-unsafe-byte', 'Content-Type text/plain with a { in a parameter is preflighted', { method: 'POST', body: 'x', headers: { 'Content-Type': 'text/plain; x={' } }),
  trigger('header-range-simple', 'Range bytes=0- (simple range)', { headers: { Range: 'bytes=0-' } }),
  trigger('header-range-multi', 'Range with two ranges is preflighted', { headers: { Range: 'bytes=0-1,3-4' } }),
  trigger('header-authorization', 'Authorization is preflighted', { headers: { Authorization: 'Bearer token' } }),
]);

const PREFLIGHT_STATUSES = [200, 201, 206, 299, 300, 301, 302, 303, 307, 308, 400, 401, 403, 405, 500, 501, 503];

export const preflightStatus: Scenario[] = category('preflight-status', PREFLIGHT_STATUSES.map((code) => ({
  id: `preflight-status-${code}`,
  title: `Preflight answered ${code} with every CORS header`,
  request: req({ method: 'PUT', body: 'x' }),
  preflight: { status: code, headers: [[ACAO, '$ORIGIN'], [ACAM, 'PUT'], ...(code >= 300 && code < 400 ? [['Location', '$TARGET/elsewhere'] as [string, string]] : [])], body: '' },
  response: exact,
})));

const put = req({ method: 'PUT', body: 'x' });
const custom = req({ headers: { 'X-Custom': '1' } });

export const preflightMethods: Scenario[] = category('preflight-methods', [
  { id: 'acam-list-spaces', title: 'ACAM "GET,  PUT ,DELETE" (spaces around tokens)', request: put, preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'GET,  PUT ,DELETE']]), response: exact },
  { id: 'acam-lowercase-for-put', title: 'ACAM put (lower case) for PUT', request: put, preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'put']]), response: exact },
  { id: 'acam-uppercase-for-patch', title: 'ACAM PATCH for fetch(method: "patch") (not normalised)', request: req({ method: 'patch', body: 'x' }), preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'PATCH']]), response: exact },
  { id: 'acam-lowercase-patch', title: 'ACAM patch for fetch(method: "patch")', request: req({ method: 'patch', body: 'x' }), preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'patch']]), response: exact },
  { id: 'acam-star', title: 'ACAM * without credentials', request: put, preflight: pre([[ACAO, '$ORIGIN'], [ACAM, '*']]), response: exact },
  { id: 'acam-star-credentials', title: 'ACAM * with credentials (literal * only)', request: req({ method: 'PUT', body: 'x', credentials: 'include' }), preflight: pre([[ACAO, '$ORIGIN'], [ACAC, 'true'], [ACAM, '*']]), response: ok([[ACAO, '$ORIGIN'], [ACAC, 'true']]) },
  { id: 'acam-invalid-token', title: 'ACAM "PUT;" (not a token)', request: put, preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'PUT;']]), response: exact },
  { id: 'acam-two-lines', title: 'ACAM on two lines (GET / PUT) are merged', request: put, preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'GET'], [ACAM, 'PUT']]), response: exact },
  { id: 'acam-not-needed-for-post', title: 'POST with a custom header: ACAM may omit POST', request: req({ method: 'POST', body: 'x', headers: { 'X-Custom': '1' } }), preflight: pre([[ACAO, '$ORIGIN'], [ACAH, 'X-Custom']]), response: exact },
  { id: 'acam-custom-method', title: 'ACAM CHICKEN for a custom method', request: req({ method: 'CHICKEN' }), preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'CHICKEN']]), response: exact },
  { id: 'acam-custom-method-missing', title: 'Custom method not listed in ACAM', request: req({ method: 'CHICKEN' }), preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'GET, PUT']]), response: exact },
]);

export const preflightHeaders: Scenario[] = category('preflight-headers', [
  { id: 'acah-case-insensitive', title: 'ACAH x-custom matches X-Custom', request: custom, preflight: pre([[ACAO, '$ORIGIN'], [ACAH, 'x-CUSTOM']]), response: exact },
  { id: 'acah-star', title: 'ACAH * without credentials', request: custom, preflight: pre([[ACAO, '$ORIGIN'], [ACAH, '*']]), response: exact },
  { id: 'acah-star-credentials', title: 'ACAH * with credentials (literal * only)', request: req({ headers: { 'X-Custom': '1' }, credentials: 'include' }), preflight: pre([[ACAO, '$ORIGIN'], [ACAC, 'true'], [ACAH, '*']]), response: ok([[ACAO, '$ORIGIN'], [ACAC, 'true']]) },
  {
    id: 'acah-star-authorization', title: 'ACAH * does not cover Authorization (Fetch); engines still allow it',
    request: req({ headers: { Authorization: 'Bearer t' } }), preflight: pre([[ACAO, '$ORIGIN'], [ACAH, '*']]), response: exact,
  },
  { id: 'acah-authorization-listed', title: 'ACAH lists Authorization explicitly', request: req({ headers: { Authorization: 'Bearer t' } }), preflight: pre([[ACAO, '$ORIGIN'], [ACAH, 'Authorization']]), response: exact },
  { id: 'acah-star-and-authorization', title: 'ACAH "*, Authorization"', request: req({ headers: { Authorization: 'Bearer t', 'X-Custom': '1' } }), preflight: pre([[ACAO, '$ORIGIN'], [ACAH, '*, Authorization']]), response: exact },
  { id: 'acah-one-of-two', title: 'Two custom headers, ACAH lists one', request: req({ headers: { 'X-Custom': '1', 'X-Other': '2' } }), preflight: pre([[ACAO, '$ORIGIN'], [ACAH, 'X-Custom']]), response: exact },
  { id: 'acah-invalid-token', title: 'ACAH "X-Custom, (bad)"', request: custom, preflight: pre([[ACAO, '$ORIGIN'], [ACAH, 'X-Custom, (bad)']]), response: exact },
  { id: 'acah-two-lines', title: 'ACAH on two lines are merged', request: req({ headers: { 'X-Custom': '1', 'X-Other': '2' } }), preflight: pre([[ACAO, '$ORIGIN'], [ACAH, 'X-Custom'], [ACAH, 'X-Other']]), response: exact },
  { id: 'acah-content-type-json', title: 'JSON POST: ACAH lacks Content-Type', request: req({ method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } }), preflight: pre([[ACAO, '$ORIGIN'], [ACAH, 'X-Custom']]), response: exact },
]);

export const preflightResponse: Scenario[] = category('preflight-response', [
  { id: 'preflight-no-acao', title: 'Preflight 204 without ACAO', request: put, preflight: pre([[ACAM, 'PUT']]), response: exact },
  { id: 'preflight-acao-star', title: 'Preflight ACAO * (no credentials)', request: put, preflight: pre([[ACAO, '*'], [ACAM, 'PUT']]), response: ok([[ACAO, '*']]) },
  { id: 'preflight-acao-mismatch', title: 'Preflight ACAO names another origin', request: put, preflight: pre([[ACAO, 'https://frontend.example'], [ACAM, 'PUT']]), response: exact },
  { id: 'preflight-ok-actual-missing-acao', title: 'Preflight passes, the actual response lacks ACAO', request: put, preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'PUT']]), response: ok() },
  { id: 'preflight-200-with-body', title: 'Preflight 200 with a body', request: put, preflight: { status: 200, headers: [[ACAO, '$ORIGIN'], [ACAM, 'PUT'], ['Content-Type', 'text/plain']], body: 'preflight ok' }, response: exact },
]);

const cached = (maxAge: string | null) => pre([[ACAO, '$ORIGIN'], [ACAM, 'PUT'], [ACAH, 'X-Custom, X-Other'], ...(maxAge === null ? [] : [[MAX_AGE, maxAge] as [string, string]])]);
const putCustom = req({ method: 'PUT', body: 'x', headers: { 'X-Custom': '1' } });

export const preflightCache: Scenario[] = category('preflight-cache', [
  { id: 'cache-max-age-600', title: 'Max-Age 600: the second identical request sends no preflight', request: putCustom, preflight: cached('600'), response: exact, followUp: {} },
  { id: 'cache-max-age-absent', title: 'No Max-Age: cached for the default 5 s, an immediate repeat sends none', request: putCustom, preflight: cached(null), response: exact, followUp: {} },
  { id: 'cache-max-age-0', title: 'Max-Age 0: every request is preflighted', request: putCustom, preflight: cached('0'), response: exact, followUp: {} },
  { id: 'cache-max-age-negative', title: 'Max-Age -1 (invalid)', request: putCustom, preflight: cached('-1'), response: exact, followUp: {} },
  { id: 'cache-max-age-text', title: 'Max-Age "ten" (invalid)', request: putCustom, preflight: cached('ten'), response: exact, followUp: {} },
  { id: 'cache-listed-header', title: 'Max-Age 600, the follow-up adds a header the first preflight already allowed', request: putCustom, preflight: cached('600'), response: exact, followUp: { request: { headers: { 'X-Custom': '1', 'X-Other': '2' } } } },
  { id: 'cache-new-header', title: 'Max-Age 600, the follow-up adds a header not cached: preflighted again', request: putCustom, preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'PUT'], [ACAH, 'X-Custom'], [MAX_AGE, '600']]), response: exact, followUp: { request: { headers: { 'X-Custom': '1', 'X-Other': '2' } } } },
  { id: 'cache-credentials-differ', title: 'Max-Age 600, the follow-up adds credentials (another cache key)', request: putCustom, preflight: pre([[ACAO, '$ORIGIN'], [ACAC, 'true'], [ACAM, 'PUT'], [ACAH, 'X-Custom'], [MAX_AGE, '600']]), response: ok([[ACAO, '$ORIGIN'], [ACAC, 'true']]), followUp: { request: { credentials: 'include' } } },
  { id: 'cache-new-method', title: 'Max-Age 600, the follow-up uses DELETE (not cached)', request: putCustom, preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'PUT, DELETE'], [ACAH, 'X-Custom'], [MAX_AGE, '600']]), response: exact, followUp: { request: { method: 'DELETE', body: null } } },
  { id: 'cache-other-url', title: 'Max-Age 600 is per URL: another URL preflights again', request: putCustom, preflight: cached('600'), response: exact, followUp: { url: 'fresh' } },
]);
