// Access-Control-Allow-Origin set only on the success path: every status below fails the CORS
// check at "no ACAO" (Fetch §4.10, step 2), and the page sees a network error in place of the
// status its error handling expects.
import type { Scenario } from '../model/types.ts';
import { category, req, status } from './build.ts';

const MISSING_STATUSES = [201, 204, 300, 400, 401, 403, 404, 429, 500, 502, 503];

export const acaoMissing: Scenario[] = category('acao-missing', MISSING_STATUSES.map((code) => ({
  id: `acao-missing-${code}`,
  title: `No ACAO on a ${code} (only the success path has CORS headers)`,
  request: req(),
  response: status(code, [['Content-Type', 'text/plain']], code === 204 ? '' : 'error'),
})));
