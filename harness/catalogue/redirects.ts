// Redirects of a CORS request: every hop must pass the CORS check before it is followed
// (Fetch §4.4 HTTP fetch, step 4.4), and HTTP-redirect fetch (Fetch §4.5) sets the request's
// origin to an opaque one after a hop to another origin, so later hops see `Origin: null`
// (WPT fetch/api/cors/cors-redirect.any.js, cors-origin.any.js).
import type { Scenario } from '../model/types.ts';
import { ACAM, ACAO, category, exact, ok, pre, req } from './build.ts';

export const redirects: Scenario[] = category('redirects', [
  { id: 'redirect-same-origin', title: '302 to the same target; both hops carry ACAO', request: req(), redirects: [{ status: 302, headers: [[ACAO, '$ORIGIN']], to: 'same' }], response: exact },
  // The redirect response is checked too; ACAO on the final response alone is not enough.
  { id: 'redirect-hop-without-acao', title: '302 without ACAO on the redirect itself', request: req(), redirects: [{ status: 302, headers: [], to: 'same' }], response: exact },
  { id: 'redirect-cross-origin-star', title: '302 to another origin; the final ACAO * (Origin becomes null)', request: req(), redirects: [{ status: 302, headers: [[ACAO, '*']], to: 'other' }], response: ok([[ACAO, '*']]) },
  // The page's own origin no longer matches: after the cross-origin hop the request's origin is opaque.
  { id: 'redirect-cross-origin-exact', title: '302 to another origin; the final ACAO is the page origin (but Origin is null now)', request: req(), redirects: [{ status: 302, headers: [[ACAO, '$ORIGIN']], to: 'other' }], response: exact },
  { id: 'redirect-cross-origin-null', title: '302 to another origin; the final ACAO null', request: req(), redirects: [{ status: 302, headers: [[ACAO, '$ORIGIN']], to: 'other' }], response: ok([[ACAO, 'null']]) },
  // Reflecting now echoes "null", which matches the opaque origin.
  { id: 'redirect-cross-origin-reflect', title: '302 to another origin; the final hop reflects Origin', request: req(), redirects: [{ status: 302, headers: [[ACAO, '$ORIGIN']], to: 'other' }], response: ok([[ACAO, '$REQUEST_ORIGIN']]) },
  // A CORS request does not follow a Location with credentials in it to an origin other than its
  // own (Fetch §4.5, step 9; WPT fetch/api/cors/cors-redirect-credentials.any.js).
  { id: 'redirect-userinfo', title: '302 to a URL with user:pass@', request: req(), redirects: [{ status: 302, headers: [[ACAO, '$ORIGIN']], to: 'same', userinfo: true }], response: exact },
  // 307 keeps the method and body, so the next hop is still a PUT with its body.
  { id: 'redirect-307-put', title: '307 of a preflighted PUT to the same target', request: req({ method: 'PUT', body: 'x' }), preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'PUT']]), redirects: [{ status: 307, headers: [[ACAO, '$ORIGIN']], to: 'same' }], response: exact },
  // A 301 or 302 of a POST becomes a GET without a body (Fetch §4.5).
  { id: 'redirect-301-post-becomes-get', title: '301 of a POST: the next hop is a GET', request: req({ method: 'POST', body: 'a=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), redirects: [{ status: 301, headers: [[ACAO, '$ORIGIN']], to: 'same' }], response: exact },
  { id: 'redirect-two-hops', title: 'Two same-origin hops (301, 308)', request: req(), redirects: [{ status: 301, headers: [[ACAO, '$ORIGIN']], to: 'same' }, { status: 308, headers: [[ACAO, '$ORIGIN']], to: 'same' }], response: exact },
]);
