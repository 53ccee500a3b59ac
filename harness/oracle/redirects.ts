// Fetch §4.5 HTTP-redirect fetch, the steps before it hands back to main fetch.
// https://fetch.spec.whatwg.org/#concept-http-redirect-fetch
// (Each hop's response has already been through the CORS check in HTTP fetch step 4.4; the next
// URL gets its own preflight decision when main fetch runs again.)

import type { RedirectHop } from '../model/types.ts';
import type { RedirectProblem } from './failures.ts';
import { deleteHeader } from './headers.ts';
import { includesCredentials, sameOrigin } from './origin.ts';
import type { FetchRequest } from './request.ts';
import { isCorsNonWildcardRequestHeaderName } from './safelist.ts';
import { REF, cite } from './spec-refs.ts';

export interface RedirectOrigins {
  readonly targetOrigin: string;
  readonly otherOrigin: string;
}

/**
 * The Location the harness sends for hop `index` (0-based) answered by `current`: `same` stays on
 * the server that answered, `other` goes to its peer (target <-> second target), and `userinfo`
 * adds `user:pass@`.
 */
export function locationFor(hop: Pick<RedirectHop, 'to' | 'userinfo'>, index: number, current: string, origins: RedirectOrigins): string {
  const peer = current === origins.otherOrigin ? origins.targetOrigin : origins.otherOrigin;
  const url = new URL(`/hop-${index + 1}`, hop.to === 'same' ? current : peer);
  if (hop.userinfo) {
    url.username = 'user';
    url.password = 'pass';
  }
  return url.href;
}

/** The 20-redirect limit of step 7. */
export const REDIRECT_LIMIT = 20;

export type RedirectResult = { ok: true } | { ok: false; problem: RedirectProblem; step: string };

export function followRedirect(request: FetchRequest, status: number, locationURL: string): RedirectResult {
  // 7-8. At most 20 redirects.
  if (request.redirectCount === REDIRECT_LIMIT) return { ok: false, problem: { kind: 'redirect-limit' }, step: cite(REF.httpRedirectFetch, 7) };
  request.redirectCount++;
  // 9. A CORS request may not follow a URL with credentials to another origin than its own.
  const credentialed = includesCredentials(locationURL);
  if (request.mode === 'cors' && credentialed && !sameOrigin(request.origin, locationURL)) {
    return { ok: false, problem: { kind: 'redirect-credentials', location: locationURL }, step: cite(REF.httpRedirectFetch, 9) };
  }
  // 10. Once CORS-tainted, not even to its own origin.
  if (request.responseTainting === 'cors' && credentialed) {
    return { ok: false, problem: { kind: 'redirect-credentials', location: locationURL }, step: cite(REF.httpRedirectFetch, 10) };
  }
  // 11. A string body always has a source, so it can be resent: nothing to check.
  rewriteMethod(request, status);
  // 13. Leaving the current origin drops `Authorization`.
  if (!sameOrigin(currentUrl(request), locationURL)) {
    for (const [name] of [...request.headerList]) if (isCorsNonWildcardRequestHeaderName(name)) deleteHeader(request.headerList, name);
  }
  // 18. Append locationURL to the URL list (this is what the redirect-taint is computed from).
  request.urlList.push(locationURL);
  return { ok: true };
}

// Fetch §4.5 step 12: 301/302 turn POST into GET, 303 turns anything but GET/HEAD into GET;
// the body and its request-body-header names go with it.
function rewriteMethod(request: FetchRequest, status: number): void {
  const toGet = ((status === 301 || status === 302) && request.method === 'POST') ||
    (status === 303 && request.method !== 'GET' && request.method !== 'HEAD');
  if (!toGet) return;
  request.method = 'GET';
  request.body = null;
  for (const name of ['Content-Encoding', 'Content-Language', 'Content-Location', 'Content-Type']) deleteHeader(request.headerList, name);
}

export function currentUrl(request: FetchRequest): string {
  return request.urlList[request.urlList.length - 1];
}
