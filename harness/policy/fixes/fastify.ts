// Fastify with @fastify/cors. Options from its README (https://github.com/fastify/fastify-cors#options):
// `origin` (an array of exact strings; `true` reflects), `credentials`, `methods`, `allowedHeaders`,
// `exposedHeaders`. Registered on the root instance, its onRequest hook also covers 404 and error
// replies; it is wrapped in fastify-plugin, so registered inside another plugin its hook covers only
// that plugin's routes, not the root's 404. It sends `Vary: Origin` for every origin option but a
// string (index.js, addCorsHeadersHandler), and a '*' origin with credentials: true as is.
import { jsCorsOptionLines, quoted, type StackFixRow } from './stack-fix.ts';

export const FASTIFY: StackFixRow = {
  label: 'Fastify (@fastify/cors)',
  library: '@fastify/cors',
  docs: 'https://github.com/fastify/fastify-cors#options',
  language: 'js',
  config: ({ policy, endpoint }) => [
    "import cors from '@fastify/cors';",
    '',
    'await fastify.register(cors, {',
    `  origin: [${quoted(policy.allowedOrigins)}], // exact strings: never true, never an unanchored RegExp`,
    ...jsCorsOptionLines(endpoint, { methods: 'methods', headers: 'allowedHeaders', expose: 'exposedHeaders' }),
    '});',
  ].join('\n'),
  change: {
    origins: ({ policy }) => `Set origin: [${quoted(policy.allowedOrigins)}]: exact strings, not true, "*" or a RegExp without ^ and $.`,
    credentials: ({ policy }) => `With credentials: true, give origin: [${quoted(policy.allowedOrigins)}]; the default "*" is refused by browsers with credentials.`,
    vary: () => 'Give origin as an array (the plugin then sends Vary: Origin); a hand-written header needs reply.header(\'Vary\', \'Origin\').',
    expose: ({ endpoint }) => `Add exposedHeaders: [${quoted(endpoint.exposedHeaders)}].`,
    errors: () => 'Register @fastify/cors on the root instance (not inside one route\'s plugin), so its hook runs for 404 and error replies too.',
    duplicate: () => 'Send the CORS headers from one layer: remove the proxy\'s Access-Control-* headers, or unregister @fastify/cors here.',
    allow: ({ endpoint }) => `List the allowed origins in origin, methods [${quoted(endpoint.methods)}]${endpoint.requestHeaders.length ? ` and allowedHeaders [${quoted(endpoint.requestHeaders)}]` : ''}${endpoint.credentials ? ', credentials: true' : ''}.`,
  },
};
