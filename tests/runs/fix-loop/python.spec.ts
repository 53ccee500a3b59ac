// The fix loop for the Python stacks (issue 21): a real Flask app with flask-cors under Werkzeug and
// a real FastAPI app with Starlette's CORSMiddleware under uvicorn, each with the mistakes their
// users make, checked in Chromium; the stack recognised from the `Server` header; then the app with
// the configuration the report printed pasted in as printed, checked clean. And Django with
// django-cors-headers under runserver, both Debian's (pip's index here has no django-cors-headers).
// Kinds no variant produces: origin-reflection (an arbitrary origin's read is credentials-reflection
// or wildcard-origin in the variants that have one, and folds every other read into it; the same
// `origins` fix); substring-match (these libraries compare exactly or with re.match/fullmatch,
// which never accept a shorter origin); blocked-origin-allowed (the loop's policy lists no blocked
// origin); duplicate-cors-header (each library sets its headers once: flask-cors skips an answer
// that has them, Starlette's and Django's set, not add; two layers are the nginx loop's);
// inconclusive-endpoint (no CORS fix). FastAPI: suffix-match and special-char-match
// (allow_origin_regex is fullmatched), missing-vary-origin (CORSMiddleware varies every answer),
// error-response-without-cors (its 404s pass through it; only an unhandled 500 does not, and the
// check asks no GET endpoint for a 500). Django: missing-vary-origin (every answer under
// CORS_URLS_REGEX varies).
import { fixLoop, type Variant } from './loop.ts';
import { startDjango, startFastApi, startFlask } from './python-stacks.ts';

const flask = (name: string, config: string, findings: string[], view?: string): Variant =>
  ({ name, findings, start: () => startFlask(config, { view }) });

fixLoop('Flask (flask-cors under Werkzeug): each mistake found, the printed fix fixes it', {
  stack: 'flask',
  variants: [
    // The seed article's bug: with the default origins ("*", a regex to flask-cors) and credentials,
    // every Origin is answered with itself and Access-Control-Allow-Credentials: true; and no
    // expose_headers, so the page cannot read X-Request-Id.
    flask('CORS(app, supports_credentials=True)', 'from flask_cors import CORS\nCORS(app, supports_credentials=True)',
      ['high credentials-reflection', 'low exposed-header-hidden']),
    // @cross_origin on the one view: Flask's 404 for any other path has no CORS headers. Its origins
    // a loose regex (re.match: anchored at the start only, dots unescaped, any scheme and port)
    // plus "null" for pages opened from disk; no supports_credentials, so the allowed origin's
    // credentialed read is refused; vary_header=False, so no Vary: Origin.
    flask('@cross_origin on one view, origins a loose regex and "null", no supports_credentials, vary_header=False',
      'from flask_cors import cross_origin',
      ['high allowed-origin-blocked', 'low null-origin', 'low suffix-match', 'low prefix-match', 'low unescaped-dot', 'low subdomain-trust',
        'low scheme-downgrade', 'low port-mismatch', 'low special-char-match', 'low error-response-without-cors', 'low missing-vary-origin'],
      '@cross_origin(origins=[r"https?://.*example.com", "null"], vary_header=False)'),
    // send_wildcard: Access-Control-Allow-Origin: * (flask-cors refuses it with supports_credentials),
    // which the credentialed endpoint cannot use.
    flask('CORS(app, send_wildcard=True)', 'from flask_cors import CORS\nCORS(app, send_wildcard=True)',
      ['medium wildcard-with-credentials', 'info wildcard-origin']),
  ],
  fixed: (config) => startFlask(config),
});

fixLoop('FastAPI (Starlette CORSMiddleware under uvicorn): each mistake found, the printed fix fixes it', {
  stack: 'starlette',
  variants: [
    {
      // allow_origins=["*"] with allow_credentials=True: Starlette answers every Origin with itself
      // and credentials; no expose_headers.
      name: 'allow_origins=["*"], allow_credentials=True',
      start: () => startFastApi(middleware('allow_origins=["*"],', 'allow_credentials=True,')),
      findings: ['high credentials-reflection', 'low exposed-header-hidden'],
    },
    {
      // A loose allow_origin_regex (fullmatch: anchored, but any prefix, any scheme, any port, dots
      // unescaped), "null" listed, allow_credentials forgotten.
      name: 'allow_origin_regex loose, "null" in allow_origins, no allow_credentials',
      start: () => startFastApi(middleware('allow_origins=["https://example.com", "null"],', 'allow_origin_regex=r"https?://.*example.com(:\\d+)?",')),
      // The refused credentialed read on the 200 and on the 404: one mistake, one finding.
      findings: ['high allowed-origin-blocked', 'low null-origin', 'low prefix-match', 'low unescaped-dot',
        'low subdomain-trust', 'low scheme-downgrade', 'low port-mismatch'],
    },
    {
      name: 'allow_origins=["*"]',
      start: () => startFastApi(middleware('allow_origins=["*"],')),
      findings: ['medium wildcard-with-credentials', 'info wildcard-origin'],
    },
  ],
  fixed: (config) => startFastApi(config),
});

const CORS_FIRST = 'MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware", *MIDDLEWARE]';

fixLoop('Django (django-cors-headers under runserver): each mistake found, the printed fix fixes it', {
  stack: 'django',
  variants: [
    {
      // CORS_ALLOW_ALL_ORIGINS with CORS_ALLOW_CREDENTIALS: every Origin answered with itself and
      // credentials; no CORS_EXPOSE_HEADERS.
      name: 'CORS_ALLOW_ALL_ORIGINS = True, CORS_ALLOW_CREDENTIALS = True',
      start: () => startDjango([CORS_FIRST, 'CORS_ALLOW_ALL_ORIGINS = True', 'CORS_ALLOW_CREDENTIALS = True'].join('\n')),
      findings: ['high credentials-reflection', 'low exposed-header-hidden'],
    },
    {
      // A loose CORS_ALLOWED_ORIGIN_REGEXES entry (re.match: from the start only, dots unescaped,
      // any scheme and port), "null" listed, CORS_URLS_REGEX only the endpoint (its 404s get no
      // headers), CORS_ALLOW_CREDENTIALS forgotten.
      name: 'CORS_ALLOWED_ORIGIN_REGEXES loose, "null" allowed, CORS_URLS_REGEX the endpoint alone, no CORS_ALLOW_CREDENTIALS',
      start: () => startDjango([CORS_FIRST, 'CORS_ALLOWED_ORIGINS = ["https://example.com", "null"]',
        'CORS_ALLOWED_ORIGIN_REGEXES = [r"https?://.*example.com"]', 'CORS_URLS_REGEX = r"^/fixloop/data$"'].join('\n')),
      findings: ['high allowed-origin-blocked', 'low null-origin', 'low suffix-match', 'low prefix-match', 'low unescaped-dot', 'low subdomain-trust',
        'low scheme-downgrade', 'low port-mismatch', 'low special-char-match', 'low error-response-without-cors'],
    },
    {
      name: 'CORS_ALLOW_ALL_ORIGINS = True',
      start: () => startDjango([CORS_FIRST, 'CORS_ALLOW_ALL_ORIGINS = True'].join('\n')),
      findings: ['medium wildcard-with-credentials', 'info wildcard-origin'],
    },
  ],
  fixed: (config) => startDjango(config),
});

/** CORSMiddleware added as FastAPI's docs do, with these argument lines. */
function middleware(...args: string[]): string {
  return ['from fastapi.middleware.cors import CORSMiddleware', '', 'app.add_middleware(', '    CORSMiddleware,', ...args.map((a) => `    ${a}`), ')'].join('\n');
}
