// The HTTP cache between two pages of different origins (FollowUp.fromSecondOrigin): a stored
// CORS response reused for another origin carries the first origin's Access-Control-Allow-Origin.
// RFC 9111 §4 constructing responses from caches (https://www.rfc-editor.org/rfc/rfc9111.html#section-4),
// reduced to what a follow-up issued right after the first request needs.

import { TOKEN_LIST, extractHeaderListValues, get, getDecodeSplitValue, isFailure, type HeaderList } from './headers.ts';

/** RFC 9110 §15.1: statuses a cache may store without explicit permission. */
const HEURISTICALLY_CACHEABLE = new Set([200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501]);

/**
 * The clock the oracle judges `Expires` against when the response has no `Date` header. A
 * constant keeps predict() a pure function of the scenario: scenarios that cache write an
 * `Expires` far in the future, scenarios that must not cache write one in the past.
 */
export const ORACLE_NOW = Date.UTC(2026, 0, 1);

export interface StoredResponse {
  readonly method: string;
  readonly status: number;
  readonly headers: HeaderList;
}

/** Whether a GET from another origin, right after `stored` was received, is answered from the HTTP cache. */
export function reusedForAnotherOrigin(stored: StoredResponse, method: string): boolean {
  // §4: only a GET response is reused for a GET.
  if (stored.method !== 'GET' || method !== 'GET') return false;
  if (!HEURISTICALLY_CACHEABLE.has(stored.status)) return false;
  const directives = cacheControl(stored.headers);
  // RFC 9111 §5.2.2.5 no-store: never stored. §5.2.2.4 no-cache: always revalidated, so the
  // server answers the second origin itself.
  if (directives.has('no-store') || directives.has('no-cache')) return false;
  // §4.1 Vary: `Origin` (or `*`) makes a request with another Origin a different cache key.
  if (varyCoversOrigin(stored.headers)) return false;
  // §4.2 Fresh: an explicit lifetime above zero. Heuristic freshness (from Last-Modified) is
  // allowed but implementation-specific, so it is not predicted.
  return freshnessLifetime(directives, stored.headers) > 0;
}

function cacheControl(headers: HeaderList): Map<string, string> {
  const value = get(headers, 'Cache-Control');
  const directives = new Map<string, string>();
  if (value === null) return directives;
  for (const item of getDecodeSplitValue(value)) {
    const [name, arg = ''] = item.split('=', 2);
    directives.set(name.trim().toLowerCase(), arg.trim().replace(/^"|"$/g, ''));
  }
  return directives;
}

function varyCoversOrigin(headers: HeaderList): boolean {
  const vary = extractHeaderListValues('Vary', headers, TOKEN_LIST);
  if (vary === null) return false;
  // A Vary that does not parse cannot be matched: treat it as `*`.
  if (isFailure(vary)) return true;
  return vary.some((name) => name === '*' || name.toLowerCase() === 'origin');
}

// RFC 9111 §4.2.1: max-age first (s-maxage is for shared caches, and a browser cache is private),
// then Expires minus Date.
function freshnessLifetime(directives: Map<string, string>, headers: HeaderList): number {
  const maxAge = directives.get('max-age');
  if (maxAge !== undefined) return /^[0-9]+$/.test(maxAge) ? Number(maxAge) : 0;
  const expires = get(headers, 'Expires');
  if (expires === null) return 0;
  const expiresAt = Date.parse(expires);
  if (Number.isNaN(expiresAt)) return 0;
  const date = get(headers, 'Date');
  const now = date !== null && !Number.isNaN(Date.parse(date)) ? Date.parse(date) : ORACLE_NOW;
  return (expiresAt - now) / 1000;
}
