// The Referer a preflight carries: the CORS-preflight request takes the request's referrer and
// referrer policy (Fetch §4.8 CORS-preflight fetch, step 1), so the OPTIONS and the actual request
// carry the same Referer, which Referrer Policy §8.3 computes from the page URL, the target and the
// policy (the default for a fetch is strict-origin-when-cross-origin). Each row sets
// request.referrerPolicy, and the cell holds both requests' Referer to the oracle's value
// (WPT fetch/api/cors/cors-preflight-referrer.any.js; that file's "" rows still expect the full URL,
// from before the default became strict-origin-when-cross-origin).
import type { Scenario } from '../model/types.ts';
import { ACAH, ACAO, CROSS_SITE, category, exact, pre, req, wpt } from './build.ts';

const preflighted = (referrerPolicy: string) => req({ headers: { 'X-Force-Preflight': '1' }, referrerPolicy });
const allow = pre([[ACAO, '$ORIGIN'], [ACAH, 'X-Force-Preflight']]);
const POLICIES = ['', 'no-referrer', 'origin', 'origin-when-cross-origin', 'unsafe-url', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin', 'no-referrer-when-downgrade'];

export const referrerPolicy: Scenario[] = category('referrer-policy', [
  ...POLICIES.map((p) => ({
    id: `referrer-preflight-${p || 'default'}`,
    title: `Preflighted GET, referrerPolicy ${JSON.stringify(p)}: the Referer on the OPTIONS and on the GET`,
    request: preflighted(p), preflight: allow, response: exact,
  })),
  { id: 'referrer-simple-unsafe-url', title: 'Simple GET, referrerPolicy "unsafe-url": the full page URL', request: req({ referrerPolicy: 'unsafe-url' }), response: exact },
  { id: 'referrer-simple-default', title: 'Simple GET, the default policy: the page origin only', request: req({ referrerPolicy: '' }), response: exact },
  // https on both sides, cross-site: no downgrade, so strict-origin still sends the origin.
  { id: 'referrer-cross-site-https-strict-origin', title: 'https page to a cross-site https API, strict-origin, preflighted', sites: CROSS_SITE, request: preflighted('strict-origin'), preflight: allow, response: exact },
], wpt('fetch/api/cors/cors-preflight-referrer.any.js'));
