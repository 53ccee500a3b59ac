// The shape of one stack's fix table, and what the tables share. A stack's table (one file per
// stack in this folder) says, from the user's own policy, the whole correct CORS configuration in
// that stack's own library and options, and per lever what to change; `LEVER_OF` says which lever
// fixes each finding kind, so every table answers every kind. Pure.
import type { Policy, PolicyEndpoint } from '../policy-types.ts';
import type { FindingKind } from '../kinds.ts';

/** Stacks with a table, in the order the reports list them. */
export const STACK_IDS = [
  'express', 'koa', 'fastify', 'hono', 'flask', 'django', 'starlette', 'rails', 'spring', 'aspnet', 'go',
  'nginx', 'nginx-proxy', 'apache', 'caddy', 'generic',
] as const;
export type StackId = typeof STACK_IDS[number];

/** What a finding asks to change, in any stack. */
export type Lever =
  /** Which origins get Access-Control-Allow-Origin: the exact allowlist. */
  | 'origins'
  /** Credentials with an exact origin, never with `*`. */
  | 'credentials'
  | 'vary'
  | 'expose'
  /** The headers on 4xx/5xx answers too. */
  | 'errors'
  /** One layer sends the CORS headers, not two. */
  | 'duplicate'
  /** The allowed origins' requests (and preflights) answered at all. */
  | 'allow';

/** The lever that fixes each kind; null where the fix is not a CORS header (the kind's own fix says what). */
export const LEVER_OF: Record<FindingKind, Lever | null> = {
  'origin-reflection': 'origins',
  'credentials-reflection': 'origins',
  'wildcard-origin': 'origins',
  'null-origin': 'origins',
  'suffix-match': 'origins',
  'prefix-match': 'origins',
  'unescaped-dot': 'origins',
  'substring-match': 'origins',
  'special-char-match': 'origins',
  'scheme-downgrade': 'origins',
  'subdomain-trust': 'origins',
  'port-mismatch': 'origins',
  'blocked-origin-allowed': 'origins',
  'wildcard-with-credentials': 'credentials',
  'missing-vary-origin': 'vary',
  'exposed-header-hidden': 'expose',
  'error-response-without-cors': 'errors',
  'duplicate-cors-header': 'duplicate',
  'allowed-origin-blocked': 'allow',
  // A typo'd path or method: nothing in the CORS configuration to change.
  'inconclusive-endpoint': null,
};

/** What a table is built from: the policy and the endpoint the finding is on. */
export interface FixInput {
  policy: Policy;
  endpoint: PolicyEndpoint;
}

export interface StackFixRow {
  label: string;
  /** The library (or server module) whose options the table uses. */
  library: string;
  /** Where those options are documented. */
  docs: string;
  /** The code block's language (markdown fence, HTML class). */
  language: string;
  /** The complete CORS configuration for the endpoint, in the library's own options. */
  config: (p: FixInput) => string;
  /** Per lever, in one or two sentences: what to change in this stack. */
  change: Record<Lever, (p: FixInput) => string>;
}

/** A finding's fix in one stack, as every report renders it. */
export interface StackFix {
  stack: StackId;
  label: string;
  library: string;
  docs: string;
  language: string;
  change: string;
  config: string;
}

// ---- what the tables share --------------------------------------------------------------------

/** `"a", "b"`: a list of string literals (JSON quoting is valid JavaScript, Python, Go, C#, Java and Ruby here). */
export function quoted(values: readonly string[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

/** The endpoint's path without its last segment: the prefix a mount, resource or location uses. */
export function pathPrefix(endpoint: PolicyEndpoint): string {
  const p = endpoint.path.split('?')[0];
  const dir = p.endsWith('/') ? p : p.slice(0, p.lastIndexOf('/') + 1);
  return dir || '/';
}

/** A regex that matches exactly the allowed origins (dots escaped, anchored): for servers that only match by regex. */
export function exactOriginRegex(policy: Policy): string {
  return `^(${policy.allowedOrigins.map((o) => o.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`;
}

/**
 * The comment line that opens each part of a printed configuration and says where that part goes
 * (`# in http { }`, `# in location /api/ { }`): a server whose directives belong in different
 * contexts (nginx's map in http { }, its add_header lines in the location) prints one part per
 * context. A reader pastes each part there; the fix loop places each part by this line.
 */
export const inContext = (where: string) => `# in ${where}`;
/** A line that opens a part (always unindented and lower-case "in"; other comments never start so). */
export const CONTEXT_LINE = /^# in \S/;

/** Every CORS response header, for the layers that must drop another layer's. */
export const CORS_RESPONSE_HEADERS = [
  'Access-Control-Allow-Origin', 'Access-Control-Allow-Credentials', 'Access-Control-Allow-Methods',
  'Access-Control-Allow-Headers', 'Access-Control-Expose-Headers', 'Access-Control-Max-Age',
] as const;

/** The option names a JavaScript CORS middleware gives the same four settings (cors, @fastify/cors, @koa/cors, hono/cors). */
export interface JsOptionNames { methods: string; headers: string; expose: string }

/** A JavaScript middleware's credentials, methods, request and exposed headers, one option per line, from the endpoint. */
export function jsCorsOptionLines(endpoint: PolicyEndpoint, names: JsOptionNames): string[] {
  return [
    ...(endpoint.credentials ? ['  credentials: true,'] : []),
    `  ${names.methods}: [${quoted(endpoint.methods)}],`,
    ...(endpoint.requestHeaders.length ? [`  ${names.headers}: [${quoted(endpoint.requestHeaders)}],`] : []),
    ...(endpoint.exposedHeaders.length ? [`  ${names.expose}: [${quoted(endpoint.exposedHeaders)}],`] : []),
  ];
}
