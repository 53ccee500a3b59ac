// Caddy has no CORS directive: the `header` directive behind a named `header_regexp` matcher
// (https://caddyserver.com/docs/caddyfile/directives/header, https://caddyserver.com/docs/caddyfile/matchers#header-regexp),
// `respond` for the preflight, and in front of an app `reverse_proxy`'s `header_down -Name` to drop the
// app's copies (https://caddyserver.com/docs/caddyfile/directives/reverse_proxy#headers). No `defer`:
// Caddy 2.6 applies a deferred header only when a handler writes the answer, not to the error answer
// the server writes itself (file_server's 404 came without them; seen with caddy 2.6.2), while a
// header set before the handler runs stays on every answer, `respond`'s and the errors' alike (by
// design: https://github.com/caddyserver/caddy/issues/4480, /issues/6689).
import { exactOriginRegex, inContext, pathPrefix, CORS_RESPONSE_HEADERS, type StackFixRow } from './stack-fix.ts';

export const CADDY: StackFixRow = {
  label: 'Caddy (header directive)',
  library: 'Caddyfile header',
  docs: 'https://caddyserver.com/docs/caddyfile/directives/header',
  language: 'caddy',
  config: ({ policy, endpoint }) => [
    inContext('the site block { }'),
    `@cors_allowed header_regexp Origin ${exactOriginRegex(policy)}`,
    'header @cors_allowed {',
    '    Access-Control-Allow-Origin {http.request.header.Origin}',
    ...(endpoint.credentials ? ['    Access-Control-Allow-Credentials true'] : []),
    ...(endpoint.exposedHeaders.length ? [`    Access-Control-Expose-Headers "${endpoint.exposedHeaders.join(', ')}"`] : []),
    `    Access-Control-Allow-Methods "${endpoint.methods.join(', ')}"`,
    ...(endpoint.requestHeaders.length ? [`    Access-Control-Allow-Headers "${endpoint.requestHeaders.join(', ')}"`] : []),
    '}',
    'header +Vary Origin',
    '@preflight {',
    '    method OPTIONS',
    `    path ${pathPrefix(endpoint)}*`,
    '}',
    'respond @preflight 204',
    '# In front of an app: reverse_proxy app:8080 {',
    ...CORS_RESPONSE_HEADERS.map((h) => `#     header_down -${h}`),
    '# }',
  ].join('\n'),
  change: {
    origins: ({ policy }) => `Match the Origin with header_regexp Origin ${exactOriginRegex(policy)} (anchored, dots escaped) and set Access-Control-Allow-Origin only for @cors_allowed.`,
    credentials: () => 'With Access-Control-Allow-Credentials true, send {http.request.header.Origin} behind the matcher, never "*".',
    vary: () => 'header +Vary Origin on every answer.',
    expose: ({ endpoint }) => `Access-Control-Expose-Headers "${endpoint.exposedHeaders.join(', ')}" in the header @cors_allowed block.`,
    errors: () => 'Drop defer from the header block: a deferred header is only added when a handler writes the answer, never to the error Caddy writes itself (file_server\'s 404); without defer the headers are set before the handler runs and stay on every answer. In a handle_errors block of your own, repeat the header lines.',
    duplicate: () => `Send the CORS headers from one layer: in reverse_proxy, header_down -${CORS_RESPONSE_HEADERS[0]} (and the other Access-Control-* headers) drops the app's copies; or remove Caddy's header block.`,
    allow: ({ endpoint }) => `Send Access-Control-Allow-Origin {http.request.header.Origin}${endpoint.credentials ? ' and Access-Control-Allow-Credentials true' : ''} for @cors_allowed on every answer; answer OPTIONS with respond @preflight 204 and Access-Control-Allow-Methods "${endpoint.methods.join(', ')}"${endpoint.requestHeaders.length ? `, Access-Control-Allow-Headers "${endpoint.requestHeaders.join(', ')}"` : ''}.`,
  },
};
