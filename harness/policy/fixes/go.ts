// Go with github.com/rs/cors. Fields of cors.Options from https://pkg.go.dev/github.com/rs/cors#Options:
// `AllowedOrigins` (exact, "*" for any, and one "*" inside an entry a prefix-and-suffix pattern:
// "https://*.example.com"), `AllowOriginFunc` (the reflection to avoid), `AllowedMethods`,
// `AllowedHeaders`, `ExposedHeaders`, `AllowCredentials`. It sets `Vary: Origin` on every answer it
// wraps, and (1.7, cors.go handleActualRequest) sends "*" even with AllowCredentials: true.
import { quoted, type StackFixRow } from './stack-fix.ts';

export const GO: StackFixRow = {
  label: 'Go (rs/cors)',
  library: 'github.com/rs/cors',
  docs: 'https://pkg.go.dev/github.com/rs/cors#Options',
  language: 'go',
  config: ({ policy, endpoint }) => [
    'c := cors.New(cors.Options{',
    `\tAllowedOrigins:   []string{${quoted(policy.allowedOrigins)}}, // exact: no "*", no AllowOriginFunc that returns true`,
    `\tAllowedMethods:   []string{${quoted(endpoint.methods)}},`,
    ...(endpoint.requestHeaders.length ? [`\tAllowedHeaders:   []string{${quoted(endpoint.requestHeaders)}},`] : []),
    ...(endpoint.exposedHeaders.length ? [`\tExposedHeaders:   []string{${quoted(endpoint.exposedHeaders)}},`] : []),
    `\tAllowCredentials: ${endpoint.credentials},`,
    '})',
    'handler := c.Handler(mux) // wrap the whole mux, so 404s and errors carry the headers',
  ].join('\n'),
  change: {
    origins: ({ policy }) => `Set AllowedOrigins: []string{${quoted(policy.allowedOrigins)}}, exact entries (no "*", no "https://*.example.com" patterns), and remove AllowOriginFunc / AllowOriginRequestFunc that test part of the Origin or return true.`,
    credentials: ({ policy }) => `AllowCredentials: true needs AllowedOrigins: []string{${quoted(policy.allowedOrigins)}}, not "*".`,
    vary: () => 'Let rs/cors set the headers (it adds Vary: Origin).',
    expose: ({ endpoint }) => `Add ExposedHeaders: []string{${quoted(endpoint.exposedHeaders)}}.`,
    errors: () => 'Wrap the whole mux with c.Handler(mux), not single handlers, so 404 and error answers pass through it.',
    duplicate: () => 'Send the CORS headers from one layer: hide the proxy\'s, or remove c.Handler here.',
    allow: ({ endpoint }) => `Add the origins, AllowedMethods {${quoted(endpoint.methods)}}${endpoint.requestHeaders.length ? ` and AllowedHeaders {${quoted(endpoint.requestHeaders)}}` : ''}${endpoint.credentials ? ', and AllowCredentials: true' : ''}.`,
  },
};
