// The fix for each finding kind: which header to send with which value, and the same in the two
// places most APIs set CORS, Express with the `cors` middleware and nginx. Built from the policy, so
// the examples carry the user's own origins, methods and headers. Pure.
import type { FindingKind, Policy, PolicyEndpoint } from './types.ts';
import { LNA_FIX } from './explain.ts';

export interface Fix {
  fix: string;
  examples: { express?: string; nginx?: string };
}

function list(values: string[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

/** The location an nginx example sits in: the endpoint's path without its last segment. */
function location(endpoint: PolicyEndpoint): string {
  const p = endpoint.path.split('?')[0];
  const dir = p.endsWith('/') ? p : p.slice(0, p.lastIndexOf('/') + 1);
  return dir || '/';
}

export function expressExample(policy: Policy, endpoint: PolicyEndpoint): string {
  const lines = [
    "import cors from 'cors';",
    '',
    '// Exact strings: never origin: true, never a RegExp without ^ and $.',
    `app.use(${JSON.stringify(location(endpoint).replace(/\/$/, '') || '/')}, cors({`,
    `  origin: [${list(policy.allowedOrigins)}],`,
  ];
  if (endpoint.credentials) lines.push('  credentials: true,');
  lines.push(`  methods: [${list(endpoint.methods)}],`);
  if (endpoint.requestHeaders.length) lines.push(`  allowedHeaders: [${list(endpoint.requestHeaders)}],`);
  if (endpoint.exposedHeaders.length) lines.push(`  exposedHeaders: [${list(endpoint.exposedHeaders)}],`);
  lines.push('}));', '// Mounted before the routes and error handlers, so 404s and errors carry the headers too.');
  return lines.join('\n');
}

export function nginxExample(policy: Policy, endpoint: PolicyEndpoint): string {
  const map = policy.allowedOrigins.map((o) => `    "${o}" $http_origin;`).join('\n');
  const lines = [
    'map $http_origin $cors_origin {',
    '    default "";',
    `${map}   # exact strings: no ~ regex`,
    '}',
    '',
    `location ${location(endpoint)} {`,
    '    # `always`: also on 4xx/5xx answers; without it nginx drops these headers there.',
    '    add_header Access-Control-Allow-Origin $cors_origin always;',
    '    add_header Vary Origin always;',
  ];
  if (endpoint.credentials) lines.push('    add_header Access-Control-Allow-Credentials true always;');
  if (endpoint.exposedHeaders.length) lines.push(`    add_header Access-Control-Expose-Headers "${endpoint.exposedHeaders.join(', ')}" always;`);
  lines.push(
    '    if ($request_method = OPTIONS) {',
    '        add_header Access-Control-Allow-Origin $cors_origin always;',
    '        add_header Vary Origin always;',
    ...(endpoint.credentials ? ['        add_header Access-Control-Allow-Credentials true always;'] : []),
    `        add_header Access-Control-Allow-Methods "${endpoint.methods.join(', ')}" always;`,
    ...(endpoint.requestHeaders.length ? [`        add_header Access-Control-Allow-Headers "${endpoint.requestHeaders.join(', ')}" always;`] : []),
    '        return 204;',
    '    }',
    '}',
  );
  return lines.join('\n');
}

function allowlist(policy: Policy): string {
  return policy.allowedOrigins.join(', ');
}

const EXACT = 'compare the whole Origin string with an exact allowlist (or anchor and escape a regex: ^https://example\\.com$)';

export function fixFor(kind: FindingKind, policy: Policy, endpoint: PolicyEndpoint, detail: { origins: string[]; hint?: string; hidden?: string[] }): Fix {
  const examples = { express: expressExample(policy, endpoint), nginx: nginxExample(policy, endpoint) };
  const send = `send Access-Control-Allow-Origin: <the request's Origin> only when it is exactly one of ${allowlist(policy)}, with Vary: Origin, and no Access-Control-Allow-Origin otherwise`;
  switch (kind) {
    case 'origin-reflection':
    case 'credentials-reflection':
      return { fix: `Stop echoing the Origin header unchecked: ${send}${endpoint.credentials ? '; Access-Control-Allow-Credentials: true belongs only to those answers' : ''}.`, examples };
    case 'wildcard-origin':
      return { fix: `Access-Control-Allow-Origin: * lets every site read this endpoint without credentials. Keep it only if the data is public; otherwise ${send}.`, examples };
    case 'null-origin':
      return { fix: `Never allow the origin "null" (sandboxed iframes, data: and file: pages all send it): send no Access-Control-Allow-Origin for Origin: null; ${send}.`, examples };
    case 'suffix-match':
      return { fix: `The origin check accepts any Origin that starts with an allowed one (startsWith, or a regex without $): ${EXACT}; then ${send}.`, examples };
    case 'prefix-match':
      return { fix: `The origin check accepts any Origin that ends with an allowed host (endsWith, or a regex without ^ and the scheme): ${EXACT}; then ${send}.`, examples };
    case 'unescaped-dot':
      return { fix: `A regex with an unescaped "." matches any character: escape the dots and anchor it, or ${EXACT}; then ${send}.`, examples };
    case 'substring-match':
      return { fix: `The origin check accepts part of an allowed origin (includes/indexOf on the Origin): ${EXACT}; then ${send}.`, examples };
    case 'special-char-match':
      return { fix: `The origin check stops at a special character in the host (${detail.origins.slice(0, 2).join(', ')}): ${EXACT}; then ${send}.`, examples };
    case 'subdomain-trust':
      return { fix: `Every subdomain is trusted, so script on any of them (an XSS, a taken-over DNS name) reads this API: list the subdomains you mean exactly (or set "allowSubdomains": true in the policy if that is intended); ${send}.`, examples };
    case 'scheme-downgrade':
      return { fix: `The http:// form of an https origin is trusted: anyone on the network path can inject script into the http page and read this API. Allow only the https:// origins (${allowlist(policy)}) and send Strict-Transport-Security on the front end.`, examples };
    case 'port-mismatch':
      return { fix: `The origin check ignores the port, so another service on the same host is trusted: compare the full origin, port included; ${send}.`, examples };
    case 'blocked-origin-allowed':
      return { fix: `Remove ${detail.origins.join(', ')} from the server's allowlist: ${send}.`, examples };
    case 'wildcard-with-credentials':
      return { fix: `Browsers reject Access-Control-Allow-Origin: * on a credentialed request. Send the exact origin instead (Access-Control-Allow-Origin: ${policy.allowedOrigins[0]} for a request from it) with Access-Control-Allow-Credentials: true and Vary: Origin.`, examples };
    case 'missing-vary-origin':
      return { fix: 'Send Vary: Origin on every response whose Access-Control-Allow-Origin depends on the Origin, including the answers without it; otherwise a shared cache (CDN, proxy) can serve one origin\'s answer to another. Express: res.vary(\'Origin\') (the cors middleware adds it for an allowlist); nginx: add_header Vary Origin always;', examples };
    case 'exposed-header-hidden':
      return { fix: `Send Access-Control-Expose-Headers: ${(detail.hidden ?? endpoint.exposedHeaders).join(', ')} on the actual response (and the header itself), so the page can read it.`, examples };
    case 'error-response-without-cors':
      return { fix: `Send the CORS headers on error answers too (404, 400, 401, 500): Access-Control-Allow-Origin: <allowed origin>${endpoint.credentials ? ', Access-Control-Allow-Credentials: true' : ''}, Vary: Origin. Express: mount cors() before the routes and the error handlers; nginx: add "always" to each add_header.`, examples };
    case 'allowed-origin-blocked':
      // Local Network Access is about where the API lives, not its headers: no CORS example applies.
      if (detail.hint === LNA_FIX) return { fix: `${LNA_FIX}.`, examples: {} };
      return { fix: detail.hint ? `${detail.hint.replace(/\.$/, '')}.` : `Answer the allowed origins' requests with the CORS headers: ${send}.`, examples };
  }
}
