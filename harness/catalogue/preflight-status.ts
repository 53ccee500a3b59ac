// Which status a preflight may answer with: only an ok status (200-299) passes, and a redirect is
// never followed for a preflight (Fetch §4.8 CORS-preflight fetch, step 7; WPT
// fetch/api/cors/cors-preflight-status.any.js). Every row sends all the CORS headers, so only the
// status varies; a 3xx also carries a Location so the engine could follow it if it wrongly tried.
import type { HeaderList, Scenario } from '../model/types.ts';
import { ACAM, ACAO, category, exact, put, wpt } from './build.ts';

const PREFLIGHT_STATUSES = [200, 201, 206, 299, 300, 301, 302, 303, 307, 308, 400, 401, 403, 405, 500, 501, 503];
// The rest of WPT's list: 204 and 404 are the two statuses servers most often send to OPTIONS
// (404: the route exists but not for OPTIONS), here with every CORS header; 304-306 are 3xx
// statuses that are not redirects at all, and still not ok.
const WPT_PREFLIGHT_STATUSES = [202, 203, 204, 205, 304, 305, 306, 402, 404, 502, 504, 505];

const row = (code: number): Omit<Scenario, 'category' | 'source'> => ({
  id: `preflight-status-${code}`,
  title: `Preflight answered ${code} with every CORS header`,
  request: put,
  preflight: { status: code, headers: [[ACAO, '$ORIGIN'], [ACAM, 'PUT'], ...(code >= 300 && code < 400 ? [['Location', '$TARGET/elsewhere']] as HeaderList : [])], body: '' },
  response: exact,
});

export const preflightStatus: Scenario[] = category('preflight-status', [
  ...PREFLIGHT_STATUSES.map(row),
  ...WPT_PREFLIGHT_STATUSES.map((code) => ({ ...row(code), source: wpt('fetch/api/cors/cors-preflight-status.any.js') })),
]);
