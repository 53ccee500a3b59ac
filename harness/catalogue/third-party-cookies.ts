// Each engine's third-party cookie policy as shipped here. The API's site sets
// `SameSite=None; Secure` first-party, so the standards let it travel cross-site with every
// credentialed request kind below; an engine that blocks or partitions third-party cookies by
// default (a browser policy, not a standard) sends none, and deviations.ts records what each did.
// The same-site row is the control: the cookie exists and is sent when the page is first-party.
import type { Scenario } from '../model/types.ts';
import { ACAC, ACAH, ACAM, ACAO, CROSS_SITE, SAME_SITE, category, cookie, credentialed, pre, req } from './build.ts';

const sid = [cookie('sid', 'SameSite=None; Secure; Path=/')];
// The assets bring their own Content-Type (a module script must be served as JavaScript).
const gif = { status: 200, headers: [[ACAO, '$ORIGIN'], [ACAC, 'true']] as Array<[string, string]>, body: '$GIF' };
const mod = { status: 200, headers: [[ACAO, '$ORIGIN'], [ACAC, 'true']] as Array<[string, string]>, body: '$MODULE' };

export const thirdPartyCookies: Scenario[] = category('third-party-cookies', [
  { id: 'third-party-fetch-get', title: 'Third-party fetch GET with credentials', sites: CROSS_SITE, cookies: sid, request: req({ credentials: 'include' }), response: credentialed },
  { id: 'third-party-fetch-post', title: 'Third-party fetch POST text/plain with credentials', sites: CROSS_SITE, cookies: sid, request: req({ method: 'POST', body: 'x', headers: { 'Content-Type': 'text/plain' }, credentials: 'include' }), response: credentialed },
  { id: 'third-party-fetch-head', title: 'Third-party fetch HEAD with credentials', sites: CROSS_SITE, cookies: sid, request: req({ method: 'HEAD', credentials: 'include' }), response: credentialed },
  // A preflight never carries cookies; the actual request after it does, where the policy allows.
  { id: 'third-party-preflighted-put', title: 'Third-party preflighted PUT with credentials', sites: CROSS_SITE, cookies: sid, request: req({ method: 'PUT', body: 'x', headers: { 'X-Custom': '1' }, credentials: 'include' }), preflight: pre([[ACAO, '$ORIGIN'], [ACAC, 'true'], [ACAM, 'PUT'], [ACAH, 'X-Custom']]), response: credentialed },
  { id: 'third-party-xhr', title: 'Third-party XHR withCredentials', sites: CROSS_SITE, cookies: sid, request: req({ api: 'xhr', credentials: 'include' }), response: credentialed },
  { id: 'third-party-img', title: 'Third-party <img crossorigin="use-credentials">', sites: CROSS_SITE, cookies: sid, request: req({ api: 'img', credentials: 'include' }), response: gif },
  { id: 'third-party-module-script', title: 'Third-party module <script crossorigin="use-credentials">', sites: CROSS_SITE, cookies: sid, request: req({ api: 'script', credentials: 'include' }), response: mod },
  { id: 'third-party-two-cookies', title: 'Third-party fetch with two SameSite=None cookies', sites: CROSS_SITE, cookies: [...sid, cookie('pref', 'SameSite=None; Secure; Path=/')], request: req({ credentials: 'include' }), response: credentialed },
  { id: 'third-party-control-same-site', title: 'Control: the same cookie and request from a same-site page', sites: SAME_SITE, cookies: sid, request: req({ credentials: 'include' }), response: credentialed },
  { id: 'third-party-control-same-site-xhr', title: 'Control: same-site XHR withCredentials', sites: SAME_SITE, cookies: sid, request: req({ api: 'xhr', credentials: 'include' }), response: credentialed },
]);
