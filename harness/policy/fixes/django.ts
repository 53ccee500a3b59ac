// Django with django-cors-headers. Settings from its README
// (https://github.com/adamchainz/django-cors-headers#configuration): `CORS_ALLOWED_ORIGINS` (exact
// origins), `CORS_ALLOW_CREDENTIALS`, `CORS_ALLOW_METHODS`, `CORS_ALLOW_HEADERS`,
// `CORS_EXPOSE_HEADERS`, `CORS_URLS_REGEX`; `CorsMiddleware` "as high as possible", before any
// middleware that can answer (CommonMiddleware). It sends `Vary: Origin` itself.
import { pathPrefix, quoted, type StackFixRow } from './stack-fix.ts';

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
    `CORS_URLS_REGEX = r${JSON.stringify(`^${pathPrefix(endpoint)}.*$`)}`,
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
    errors: () => 'Put "corsheaders.middleware.CorsMiddleware" first in MIDDLEWARE, so the answers of the middleware below it (404s, CommonMiddleware redirects, errors) pass through it.',
    duplicate: () => 'Send the CORS headers from one layer: hide the proxy\'s, or remove CorsMiddleware here.',
    allow: ({ endpoint }) => `Cover the path with CORS_URLS_REGEX, set CORS_ALLOW_METHODS [${quoted(endpoint.methods)}]${endpoint.requestHeaders.length ? ` and CORS_ALLOW_HEADERS [${quoted(endpoint.requestHeaders.map((h) => h.toLowerCase()))}]` : ''}${endpoint.credentials ? ', and set CORS_ALLOW_CREDENTIALS = True' : ''}.`,
  },
};
