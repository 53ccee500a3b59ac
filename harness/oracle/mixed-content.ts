// Mixed Content (W3C Mixed Content Level 2, section 4.4 "Should fetching request be blocked as mixed
// content?", which Fetch's "main fetch" step 7 calls): a request from a secure (https) page to a URL
// that is not potentially trustworthy is a network error before CORS is consulted. Loopback hosts
// are potentially trustworthy (Secure Contexts, section 3.2), so the default 127.0.0.1 pair never is.

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost|.+\.localhost)$/;

/** Secure Contexts section 3.2 "Is origin potentially trustworthy?", for the origins the harness uses. */
export function potentiallyTrustworthy(origin: URL): boolean {
  return origin.protocol === 'https:' || origin.protocol === 'wss:' || LOOPBACK.test(origin.hostname);
}

export function blockedAsMixedContent(pageOrigin: string, targetUrl: string): boolean {
  if (pageOrigin === 'null') return false;
  return new URL(pageOrigin).protocol === 'https:' && !potentiallyTrustworthy(new URL(targetUrl));
}
