// What makes a request need a preflight (Fetch §4.4 HTTP fetch, step 4.1): a method that is not
// CORS-safelisted, or a header that is not a CORS-safelisted request-header (Fetch §2.2.2: name,
// value bytes and a 128-byte value limit). The preflight allows everything, so only whether one
// was sent varies; the first four rows carry hand-written expectations.
import type { Scenario, ScenarioRequest } from '../model/types.ts';
import { ACAH, ACAM, ACAO, category, exact, ok, pre, req } from './build.ts';

const allowPut = pre([[ACAO, '$ORIGIN'], [ACAM, 'PUT']]);
const allowAll = pre([[ACAO, '$ORIGIN'], [ACAM, 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, patch, CHICKEN'], [ACAH, 'X-Custom, Content-Type, Accept, Accept-Language, Content-Language, Range, Authorization']]);

/** A request that triggers (or not) a preflight; the preflight allows everything, so only `preflight` varies. */
function trigger(id: string, title: string, request: Partial<ScenarioRequest>): Omit<Scenario, 'category' | 'source'> {
  return { id, title, request: req(request), preflight: allowAll, response: exact };
}

const long = (n: number) => 'a'.repeat(n);

export const preflightTrigger: Scenario[] = category('preflight-trigger', [
  // text/plain is one of the three safelisted Content-Type essences, so a POST with it is a "simple" request.
  { id: 'simple-post-text', title: 'POST text/plain is simple: no preflight', request: req({ method: 'POST', body: 'hello', headers: { 'Content-Type': 'text/plain' } }), response: ok([[ACAO, '*']]), expect: { outcome: 'allowed', preflight: false } },
  { id: 'preflight-put', title: 'PUT is preflighted; preflight allows it', request: req({ method: 'PUT', body: 'x' }), preflight: allowPut, response: ok([[ACAO, '$ORIGIN']]), expect: { outcome: 'allowed', preflight: true } },
  { id: 'preflight-custom-header', title: 'A custom request header is preflighted', request: req({ headers: { 'X-Requested-With': 'cors-matrix' } }), preflight: pre([[ACAO, '$ORIGIN'], [ACAH, 'X-Requested-With']]), response: ok([[ACAO, '$ORIGIN']]), expect: { outcome: 'allowed', preflight: true } },
  { id: 'preflight-json', title: 'Content-Type application/json is preflighted', request: req({ method: 'POST', body: '{"a":1}', headers: { 'Content-Type': 'application/json' } }), preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'POST'], [ACAH, 'Content-Type']]), response: ok([[ACAO, '$ORIGIN']]), expect: { outcome: 'allowed', preflight: true } },
  trigger('method-get', 'GET is safelisted: no preflight', { method: 'GET' }),
  trigger('method-head', 'HEAD is safelisted: no preflight', { method: 'HEAD' }),
  trigger('method-post-form', 'POST with a form body: no preflight', { method: 'POST', body: 'a=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }),
  trigger('method-delete', 'DELETE is preflighted', { method: 'DELETE' }),
  trigger('method-patch', 'PATCH is preflighted', { method: 'PATCH', body: 'x' }),
  // "Normalize a method" (Fetch §2.2.1) upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT.
  trigger('method-lowercase-put', 'put (lower case) is normalised to PUT', { method: 'put', body: 'x' }),
  trigger('method-lowercase-get', 'get (lower case) is normalised to GET: no preflight', { method: 'get' }),
  // OPTIONS is not a CORS-safelisted method, so it gets a preflight of its own.
  trigger('method-options', 'OPTIONS as the actual method is preflighted', { method: 'OPTIONS' }),
  trigger('method-custom', 'A custom method (CHICKEN) is preflighted', { method: 'CHICKEN' }),
  // A safelisted name with a CORS-unsafe request-header byte (Fetch §2.2.2) is no longer safelisted.
  trigger('header-accept-unsafe-byte', 'Accept with a " (unsafe byte) is preflighted', { headers: { Accept: 'text/"x"' } }),
  // The 128-byte value limit is inclusive: this row and the next sit either side of it.
  trigger('header-accept-128', 'Accept of exactly 128 bytes: no preflight', { headers: { Accept: long(128) } }),
  trigger('header-accept-129', 'Accept of 129 bytes is preflighted', { headers: { Accept: long(129) } }),
  // Accept-Language and Content-Language allow only 0-9 A-Z a-z space * , - . ; = in their values.
  trigger('header-accept-language-unsafe', 'Accept-Language with ( is preflighted', { headers: { 'Accept-Language': 'en(gb)' } }),
  trigger('header-accept-language-safe', 'Accept-Language en-GB;q=0.9: no preflight', { headers: { 'Accept-Language': 'en-GB;q=0.9' } }),
  trigger('header-content-language-unsafe', 'Content-Language with @ is preflighted', { headers: { 'Content-Language': 'en@x' } }),
  // Content-Type is judged by its parsed essence, so parameters do not matter.
  trigger('content-type-text-plain-charset', 'Content-Type text/plain;charset=utf-8: no preflight', { method: 'POST', body: 'x', headers: { 'Content-Type': 'text/plain;charset=utf-8' } }),
  trigger('content-type-multipart', 'Content-Type multipart/form-data: no preflight', { method: 'POST', body: 'x', headers: { 'Content-Type': 'multipart/form-data; boundary=x' } }),
  trigger('content-type-text-html', 'Content-Type text/html is preflighted', { method: 'POST', body: 'x', headers: { 'Content-Type': 'text/html' } }),
  // The unsafe-byte rule applies to the raw value before parsing, so a { in a parameter still counts.
  trigger('content-type-unsafe-byte', 'Content-Type text/plain with a { in a parameter is preflighted', { method: 'POST', body: 'x', headers: { 'Content-Type': 'text/plain; x={' } }),
  // Range is safelisted only as one "bytes=N-" or "bytes=N-M" range.
  trigger('header-range-simple', 'Range bytes=0- (simple range)', { headers: { Range: 'bytes=0-' } }),
  trigger('header-range-multi', 'Range with two ranges is preflighted', { headers: { Range: 'bytes=0-1,3-4' } }),
  trigger('header-authorization', 'Authorization is preflighted', { headers: { Authorization: 'Bearer token' } }),
]);
