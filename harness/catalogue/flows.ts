// Exposed headers, redirects, the null origin, the HTTP cache across two page origins, XHR,
// other request kinds, and Chromium's Local Network Access.
import type { Fault, Scenario } from '../types.ts';
import { ACAC, ACAH, ACAM, ACAO, ACEH, category, ok, pre, req, status } from './build.ts';

const exact = ok([[ACAO, '$ORIGIN']]);

export const exposedHeaders: Scenario[] = category('exposed-headers', [
  { id: 'expose-safelisted', title: 'Safelisted response headers are readable without ACEH', request: req({ readHeaders: ['content-type', 'content-language', 'cache-control', 'expires', 'last-modified', 'pragma'] }), response: ok([[ACAO, '$ORIGIN'], ['Content-Language', 'en'], ['Cache-Control', 'no-cache'], ['Expires', '0'], ['Last-Modified', 'Tue, 01 Jan 2030 00:00:00 GMT'], ['Pragma', 'no-cache']]) },
  { id: 'expose-star', title: 'ACEH * exposes every header without credentials', request: req({ readHeaders: ['x-request-id', 'x-total-count'] }), response: ok([[ACAO, '$ORIGIN'], ['X-Request-Id', 'r1'], ['X-Total-Count', '7'], [ACEH, '*']]) },
  { id: 'expose-star-credentials', title: 'ACEH * with credentials exposes nothing extra', request: req({ credentials: 'include', readHeaders: ['x-request-id'] }), response: ok([[ACAO, '$ORIGIN'], [ACAC, 'true'], ['X-Request-Id', 'r1'], [ACEH, '*']]) },
  { id: 'expose-case-insensitive', title: 'ACEH x-REQUEST-id exposes X-Request-Id', request: req({ readHeaders: ['x-request-id'] }), response: ok([[ACAO, '$ORIGIN'], ['X-Request-Id', 'r1'], [ACEH, 'x-REQUEST-id']]) },
  { id: 'expose-list', title: 'ACEH lists two of three headers', request: req({ readHeaders: ['x-a', 'x-b', 'x-c'] }), response: ok([[ACAO, '$ORIGIN'], ['X-A', '1'], ['X-B', '2'], ['X-C', '3'], [ACEH, 'X-A, X-B']]) },
  { id: 'expose-set-cookie', title: 'Set-Cookie is never readable, even when listed', request: req({ readHeaders: ['set-cookie'] }), response: ok([[ACAO, '$ORIGIN'], ['Set-Cookie', 'a=1'], [ACEH, 'Set-Cookie']]) },
  { id: 'expose-content-disposition', title: 'Content-Disposition needs ACEH (download file names)', request: req({ readHeaders: ['content-disposition'] }), response: ok([[ACAO, '$ORIGIN'], ['Content-Disposition', 'attachment; filename="a.txt"']]) },
  { id: 'expose-xhr-listed', title: 'XHR getResponseHeader for an exposed header', request: req({ api: 'xhr', readHeaders: ['x-request-id'] }), response: ok([[ACAO, '$ORIGIN'], ['X-Request-Id', 'r1'], [ACEH, 'X-Request-Id']]) },
]);

export const redirects: Scenario[] = category('redirects', [
  { id: 'redirect-same-origin', title: '302 to the same target; both hops carry ACAO', request: req(), redirects: [{ status: 302, headers: [[ACAO, '$ORIGIN']], to: 'same' }], response: exact },
  { id: 'redirect-hop-without-acao', title: '302 without ACAO on the redirect itself', request: req(), redirects: [{ status: 302, headers: [], to: 'same' }], response: exact },
  { id: 'redirect-cross-origin-star', title: '302 to another origin; the final ACAO * (Origin becomes null)', request: req(), redirects: [{ status: 302, headers: [[ACAO, '*']], to: 'other' }], response: ok([[ACAO, '*']]) },
  { id: 'redirect-cross-origin-exact', title: '302 to another origin; the final ACAO is the page origin (but Origin is null now)', request: req(), redirects: [{ status: 302, headers: [[ACAO, '$ORIGIN']], to: 'other' }], response: exact },
  { id: 'redirect-cross-origin-null', title: '302 to another origin; the final ACAO null', request: req(), redirects: [{ status: 302, headers: [[ACAO, '$ORIGIN']], to: 'other' }], response: ok([[ACAO, 'null']]) },
  { id: 'redirect-cross-origin-reflect', title: '302 to another origin; the final hop reflects Origin', request: req(), redirects: [{ status: 302, headers: [[ACAO, '$ORIGIN']], to: 'other' }], response: ok([[ACAO, '$REQUEST_ORIGIN']]) },
  { id: 'redirect-userinfo', title: '302 to a URL with user:pass@', request: req(), redirects: [{ status: 302, headers: [[ACAO, '$ORIGIN']], to: 'same', userinfo: true }], response: exact },
  { id: 'redirect-307-put', title: '307 of a preflighted PUT to the same target', request: req({ method: 'PUT', body: 'x' }), preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'PUT']]), redirects: [{ status: 307, headers: [[ACAO, '$ORIGIN']], to: 'same' }], response: exact },
  { id: 'redirect-301-post-becomes-get', title: '301 of a POST: the next hop is a GET', request: req({ method: 'POST', body: 'a=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), redirects: [{ status: 301, headers: [[ACAO, '$ORIGIN']], to: 'same' }], response: exact },
  { id: 'redirect-two-hops', title: 'Two same-origin hops (301, 308)', request: req(), redirects: [{ status: 301, headers: [[ACAO, '$ORIGIN']], to: 'same' }, { status: 308, headers: [[ACAO, '$ORIGIN']], to: 'same' }], response: exact },
]);

const sandboxed = { origin: 'sandboxed' as const };

export const nullOrigin: Scenario[] = category('null-origin', [
  { id: 'null-origin-acao-null', title: 'Sandboxed iframe (Origin: null), ACAO null', request: req(), page: sandboxed, response: ok([[ACAO, 'null']]) },
  { id: 'null-origin-acao-star', title: 'Sandboxed iframe, ACAO *', request: req(), page: sandboxed, response: ok([[ACAO, '*']]) },
  { id: 'null-origin-acao-parent', title: "Sandboxed iframe, ACAO names the parent's origin", request: req(), page: sandboxed, response: ok([[ACAO, 'http://$ORIGIN_HOST:$ORIGIN_PORT']]) },
  { id: 'null-origin-reflected', title: 'Sandboxed iframe, the server reflects Origin (trusts null)', request: req(), page: sandboxed, response: ok([[ACAO, '$REQUEST_ORIGIN']]) },
  { id: 'null-origin-preflight', title: 'Sandboxed iframe, preflighted PUT, ACAO null on both', request: req({ method: 'PUT', body: 'x' }), page: sandboxed, preflight: pre([[ACAO, 'null'], [ACAM, 'PUT']]), response: ok([[ACAO, 'null']]) },
]);

const second = { fromSecondOrigin: true };

export const httpCache: Scenario[] = category('http-cache', [
  { id: 'cache-reflect-no-vary', title: 'Reflected ACAO, cacheable, no Vary: Origin; a second page origin gets the first one\'s ACAO', request: req(), response: ok([[ACAO, '$REQUEST_ORIGIN'], ['Cache-Control', 'max-age=600']]), followUp: second },
  { id: 'cache-reflect-vary-origin', title: 'Reflected ACAO, cacheable, Vary: Origin', request: req(), response: ok([[ACAO, '$REQUEST_ORIGIN'], ['Cache-Control', 'max-age=600'], ['Vary', 'Origin']]), followUp: second },
  { id: 'cache-star', title: 'ACAO *, cacheable, no Vary: fine for any origin', request: req(), response: ok([[ACAO, '*'], ['Cache-Control', 'max-age=600']]), followUp: second },
  { id: 'cache-reflect-no-store', title: 'Reflected ACAO, no-store', request: req(), response: ok([[ACAO, '$REQUEST_ORIGIN'], ['Cache-Control', 'no-store']]), followUp: second },
  { id: 'cache-fixed-origin', title: 'ACAO fixed to the first page origin, a second origin calls', request: req(), response: ok([[ACAO, '$ORIGIN'], ['Cache-Control', 'no-store']]), followUp: second },
]);

export const xhr: Scenario[] = category('xhr', [
  { id: 'xhr-simple', title: 'XHR GET, ACAO *', request: req({ api: 'xhr' }), response: ok([[ACAO, '*']]) },
  { id: 'xhr-with-credentials-star', title: 'XHR withCredentials, ACAO *', request: req({ api: 'xhr', credentials: 'include' }), response: ok([[ACAO, '*'], [ACAC, 'true']]) },
  { id: 'xhr-with-credentials-exact', title: 'XHR withCredentials, exact origin and ACAC true', request: req({ api: 'xhr', credentials: 'include' }), response: ok([[ACAO, '$ORIGIN'], [ACAC, 'true']]) },
  { id: 'xhr-upload-listener', title: 'XHR POST text/plain with an upload listener is preflighted', request: req({ api: 'xhr', method: 'POST', body: 'x', headers: { 'Content-Type': 'text/plain' }, uploadListener: true }), preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'POST']]), response: exact },
  { id: 'xhr-upload-listener-no-preflight-route', title: 'XHR upload listener, the server has no OPTIONS route', request: req({ api: 'xhr', method: 'POST', body: 'x', headers: { 'Content-Type': 'text/plain' }, uploadListener: true }), response: exact },
  { id: 'xhr-custom-header', title: 'XHR with a custom header, ACAH lists it', request: req({ api: 'xhr', headers: { 'X-Custom': '1' } }), preflight: pre([[ACAO, '$ORIGIN'], [ACAH, 'X-Custom']]), response: exact },
  { id: 'xhr-error-status-with-acao', title: 'XHR reads a 500 that carries ACAO', request: req({ api: 'xhr' }), response: status(500, [[ACAO, '$ORIGIN']], 'boom') },
]);

const gif = (headers: Array<[string, string]>) => ({ status: 200, headers, body: '$GIF' });
const module = (headers: Array<[string, string]>) => ({ status: 200, headers, body: '$MODULE' });

export const requestKinds: Scenario[] = category('request-kinds', [
  { id: 'img-anonymous-star', title: '<img crossorigin=anonymous>, ACAO *', request: req({ api: 'img' }), response: gif([[ACAO, '*']]) },
  { id: 'img-anonymous-missing', title: '<img crossorigin=anonymous>, no ACAO', request: req({ api: 'img' }), response: gif([]) },
  { id: 'img-credentials-star', title: '<img crossorigin=use-credentials>, ACAO *', request: req({ api: 'img', credentials: 'include' }), response: gif([[ACAO, '*'], [ACAC, 'true']]) },
  { id: 'img-credentials-exact', title: '<img crossorigin=use-credentials>, exact origin and ACAC', request: req({ api: 'img', credentials: 'include' }), response: gif([[ACAO, '$ORIGIN'], [ACAC, 'true']]) },
  { id: 'script-module-acao', title: 'Module <script>, ACAO *', request: req({ api: 'script' }), response: module([[ACAO, '*']]) },
  { id: 'script-module-missing', title: 'Module <script>, no ACAO', request: req({ api: 'script' }), response: module([]) },
  { id: 'fetch-no-cors', title: "fetch mode: 'no-cors' gets an opaque response", request: req({ mode: 'no-cors' }), response: ok([[ACAO, '*']]) },
  { id: 'fetch-no-cors-put', title: "fetch mode: 'no-cors' with PUT throws before sending", request: req({ mode: 'no-cors', method: 'PUT', body: 'x' }), response: ok([[ACAO, '*']]) },
]);

export const localNetworkAccess: Scenario[] = category('local-network-access', [
  { id: 'lna-public-to-loopback-granted', title: 'Public page calls a loopback API, local-network-access granted', request: req(), page: { origin: 'public', localNetworkAccess: 'grant' }, response: ok([[ACAO, '*']]) },
  { id: 'lna-public-to-loopback-denied', title: 'Public page calls a loopback API without the permission', request: req(), page: { origin: 'public', localNetworkAccess: 'deny' }, response: ok([[ACAO, '*']]) },
  { id: 'lna-public-preflight-granted', title: 'Public page, preflighted PUT to loopback, permission granted', request: req({ method: 'PUT', body: 'x' }), page: { origin: 'public', localNetworkAccess: 'grant' }, preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'PUT']]), response: exact },
]);

const faulty = (fault: Fault, outcome: 'error' | 'allowed' = 'error') => ({
  id: `fault-${fault}`,
  title: `Target fault: ${fault.replace(/-/g, ' ')}${outcome === 'error' ? ' (error with a cause, never blocked)' : ' (slow is not broken: read it)'}`,
  request: req(),
  response: { ...ok([[ACAO, '*']]), fault },
  expect: outcome === 'error' ? { error: true } : { outcome: 'allowed' as const },
});

export const faults: Scenario[] = category('faults', [
  faulty('refused'), faulty('reset-before-status'), faulty('reset-in-body'), faulty('hang'),
  faulty('malformed-status'), faulty('huge-headers'), faulty('slow-body', 'allowed'),
]);
