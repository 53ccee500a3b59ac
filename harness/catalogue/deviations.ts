// Where an engine knowingly differs from the Fetch standard (the oracle), recorded per engine with
// its evidence. A deviation is never recorded to make a test pass: each names what was observed on
// these machines (target-side counts, the engine's own message) and where the behaviour lives.
// The report shows both the oracle's verdict and the recorded behaviour.
import type { EngineExpectation, EngineId, Scenario } from '../types.ts';

type Deviations = Record<string, Partial<Record<EngineId, EngineExpectation>>>;

const AUTHORIZATION_WILDCARD = 'WPT fetch/api/cors/cors-preflight-star.any.js ("* does not cover Authorization"); observed: the target received the actual request with Authorization after a preflight answered ACAH *';
const SECOND_OPTIONS = 'observed: the target counted a second OPTIONS for the identical follow-up request';

export const deviations: Deviations = {
  'acah-star-authorization': {
    chromium: { outcome: 'allowed', preflight: true, source: `${AUTHORIZATION_WILDCARD}. Chromium keeps feature CorsNonWildcardRequestHeadersSupport disabled by default (services/network/cors/preflight_result.cc)` },
    firefox: { outcome: 'allowed', preflight: true, source: `${AUTHORIZATION_WILDCARD}. Firefox pref network.cors_preflight.authorization_covered_by_wildcard defaults to true (nsCORSListenerProxy.cpp; logs CORSAllowHeaderFromPreflightDeprecation)` },
    webkit: { outcome: 'allowed', preflight: true, source: `${AUTHORIZATION_WILDCARD}. WebKit's validWildcard covers every non-safelisted header (CrossOriginPreflightResultCache.cpp)` },
  },
  'cache-max-age-negative': {
    chromium: { outcome: 'allowed', preflight: true, source: `${SECOND_OPTIONS}: Chromium treats Access-Control-Max-Age: -1 as "do not cache" where Fetch falls back to 5 s (services/network/cors/preflight_result.cc)` },
    firefox: { outcome: 'allowed', preflight: true, source: `${SECOND_OPTIONS}: Firefox does not cache a non-digit max-age (nsCORSListenerProxy.cpp); see also the Firefox preflight-cache note` },
    webkit: { outcome: 'allowed', preflight: true, source: `${SECOND_OPTIONS}: WebKit parses -1 as a number and caches for 0 s (CrossOriginPreflightResultCache.cpp parseAccessControlMaxAge)` },
  },
  'cache-reflect-no-vary': {
    webkit: { outcome: 'allowed', preflight: false, source: 'observed: the target received a second GET from the second page origin although the first response was cacheable without Vary: Origin; WebKit does not reuse a cached response that fails the CORS check for the new origin and fetches it again (WebCore CachedResourceLoader / NetworkCache)' },
  },
  'fault-malformed-status': {
    chromium: { outcome: 'allowed', preflight: false, source: 'observed: Chromium read status and body of a response whose status line is "HTTP/1.1 2OO Okay-ish" (its HTTP/1 parser tolerates a malformed status code); Firefox and WebKitGTK fail the request' },
  },
  'fault-huge-headers': {
    firefox: { outcome: 'allowed', preflight: false, source: 'observed: Firefox read a response carrying 300 KB of headers (Necko has no 256 KB header cap); Chromium (ERR_RESPONSE_HEADERS_TOO_BIG) and WebKitGTK fail the request' },
  },
  'lna-public-to-loopback-denied': {
    chromium: { outcome: 'blocked', preflight: false, source: 'Chromium Local Network Access (shipped in 142): its message "has been blocked by CORS policy: Permission was denied for this request to access the `loopback` address space."; the target received nothing' },
  },
};

/**
 * Firefox ESR 153 driven over WebDriver BiDi sends a fresh preflight for every request: the
 * target counts one OPTIONS per request whatever Access-Control-Max-Age says. Firefox's preflight
 * cache (nsCORSListenerProxy, up to 24 h) is not used in these sessions; whether plain Firefox
 * behaves the same is not established here, so the source says so.
 */
const FIREFOX_NO_PREFLIGHT_CACHE = ['cache-max-age-600', 'cache-max-age-absent', 'cache-max-age-text', 'cache-listed-header', 'cache-new-method'];
for (const id of FIREFOX_NO_PREFLIGHT_CACHE) {
  deviations[id] = {
    ...deviations[id],
    firefox: { outcome: 'allowed', preflight: true, source: `${SECOND_OPTIONS} (Firefox ESR 153 over WebDriver BiDi never reused a preflight in this harness; not verified outside a BiDi session)` },
  };
}

/** Attach the recorded deviations to the catalogue's scenarios. */
export function withDeviations(scenarios: Scenario[]): Scenario[] {
  const known = new Set(scenarios.map((s) => s.id));
  for (const id of Object.keys(deviations)) if (!known.has(id)) throw new Error(`deviations.ts names unknown scenario ${id}`);
  return scenarios.map((s) => deviations[s.id]
    ? { ...s, expect: { ...s.expect, engines: { ...s.expect?.engines, ...deviations[s.id] } } }
    : s);
}
