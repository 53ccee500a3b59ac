// Redirects by status and method (Fetch §4.5 HTTP-redirect fetch): 301/302 turn POST into GET,
// 303 turns anything but GET and HEAD into GET, 307/308 keep method and body; a hop to another
// origin taints the request's origin (`Origin: null` from then on, even back on the first
// origin); and a preflighted request gets a new preflight for every URL it is redirected to, with
// the tainted origin once it left. `same` stays on the server that answered, `other` goes to its
// peer, so two `other` hops go target -> second origin -> target. WPT
// fetch/api/cors/cors-redirect.any.js and cors-redirect-preflight.any.js.
import type { RedirectHop, Scenario } from '../model/types.ts';
import { ACAH, ACAM, ACAO, category, exact, ok, pre, req, status, wpt } from './build.ts';

const same = (code: number): RedirectHop => ({ status: code, headers: [[ACAO, '$ORIGIN']], to: 'same' });
const other = (code: number, acao = '$ORIGIN'): RedirectHop => ({ status: code, headers: [[ACAO, acao]], to: 'other' });
const star = ok([[ACAO, '*']]);
const form = req({ method: 'POST', body: 'a=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
const putAllowed = pre([[ACAO, '$ORIGIN'], [ACAM, 'PUT']]);
const putAllowedStar = pre([[ACAO, '*'], [ACAM, 'PUT']]);
const w3c = req({ headers: { 'X-W3C': 'test' } });
const w3cAllowed = pre([[ACAO, '$ORIGIN'], [ACAH, 'X-W3C']]);
const PREFLIGHT = wpt('fetch/api/cors/cors-redirect-preflight.any.js');

export const redirectMethods: Scenario[] = category('redirect-methods', [
  ...[301, 303, 307, 308].map((code) => ({ id: `redirect-${code}-get-same`, title: `${code} of a GET to the same target`, request: req(), redirects: [same(code)], response: exact })),
  // After the hop to another origin the request's origin is opaque, so only `*` (or `null`) passes.
  ...[301, 303, 307, 308].map((code) => ({ id: `redirect-${code}-get-other`, title: `${code} of a GET to another origin, ACAO * (Origin null)`, request: req(), redirects: [other(code, '*')], response: star })),
  { id: 'redirect-302-post-becomes-get', title: '302 of a POST: the next hop is a GET', request: form, redirects: [same(302)], response: exact },
  { id: 'redirect-303-post-becomes-get', title: '303 of a POST: the next hop is a GET', request: form, redirects: [same(303)], response: exact },
  { id: 'redirect-307-post-stays-post', title: '307 of a POST keeps POST and its body', request: form, redirects: [same(307)], response: exact },
  { id: 'redirect-308-post-stays-post', title: '308 of a POST keeps POST and its body', request: form, redirects: [same(308)], response: exact },
  // The PUT was preflighted once; as a GET the next hop needs no second preflight (Chromium sends
  // none; Firefox and WebKitGTK preflight the GET too, which passes here: see the -other- row).
  { id: 'redirect-303-put-becomes-get', title: '303 of a preflighted PUT: the next hop is a GET', request: req({ method: 'PUT', body: 'x' }), preflight: putAllowed, redirects: [same(303)], response: exact },
  // 301 rewrites only POST: a PUT stays a PUT, and the new URL gets its own preflight.
  { id: 'redirect-301-put-stays-put', title: '301 of a preflighted PUT keeps PUT (preflighted again)', request: req({ method: 'PUT', body: 'x' }), preflight: putAllowed, redirects: [same(301)], response: exact },
  { id: 'redirect-308-put-stays-put', title: '308 of a preflighted PUT keeps PUT (preflighted again)', request: req({ method: 'PUT', body: 'x' }), preflight: putAllowed, redirects: [same(308)], response: exact },
  { id: 'redirect-303-head-stays-head', title: '303 of a HEAD keeps HEAD', request: req({ method: 'HEAD' }), redirects: [same(303)], response: status(200, [[ACAO, '$ORIGIN']]) },
  // At the second origin the PUT is preflighted again with Origin null, which $ORIGIN does not match.
  // (Firefox ESR 153 sends that preflight with the page's own Origin, passes it, and fails at the PUT
  // instead, whose Origin is null: the same outcome, at the actual request.)
  { id: 'redirect-307-put-other-exact', title: '307 of a PUT to another origin: its preflight (Origin null) fails on ACAO $ORIGIN', request: req({ method: 'PUT', body: 'x' }), preflight: putAllowed, redirects: [other(307)], response: exact, source: PREFLIGHT },
  { id: 'redirect-307-put-other-star', title: '307 of a PUT to another origin, preflight and response ACAO *', request: req({ method: 'PUT', body: 'x' }), preflight: putAllowedStar, redirects: [other(307, '*')], response: star, source: PREFLIGHT },
  { id: 'redirect-303-put-other-becomes-get', title: '303 of a PUT to another origin: a GET there, no second preflight', request: req({ method: 'PUT', body: 'x' }), preflight: putAllowed, redirects: [other(303)], response: star },
  // Target -> second origin -> target: the origin stays opaque back home (Fetch §4.5 step 14, the redirect-taint).
  { id: 'redirect-taint-back-exact', title: 'Target -> other -> target: the final ACAO $ORIGIN fails (Origin stays null)', request: req(), redirects: [other(302), other(302, '*')], response: exact },
  { id: 'redirect-taint-back-null', title: 'Target -> other -> target: the final ACAO null passes', request: req(), redirects: [other(302), other(302, '*')], response: ok([[ACAO, 'null']]) },
  { id: 'redirect-taint-back-reflect', title: 'Target -> other -> target: the final hop reflects Origin (null)', request: req(), redirects: [other(302), other(302, '*')], response: ok([[ACAO, '$REQUEST_ORIGIN']]) },
  // A request with a custom header: preflighted at the first URL and again after each hop.
  { id: 'redirect-preflight-302-same', title: 'Preflighted GET (X-W3C), 302 to the same target: preflighted again', request: w3c, preflight: w3cAllowed, redirects: [same(302)], response: exact, source: PREFLIGHT },
  { id: 'redirect-preflight-307-same', title: 'Preflighted GET (X-W3C), 307 to the same target: preflighted again', request: w3c, preflight: w3cAllowed, redirects: [same(307)], response: exact, source: PREFLIGHT },
  { id: 'redirect-preflight-302-other-exact', title: 'Preflighted GET (X-W3C), 302 to another origin: its preflight fails on ACAO $ORIGIN', request: w3c, preflight: w3cAllowed, redirects: [other(302)], response: exact, source: PREFLIGHT },
  { id: 'redirect-preflight-302-other-star', title: 'Preflighted GET (X-W3C), 302 to another origin, ACAO * everywhere', request: w3c, preflight: pre([[ACAO, '*'], [ACAH, 'X-W3C']]), redirects: [other(302, '*')], response: star, source: PREFLIGHT },
], wpt('fetch/api/cors/cors-redirect.any.js'));
