// Koa with @koa/cors. Options from its README (https://github.com/koajs/cors#corsoptions):
// `origin` (a string or a function of ctx returning the origin to allow, '' for none),
// `allowMethods`, `allowHeaders`, `exposeHeaders`, `credentials`, `keepHeadersOnError`
// (puts the headers on a thrown error's response). It sends `Vary: Origin` on every answer.
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
    '  keepHeadersOnError: true,',
    '}));',
    '// The first middleware, before the router.',
  ].join('\n'),
  change: {
    origins: ({ policy }) => `Give origin a function that returns ctx.get('Origin') only when it is exactly one of ${policy.allowedOrigins.join(', ')} and '' otherwise; without origin, @koa/cors reflects every Origin.`,
    credentials: () => 'With credentials: true, origin must return the exact Origin, never "*".',
    vary: () => 'Let @koa/cors set the headers (it sends Vary: Origin); a hand-written header needs ctx.vary(\'Origin\').',
    expose: ({ endpoint }) => `Add exposeHeaders: [${quoted(endpoint.exposedHeaders)}].`,
    errors: () => 'Set keepHeadersOnError: true and app.use(cors(...)) before the router and any error middleware.',
    duplicate: () => 'Send the CORS headers from one layer: remove the proxy\'s Access-Control-* headers, or remove @koa/cors here.',
    allow: ({ endpoint }) => `Return the allowed origin from origin, list allowMethods [${quoted(endpoint.methods)}]${endpoint.requestHeaders.length ? ` and allowHeaders [${quoted(endpoint.requestHeaders)}]` : ''}, before the router so OPTIONS reaches it.`,
  },
};
