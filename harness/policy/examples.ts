// A finding's fix as code, in the two places most APIs set CORS: Express with the `cors` middleware
// and nginx. Built from the policy, so the examples carry the user's own origins, methods and
// headers. Pure.
import type { Policy, PolicyEndpoint } from './policy-types.ts';

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
