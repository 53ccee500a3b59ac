// Which cookies reach the API with a credentialed request, from a same-site page and from a
// cross-site one. The API's site sets each cookie in a first-party visit first (a login), then the
// page calls it; the target records the cookie names it received. What the standards say comes from
// RFC 6265bis (storage section 5.7, retrieval section 5.8.3, "schemefully same-site" section 5.2) and
// Fetch's credentials mode; what each engine ships by default is recorded in deviations.ts.
import type { Scenario } from '../model/types.ts';
import { CROSS_SITE, SAME_SITE, category, cookie, credentialed, req } from './build.ts';

const include = req({ credentials: 'include' });
const none = cookie('sid', 'SameSite=None; Secure; Path=/');
const lax = cookie('lax', 'SameSite=Lax; Secure; Path=/');
const strict = cookie('strict', 'SameSite=Strict; Secure; Path=/');
const unset = cookie('unset', 'Secure; Path=/');
const partitioned = cookie('part', 'SameSite=None; Secure; Path=/; Partitioned');
const HTTP_SAME_SITE = { page: 'http://app.example.test', target: 'http://api.example.test' };

export const cookiesCrossSite: Scenario[] = category('cookies-cross-site', [
  // The one cookie a cross-site request may carry by the standard: SameSite=None with Secure.
  { id: 'cookie-cross-none-secure', title: 'Cross-site, credentials include, SameSite=None; Secure', sites: CROSS_SITE, cookies: [none], request: include, response: credentialed },
  { id: 'cookie-cross-lax', title: 'Cross-site, credentials include, SameSite=Lax (not sent to a subresource)', sites: CROSS_SITE, cookies: [lax], request: include, response: credentialed },
  { id: 'cookie-cross-strict', title: 'Cross-site, credentials include, SameSite=Strict', sites: CROSS_SITE, cookies: [strict], request: include, response: credentialed },
  // No SameSite: RFC 6265bis enforces "Default" as Lax; not every engine ships that.
  { id: 'cookie-cross-unset', title: 'Cross-site, credentials include, no SameSite attribute', sites: CROSS_SITE, cookies: [unset], request: include, response: credentialed },
  // RFC 6265bis 5.7: SameSite=None without Secure is ignored when it is set, so it never exists to send.
  { id: 'cookie-cross-none-insecure', title: 'Cross-site, SameSite=None without Secure (refused when set)', sites: CROSS_SITE, cookies: [cookie('sid', 'SameSite=None; Path=/')], request: include, response: credentialed },
  // CHIPS: set during a top-level visit to the API, the cookie is partitioned under the API's own
  // site; a page on another site has another partition.
  { id: 'cookie-cross-partitioned', title: 'Cross-site, a Partitioned cookie set first-party', sites: CROSS_SITE, cookies: [partitioned], request: include, response: credentialed },
  { id: 'cookie-cross-all-kinds', title: 'Cross-site, five cookies at once: which ones arrive', sites: CROSS_SITE, cookies: [none, lax, strict, unset, partitioned], request: include, response: credentialed },
  // Fetch: "same-origin" attaches cookies only to same-origin URLs, and the API is another origin.
  { id: 'cookie-cross-same-origin-mode', title: 'Cross-site, credentials same-origin: no cookie', sites: CROSS_SITE, cookies: [none], request: req({ credentials: 'same-origin' }), response: credentialed },
  { id: 'cookie-cross-omit', title: 'Cross-site, credentials omit: no cookie', sites: CROSS_SITE, cookies: [none], request: req({ credentials: 'omit' }), response: credentialed },
  { id: 'cookie-cross-xhr-with-credentials', title: 'Cross-site XHR with withCredentials, SameSite=None; Secure', sites: CROSS_SITE, cookies: [none], request: req({ api: 'xhr', credentials: 'include' }), response: credentialed },
  { id: 'cookie-cross-xhr-without-credentials', title: 'Cross-site XHR without withCredentials: no cookie', sites: CROSS_SITE, cookies: [none], request: req({ api: 'xhr' }), response: credentialed },
  { id: 'cookie-same-none-secure', title: 'Same-site, credentials include, SameSite=None; Secure', sites: SAME_SITE, cookies: [none], request: include, response: credentialed },
  // app.example.test and api.example.test share the registrable domain: Lax and Strict go along.
  { id: 'cookie-same-lax', title: 'Same-site, credentials include, SameSite=Lax', sites: SAME_SITE, cookies: [lax], request: include, response: credentialed },
  { id: 'cookie-same-strict', title: 'Same-site, credentials include, SameSite=Strict', sites: SAME_SITE, cookies: [strict], request: include, response: credentialed },
  { id: 'cookie-same-unset', title: 'Same-site, credentials include, no SameSite attribute', sites: SAME_SITE, cookies: [unset], request: include, response: credentialed },
  // Same-site page: the top-level site is example.test, the cookie's partition too.
  { id: 'cookie-same-partitioned', title: 'Same-site, a Partitioned cookie set first-party', sites: SAME_SITE, cookies: [partitioned], request: include, response: credentialed },
  { id: 'cookie-same-omit', title: 'Same-site, credentials omit: no cookie', sites: SAME_SITE, cookies: [none, lax], request: req({ credentials: 'omit' }), response: credentialed },
  { id: 'cookie-same-xhr-with-credentials', title: 'Same-site XHR with withCredentials, SameSite=Lax', sites: SAME_SITE, cookies: [lax], request: req({ api: 'xhr', credentials: 'include' }), response: credentialed },
  // Plain http on both sides: a cookie without Secure is stored and sent same-site.
  { id: 'cookie-same-http-lax', title: 'Same-site over http, SameSite=Lax without Secure', sites: HTTP_SAME_SITE, cookies: [cookie('lax', 'SameSite=Lax; Path=/')], request: include, response: credentialed },
]);
