// Apache httpd with mod_headers and mod_setenvif. Directives from
// https://httpd.apache.org/docs/2.4/mod/mod_headers.html#header (`Header always set ... env=`; the
// `always` table also reaches error answers, the default `onsuccess` table holds what a proxied
// backend sent) and https://httpd.apache.org/docs/2.4/mod/mod_setenvif.html#setenvif (a regex on
// the Origin, anchored and escaped here); the preflight answer with mod_rewrite's [R=204].
import { exactOriginRegex, pathPrefix, CORS_RESPONSE_HEADERS, type StackFixRow } from './stack-fix.ts';

export const APACHE: StackFixRow = {
  label: 'Apache httpd (mod_headers)',
  library: 'mod_headers',
  docs: 'https://httpd.apache.org/docs/2.4/mod/mod_headers.html#header',
  language: 'apache',
  config: ({ policy, endpoint }) => [
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
    origins: ({ policy }) => `Match the Origin with SetEnvIf Origin "${exactOriginRegex(policy)}" (anchored, dots escaped) and set the header only with env=CORS_ORIGIN; never Header set Access-Control-Allow-Origin "%{HTTP_ORIGIN}e" unconditionally.`,
    credentials: () => 'With Access-Control-Allow-Credentials "true", send "%{CORS_ORIGIN}e", never "*".',
    vary: () => 'Header always merge Vary Origin',
    expose: ({ endpoint }) => `Header always set Access-Control-Expose-Headers "${endpoint.exposedHeaders.join(', ')}" env=CORS_ORIGIN`,
    errors: () => 'Use Header always set (the always table) so 4xx and 5xx answers carry the headers; plain Header set only reaches 2xx answers.',
    duplicate: () => `Send the CORS headers from one layer: Header unset ${CORS_RESPONSE_HEADERS[0]} (and the other Access-Control-* headers) drops a proxied app's copies before Header always set adds Apache's; or remove Apache's and let the app send them.`,
    allow: ({ endpoint }) => `Answer OPTIONS with 204 (RewriteRule ... [R=204,L]) with Access-Control-Allow-Methods "${endpoint.methods.join(', ')}"${endpoint.requestHeaders.length ? ` and Access-Control-Allow-Headers "${endpoint.requestHeaders.join(', ')}"` : ''}.`,
  },
};
