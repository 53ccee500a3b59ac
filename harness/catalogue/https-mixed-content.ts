// https and http on either side. An https page may not call a plain-http API on a named host: the
// engine refuses it as mixed content before CORS is consulted (Mixed Content section 4.4, Fetch main
// fetch step 7), a cause of its own, never a CORS block. The other way round is allowed. A `Secure`
// cookie cannot be set over http (RFC 6265bis section 5.7).
import type { Scenario } from '../model/types.ts';
import { ACAC, ACAH, ACAM, ACAO, category, cookie, credentialed, ok, pre, req } from './build.ts';

const HTTPS_TO_HTTP = { page: 'https://app.example.test', target: 'http://api.example.test' };
const HTTP_TO_HTTPS = { page: 'http://app.example.test', target: 'https://api.example.test' };
const HTTP_BOTH = { page: 'http://app.site-a.test', target: 'http://api.site-b.test' };
const put = req({ method: 'PUT', body: 'x', headers: { 'X-Custom': '1' } });
const preflightOk = pre([[ACAO, '$ORIGIN'], [ACAM, 'PUT'], [ACAH, 'X-Custom'], [ACAC, 'true']]);

export const httpsMixedContent: Scenario[] = category('https-mixed-content', [
  { id: 'mixed-https-page-http-api-get', title: 'https page, http API: simple GET (mixed content)', sites: HTTPS_TO_HTTP, request: req(), response: ok([[ACAO, '*']]) },
  { id: 'mixed-https-page-http-api-put', title: 'https page, http API: preflighted PUT (mixed content)', sites: HTTPS_TO_HTTP, request: put, preflight: preflightOk, response: ok([[ACAO, '$ORIGIN']]) },
  { id: 'mixed-https-page-http-api-xhr', title: 'https page, http API: XHR (mixed content)', sites: HTTPS_TO_HTTP, request: req({ api: 'xhr' }), response: ok([[ACAO, '*']]) },
  { id: 'mixed-https-page-http-api-credentials', title: 'https page, http API: credentialed GET (mixed content)', sites: HTTPS_TO_HTTP, request: req({ credentials: 'include' }), response: credentialed },
  { id: 'mixed-http-page-https-api-get', title: 'http page, https API: simple GET', sites: HTTP_TO_HTTPS, request: req(), response: ok([[ACAO, '$ORIGIN']]) },
  { id: 'mixed-http-page-https-api-put', title: 'http page, https API: preflighted PUT', sites: HTTP_TO_HTTPS, request: put, preflight: preflightOk, response: ok([[ACAO, '$ORIGIN']]) },
  // The scheme is part of the origin: ACAO naming the https twin of an http page does not match.
  { id: 'mixed-acao-other-scheme', title: 'http page, ACAO names the https origin of the same host', sites: HTTP_TO_HTTPS, request: req(), response: ok([[ACAO, 'https://app.example.test']]) },
  // Schemeful same-site (RFC 6265bis 5.2): http://app.example.test and https://api.example.test are
  // cross-site, so a Lax cookie stays home while SameSite=None; Secure may travel.
  { id: 'mixed-http-page-https-api-cookies', title: 'http page, https API on the same domain: Lax and None cookies', sites: HTTP_TO_HTTPS, cookies: [cookie('lax', 'SameSite=Lax; Secure; Path=/'), cookie('sid', 'SameSite=None; Secure; Path=/')], request: req({ credentials: 'include' }), response: credentialed },
  { id: 'mixed-secure-cookie-over-http', title: 'http API sets a Secure cookie (refused), and a plain one', sites: { page: 'http://app.example.test', target: 'http://api.example.test' }, cookies: [cookie('secure', 'Secure; SameSite=Lax; Path=/'), cookie('plain', 'SameSite=Lax; Path=/')], request: req({ credentials: 'include' }), response: credentialed },
  { id: 'mixed-http-cross-site-none-insecure', title: 'http on both sides, cross-site: SameSite=None without Secure', sites: HTTP_BOTH, cookies: [cookie('sid', 'SameSite=None; Path=/')], request: req({ credentials: 'include' }), response: credentialed },
]);
