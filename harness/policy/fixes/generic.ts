// No stack recognised and none named: the headers themselves, per answer, as the Fetch standard's
// CORS protocol reads them (https://fetch.spec.whatwg.org/#http-cors-protocol), for any server.
import { type FixInput, type StackFixRow } from './stack-fix.ts';

const acao = ({ policy }: FixInput) => policy.allowedOrigins.length === 1
  ? `Access-Control-Allow-Origin: ${policy.allowedOrigins[0]}`
  : `Access-Control-Allow-Origin: <the request's Origin, only when it is exactly one of ${policy.allowedOrigins.join(', ')}>`;

export const GENERIC: StackFixRow = {
  label: 'Any server (the headers)',
  library: 'HTTP headers',
  docs: 'https://fetch.spec.whatwg.org/#http-cors-protocol',
  language: 'http',
  config: (p) => {
    const { endpoint } = p;
    return [
      '# Every answer (2xx, 4xx and 5xx) to an allowed Origin:',
      acao(p),
      ...(endpoint.credentials ? ['Access-Control-Allow-Credentials: true'] : []),
      ...(endpoint.exposedHeaders.length ? [`Access-Control-Expose-Headers: ${endpoint.exposedHeaders.join(', ')}`] : []),
      'Vary: Origin',
      '',
      '# Every answer to any other Origin: no Access-Control-* header, still Vary: Origin.',
      '',
      '# The preflight (OPTIONS with Access-Control-Request-Method) from an allowed Origin: 204 and',
      acao(p),
      ...(endpoint.credentials ? ['Access-Control-Allow-Credentials: true'] : []),
      `Access-Control-Allow-Methods: ${endpoint.methods.join(', ')}`,
      ...(endpoint.requestHeaders.length ? [`Access-Control-Allow-Headers: ${endpoint.requestHeaders.join(', ')}`] : []),
      'Vary: Origin',
    ].join('\n');
  },
  change: {
    origins: (p) => `Compare the whole Origin with the exact allowlist; send ${acao(p)} only on a match.`,
    credentials: (p) => `Access-Control-Allow-Credentials: true only with ${acao(p)}, never with *.`,
    vary: () => 'Vary: Origin on every answer whose Access-Control-Allow-Origin depends on the Origin, including the answers without it.',
    expose: ({ endpoint }) => `Access-Control-Expose-Headers: ${endpoint.exposedHeaders.join(', ')} on the actual response.`,
    errors: () => 'The same CORS headers on 4xx and 5xx answers as on 2xx answers.',
    duplicate: () => 'Each Access-Control-* header once: when a proxy and the app both add them, remove one layer\'s.',
    allow: ({ endpoint }) => `Answer the preflight with 2xx, Access-Control-Allow-Methods: ${endpoint.methods.join(', ')}${endpoint.requestHeaders.length ? ` and Access-Control-Allow-Headers: ${endpoint.requestHeaders.join(', ')}` : ''}.`,
  },
};
