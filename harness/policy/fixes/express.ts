// Express with the `cors` middleware. Options from its README, "Configuration Options"
// (https://github.com/expressjs/cors#configuration-options): `origin` (an array of exact strings;
// `true` reflects every origin), `credentials`, `methods`, `allowedHeaders`, `exposedHeaders`.
// With an array, RegExp or `true` origin it adds `Vary: Origin` itself (lib/index.js, configureOrigin);
// an origin function that calls back `false` makes it skip every header, `Vary` included
// (lib/index.js, middlewareWrapper: `if (err2 || !origin) next(err2)`).
import { jsCorsOptionLines, pathPrefix, quoted, type FixInput, type StackFixRow } from './stack-fix.ts';

const mount = ({ endpoint }: FixInput) => JSON.stringify(pathPrefix(endpoint).replace(/\/$/, '') || '/');

export const EXPRESS: StackFixRow = {
  label: 'Express (cors)',
  library: 'cors',
  docs: 'https://github.com/expressjs/cors#configuration-options',
  language: 'js',
  config: (p) => {
    const { policy, endpoint } = p;
    return [
      "import cors from 'cors';",
      '',
      '// Exact strings: never origin: true, never a RegExp without ^ and $.',
      `app.use(${mount(p)}, cors({`,
      `  origin: [${quoted(policy.allowedOrigins)}],`,
      ...jsCorsOptionLines(endpoint, { methods: 'methods', headers: 'allowedHeaders', expose: 'exposedHeaders' }),
      '}));',
      '// Mounted before the routes and error handlers, so 404s and errors carry the headers too.',
    ].join('\n');
  },
  change: {
    origins: ({ policy }) => `Set cors({ origin: [${quoted(policy.allowedOrigins)}] }): an array of exact strings, not origin: true, a RegExp or a function that tests part of the Origin.`,
    credentials: ({ policy }) => `With credentials: true, give origin: [${quoted(policy.allowedOrigins)}]; cors's default origin is "*", which browsers refuse with credentials.`,
    vary: () => 'Use the array form of origin (cors then sends Vary: Origin on every answer); an origin function that calls back false makes cors skip every header, Vary included, and a hand-written header needs res.vary(\'Origin\') on every answer.',
    expose: ({ endpoint }) => `Add exposedHeaders: [${quoted(endpoint.exposedHeaders)}] to the cors options.`,
    errors: (p) => `Mount cors() with app.use(${mount(p)}, cors(...)) before the routes, the 404 handler and the error handler, not per route.`,
    duplicate: () => 'Send the CORS headers from one layer: remove the proxy\'s Access-Control-* headers, or remove cors() here.',
    allow: ({ policy, endpoint }) => `List every allowed origin in origin: [${quoted(policy.allowedOrigins)}], the methods in methods and the request headers in allowedHeaders${endpoint.requestHeaders.length ? ` (${endpoint.requestHeaders.join(', ')})` : ''}${endpoint.credentials ? ', set credentials: true' : ''}, and mount cors() where the OPTIONS preflight reaches it.`,
  },
};
