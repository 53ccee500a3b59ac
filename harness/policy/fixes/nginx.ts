// nginx answering on its own (static files, or an app that sends no CORS headers). Directives from
// the nginx docs: `map` (http://nginx.org/en/docs/http/ngx_http_map_module.html: exact strings
// unless a value starts with ~), `add_header ... always`
// (http://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header: without `always` only
// 200, 201, 204, 206, 301, 302, 303, 304, 307 and 308 get the header; an `add_header` in a block
// replaces every inherited one, hence the repetition inside `if`). The map goes in http { }, the
// rest in the user's own location: the printed parts say so (`# in http { }`).
import { CORS_RESPONSE_HEADERS, inContext, pathPrefix, type FixInput, type StackFixRow } from './stack-fix.ts';

/**
 * Two parts, each opened by the line that says where it goes: the map of exact allowed origins to
 * `$cors_origin` in http { } (map is valid only there), and the headers every answer gets inside the
 * location that serves the endpoint (next to its root, return or proxy_pass; `extra` adds lines there).
 */
export function nginxBlocks({ policy, endpoint }: FixInput, extra: string[]): string {
  const map = policy.allowedOrigins.map((o) => `    "${o}" $http_origin;`).join('\n');
  return [
    inContext('http { }'),
    'map $http_origin $cors_origin {',
    '    default "";',
    `${map}   # exact strings: no ~ regex`,
    '}',
    '',
    inContext(`location ${pathPrefix(endpoint)} { }`),
    ...extra,
    '    # `always`: also on 4xx/5xx answers; without it nginx drops these headers there.',
    '    add_header Access-Control-Allow-Origin $cors_origin always;',
    '    add_header Vary Origin always;',
    ...(endpoint.credentials ? ['    add_header Access-Control-Allow-Credentials true always;'] : []),
    ...(endpoint.exposedHeaders.length ? [`    add_header Access-Control-Expose-Headers "${endpoint.exposedHeaders.join(', ')}" always;`] : []),
    '    if ($request_method = OPTIONS) {',
    '        add_header Access-Control-Allow-Origin $cors_origin always;',
    '        add_header Vary Origin always;',
    ...(endpoint.credentials ? ['        add_header Access-Control-Allow-Credentials true always;'] : []),
    `        add_header Access-Control-Allow-Methods "${endpoint.methods.join(', ')}" always;`,
    ...(endpoint.requestHeaders.length ? [`        add_header Access-Control-Allow-Headers "${endpoint.requestHeaders.join(', ')}" always;`] : []),
    '        return 204;',
    '    }',
  ].join('\n');
}

export const NGINX_CHANGE: StackFixRow['change'] = {
  origins: ({ policy }) => `Map only the exact origins (${policy.allowedOrigins.join(', ')}) to $cors_origin: no ~ or ~* regex entries, or anchor them (^...$) and escape the dots; never add_header Access-Control-Allow-Origin $http_origin unconditionally.`,
  credentials: () => 'With Access-Control-Allow-Credentials true, send $cors_origin (the exact origin), never "*".',
  vary: () => 'add_header Vary Origin always; next to every Access-Control-Allow-Origin.',
  expose: ({ endpoint }) => `add_header Access-Control-Expose-Headers "${endpoint.exposedHeaders.join(', ')}" always;`,
  errors: () => 'Add `always` to every add_header, and repeat all of them in any block (if, nested location) that has an add_header of its own: it replaces the inherited ones.',
  duplicate: () => `Send the CORS headers from one layer. If an app behind proxy_pass sends them too, hide its copies (proxy_hide_header ${CORS_RESPONSE_HEADERS[0]}; and the other Access-Control-* headers) or remove the add_header lines here.`,
  allow: ({ endpoint }) => `add_header Access-Control-Allow-Origin $cors_origin always;${endpoint.credentials ? ' and add_header Access-Control-Allow-Credentials true always;' : ''} on every answer; answer OPTIONS with 204 and Access-Control-Allow-Methods "${endpoint.methods.join(', ')}"${endpoint.requestHeaders.length ? ` and Access-Control-Allow-Headers "${endpoint.requestHeaders.join(', ')}"` : ''}, and list every allowed origin in the map.`,
};

export const NGINX: StackFixRow = {
  label: 'nginx',
  library: 'ngx_http_headers_module',
  docs: 'http://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header',
  language: 'nginx',
  config: (p) => nginxBlocks(p, []),
  change: NGINX_CHANGE,
};
