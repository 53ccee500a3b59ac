// The first twenty scenarios: the mistakes every CORS article (and ../shared/seeds) is about.
// Expected outcomes are written by hand; the oracle checks them (harness/oracle).
import type { Scenario } from '../types.ts';
import { ACAC, ACAH, ACAM, ACAO, ACEH, category, ok, pre, req } from './build.ts';

const allowPut = pre([[ACAO, '$ORIGIN'], [ACAM, 'PUT']]);

export const foundation: Scenario[] = [
  ...category('acao-format', [
    { id: 'acao-star', title: 'ACAO * on a simple GET', request: req(), response: ok([[ACAO, '*']]), expect: { outcome: 'allowed', preflight: false } },
    { id: 'acao-exact-origin', title: 'ACAO is the exact page origin', request: req(), response: ok([[ACAO, '$ORIGIN']]), expect: { outcome: 'allowed', preflight: false } },
    { id: 'acao-mismatch', title: 'ACAO names another origin', request: req(), response: ok([[ACAO, 'https://frontend.example']]), expect: { outcome: 'blocked', preflight: false } },
    { id: 'acao-two-values', title: 'ACAO lists two origins in one header', request: req(), response: ok([[ACAO, '$ORIGIN, https://other.test']]), expect: { outcome: 'blocked', preflight: false } },
    { id: 'acao-two-lines', title: 'ACAO sent twice (app and proxy both add it)', request: req(), response: ok([[ACAO, '$ORIGIN'], [ACAO, '*']]), expect: { outcome: 'blocked', preflight: false } },
    { id: 'acao-null', title: 'ACAO null for a page with a real origin', request: req(), response: ok([[ACAO, 'null']]), expect: { outcome: 'blocked', preflight: false } },
    { id: 'acao-trailing-slash', title: 'ACAO with a trailing slash', request: req(), response: ok([[ACAO, '$ORIGIN/']]), expect: { outcome: 'blocked', preflight: false } },
    { id: 'acao-missing', title: 'No ACAO on a 200', request: req(), response: ok(), expect: { outcome: 'blocked', preflight: false } },
  ]),
  ...category('credentials', [
    { id: 'cred-star', title: 'ACAO * with credentials: include', request: req({ credentials: 'include' }), response: ok([[ACAO, '*'], [ACAC, 'true']]), expect: { outcome: 'blocked', preflight: false } },
    { id: 'cred-exact-acac-true', title: 'Exact origin and ACAC true with credentials', request: req({ credentials: 'include' }), response: ok([[ACAO, '$ORIGIN'], [ACAC, 'true']]), expect: { outcome: 'allowed', preflight: false } },
    { id: 'cred-acac-uppercase', title: 'ACAC TRUE (not lowercase) with credentials', request: req({ credentials: 'include' }), response: ok([[ACAO, '$ORIGIN'], [ACAC, 'TRUE']]), expect: { outcome: 'blocked', preflight: false } },
  ]),
  ...category('preflight-trigger', [
    { id: 'simple-post-text', title: 'POST text/plain is simple: no preflight', request: req({ method: 'POST', body: 'hello', headers: { 'Content-Type': 'text/plain' } }), response: ok([[ACAO, '*']]), expect: { outcome: 'allowed', preflight: false } },
    { id: 'preflight-put', title: 'PUT is preflighted; preflight allows it', request: req({ method: 'PUT', body: 'x' }), preflight: allowPut, response: ok([[ACAO, '$ORIGIN']]), expect: { outcome: 'allowed', preflight: true } },
    { id: 'preflight-custom-header', title: 'A custom request header is preflighted', request: req({ headers: { 'X-Requested-With': 'cors-matrix' } }), preflight: pre([[ACAO, '$ORIGIN'], [ACAH, 'X-Requested-With']]), response: ok([[ACAO, '$ORIGIN']]), expect: { outcome: 'allowed', preflight: true } },
    { id: 'preflight-json', title: 'Content-Type application/json is preflighted', request: req({ method: 'POST', body: '{"a":1}', headers: { 'Content-Type': 'application/json' } }), preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'POST'], [ACAH, 'Content-Type']]), response: ok([[ACAO, '$ORIGIN']]), expect: { outcome: 'allowed', preflight: true } },
  ]),
  ...category('preflight-response', [
    { id: 'preflight-204-complete', title: 'Preflight 204 with ACAO, ACAM and ACAH', request: req({ method: 'DELETE', headers: { 'Authorization': 'Bearer t' } }), preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'GET, DELETE'], [ACAH, 'Authorization']]), response: ok([[ACAO, '$ORIGIN']]), expect: { outcome: 'allowed', preflight: true } },
    { id: 'preflight-404', title: 'Preflight answered 404 (no OPTIONS route)', request: req({ method: 'PUT', body: 'x' }), response: ok([[ACAO, '$ORIGIN']]), expect: { outcome: 'blocked', preflight: true } },
    { id: 'preflight-no-acam', title: 'Preflight without Access-Control-Allow-Methods', request: req({ method: 'PUT', body: 'x' }), preflight: pre([[ACAO, '$ORIGIN']]), response: ok([[ACAO, '$ORIGIN']]), expect: { outcome: 'blocked', preflight: true } },
    { id: 'preflight-no-acah', title: 'Preflight without Access-Control-Allow-Headers', request: req({ headers: { 'X-Api-Key': 'k' } }), preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'GET']]), response: ok([[ACAO, '$ORIGIN']]), expect: { outcome: 'blocked', preflight: true } },
  ]),
  ...category('exposed-headers', [
    { id: 'expose-missing', title: 'X-Request-Id without Access-Control-Expose-Headers is hidden', request: req({ readHeaders: ['x-request-id'] }), response: ok([[ACAO, '$ORIGIN'], ['X-Request-Id', 'r1']]), expect: { outcome: 'allowed', preflight: false, exposed: [] } },
    { id: 'expose-listed', title: 'X-Request-Id listed in Access-Control-Expose-Headers is readable', request: req({ readHeaders: ['x-request-id'] }), response: ok([[ACAO, '$ORIGIN'], ['X-Request-Id', 'r1'], [ACEH, 'X-Request-Id']]), expect: { outcome: 'allowed', preflight: false, exposed: ['x-request-id'] } },
  ]),
];
