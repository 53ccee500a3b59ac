// Fetch §4.9 CORS-preflight cache. https://fetch.spec.whatwg.org/#concept-cache
// One cache per predict() call: the first request and its follow-up share it, nothing else does.
// The network partition key is left out: every request of a scenario comes from one top-level page.

import type { CredentialsMode } from '../model/types.ts';
import { serializeRequestOrigin, type OriginBearer } from './origin.ts';
import { isCorsNonWildcardRequestHeaderName } from './safelist.ts';

export interface CacheRequest extends OriginBearer {
  readonly credentialsMode: CredentialsMode;
}

// Fetch §4.9 cache entry.
export interface CacheEntry {
  readonly origin: string;
  readonly url: string;
  maxAge: number;
  readonly credentials: boolean;
  readonly method: string | null;
  readonly headerName: string | null;
}

function currentUrl(request: CacheRequest): string {
  return request.urlList[request.urlList.length - 1];
}

export class PreflightCache {
  readonly entries: CacheEntry[] = [];

  // Fetch §4.9 create a new cache entry. https://fetch.spec.whatwg.org/#concept-cache-create-entry
  create(request: CacheRequest, maxAge: number, method: string | null, headerName: string | null): void {
    this.entries.push({
      origin: serializeRequestOrigin(request),
      url: currentUrl(request),
      maxAge,
      credentials: request.credentialsMode === 'include',
      method,
      headerName,
    });
  }

  // Fetch §4.9 clear cache entries: same origin and URL, regardless of credentials.
  // https://fetch.spec.whatwg.org/#concept-cache-clear
  clear(request: CacheRequest): void {
    const origin = serializeRequestOrigin(request);
    const url = currentUrl(request);
    for (let i = this.entries.length - 1; i >= 0; i--) {
      if (this.entries[i].origin === origin && this.entries[i].url === url) this.entries.splice(i, 1);
    }
  }

  // Fetch §4.9 method cache entry match: the method itself or `*`, compared case-sensitively.
  // https://fetch.spec.whatwg.org/#concept-cache-match-method
  methodMatch(method: string, request: CacheRequest): CacheEntry | undefined {
    return this.live(request).find((e) => e.method === method || e.method === '*');
  }

  // Fetch §4.9 header-name cache entry match: case-insensitive, and `*` never stands for Authorization.
  // https://fetch.spec.whatwg.org/#concept-cache-match-header
  headerNameMatch(headerName: string, request: CacheRequest): CacheEntry | undefined {
    return this.live(request).find((e) =>
      e.headerName !== null &&
      (e.headerName.toLowerCase() === headerName.toLowerCase() ||
        (e.headerName === '*' && !isCorsNonWildcardRequestHeaderName(headerName))));
  }

  // Fetch §4.9: "Cache entries must be removed after the seconds specified in their max-age field
  // have passed". A follow-up runs at once, so an entry lives exactly when its max-age is above 0.
  private live(request: CacheRequest): CacheEntry[] {
    return this.entries.filter((e) => e.maxAge > 0 && cacheEntryMatch(e, request));
  }
}

// Fetch §4.9 cache entry match: same origin and URL; a credentialed entry also serves
// uncredentialed requests, not the other way round. https://fetch.spec.whatwg.org/#concept-cache-match
function cacheEntryMatch(entry: CacheEntry, request: CacheRequest): boolean {
  if (entry.origin !== serializeRequestOrigin(request) || entry.url !== currentUrl(request)) return false;
  return entry.credentials || request.credentialsMode !== 'include';
}
