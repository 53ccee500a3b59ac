// What a preflight answer needs besides its status: the CORS check on the preflight itself
// (Fetch §4.8 CORS-preflight fetch, step 7), Allow-Methods and Allow-Headers for what triggered
// it, and then a second CORS check on the actual response. The first four rows carry
// hand-written expectations.
import type { Scenario } from '../model/types.ts';
import { ACAH, ACAM, ACAO, category, exact, ok, pre, put, req } from './build.ts';

export const preflightResponse: Scenario[] = category('preflight-response', [
  { id: 'preflight-204-complete', title: 'Preflight 204 with ACAO, ACAM and ACAH', request: req({ method: 'DELETE', headers: { 'Authorization': 'Bearer t' } }), preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'GET, DELETE'], [ACAH, 'Authorization']]), response: ok([[ACAO, '$ORIGIN']]), expect: { outcome: 'allowed', preflight: true } },
  // No `preflight` answer: the target's default for OPTIONS is a bare 404, the app that never routed OPTIONS.
  { id: 'preflight-404', title: 'Preflight answered 404 (no OPTIONS route)', request: req({ method: 'PUT', body: 'x' }), response: ok([[ACAO, '$ORIGIN']]), expect: { outcome: 'blocked', preflight: true } },
  // An absent ACAM allows only CORS-safelisted methods (step 7.5), so PUT fails.
  { id: 'preflight-no-acam', title: 'Preflight without Access-Control-Allow-Methods', request: req({ method: 'PUT', body: 'x' }), preflight: pre([[ACAO, '$ORIGIN']]), response: ok([[ACAO, '$ORIGIN']]), expect: { outcome: 'blocked', preflight: true } },
  { id: 'preflight-no-acah', title: 'Preflight without Access-Control-Allow-Headers', request: req({ headers: { 'X-Api-Key': 'k' } }), preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'GET']]), response: ok([[ACAO, '$ORIGIN']]), expect: { outcome: 'blocked', preflight: true } },
  { id: 'preflight-no-acao', title: 'Preflight 204 without ACAO', request: put, preflight: pre([[ACAM, 'PUT']]), response: exact },
  { id: 'preflight-acao-star', title: 'Preflight ACAO * (no credentials)', request: put, preflight: pre([[ACAO, '*'], [ACAM, 'PUT']]), response: ok([[ACAO, '*']]) },
  { id: 'preflight-acao-mismatch', title: 'Preflight ACAO names another origin', request: put, preflight: pre([[ACAO, 'https://frontend.example'], [ACAM, 'PUT']]), response: exact },
  // A passing preflight does not excuse the actual response: it gets its own CORS check (Fetch §4.4, step 4.4).
  { id: 'preflight-ok-actual-missing-acao', title: 'Preflight passes, the actual response lacks ACAO', request: put, preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'PUT']]), response: ok() },
  // Any ok status passes and the preflight's body is ignored.
  { id: 'preflight-200-with-body', title: 'Preflight 200 with a body', request: put, preflight: { status: 200, headers: [[ACAO, '$ORIGIN'], [ACAM, 'PUT'], ['Content-Type', 'text/plain']], body: 'preflight ok' }, response: exact },
]);
