// Access-Control-Allow-Origin: the value forms servers get wrong, the statuses it goes missing on,
// and whether a page can read an error status at all. Expectations come from the oracle.
import type { Scenario } from '../types.ts';
import { ACAO, category, ok, req, status } from './build.ts';

const get = req();

export const acaoForms: Scenario[] = category('acao-format', [
  { id: 'acao-uppercase-scheme', title: 'ACAO with the scheme in upper case (HTTP://)', request: get, response: ok([[ACAO, 'HTTP://$ORIGIN_HOST:$ORIGIN_PORT']]) },
  { id: 'acao-other-port', title: 'ACAO names the right host on another port', request: get, response: ok([[ACAO, 'http://$ORIGIN_HOST:1']]) },
  { id: 'acao-https-scheme', title: 'ACAO names the https twin of an http page', request: get, response: ok([[ACAO, 'https://$ORIGIN_HOST:$ORIGIN_PORT']]) },
  { id: 'acao-without-port', title: 'ACAO drops the page\'s port', request: get, response: ok([[ACAO, 'http://$ORIGIN_HOST']]) },
  { id: 'acao-localhost-alias', title: 'ACAO says localhost for a 127.0.0.1 page', request: get, response: ok([[ACAO, 'http://localhost:$ORIGIN_PORT']]) },
  { id: 'acao-empty', title: 'ACAO present but empty', request: get, response: ok([[ACAO, '']]) },
  { id: 'acao-surrounding-spaces', title: 'ACAO with spaces around the origin (trimmed by HTTP parsing)', request: get, response: ok([[ACAO, '  $ORIGIN  ']]) },
  { id: 'acao-surrounding-tab', title: 'ACAO with a tab before the origin', request: get, response: ok([[ACAO, '\t$ORIGIN']]) },
  { id: 'acao-quoted', title: 'ACAO origin in double quotes', request: get, response: ok([[ACAO, '"$ORIGIN"']]) },
  { id: 'acao-subdomain-wildcard', title: 'ACAO *.example.com pattern', request: get, response: ok([[ACAO, '*.example.com']]) },
  { id: 'acao-wildcard-host-pattern', title: 'ACAO http://*.0.0.1 pattern', request: get, response: ok([[ACAO, 'http://*.0.0.1:$ORIGIN_PORT']]) },
  { id: 'acao-with-path', title: 'ACAO is a URL with a path', request: get, response: ok([[ACAO, '$ORIGIN/app']]) },
  { id: 'acao-two-identical-lines', title: 'ACAO sent twice with the same origin', request: get, response: ok([[ACAO, '$ORIGIN'], [ACAO, '$ORIGIN']]) },
  { id: 'acao-star-and-origin-lines', title: 'ACAO * and the exact origin on two lines', request: get, response: ok([[ACAO, '*'], [ACAO, '$ORIGIN']]) },
  { id: 'acao-space-list', title: 'ACAO lists two origins separated by a space', request: get, response: ok([[ACAO, '$ORIGIN https://other.test']]) },
  { id: 'acao-lowercase-name', title: 'ACAO header name in lower case', request: get, response: ok([['access-control-allow-origin', '$ORIGIN']]) },
  { id: 'acao-double-star', title: 'ACAO **', request: get, response: ok([[ACAO, '**']]) },
  { id: 'acao-reflected', title: 'ACAO reflects the request Origin (cors({ origin: true }))', request: get, response: ok([[ACAO, '$REQUEST_ORIGIN']]) },
]);

const MISSING_STATUSES = [201, 204, 300, 400, 401, 403, 404, 429, 500, 502, 503];

export const acaoMissing: Scenario[] = category('acao-missing', MISSING_STATUSES.map((code) => ({
  id: `acao-missing-${code}`,
  title: `No ACAO on a ${code} (only the success path has CORS headers)`,
  request: get,
  response: status(code, [['Content-Type', 'text/plain']], code === 204 ? '' : 'error'),
})));

const ERROR_STATUSES = [400, 401, 403, 404, 429, 500, 502, 503];

export const errorResponses: Scenario[] = category('error-responses', ERROR_STATUSES.map((code) => ({
  id: `error-${code}-with-acao`,
  title: `A ${code} that carries ACAO: the page can read the status`,
  request: get,
  response: status(code, [['Content-Type', 'text/plain'], [ACAO, '$ORIGIN']], 'error'),
})));
