// The origins a policy is tested from: each allowed origin, each blocked origin, `null` (a sandboxed
// frame), and attacker origins derived from each allowed one, each named by how it was made. An
// attacker origin is what a server's origin check gets wrong: string prefix/suffix tests, unescaped
// regex dots, substring matches, trusting every subdomain, scheme and port blindness (the scanners'
// payloads, research §1, but sent from a real page on that origin). Pure: no I/O.
import net from 'node:net';
import type { Derivation, OriginUnderTest, Policy } from './policy-types.ts';

/** `.test` is reserved (RFC 6761): no real site can ever live there. */
export const ATTACKER_DOMAIN = 'attacker.test';
/** The page that holds the sandboxed frame for `null` (its own origin does not matter: the frame's is opaque). */
export const SANDBOX_PAGE_ORIGIN = `http://sandbox.${ATTACKER_DOMAIN}`;
/**
 * Host characters some engines accept and some server checks treat as a boundary
 * (`example.com_.attacker.test` passes `/example\.com[^.]*$/`-style and split-based checks).
 * Seen here: Chromium 156 and WebKitGTK 2.50 load `_ $ + ! ~` hosts, Firefox 153 only `_ $ +`;
 * a backtick host loads in none. An engine that refuses a host does not run its checks.
 */
export const SPECIAL_CHARACTERS = ['_', '$', '+', '!', '~'];

const NOTES: Record<Derivation, string> = {
  arbitrary: 'an unrelated attacker origin: readable only if the server reflects any Origin (or sends *)',
  suffix: 'the allowed host with an attacker domain after it: passes startsWith() and unanchored regex checks',
  prefix: 'an attacker domain that ends with the allowed host: passes endsWith() checks',
  'unescaped-dot': 'a dot of the allowed host replaced by a letter: passes a regex whose dots are not escaped',
  substring: 'the allowed host shortened by one character: passes indexOf()/includes() checks on the Origin',
  subdomain: 'a subdomain of the allowed host: trusted only if the policy allows subdomains',
  'scheme-downgrade': 'the http:// form of an https origin: anyone on the network path can inject script there',
  port: 'the allowed host on another port: a different origin, often another service on the same host',
  'special-char': 'the allowed host followed by a special character and an attacker domain: passes checks that stop at the first non-domain character',
};

function hostOf(url: URL): string {
  return url.hostname;
}

function isIpHost(host: string): boolean {
  return net.isIP(host.replace(/^\[|\]$/g, '')) !== 0;
}

/** scheme://host[:port] through the URL parser, as a browser would serialize it; null if it cannot be an origin. */
export function serialize(scheme: string, host: string, port: string): string | null {
  try {
    const url = new URL(`${scheme}//${host}${port ? `:${port}` : ''}`);
    const origin = url.origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

interface Derived { origin: string; derivation: Derivation }

/** Every attacker origin made from one allowed origin, in a fixed order. */
export function deriveFrom(allowed: string): Derived[] {
  const url = new URL(allowed);
  const scheme = url.protocol;
  const host = hostOf(url);
  const port = url.port;
  const ip = isIpHost(host);
  const out: Derived[] = [];
  const add = (derivation: Derivation, origin: string | null) => { if (origin) out.push({ origin, derivation }); };
  add('suffix', serialize(scheme, `${host}.${ATTACKER_DOMAIN}`, port));
  if (!ip) {
    add('prefix', serialize(scheme, `attacker${host}`, port));
    // Each dot in turn (a regex may escape some and miss one); at most three, hosts rarely have more.
    const dots = [...host].flatMap((ch, i) => (ch === '.' ? [i] : [])).slice(-3);
    for (const i of dots.reverse()) add('unescaped-dot', serialize(scheme, `${host.slice(0, i)}x${host.slice(i + 1)}`, port));
    if (host.length > 3) add('substring', serialize(scheme, host.slice(0, -1), port));
    add('subdomain', serialize(scheme, `attacker.${host}`, port));
  }
  if (scheme === 'https:') add('scheme-downgrade', serialize('http:', host, port));
  const otherPort = port ? String(Number(port) === 65535 ? 65534 : Number(port) + 1) : scheme === 'https:' ? '8443' : '8080';
  add('port', serialize(scheme, host, otherPort));
  for (const ch of SPECIAL_CHARACTERS) add('special-char', serialize(scheme, `${host}${ch}.${ATTACKER_DOMAIN}`, port));
  return out;
}

/** Every origin a policy is tested from; the first reason an origin is listed wins (allowed first). */
export function originsUnderTest(policy: Policy): OriginUnderTest[] {
  const out: OriginUnderTest[] = [];
  const seen = new Set<string>();
  const target = new URL(policy.target).origin;
  const add = (o: OriginUnderTest) => {
    // A page on the target's own origin makes same-origin requests: no CORS to test.
    if (seen.has(o.origin) || o.origin === target) return;
    seen.add(o.origin);
    out.push(o);
  };
  for (const origin of policy.allowedOrigins) {
    add({ origin, kind: 'allowed', note: 'listed in allowedOrigins', expected: 'allowed', pageOrigin: origin });
  }
  for (const origin of policy.blockedOrigins) {
    add({ origin, kind: 'blocked', note: 'listed in blockedOrigins', expected: 'blocked', pageOrigin: origin });
  }
  add({ origin: 'null', kind: 'null', note: 'the opaque origin of a sandboxed frame (also data: and file: pages)', expected: 'blocked', pageOrigin: SANDBOX_PAGE_ORIGIN });
  const schemes = [...new Set(policy.allowedOrigins.map((o) => new URL(o).protocol))];
  for (const scheme of schemes) {
    const origin = `${scheme}//${ATTACKER_DOMAIN}`;
    add({ origin, kind: 'attacker', derivation: 'arbitrary', note: NOTES.arbitrary, expected: 'blocked', pageOrigin: origin });
  }
  for (const from of policy.allowedOrigins) {
    for (const d of deriveFrom(from)) {
      const allowedSubdomain = d.derivation === 'subdomain' && policy.allowSubdomains;
      add({
        origin: d.origin,
        kind: allowedSubdomain ? 'allowed' : 'attacker',
        derivation: d.derivation,
        from,
        note: allowedSubdomain ? 'a subdomain of an allowed origin (allowSubdomains is true)' : NOTES[d.derivation],
        expected: allowedSubdomain ? 'allowed' : 'blocked',
        pageOrigin: d.origin,
      });
    }
  }
  return out;
}
