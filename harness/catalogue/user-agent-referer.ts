// Headers a page may or may not set. Fetch no longer lists `User-Agent` as a forbidden
// request-header (whatwg/fetch #37 dropped it), and it is not CORS-safelisted, so setting it
// needs a preflight whose Access-Control-Allow-Headers lists it. `Referer` is a forbidden
// request-header name (§2.2.2): Headers and setRequestHeader() drop it silently, so it causes no
// preflight. The Referer rows follow WPT fetch/api/basic/request-forbidden-headers.any.js; WPT has
// no test of a page-set User-Agent on a CORS request, so those rows are the catalogue's own.
import type { Scenario } from '../model/types.ts';
import { ACAH, ACAO, category, exact, pre, req, wpt } from './build.ts';

const UA = { 'User-Agent': 'cors-matrix/1' };
const FORBIDDEN = wpt('fetch/api/basic/request-forbidden-headers.any.js');

export const userAgentReferer: Scenario[] = category('user-agent-referer', [
  { id: 'ua-header-acah-listed', title: 'Page sets User-Agent, ACAH lists it', request: req({ headers: UA }), preflight: pre([[ACAO, '$ORIGIN'], [ACAH, 'User-Agent']]), response: exact },
  { id: 'ua-header-acah-missing', title: 'Page sets User-Agent, ACAH lists only X-Other', request: req({ headers: UA }), preflight: pre([[ACAO, '$ORIGIN'], [ACAH, 'X-Other']]), response: exact },
  // The server that never routed OPTIONS: a page-set User-Agent alone breaks a plain GET.
  { id: 'ua-header-no-preflight-route', title: 'Page sets User-Agent, the server has no OPTIONS route', request: req({ headers: UA }), response: exact },
  { id: 'ua-header-xhr-acah-listed', title: 'XHR setRequestHeader("User-Agent"), ACAH lists it', request: req({ api: 'xhr', headers: UA }), preflight: pre([[ACAO, '$ORIGIN'], [ACAH, 'User-Agent']]), response: exact },
  { id: 'ua-header-xhr-no-preflight-route', title: 'XHR setRequestHeader("User-Agent"), no OPTIONS route', request: req({ api: 'xhr', headers: UA }), response: exact },
  { id: 'referer-header-dropped', title: 'Page sets Referer (forbidden: dropped, no preflight)', request: req({ headers: { Referer: 'http://elsewhere.test/' } }), response: exact, source: FORBIDDEN },
  { id: 'referer-header-dropped-xhr', title: 'XHR setRequestHeader("Referer") (forbidden: dropped, no preflight)', request: req({ api: 'xhr', headers: { Referer: 'http://elsewhere.test/' } }), response: exact, source: FORBIDDEN },
]);
