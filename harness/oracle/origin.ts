// Origins as Fetch uses them: a request's origin, the origin of each URL it visits, and the
// serialization that goes into `Origin` and that the CORS check compares against.

/** The serialization of an opaque origin (a sandboxed page, or any redirect-tainted request). */
export const OPAQUE_ORIGIN = 'null';

/** The ASCII serialization of a URL's (or an origin string's) origin: `scheme://host[:port]`. */
export function originOf(url: string): string {
  if (url === OPAQUE_ORIGIN) return OPAQUE_ORIGIN;
  return new URL(url).origin;
}

// HTML same origin: an opaque origin is same origin only with itself, and a request's opaque
// origin is never the origin of a URL, so `null` never matches here.
// https://html.spec.whatwg.org/multipage/browsers.html#same-origin
export function sameOrigin(a: string, b: string): boolean {
  return a !== OPAQUE_ORIGIN && b !== OPAQUE_ORIGIN && originOf(a) === originOf(b);
}

// URL Standard: a URL includes credentials when its username or password is non-empty.
// https://url.spec.whatwg.org/#include-credentials
export function includesCredentials(url: string): boolean {
  const parsed = new URL(url);
  return parsed.username !== '' || parsed.password !== '';
}

export interface OriginBearer {
  /** The request's origin, serialized; `null` for an opaque origin. */
  readonly origin: string;
  readonly urlList: readonly string[];
}

// Fetch §2.2.5 redirect-taint. https://fetch.spec.whatwg.org/#concept-request-tainted-origin
// The standard splits a tainted request into "same-site" and "cross-site"; that split only feeds
// cookie rules, so the oracle keeps "same-origin" versus "tainted", which is all the
// serialization below needs.
export function redirectTaint(request: OriginBearer): 'same-origin' | 'tainted' {
  // 2-4. Walk the URL list; a hop between two origins, away from a URL that is not the
  // request's own origin, taints the request.
  for (let i = 1; i < request.urlList.length; i++) {
    const lastURL = request.urlList[i - 1];
    const url = request.urlList[i];
    if (!sameOrigin(url, lastURL) && !sameOrigin(request.origin, lastURL)) return 'tainted';
  }
  // 5.
  return 'same-origin';
}

// Fetch §2.2.5 serializing a request origin: `null` once redirect-tainted.
// https://fetch.spec.whatwg.org/#serializing-a-request-origin
export function serializeRequestOrigin(request: OriginBearer): string {
  // 2. If request's redirect-taint is not "same-origin", then return "null".
  if (redirectTaint(request) !== 'same-origin') return OPAQUE_ORIGIN;
  // 3. Return request's origin, serialized.
  return request.origin;
}
