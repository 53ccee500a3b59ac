// The same request repeated outside the browser with Node's HTTP client: raw status and headers,
// no CORS applied, labelled as a replay in every report. It shows what the API sends even where the
// engine hides it (a refused preflight's headers never reach the page).
import http from 'node:http';
import https from 'node:https';
import type { HeaderList } from '../model/types.ts';
import { corsUnsafeRequestHeaderNames, isCorsSafelistedMethod } from '../oracle/safelist.ts';
import type { ObservedResponse, PlannedCheck, Replay, ReplayedExchange } from './policy-types.ts';

const REPLAY_TIMEOUT_MS = 5000;

export function replayExchange(url: string, method: string, headers: HeaderList, body: string | null): Promise<ReplayedExchange> {
  const u = new URL(url);
  const secure = u.protocol === 'https:';
  const request = { method, url, headers };
  const sent: HeaderList = body !== null && !headers.some(([n]) => n.toLowerCase() === 'content-length')
    ? [...headers, ['Content-Length', String(Buffer.byteLength(body))]] : headers;
  return new Promise((resolve) => {
    const req = (secure ? https : http).request({
      host: u.hostname, port: u.port || (secure ? 443 : 80), method, path: u.pathname + u.search,
      headers: sent.flat(), setHost: !headers.some(([n]) => n.toLowerCase() === 'host'),
      ...(secure ? { rejectUnauthorized: false } : {}),
      timeout: REPLAY_TIMEOUT_MS,
    }, (res) => {
      const pairs: HeaderList = [];
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
      res.resume();
      res.on('end', () => resolve({ request, status: res.statusCode ?? null, headers: pairs }));
      res.on('error', (e) => resolve({ request, status: res.statusCode ?? null, headers: pairs, error: e.message }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REPLAY_TIMEOUT_MS} ms`)));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ request, status: null, headers: null, error: `${e.code ?? ''} ${e.message}`.trim() }));
    if (body !== null) req.write(body);
    req.end();
  });
}

/** Headers the engine sent, less what belongs to a hop (the proxy's) rather than to the request. */
function endToEnd(headers: HeaderList): HeaderList {
  return headers.filter(([n]) => !/^(proxy-|connection$|keep-alive$|content-length$)/i.test(n));
}

/** The request headers as the plan makes them, for when the engine's own are unknown (not observed). */
function plannedHeaders(check: PlannedCheck, apiUrl: URL): HeaderList {
  return [['Host', apiUrl.host], ['Origin', check.origin.origin], ...Object.entries(check.headers) as HeaderList];
}

function plannedPreflight(check: PlannedCheck, apiUrl: URL): HeaderList | null {
  const unsafe = corsUnsafeRequestHeaderNames(Object.entries(check.headers) as HeaderList);
  if (isCorsSafelistedMethod(check.method) && unsafe.length === 0) return null;
  const out: HeaderList = [['Host', apiUrl.host], ['Origin', check.origin.origin], ['Access-Control-Request-Method', check.method]];
  if (unsafe.length) out.push(['Access-Control-Request-Headers', unsafe.join(',')]);
  return out;
}

/**
 * Replay a check against `apiUrl` (the URL the API itself received). With the engine's observed
 * requests it repeats them header for header; without (not observed), it builds them from the plan.
 */
export async function replayCheck(check: PlannedCheck, apiUrl: URL, observed: { preflight?: ObservedResponse; actual?: ObservedResponse }): Promise<Replay> {
  const replay: Replay = { label: 'replay outside the browser' };
  const preflightHeaders = observed.preflight ? endToEnd(observed.preflight.request.headers) : observed.actual ? null : plannedPreflight(check, apiUrl);
  if (preflightHeaders) replay.preflight = await replayExchange(apiUrl.href, 'OPTIONS', preflightHeaders, null);
  const actualHeaders = observed.actual ? endToEnd(observed.actual.request.headers) : plannedHeaders(check, apiUrl);
  replay.actual = await replayExchange(apiUrl.href, check.method, actualHeaders, check.body);
  return replay;
}
