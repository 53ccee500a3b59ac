// The counterpart of acao-missing: the CORS check ignores the status, so an error response that
// carries ACAO is readable and the page can act on 401 or 429 itself.
import type { Scenario } from '../model/types.ts';
import { ACAO, category, req, status } from './build.ts';

const ERROR_STATUSES = [400, 401, 403, 404, 429, 500, 502, 503];

export const errorResponses: Scenario[] = category('error-responses', ERROR_STATUSES.map((code) => ({
  id: `error-${code}-with-acao`,
  title: `A ${code} that carries ACAO: the page can read the status`,
  request: req(),
  response: status(code, [['Content-Type', 'text/plain'], [ACAO, '$ORIGIN']], 'error'),
})));
