// Koa with @koa/cors. Options from its README (https://github.com/koajs/cors#corsoptions) and
// index.js (5.0.0): `origin` (a string or a function of ctx returning the origin to allow, '' for
// none; unset, it is '*', and with `credentials: true` a '*' is replaced by the request's Origin, so
// every Origin is reflected), `allowMethods`, `allowHeaders`, `exposeHeaders`, `credentials`,
// `keepHeadersOnError` (on unless set false: copies the headers onto a thrown error's response,
// which Koa's ctx.onerror would otherwise clear; Koa's own 404, not thrown, keeps them anyway).
// It sends `Vary: Origin` on every answer (ctx.vary('Origin') before anything else).
import { jsCorsOptionLines, quoted, type StackFixRow } from './stack-fix.ts';

export const KOA: StackFixRow = {
  label: 'Koa (@koa/cors)',
  library: '@koa/cors',
  docs: 'https://github.com/koajs/cors#corsoptions',
  language: 'js',
  config: ({ policy, endpoint }) => [
    "import cors from '@koa/cors';",
    '',
    `const allowed = new Set([${quoted(policy.allowedOrigins)}]);`,
    'app.use(cors({',
    '  // An exact lookup: the whole Origin or nothing.',
    "  origin: (ctx) => (allowed.has(ctx.get('Origin')) ? ctx.get('Origin') : ''),",
    ...jsCorsOptionLines(endpoint, { methods: 'allowMethods', headers: 'allowHeaders', expose: 'exposeHeaders' }),
    '  keepHeadersOnError: true, // the default: never false',
    '}));',
    '// The first middleware, before the router.',
  ].join('\n'),
  change: {
    origins: ({ policy }) => `Give origin a function that returns ctx.get('Origin') only when it is exactly one of ${policy.allowedOrigins.join(', ')} and '' otherwise; without origin, @koa/cors sends * (and with credentials: true reflects every Origin).`,
    credentials: ({ policy }) => `Set credentials: true with an origin function that returns the Origin only when it is exactly one of ${policy.allowedOrigins.join(', ')}; without origin, @koa/cors sends *, which browsers refuse with credentials (and with credentials: true it reflects every Origin instead).`,
    vary: () => 'Let @koa/cors set the headers (it sends Vary: Origin); a hand-written header needs ctx.vary(\'Origin\').',
    expose: ({ endpoint }) => `Add exposeHeaders: [${quoted(endpoint.exposedHeaders)}].`,
    errors: () => 'Leave keepHeadersOnError on (its default; false drops the headers from thrown errors\' answers) and app.use(cors(...)) first, before the router and any error middleware.',
    duplicate: () => 'Send the CORS headers from one layer: remove the proxy\'s Access-Control-* headers, or remove @koa/cors here.',
    allow: ({ endpoint }) => `Return the allowed origin from origin, list allowMethods [${quoted(endpoint.methods)}]${endpoint.requestHeaders.length ? ` and allowHeaders [${quoted(endpoint.requestHeaders)}]` : ''}${endpoint.credentials ? ', credentials: true' : ''}, before the router so OPTIONS reaches it.`,
  },
};
