// Flask with flask-cors. Options from its API docs (https://flask-cors.readthedocs.io/en/latest/api.html),
// checked against flask-cors 6.0.0's source (core.py, extension.py): `resources` (path regex ->
// options, matched with re.match, so from the start of the path only: "/api/*" covers every path
// under /api/), `origins`, `supports_credentials`, `methods`, `allow_headers`, `expose_headers`,
// `vary_header`, `send_wildcard`. An origin string with a regex character (* \ ] ? $ ^ [ ( ) but
// not ".") is a regex, matched with re.match (anchored at the start only); any other string is
// compared exactly. The default origins, "*", is the regex ".*": every Origin is answered with
// itself (with supports_credentials too), not with "*" (that needs send_wildcard=True).
// `vary_header` (default True) adds Vary: Origin only along with the headers it sets, and then
// only for several origins or a regex: never on the answers to an Origin it refuses, which vary
// too; no option changes that, so the configuration adds it with an after_request. CORS(app)
// registers an after_request that Flask also runs on its 404 and 500 answers (intercept_exceptions
// adds nothing there in Flask 3); @cross_origin covers its own view only.
import { pathPrefix, quoted, type StackFixRow } from './stack-fix.ts';

const resource = (path: string) => JSON.stringify(`${path}*`);
const pyBool = (b: boolean) => (b ? 'True' : 'False');

export const FLASK: StackFixRow = {
  label: 'Flask (flask-cors)',
  library: 'flask-cors',
  docs: 'https://flask-cors.readthedocs.io/en/latest/api.html',
  language: 'python',
  config: ({ policy, endpoint }) => [
    'from flask_cors import CORS',
    '',
    '# A list of exact strings: a string with a regex character (* ? ^ $ [ ( \\) is a regex to flask-cors.',
    `CORS(app, resources={r${resource(pathPrefix(endpoint))}: {`,
    `    "origins": [${quoted(policy.allowedOrigins)}],`,
    `    "supports_credentials": ${pyBool(endpoint.credentials)},`,
    `    "methods": [${quoted(endpoint.methods)}],`,
    ...(endpoint.requestHeaders.length ? [`    "allow_headers": [${quoted(endpoint.requestHeaders)}],`] : []),
    ...(endpoint.exposedHeaders.length ? [`    "expose_headers": [${quoted(endpoint.exposedHeaders)}],`] : []),
    '}})',
    '',
    '',
    '# flask-cors sends Vary: Origin only with the headers it adds; the answers it refuses vary too.',
    '@app.after_request',
    'def vary_on_origin(response):',
    '    response.vary.add("Origin")',
    '    return response',
  ].join('\n'),
  change: {
    origins: ({ policy }) => `Give origins as a list of exact strings, [${quoted(policy.allowedOrigins)}]: not "*" (the default, which answers every Origin with itself), and no regex (flask-cors matches one with re.match: from the start only, its dots any character).`,
    credentials: ({ policy }) => `supports_credentials=True needs origins=[${quoted(policy.allowedOrigins)}]: with the default "*" flask-cors answers every Origin with itself and Access-Control-Allow-Credentials: true.`,
    vary: () => 'Keep vary_header at its default (True) and add an after_request that calls response.vary.add("Origin"): flask-cors sends Vary: Origin only with the headers it adds (for one exact origin not even then), never on the answers it refuses.',
    expose: ({ endpoint }) => `Add expose_headers=[${quoted(endpoint.exposedHeaders)}].`,
    errors: ({ endpoint }) => `Apply CORS(app, resources={r${resource(pathPrefix(endpoint))}: ...}) to the app, not @cross_origin on single views: its after_request also runs on Flask's 404 and 500 answers under that path.`,
    duplicate: () => 'Send the CORS headers from one layer: hide the proxy\'s (or remove its add_header lines), or remove CORS(app) here.',
    allow: ({ endpoint }) => `Cover the path in resources, list methods [${quoted(endpoint.methods)}]${endpoint.requestHeaders.length ? ` and allow_headers [${quoted(endpoint.requestHeaders)}]` : ''}${endpoint.credentials ? ', and set supports_credentials=True' : ''}.`,
  },
};
