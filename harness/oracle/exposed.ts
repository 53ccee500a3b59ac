// Which response headers a page can read from a CORS response: Fetch §4.1 main fetch step 14.1
// sets the CORS-exposed header-name list, and §2.2.6 CORS filtered response keeps only the
// CORS-safelisted response-header names given that list.

import type { CredentialsMode } from '../model/types.ts';
import { TOKEN_LIST, extractHeaderListValues, isFailure, type HeaderList } from './headers.ts';
import { isCorsSafelistedResponseHeaderName } from './safelist.ts';

// Fetch §4.1 main fetch, step 14.1: the CORS-exposed header-name list.
// https://fetch.spec.whatwg.org/#concept-main-fetch
export function corsExposedHeaderNames(credentialsMode: CredentialsMode, headers: HeaderList): string[] {
  // 14.1.1 Extract `Access-Control-Expose-Headers`.
  const headerNames = extractHeaderListValues('Access-Control-Expose-Headers', headers, TOKEN_LIST);
  // 14.1.2 Without credentials, `*` exposes every name the response has.
  if (credentialsMode !== 'include' && Array.isArray(headerNames) && headerNames.includes('*')) {
    return [...new Set(headers.map(([name]) => name.toLowerCase()))];
  }
  // 14.1.3 Otherwise the list as extracted: `*` then only matches a header literally named `*`.
  // "non-null or failure" reads, as it did before an editorial rewording (whatwg/fetch bec03e6),
  // "neither null nor failure": a list that fails to parse exposes only the safelisted names.
  if (headerNames === null || isFailure(headerNames)) return [];
  return headerNames;
}

// Fetch §2.2.6 CORS filtered response: the readable header names, lowercase and sorted.
// `wanted` narrows to the names the page asks for (ScenarioRequest.readHeaders).
// https://fetch.spec.whatwg.org/#concept-filtered-response-cors
export function readableHeaderNames(credentialsMode: CredentialsMode, headers: HeaderList, wanted?: readonly string[]): string[] {
  const exposed = corsExposedHeaderNames(credentialsMode, headers);
  const present = new Set(headers.map(([name]) => name.toLowerCase()));
  const candidates = wanted === undefined ? [...present] : wanted.map((n) => n.toLowerCase()).filter((n) => present.has(n));
  return [...new Set(candidates)].filter((name) => isCorsSafelistedResponseHeaderName(name, exposed)).sort();
}
