// Referrer Policy §8.3 "Determine request's Referrer" for the probe page calling a target: the
// `Referer` a request carries, and its CORS-preflight too (Fetch §4.8 CORS-preflight fetch, step 1:
// the preflight's referrer and referrer policy are the request's). The probe page's URL is its
// origin plus /probe.html; a request's policy is its own, else the page's default,
// strict-origin-when-cross-origin (Fetch §4.1 main fetch, step 8).
// https://w3c.github.io/webappsec-referrer-policy/#determine-requests-referrer
import { potentiallyTrustworthy } from './mixed-content.ts';

export const REFERRER_POLICIES = ['', 'no-referrer', 'no-referrer-when-downgrade', 'same-origin', 'origin', 'strict-origin', 'origin-when-cross-origin', 'strict-origin-when-cross-origin', 'unsafe-url'] as const;
export type ReferrerPolicy = (typeof REFERRER_POLICIES)[number];

export const REFERRER_POLICY_REF = 'Referrer Policy §8.3 Determine request\'s Referrer (https://w3c.github.io/webappsec-referrer-policy/#determine-requests-referrer)';

/** The `Referer` value a request from `pageUrl` to `targetUrl` carries under `policy`, or null for none. */
export function expectedReferer(policy: ReferrerPolicy, pageUrl: string, targetUrl: string): string | null {
  // An opaque page (a sandboxed frame, origin "null") has no URL the harness can name here.
  if (!URL.canParse(pageUrl)) return null;
  const page = new URL(pageUrl);
  if (page.origin === 'null') return null;
  const target = new URL(targetUrl);
  // Steps 3-5: the URL stripped for use as a referrer (no fragment, no user:pass), and its origin alone.
  page.hash = '';
  page.username = '';
  page.password = '';
  const full = page.href;
  const originOnly = `${page.origin}/`;
  const sameOrigin = page.origin === target.origin;
  // A secure page calling a URL that is not potentially trustworthy is a downgrade.
  const downgrade = potentiallyTrustworthy(page) && !potentiallyTrustworthy(target);
  switch (policy === '' ? 'strict-origin-when-cross-origin' : policy) {
    case 'no-referrer': return null;
    case 'origin': return originOnly;
    case 'unsafe-url': return full;
    case 'strict-origin': return downgrade ? null : originOnly;
    case 'strict-origin-when-cross-origin': return sameOrigin ? full : downgrade ? null : originOnly;
    case 'same-origin': return sameOrigin ? full : null;
    case 'origin-when-cross-origin': return sameOrigin ? full : originOnly;
    case 'no-referrer-when-downgrade': return downgrade ? null : full;
  }
  return null;
}
