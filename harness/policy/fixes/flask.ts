// Flask with flask-cors. Options from its API docs (https://flask-cors.readthedocs.io/en/latest/api.html):
// `resources` (path regex -> options), `origins` (a list of exact strings; a string is read as a
// regex), `supports_credentials`, `methods`, `allow_headers`, `expose_headers`, `vary_header`
// (default True) and `intercept_exceptions` (default True: error answers get the headers too).
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
    '# A list of exact strings: a single string is a regex to flask-cors.',
    `CORS(app, resources={r${resource(pathPrefix(endpoint))}: {`,
    `    "origins": [${quoted(policy.allowedOrigins)}],`,
    `    "supports_credentials": ${pyBool(endpoint.credentials)},`,
    `    "methods": [${quoted(endpoint.methods)}],`,
    ...(endpoint.requestHeaders.length ? [`    "allow_headers": [${quoted(endpoint.requestHeaders)}],`] : []),
    ...(endpoint.exposedHeaders.length ? [`    "expose_headers": [${quoted(endpoint.exposedHeaders)}],`] : []),
    '}})',
  ].join('\n'),
  change: {
    origins: ({ policy }) => `Give origins as a list of exact strings, [${quoted(policy.allowedOrigins)}]; not "*" (the default), and not a string or regex, which flask-cors matches as a pattern.`,
    credentials: ({ policy }) => `supports_credentials=True needs origins=[${quoted(policy.allowedOrigins)}]: with the default "*" flask-cors answers every Origin with itself and Access-Control-Allow-Credentials: true.`,
    vary: () => 'Keep vary_header at its default (True); a hand-written after_request needs response.vary.add("Origin").',
    expose: ({ endpoint }) => `Add expose_headers=[${quoted(endpoint.exposedHeaders)}].`,
    errors: () => 'Keep intercept_exceptions at its default (True) and apply CORS(app, ...) to the whole app, not with @cross_origin on single views, so 404 and 500 answers carry the headers.',
    duplicate: () => 'Send the CORS headers from one layer: hide the proxy\'s (or remove its add_header lines), or remove CORS(app) here.',
    allow: ({ endpoint }) => `Cover the path in resources, list methods [${quoted(endpoint.methods)}]${endpoint.requestHeaders.length ? ` and allow_headers [${quoted(endpoint.requestHeaders)}]` : ''}.`,
  },
};
