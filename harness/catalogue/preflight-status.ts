// Which status a preflight may answer with: only an ok status (200-299) passes, and a redirect is
// never followed for a preflight (Fetch §4.8 CORS-preflight fetch, step 7; WPT
// fetch/api/cors/cors-preflight-status.any.js). Every row sends all the CORS headers, so only the
// status varies; a 3xx also carries a Location so the engine could follow it if it wrongly tried.
import type { Scenario } from '../types.ts';
import { ACAM, ACAO, category, exact, put } from './build.ts';

const PREFLIGHT_STATUSES = [200, 201, 206, 299, 300, 301, 302, 303, 307, 308, 400, 401, 403, 405, 500, 501, 503];

export const preflightStatus: Scenario[] = category('preflight-status', PREFLIGHT_STATUSES.map((code) => ({
  id: `preflight-status-${code}`,
  title: `Preflight answered ${code} with every CORS header`,
  request: put,
  preflight: { status: code, headers: [[ACAO, '$ORIGIN'], [ACAM, 'PUT'], ...(code >= 300 && code < 400 ? [['Location', '$TARGET/elsewhere'] as [string, string]] : [])], body: '' },
  response: exact,
})));
