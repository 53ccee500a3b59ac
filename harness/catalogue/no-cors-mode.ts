// fetch() with mode "no-cors": the request is sent without CORS (no preflight, ever) and the page
// gets an opaque response it cannot read, reported `blocked` (Fetch §4.1 main fetch step 12). The
// Headers guard "request-no-cors" drops, silently, every header that is not a no-CORS-safelisted
// request-header (§5.1 Headers append), so a custom header or a JSON Content-Type cannot make it
// preflight. WPT fetch/api/basic/mode-no-cors.sub.any.js and fetch/api/headers/headers-no-cors.any.js.
import type { Scenario } from '../model/types.ts';
import { ACAO, category, ok, req, status, wpt } from './build.ts';

const noCors = (overrides = {}) => req({ mode: 'no-cors', ...overrides });
const star = ok([[ACAO, '*']]);
const HEADERS = wpt('fetch/api/headers/headers-no-cors.any.js');

export const noCorsMode: Scenario[] = category('no-cors-mode', [
  { id: 'no-cors-post-text', title: "no-cors POST text/plain: sent, opaque", request: noCors({ method: 'POST', body: 'x', headers: { 'Content-Type': 'text/plain' } }), response: star },
  { id: 'no-cors-custom-header', title: 'no-cors GET with X-Custom: the header is dropped, no preflight, opaque', request: noCors({ headers: { 'X-Custom': '1' } }), response: star, source: HEADERS },
  { id: 'no-cors-json-content-type', title: 'no-cors POST application/json: Content-Type dropped, no preflight, opaque', request: noCors({ method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } }), response: star, source: HEADERS },
  { id: 'no-cors-range', title: 'no-cors GET with Range: dropped (privileged no-CORS header), opaque', request: noCors({ headers: { Range: 'bytes=0-' } }), response: star, source: HEADERS },
  { id: 'no-cors-head', title: 'no-cors HEAD: sent, opaque', request: noCors({ method: 'HEAD' }), response: status(200, [[ACAO, '*']]) },
  { id: 'no-cors-credentials', title: 'no-cors GET with credentials include: opaque even with exact ACAO and ACAC', request: noCors({ credentials: 'include' }), response: ok([[ACAO, '$ORIGIN'], ['Access-Control-Allow-Credentials', 'true']]) },
  // A no-cors request follows redirects without any CORS check; the result is still opaque.
  { id: 'no-cors-redirect-other', title: 'no-cors GET, 302 to another origin without ACAO: followed, opaque', request: noCors(), redirects: [{ status: 302, headers: [], to: 'other' }], response: ok() },
], wpt('fetch/api/basic/mode-no-cors.sub.any.js'));
