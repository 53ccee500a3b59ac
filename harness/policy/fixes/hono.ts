// Hono's built-in CORS middleware. Options from https://hono.dev/docs/middleware/builtin/cors:
// `origin` (a string, an array of exact strings, or a function), `allowMethods`, `allowHeaders`,
// `exposeHeaders`, `credentials`. For every origin but '*' (a string, an array, a function) it
// appends `Vary: Origin` after the handler (dist/middleware/cors/index.js); the headers it sets
// before the handler stay on app.notFound and app.onError answers (Context's res setter copies them).
import { jsCorsOptionLines, pathPrefix, quoted, type StackFixRow } from './stack-fix.ts';

export const HONO: StackFixRow = {
  label: 'Hono (hono/cors)',
  library: 'hono/cors',
  docs: 'https://hono.dev/docs/middleware/builtin/cors',
  language: 'ts',
  config: ({ policy, endpoint }) => [
    "import { cors } from 'hono/cors';",
    '',
    `app.use(${JSON.stringify(`${pathPrefix(endpoint)}*`)}, cors({`,
    `  origin: [${quoted(policy.allowedOrigins)}],`,
    ...jsCorsOptionLines(endpoint, { methods: 'allowMethods', headers: 'allowHeaders', expose: 'exposeHeaders' }),
    '}));',
    '// Before the routes, so app.notFound and app.onError answers pass through it.',
  ].join('\n'),
  change: {
    origins: ({ policy }) => `Set origin: [${quoted(policy.allowedOrigins)}]; a function must return the Origin only on an exact match.`,
    credentials: ({ policy }) => `With credentials: true, origin must be the list [${quoted(policy.allowedOrigins)}], not the default "*".`,
    vary: () => 'Give origin as an array or function, not "*" (the middleware then appends Vary: Origin).',
    expose: ({ endpoint }) => `Add exposeHeaders: [${quoted(endpoint.exposedHeaders)}].`,
    errors: ({ endpoint }) => `Register app.use(${JSON.stringify(`${pathPrefix(endpoint)}*`)}, cors(...)) before the routes, so 404 and error answers carry the headers.`,
    duplicate: () => 'Send the CORS headers from one layer: remove the proxy\'s Access-Control-* headers, or remove cors() here.',
    allow: ({ endpoint }) => `List the allowed origins in origin, allowMethods [${quoted(endpoint.methods)}]${endpoint.requestHeaders.length ? ` and allowHeaders [${quoted(endpoint.requestHeaders)}]` : ''}${endpoint.credentials ? ', credentials: true' : ''}.`,
  },
};
