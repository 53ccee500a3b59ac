// The preflight cache with the target on a hostname and on an IP literal, row by row the same
// check. Fetch's CORS-preflight cache (section 4.9) does not care which kind of host it is; Firefox
// ESR 153 does: it reuses a method preflight for a hostname and not for an IP literal, with or without
// automation (deviations.ts), while a header-only preflight is reused on both.
import type { Scenario } from '../model/types.ts';
import { ACAH, ACAM, ACAO, MAX_AGE, category, exact, pre, req } from './build.ts';

const HOST = { page: 'http://app.example.test', target: 'http://api.example.test' };
const allowAll = pre([[ACAO, '$ORIGIN'], [ACAM, 'PUT, DELETE'], [ACAH, 'X-A'], [MAX_AGE, '600']]);
const noCache = pre([[ACAO, '$ORIGIN'], [ACAM, 'PUT, DELETE'], [ACAH, 'X-A'], [MAX_AGE, '0']]);

/** The same cache check on an IP literal (the default pair) and on named hosts. */
function both(id: string, title: string, row: Omit<Scenario, 'id' | 'title' | 'category' | 'source' | 'sites' | 'followUp'>): Array<Omit<Scenario, 'category' | 'source'>> {
  return [
    { id: `cache-ip-${id}`, title: `IP literal: ${title}`, ...row, followUp: {} },
    { id: `cache-host-${id}`, title: `Hostname: ${title}`, sites: HOST, ...row, followUp: {} },
  ];
}

export const preflightCacheByHostKind: Scenario[] = category('preflight-cache-by-host-kind', [
  ...both('put-header', 'PUT with X-A twice, Max-Age 600', { request: req({ method: 'PUT', body: 'x', headers: { 'X-A': '1' } }), preflight: allowAll, response: exact }),
  ...both('delete', 'DELETE twice, Max-Age 600', { request: req({ method: 'DELETE' }), preflight: allowAll, response: exact }),
  ...both('get-header', 'GET with X-A twice, Max-Age 600 (header-only preflight)', { request: req({ headers: { 'X-A': '1' } }), preflight: allowAll, response: exact }),
  ...both('put-max-age-0', 'PUT twice, Max-Age 0 (never cached)', { request: req({ method: 'PUT', body: 'x' }), preflight: noCache, response: exact }),
  ...both('put-no-max-age', 'PUT twice, no Max-Age (5 s default)', { request: req({ method: 'PUT', body: 'x' }), preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'PUT']]), response: exact }),
]);
