// Apache httpd with mod_headers and mod_setenvif. Directives from
// https://httpd.apache.org/docs/2.4/mod/mod_headers.html#header (`Header always set ... env=`; the
// `always` table also reaches error answers, the default `onsuccess` table holds what a proxied
// backend sent) and https://httpd.apache.org/docs/2.4/mod/mod_setenvif.html#setenvif (a regex on
// the Origin, anchored and escaped here); the preflight answer with mod_rewrite's [R=204]
// (https://httpd.apache.org/docs/2.4/rewrite/flags.html#flag_r: any valid status; outside 3xx the
// substitution is dropped and rewriting stops as with L). Seen with Apache 2.4 (Debian): the 204
// carries the `Header always` lines; plain `Header unset` (onsuccess) does remove a proxied app's
// copies; `%{HTTP_ORIGIN}e` is "(null)" (request headers are not in the environment; the Origin
// itself is "expr=%{req:Origin}").
import { exactOriginRegex, inContext, pathPrefix, CORS_RESPONSE_HEADERS, type StackFixRow } from './stack-fix.ts';

export const APACHE: StackFixRow = {
  label: 'Apache httpd (mod_headers)',
  library: 'mod_headers',
  docs: 'https://httpd.apache.org/docs/2.4/mod/mod_headers.html#header',
  language: 'apache',
  config: ({ policy, endpoint }) => [
    // All of it is valid at server level (SetEnvIf and RewriteRule too), not inside a <Directory>.
    inContext('the server config or the <VirtualHost>'),
    `SetEnvIf Origin "${exactOriginRegex(policy)}" CORS_ORIGIN=$0`,
    `<Location "${pathPrefix(endpoint)}">`,
    '    # A proxied app\'s own copies (the onsuccess table): one layer sends them.',
    ...CORS_RESPONSE_HEADERS.map((h) => `    Header unset ${h}`),
    '    Header always set Access-Control-Allow-Origin "%{CORS_ORIGIN}e" env=CORS_ORIGIN',
    '    Header always merge Vary Origin',
    ...(endpoint.credentials ? ['    Header always set Access-Control-Allow-Credentials "true" env=CORS_ORIGIN'] : []),
    ...(endpoint.exposedHeaders.length ? [`    Header always set Access-Control-Expose-Headers "${endpoint.exposedHeaders.join(', ')}" env=CORS_ORIGIN`] : []),
    `    Header always set Access-Control-Allow-Methods "${endpoint.methods.join(', ')}" env=CORS_ORIGIN`,
    ...(endpoint.requestHeaders.length ? [`    Header always set Access-Control-Allow-Headers "${endpoint.requestHeaders.join(', ')}" env=CORS_ORIGIN`] : []),
    '</Location>',
    'RewriteEngine On',
    'RewriteCond %{REQUEST_METHOD} OPTIONS',
    `RewriteRule ^${pathPrefix(endpoint)} - [R=204,L]`,
  ].join('\n'),
  change: {
    origins: ({ policy }) => `Match the Origin with SetEnvIf Origin "${exactOriginRegex(policy)}" (anchored, dots escaped) and set the header only with env=CORS_ORIGIN; never reflect every Origin (Header set Access-Control-Allow-Origin "expr=%{req:Origin}", or SetEnvIf Origin "(.+)").`,
    credentials: () => 'With Access-Control-Allow-Credentials "true", send "%{CORS_ORIGIN}e", never "*".',
    vary: () => 'Header always merge Vary Origin',
    expose: ({ endpoint }) => `Header always set Access-Control-Expose-Headers "${endpoint.exposedHeaders.join(', ')}" env=CORS_ORIGIN`,
    errors: () => 'Use Header always set (the always table) so 4xx and 5xx answers carry the headers; plain Header set only reaches 2xx answers.',
    duplicate: () => `Send the CORS headers from one layer: Header unset ${CORS_RESPONSE_HEADERS[0]} (and the other Access-Control-* headers) drops a proxied app's copies before Header always set adds Apache's; or remove Apache's and let the app send them.`,
    allow: ({ endpoint }) => `Header always set Access-Control-Allow-Origin "%{CORS_ORIGIN}e" env=CORS_ORIGIN${endpoint.credentials ? ' and Header always set Access-Control-Allow-Credentials "true" env=CORS_ORIGIN' : ''} on every answer; answer OPTIONS with 204 (RewriteRule ... [R=204,L]) with Access-Control-Allow-Methods "${endpoint.methods.join(', ')}"${endpoint.requestHeaders.length ? ` and Access-Control-Allow-Headers "${endpoint.requestHeaders.join(', ')}"` : ''}.`,
  },
};
