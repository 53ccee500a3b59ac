// Rails (or any Rack app) with rack-cors. DSL from its README (https://github.com/cyu/rack-cors#rails-configuration):
// `insert_before 0, Rack::Cors`, `allow do origins ... ; resource path, headers:, methods:,
// credentials:, expose: end`. `origins` (lib/rack/cors.rb, Resources#origins and #allow_origin?, 1.1):
// a string with its http(s):// scheme is compared exactly; a bare host ("example.com", as
// `rails new` generates it) becomes a Regexp for any scheme, http:// too; a Regexp is tested with ===,
// so it matches anywhere unless anchored; '*' is any origin, and Resource.new raises
// CorsMisconfigurationError for '*' with credentials: true (at boot). Headers are added only on a
// path a `resource` matches (Rack::Cors#process_cors), Vary: Origin on every answer on such a path.
import { pathPrefix, quoted, type StackFixRow } from './stack-fix.ts';

const symbols = (methods: string[]) => methods.map((m) => `:${m.toLowerCase()}`).join(', ');

export const RAILS: StackFixRow = {
  label: 'Rails (rack-cors)',
  library: 'rack-cors',
  docs: 'https://github.com/cyu/rack-cors#rails-configuration',
  language: 'ruby',
  config: ({ policy, endpoint }) => [
    '# config/initializers/cors.rb (a Rack app without Rails: in config.ru, use Rack::Cors do ... end before run)',
    'Rails.application.config.middleware.insert_before 0, Rack::Cors do',
    '  allow do',
    `    origins ${quoted(policy.allowedOrigins)}  # exact, with the scheme: no '*', no bare host, no unanchored Regexp`,
    `    resource ${JSON.stringify(`${pathPrefix(endpoint)}*`)},`,
    `      methods: [${symbols([...endpoint.methods, 'OPTIONS'])}],`,
    `      headers: [${quoted(endpoint.requestHeaders)}],`,
    ...(endpoint.exposedHeaders.length ? [`      expose: [${quoted(endpoint.exposedHeaders)}],`] : []),
    `      credentials: ${endpoint.credentials}`,
    '  end',
    'end',
  ].join('\n'),
  change: {
    origins: ({ policy }) => `Write origins ${quoted(policy.allowedOrigins)}: exact strings with their scheme (a bare "example.com" takes any scheme), not '*' and not a Regexp without \\A, \\z and escaped dots.`,
    credentials: () => 'credentials: true needs exact origins; rack-cors refuses origins \'*\' with credentials.',
    vary: () => 'Let rack-cors set the headers (it adds Vary: Origin).',
    expose: ({ endpoint }) => `Add expose: [${quoted(endpoint.exposedHeaders)}] to the resource.`,
    errors: ({ endpoint }) => `Insert Rack::Cors with insert_before 0, so it wraps ActionDispatch::ShowExceptions and 404 and 500 pages pass through it, and give the resource a path that covers the failing ones (${JSON.stringify(`${pathPrefix(endpoint)}*`)}, not one route): rack-cors adds headers only on a resource's path.`,
    duplicate: () => 'Send the CORS headers from one layer: hide the proxy\'s, or remove Rack::Cors here.',
    allow: ({ endpoint }) => `Add the allowed origins and a resource for the path with methods [${symbols([...endpoint.methods, 'OPTIONS'])}]${endpoint.requestHeaders.length ? ` and headers [${quoted(endpoint.requestHeaders)}]` : ''}${endpoint.credentials ? ', and credentials: true' : ''}.`,
  },
};
