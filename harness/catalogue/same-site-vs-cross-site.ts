// The same CORS configurations from a page on the API's own site (app.example.test calling
// api.example.test) and from a page on another site (app.site-a.test calling api.site-b.test).
// CORS itself only compares origins, so the oracle gives both rows of a pair the same verdict; what
// can differ is what travels with the request (cookies) and what an engine does around it.
import type { Scenario } from '../model/types.ts';
import { ACAC, ACAH, ACAM, ACAO, CROSS_SITE, SAME_SITE, category, cookie, credentialed, ok, pre, req } from './build.ts';

const session = [cookie('sid', 'SameSite=None; Secure; Path=/')];
const put = req({ method: 'PUT', body: 'x', headers: { 'X-Custom': '1' } });
const preflightOk = pre([[ACAO, '$ORIGIN'], [ACAM, 'PUT'], [ACAH, 'X-Custom']]);

/** One row for each of the two site relations. */
function pair(id: string, title: string, row: Omit<Scenario, 'id' | 'title' | 'category' | 'source' | 'sites'>): Array<Omit<Scenario, 'category' | 'source'>> {
  return [
    { id: `same-site-${id}`, title: `Same-site: ${title}`, sites: SAME_SITE, ...row },
    { id: `cross-site-${id}`, title: `Cross-site: ${title}`, sites: CROSS_SITE, ...row },
  ];
}

export const sameSiteVsCrossSite: Scenario[] = category('same-site-vs-cross-site', [
  ...pair('acao-exact', 'ACAO names the page origin', { request: req(), response: ok([[ACAO, '$ORIGIN']]) }),
  ...pair('acao-star', 'ACAO *', { request: req(), response: ok([[ACAO, '*']]) }),
  ...pair('acao-missing', 'no ACAO', { request: req(), response: ok() }),
  // A sibling host on the same registrable domain is still another origin: same-site is not same-origin.
  ...pair('acao-sibling-host', 'ACAO names a sibling host of the page', { request: req(), response: ok([[ACAO, 'https://www.example.test']]) }),
  ...pair('credentials-star', 'credentialed request answered with ACAO *', { cookies: session, request: req({ credentials: 'include' }), response: ok([[ACAO, '*'], [ACAC, 'true']]) }),
  ...pair('credentials-reflected', 'credentialed request, ACAO reflected with ACAC true', { cookies: session, request: req({ credentials: 'include' }), response: credentialed }),
  ...pair('credentials-no-acac', 'credentialed request without ACAC', { cookies: session, request: req({ credentials: 'include' }), response: ok([[ACAO, '$ORIGIN']]) }),
  ...pair('preflight-put', 'preflighted PUT with a custom header', { request: put, preflight: preflightOk, response: ok([[ACAO, '$ORIGIN']]) }),
]);
