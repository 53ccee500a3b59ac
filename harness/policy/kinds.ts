// Every finding kind, described once: its title, how severe it is, and how to fix it. A detector
// (findings.ts) only says which kind it saw and on which checks; everything a reader sees about the
// kind comes from here, so a new kind is one row here and its detector, and no reporter changes.
// Severity follows exploitability: an attacker origin that reads with the user's credentials is
// high (medium where it needs a foothold first: a subdomain, the network path, another port);
// reading without credentials is low; `*` without credentials is informational.
import type { Derivation, Finding, Policy, PolicyEndpoint, Severity } from './policy-types.ts';
import { LNA_FIX } from './blocked-reason.ts';
import { stackFix } from './fixes/stacks.ts';
import type { RecognizedStack } from './fixes/recognize.ts';

/** What a kind's severity may depend on: whether a credentialed request was read. */
export type SeverityRule = Severity | { credentialed: Severity; otherwise: Severity };

export interface FixContext {
  policy: Policy;
  endpoint: PolicyEndpoint;
  /** Every origin behind the finding. */
  origins: string[];
  /** The engine's own fix for a refused request, when it names one. */
  hint?: string;
  /** Exposed headers the page could not read. */
  hidden?: string[];
  /** The stack whose fix table the examples come from (none: the generic header-level one). */
  stack?: RecognizedStack;
}

export interface FindingKindRow {
  title: string;
  severity: SeverityRule;
  fix: (c: FixContext) => string;
  /** Whether the stack's fix applies (it does not where the fix is not a header). */
  examples?: (c: FixContext) => boolean;
  /** The attacker origin derivation whose read is this kind. */
  derivation?: Derivation;
}

const allowlist = (policy: Policy) => policy.allowedOrigins.join(', ');

// The value to send, literally: one allowed origin is the header's only value; with several it is
// the request's own Origin, and the first one shows what that looks like.
const send = ({ policy }: FixContext) => policy.allowedOrigins.length === 1
  ? `send Access-Control-Allow-Origin: ${policy.allowedOrigins[0]} only when the request's Origin is exactly ${policy.allowedOrigins[0]}, with Vary: Origin, and no Access-Control-Allow-Origin otherwise`
  : `send Access-Control-Allow-Origin with the request's Origin (e.g. ${policy.allowedOrigins[0]}) only when it is exactly one of ${allowlist(policy)}, with Vary: Origin, and no Access-Control-Allow-Origin otherwise`;

const EXACT = 'compare the whole Origin string with an exact allowlist (or anchor and escape a regex: ^https://example\\.com$)';

/** A loose origin check: what it accepts, then the same cure. */
const looseCheck = (what: (c: FixContext) => string) => (c: FixContext) => `${what(c)}: ${EXACT}; then ${send(c)}.`;

const reflection = (c: FixContext) =>
  `Stop echoing the Origin header unchecked: ${send(c)}${c.endpoint.credentials ? '; Access-Control-Allow-Credentials: true belongs only to those answers' : ''}.`;

const byCredentials = (credentialed: Severity): SeverityRule => ({ credentialed, otherwise: 'low' });

export const FINDING_KINDS = {
  'origin-reflection': {
    title: 'any origin can read the response (the Origin is reflected)',
    severity: 'low',
    derivation: 'arbitrary',
    fix: reflection,
  },
  'credentials-reflection': {
    title: 'any origin can read the response with the user\'s credentials (Origin reflected with Access-Control-Allow-Credentials: true)',
    severity: 'high',
    fix: reflection,
  },
  'wildcard-origin': {
    title: 'Access-Control-Allow-Origin: * lets any site read the response without credentials',
    severity: 'info',
    fix: (c) => `Access-Control-Allow-Origin: * lets every site read this endpoint without credentials. Keep it only if the data is public; otherwise ${send(c)}.`,
  },
  'null-origin': {
    title: 'the origin "null" (a sandboxed frame) can read the response',
    severity: byCredentials('high'),
    fix: (c) => `Never allow the origin "null" (sandboxed iframes, data: and file: pages all send it): send no Access-Control-Allow-Origin for Origin: null; ${send(c)}.`,
  },
  'suffix-match': {
    title: 'an attacker domain that starts with an allowed origin can read the response',
    severity: byCredentials('high'),
    derivation: 'suffix',
    fix: looseCheck(() => 'The origin check accepts any Origin that starts with an allowed one (startsWith, or a regex without $)'),
  },
  'prefix-match': {
    title: 'an attacker domain that ends with an allowed host can read the response',
    severity: byCredentials('high'),
    derivation: 'prefix',
    fix: looseCheck(() => 'The origin check accepts any Origin that ends with an allowed host (endsWith, or a regex without ^ and the scheme)'),
  },
  'unescaped-dot': {
    title: 'an unescaped regex dot lets a look-alike host read the response',
    severity: byCredentials('high'),
    derivation: 'unescaped-dot',
    fix: (c) => `A regex with an unescaped "." matches any character: escape the dots and anchor it, or ${EXACT}; then ${send(c)}.`,
  },
  'substring-match': {
    title: 'part of an allowed origin is accepted as an origin',
    severity: byCredentials('high'),
    derivation: 'substring',
    fix: looseCheck(() => 'The origin check accepts part of an allowed origin (includes/indexOf on the Origin)'),
  },
  'special-char-match': {
    title: 'a host with a special character after the allowed host can read the response',
    severity: byCredentials('high'),
    derivation: 'special-char',
    fix: looseCheck((c) => `The origin check stops at a special character in the host (${c.origins.slice(0, 2).join(', ')})`),
  },
  'scheme-downgrade': {
    title: 'the http:// form of an https origin can read the response',
    severity: byCredentials('medium'),
    derivation: 'scheme-downgrade',
    fix: ({ policy }) => `The http:// form of an https origin is trusted: anyone on the network path can inject script into the http page and read this API. Allow only the https:// origins (${allowlist(policy)}) and send Strict-Transport-Security on the front end.`,
  },
  'subdomain-trust': {
    title: 'any subdomain of an allowed origin can read the response',
    severity: byCredentials('medium'),
    derivation: 'subdomain',
    fix: (c) => `Every subdomain is trusted, so script on any of them (an XSS, a taken-over DNS name) reads this API: list the subdomains you mean exactly (or set "allowSubdomains": true in the policy if that is intended); ${send(c)}.`,
  },
  'port-mismatch': {
    title: 'an allowed host on another port can read the response',
    severity: byCredentials('medium'),
    derivation: 'port',
    fix: (c) => `The origin check ignores the port, so another service on the same host is trusted: compare the full origin, port included; ${send(c)}.`,
  },
  'blocked-origin-allowed': {
    title: 'an origin the policy blocks can read the response',
    severity: byCredentials('high'),
    fix: (c) => `Remove ${c.origins.join(', ')} from the server's allowlist: ${send(c)}.`,
  },
  'wildcard-with-credentials': {
    title: 'a credentialed endpoint answers Access-Control-Allow-Origin: *',
    severity: 'medium',
    fix: ({ policy }) => `Browsers reject Access-Control-Allow-Origin: * on a credentialed request. Send the exact origin instead (Access-Control-Allow-Origin: ${policy.allowedOrigins[0]} for a request from it) with Access-Control-Allow-Credentials: true and Vary: Origin.`,
  },
  'missing-vary-origin': {
    title: 'Access-Control-Allow-Origin depends on the Origin but Vary: Origin is missing',
    severity: 'low',
    fix: () => 'Send Vary: Origin on every response whose Access-Control-Allow-Origin depends on the Origin, including the answers without it; otherwise a shared cache (CDN, proxy) can serve one origin\'s answer to another.',
  },
  'allowed-origin-blocked': {
    title: 'an allowed origin cannot read the response',
    // Every real user on that origin is refused: an outage, as grave as a leak. (Local Network
    // Access is lowered to medium in severityOf: Chromium asks the user, who may grant it.)
    severity: 'high',
    fix: (c) => (c.hint === LNA_FIX ? `${LNA_FIX}.` : c.hint ? `${c.hint.replace(/\.$/, '')}.` : `Answer the allowed origins' requests with the CORS headers: ${send(c)}.`),
    // Local Network Access is about where the API lives, not its headers: no CORS example applies.
    examples: (c) => c.hint !== LNA_FIX,
  },
  'exposed-header-hidden': {
    title: 'an allowed origin cannot read a header the policy exposes',
    severity: 'low',
    fix: ({ hidden, endpoint }) => `Send Access-Control-Expose-Headers: ${(hidden ?? endpoint.exposedHeaders).join(', ')} on the actual response (and the header itself), so the page can read it.`,
  },
  'inconclusive-endpoint': {
    title: 'the endpoint answered only 404, 405 or 5xx, so its checks prove nothing',
    // Not a CORS mistake but a check that did not happen: a typo'd path or a method the route does
    // not take would otherwise pass every attacker check (a 404 without CORS headers is "blocked").
    severity: 'medium',
    fix: ({ endpoint, hint }) => `Check the policy's "path" (${endpoint.path}) and "methods" against the API: every answer to the allowed origins was ${hint ?? 'an error'}. Give a path and methods the API serves (a 2xx, 3xx or 4xx other than 404/405 for a valid request), or remove the method from the endpoint.`,
    examples: () => false,
  },
  'error-response-without-cors': {
    title: 'error responses carry no CORS headers, so the front end cannot read them',
    severity: 'low',
    fix: ({ endpoint }) => `Send the CORS headers on error answers too (404, 400, 401, 500): Access-Control-Allow-Origin: <allowed origin>${endpoint.credentials ? ', Access-Control-Allow-Credentials: true' : ''}, Vary: Origin.`,
  },
  'duplicate-cors-header': {
    title: 'Access-Control-Allow-Origin is sent more than once, so the engines refuse the answer',
    // The allowed origins' own requests fail: an outage, as grave as allowed-origin-blocked. Lowered
    // to low in severityOf when only error answers carry the copies.
    severity: 'high',
    fix: (c) => `Two layers (a proxy and the app, or two middlewares) each add the CORS headers; the engines accept exactly one Access-Control-Allow-Origin value. Send them from one layer only: ${send(c)}.`,
  },
} as const satisfies Record<string, FindingKindRow>;

/** The hint of a duplicate-cors-header finding seen on error answers only (their fix is the same, the harm smaller). */
export const DUPLICATE_ON_ERRORS_ONLY = 'only error answers carry the copies';

export type FindingKind = keyof typeof FINDING_KINDS;

export const FINDING_KIND_IDS = Object.keys(FINDING_KINDS) as FindingKind[];

export function kindRow(kind: FindingKind): FindingKindRow {
  return FINDING_KINDS[kind];
}

/** `hint`: the engine's own fix; Local Network Access's means the user can still grant access. */
export function severityOf(kind: FindingKind, credentialed: boolean, hint?: string): Severity {
  if (kind === 'allowed-origin-blocked' && hint === LNA_FIX) return 'medium';
  if (kind === 'duplicate-cors-header' && hint === DUPLICATE_ON_ERRORS_ONLY) return 'low';
  const rule = kindRow(kind).severity;
  return typeof rule === 'string' ? rule : credentialed ? rule.credentialed : rule.otherwise;
}

/** The kind an attacker origin's read is, by how the origin was derived from an allowed one. */
export function kindForDerivation(derivation: Derivation): FindingKind | undefined {
  return FINDING_KIND_IDS.find((k) => kindRow(k).derivation === derivation);
}

/** The kind's fix in words, and in the recognised stack's table (and the app's behind a proxy). */
export function fixFor(kind: FindingKind, c: FixContext): Pick<Finding, 'fix' | 'examples'> {
  const row = kindRow(kind);
  const applies = row.examples?.(c) ?? true;
  const stacks = c.stack ? [c.stack.stack, ...(c.stack.app ? [c.stack.app] : [])] : ['generic' as const];
  const examples = applies ? stacks.map((s) => stackFix(s, kind, c)).filter((x) => x !== null) : [];
  return { fix: row.fix(c), examples };
}
