// Django with django-cors-headers. Settings from its README
// (https://github.com/adamchainz/django-cors-headers#configuration): `CORS_ALLOWED_ORIGINS` (exact
// origins), `CORS_ALLOW_CREDENTIALS`, `CORS_ALLOW_METHODS`, `CORS_ALLOW_HEADERS`,
// `CORS_EXPOSE_HEADERS`, `CORS_URLS_REGEX`; `CorsMiddleware` "as high as possible", before any
// middleware that can answer (CommonMiddleware). Checked against django-cors-headers 3.14's source
// (Debian's, which the fix loop runs): CORS_ALLOW_ALL_ORIGINS with CORS_ALLOW_CREDENTIALS answers
// every Origin with itself (without credentials, `*`); CORS_ALLOWED_ORIGIN_REGEXES entries are
// matched with re.match (from the start only); "null" is allowed when listed. It sends
// `Vary: Origin` itself on every answer under CORS_URLS_REGEX, and nothing on the others (their
// 404s included).
import { pathPrefix, quoted, type StackFixRow } from './stack-fix.ts';
import type { PolicyEndpoint } from '../policy-types.ts';

/** The endpoint's path prefix as CORS_URLS_REGEX: every path under it, its 404s included. */
const urlsRegex = (endpoint: PolicyEndpoint) => `r${JSON.stringify(`^${pathPrefix(endpoint)}.*$`)}`;

export const DJANGO: StackFixRow = {
  label: 'Django (django-cors-headers)',
  library: 'django-cors-headers',
  docs: 'https://github.com/adamchainz/django-cors-headers#configuration',
  language: 'python',
  config: ({ policy, endpoint }) => [
    '# settings.py',
    'MIDDLEWARE = [',
    '    "corsheaders.middleware.CorsMiddleware",  # first: before CommonMiddleware and anything that answers',
    '    # ...',
    ']',
    `CORS_ALLOWED_ORIGINS = [${quoted(policy.allowedOrigins)}]  # exact; no CORS_ALLOW_ALL_ORIGINS, no loose regexes`,
    `CORS_URLS_REGEX = ${urlsRegex(endpoint)}`,
    ...(endpoint.credentials ? ['CORS_ALLOW_CREDENTIALS = True'] : []),
    `CORS_ALLOW_METHODS = [${quoted(endpoint.methods)}]`,
    ...(endpoint.requestHeaders.length ? [`CORS_ALLOW_HEADERS = [${quoted(endpoint.requestHeaders.map((h) => h.toLowerCase()))}]`] : []),
    ...(endpoint.exposedHeaders.length ? [`CORS_EXPOSE_HEADERS = [${quoted(endpoint.exposedHeaders)}]`] : []),
  ].join('\n'),
  change: {
    origins: ({ policy }) => `Set CORS_ALLOWED_ORIGINS = [${quoted(policy.allowedOrigins)}] and remove CORS_ALLOW_ALL_ORIGINS and any CORS_ALLOWED_ORIGIN_REGEXES entry without ^, $ and escaped dots.`,
    credentials: ({ policy }) => `CORS_ALLOW_CREDENTIALS = True needs CORS_ALLOWED_ORIGINS = [${quoted(policy.allowedOrigins)}], not CORS_ALLOW_ALL_ORIGINS.`,
    vary: () => 'Let CorsMiddleware set the headers (it patches Vary: Origin); a hand-written view needs django.utils.cache.patch_vary_headers(response, ["Origin"]).',
    expose: ({ endpoint }) => `Set CORS_EXPOSE_HEADERS = [${quoted(endpoint.exposedHeaders)}].`,
    errors: ({ endpoint }) => `Cover the API's paths, its 404s included, with CORS_URLS_REGEX = ${urlsRegex(endpoint)}, and put "corsheaders.middleware.CorsMiddleware" first in MIDDLEWARE, so the answers of the middleware below it (CommonMiddleware redirects, errors) pass through it.`,
    duplicate: () => 'Send the CORS headers from one layer: hide the proxy\'s, or remove CorsMiddleware here.',
    allow: ({ endpoint }) => `Cover the path with CORS_URLS_REGEX, set CORS_ALLOW_METHODS [${quoted(endpoint.methods)}]${endpoint.requestHeaders.length ? ` and CORS_ALLOW_HEADERS [${quoted(endpoint.requestHeaders.map((h) => h.toLowerCase()))}]` : ''}${endpoint.credentials ? ', and set CORS_ALLOW_CREDENTIALS = True' : ''}.`,
  },
};
