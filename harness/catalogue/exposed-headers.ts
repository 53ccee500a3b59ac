// Which response headers a page can read: a CORS filtered response (Fetch §2.2.6) keeps only the
// CORS-safelisted response-header names and those listed in Access-Control-Expose-Headers (WPT
// fetch/api/cors/cors-expose-star.js for `*`). Each row names the headers the page tries to read.
import type { Scenario } from '../model/types.ts';
import { ACAC, ACAO, ACEH, category, ok, req } from './build.ts';

export const exposedHeaders: Scenario[] = category('exposed-headers', [
  { id: 'expose-missing', title: 'X-Request-Id without Access-Control-Expose-Headers is hidden', request: req({ readHeaders: ['x-request-id'] }), response: ok([[ACAO, '$ORIGIN'], ['X-Request-Id', 'r1']]), expect: { outcome: 'allowed', preflight: false, exposed: [] } },
  { id: 'expose-listed', title: 'X-Request-Id listed in Access-Control-Expose-Headers is readable', request: req({ readHeaders: ['x-request-id'] }), response: ok([[ACAO, '$ORIGIN'], ['X-Request-Id', 'r1'], [ACEH, 'X-Request-Id']]), expect: { outcome: 'allowed', preflight: false, exposed: ['x-request-id'] } },
  // The CORS-safelisted response-header names (Fetch §2.2.2), readable with no ACEH at all.
  { id: 'expose-safelisted', title: 'Safelisted response headers are readable without ACEH', request: req({ readHeaders: ['content-type', 'content-language', 'cache-control', 'expires', 'last-modified', 'pragma'] }), response: ok([[ACAO, '$ORIGIN'], ['Content-Language', 'en'], ['Cache-Control', 'no-cache'], ['Expires', '0'], ['Last-Modified', 'Tue, 01 Jan 2030 00:00:00 GMT'], ['Pragma', 'no-cache']]) },
  { id: 'expose-star', title: 'ACEH * exposes every header without credentials', request: req({ readHeaders: ['x-request-id', 'x-total-count'] }), response: ok([[ACAO, '$ORIGIN'], ['X-Request-Id', 'r1'], ['X-Total-Count', '7'], [ACEH, '*']]) },
  // With credentials `*` names a header called "*", so nothing beyond the safelist is exposed.
  { id: 'expose-star-credentials', title: 'ACEH * with credentials exposes nothing extra', request: req({ credentials: 'include', readHeaders: ['x-request-id'] }), response: ok([[ACAO, '$ORIGIN'], [ACAC, 'true'], ['X-Request-Id', 'r1'], [ACEH, '*']]) },
  { id: 'expose-case-insensitive', title: 'ACEH x-REQUEST-id exposes X-Request-Id', request: req({ readHeaders: ['x-request-id'] }), response: ok([[ACAO, '$ORIGIN'], ['X-Request-Id', 'r1'], [ACEH, 'x-REQUEST-id']]) },
  { id: 'expose-list', title: 'ACEH lists two of three headers', request: req({ readHeaders: ['x-a', 'x-b', 'x-c'] }), response: ok([[ACAO, '$ORIGIN'], ['X-A', '1'], ['X-B', '2'], ['X-C', '3'], [ACEH, 'X-A, X-B']]) },
  // Set-Cookie is a forbidden response-header name, and those never count as exposed even when ACEH lists them.
  { id: 'expose-set-cookie', title: 'Set-Cookie is never readable, even when listed', request: req({ readHeaders: ['set-cookie'] }), response: ok([[ACAO, '$ORIGIN'], ['Set-Cookie', 'a=1'], [ACEH, 'Set-Cookie']]) },
  // Not on the safelist, though download code often assumes it is.
  { id: 'expose-content-disposition', title: 'Content-Disposition needs ACEH (download file names)', request: req({ readHeaders: ['content-disposition'] }), response: ok([[ACAO, '$ORIGIN'], ['Content-Disposition', 'attachment; filename="a.txt"']]) },
  { id: 'expose-xhr-listed', title: 'XHR getResponseHeader for an exposed header', request: req({ api: 'xhr', readHeaders: ['x-request-id'] }), response: ok([[ACAO, '$ORIGIN'], ['X-Request-Id', 'r1'], [ACEH, 'X-Request-Id']]) },
]);
