// Which of a scenario's cookies the target receives with the actual request, by the standards:
// Fetch for whether a request carries credentials at all, RFC 6265bis (draft-ietf-httpbis-rfc6265bis)
// for storing a cookie and for retrieving it, and CHIPS (draft-cutler-httpbis-partitioned-cookies)
// for `Partitioned`. Third-party cookie blocking (Total Cookie Protection, a cookie accept policy) is
// an engine's shipped policy, not a standard: where an engine differs, the catalogue records it.
import type { CookieSpec, CredentialsMode, RequestApi } from '../model/types.ts';

/** How two origins relate for cookies: RFC 6265bis section 5.2, "schemefully same-site". */
export type SiteRelation = 'same-site' | 'cross-site';

/**
 * The registrable domain of a host: the public suffix plus one label. `.test` is not on the Public
 * Suffix List, so its default rule ("*") makes `test` the suffix: `api.example.test` -> `example.test`.
 * An IP address is its own site.
 */
export function registrableDomain(host: string): string {
  if (/^[\d.]+$/.test(host) || host.includes(':')) return host;
  return host.split('.').slice(-2).join('.');
}

/** RFC 6265bis section 5.2: same scheme and same registrable domain ("schemefully same-site"). */
export function siteRelation(pageOrigin: string, targetOrigin: string): SiteRelation {
  if (pageOrigin === 'null') return 'cross-site';
  const a = new URL(pageOrigin);
  const b = new URL(targetOrigin);
  return a.protocol === b.protocol && registrableDomain(a.hostname) === registrableDomain(b.hostname) ? 'same-site' : 'cross-site';
}

interface StoredCookie {
  name: string;
  secureOnly: boolean;
  sameSite: 'strict' | 'lax' | 'none' | 'default';
  /** CHIPS: the site of the top-level document the cookie was set under. */
  partitionKey: string | null;
}

function attribute(attributes: string, name: string): string | null | undefined {
  for (const part of attributes.split(';')) {
    const [n, ...rest] = part.split('=');
    if (n.trim().toLowerCase() === name) return rest.length ? rest.join('=').trim() : null;
  }
  return undefined;
}

/**
 * RFC 6265bis section 5.7 ("Storage Model"), for a cookie set by a top-level response from the
 * target's own origin. Returns null where the user agent must ignore the cookie.
 */
function store(cookie: CookieSpec, targetOrigin: string): StoredCookie | null {
  const secure = new URL(targetOrigin).protocol === 'https:';
  const secureOnly = attribute(cookie.attributes, 'secure') !== undefined;
  // Step: a cookie with the secure-only-flag set from a non-secure scheme is ignored.
  if (secureOnly && !secure) return null;
  // Section 5.6.7: an unknown or absent SameSite value leaves the flag "Default".
  const raw = (attribute(cookie.attributes, 'samesite') ?? '').toLowerCase();
  const sameSite = raw === 'strict' || raw === 'lax' || raw === 'none' ? raw : 'default';
  // Step: "If the cookie's same-site-flag is None, abort ... unless the cookie's secure-only-flag is true."
  if (sameSite === 'none' && !secureOnly) return null;
  const partitioned = attribute(cookie.attributes, 'partitioned') !== undefined;
  // CHIPS: a Partitioned cookie without Secure is rejected.
  if (partitioned && !secureOnly) return null;
  // Set in a top-level visit, so its partition is the target's own site.
  return { name: cookie.name, secureOnly, sameSite, partitionKey: partitioned ? registrableDomain(new URL(targetOrigin).hostname) : null };
}

/**
 * RFC 6265bis section 5.8.3 ("Retrieval Algorithm") for a subresource request (fetch, XHR, img,
 * script) from the page to the target: never a top-level navigation, so Lax behaves as Strict.
 */
function sent(c: StoredCookie, pageOrigin: string, targetOrigin: string): boolean {
  if (c.secureOnly && new URL(targetOrigin).protocol !== 'https:') return false;
  const relation = siteRelation(pageOrigin, targetOrigin);
  // "Default" is enforced as Lax (section 5.6.7.1: "Lax" enforcement for cookies without SameSite).
  if (relation === 'cross-site' && c.sameSite !== 'none') return false;
  if (c.partitionKey !== null) {
    const topLevelSite = pageOrigin === 'null' ? null : registrableDomain(new URL(pageOrigin).hostname);
    if (topLevelSite !== c.partitionKey) return false;
  }
  return true;
}

/**
 * Fetch's credentials mode decides whether cookies are attached at all: `include` always;
 * `same-origin` only for a same-origin URL (every check here is cross-origin); `omit` never. XHR's
 * `withCredentials` is `include`, and an `<img crossorigin>` / module script's
 * `use-credentials` is too.
 */
export function predictCookiesReceived(cookies: CookieSpec[] | undefined, request: { api: RequestApi; credentials: CredentialsMode }, pageOrigin: string, targetOrigin: string): string[] {
  if (!cookies?.length) return [];
  const sameOrigin = pageOrigin !== 'null' && new URL(pageOrigin).origin === new URL(targetOrigin).origin;
  const attach = request.credentials === 'include' || (request.credentials === 'same-origin' && sameOrigin);
  if (!attach) return [];
  return cookies.map((c) => store(c, targetOrigin)).filter((c): c is StoredCookie => c !== null && sent(c, pageOrigin, targetOrigin)).map((c) => c.name);
}
