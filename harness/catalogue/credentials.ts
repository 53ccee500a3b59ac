// Credentialed requests: Access-Control-Allow-Credentials forms, `*` with credentials, and whether
// the session cookie (set by the probe page) reached the target. With credentials the CORS check
// (Fetch §4.10, steps 3 and 7-8) wants the exact origin and ACAC exactly `true`.
import type { Scenario } from '../model/types.ts';
import { ACAC, ACAO, category, ok, req } from './build.ts';

const withCreds = req({ credentials: 'include' });

export const credentials: Scenario[] = category('credentials', [
  // `*` is honoured only without credentials (CORS check, step 3), even with ACAC true.
  { id: 'cred-star', title: 'ACAO * with credentials: include', request: req({ credentials: 'include' }), response: ok([[ACAO, '*'], [ACAC, 'true']]), expect: { outcome: 'blocked', preflight: false } },
  { id: 'cred-exact-acac-true', title: 'Exact origin and ACAC true with credentials', request: req({ credentials: 'include' }), response: ok([[ACAO, '$ORIGIN'], [ACAC, 'true']]), expect: { outcome: 'allowed', preflight: false } },
  // The value is compared byte for byte with `true` (CORS check, step 8).
  { id: 'cred-acac-uppercase', title: 'ACAC TRUE (not lowercase) with credentials', request: req({ credentials: 'include' }), response: ok([[ACAO, '$ORIGIN'], [ACAC, 'TRUE']]), expect: { outcome: 'blocked', preflight: false } },
  { id: 'cred-acac-missing', title: 'Credentials with the exact origin but no ACAC', request: withCreds, response: ok([[ACAO, '$ORIGIN']]) },
  { id: 'cred-acac-capitalised', title: 'ACAC True (capital T)', request: withCreds, response: ok([[ACAO, '$ORIGIN'], [ACAC, 'True']]) },
  { id: 'cred-acac-one', title: 'ACAC 1', request: withCreds, response: ok([[ACAO, '$ORIGIN'], [ACAC, '1']]) },
  { id: 'cred-acac-yes', title: 'ACAC yes', request: withCreds, response: ok([[ACAO, '$ORIGIN'], [ACAC, 'yes']]) },
  // Surrounding whitespace goes at header parsing, before the comparison, so this passes.
  { id: 'cred-acac-spaces', title: 'ACAC " true " (whitespace trimmed)', request: withCreds, response: ok([[ACAO, '$ORIGIN'], [ACAC, ' true ']]) },
  { id: 'cred-acac-two-lines', title: 'ACAC true sent twice (combined as "true, true")', request: withCreds, response: ok([[ACAO, '$ORIGIN'], [ACAC, 'true'], [ACAC, 'true']]) },
  { id: 'cred-acac-false', title: 'ACAC false with credentials', request: withCreds, response: ok([[ACAO, '$ORIGIN'], [ACAC, 'false']]) },
  // Passes the check for any caller: the misconfiguration is a policy finding, not a browser block.
  { id: 'cred-reflected-origin', title: 'Reflected origin with ACAC true (cors({ origin: true, credentials: true }))', request: withCreds, response: ok([[ACAO, '$REQUEST_ORIGIN'], [ACAC, 'true'], ['Vary', 'Origin']]) },
  // ACAC is read only when the request's credentials mode is include (CORS check, step 7).
  { id: 'cred-omit-acac-ignored', title: 'ACAC TRUE is irrelevant without credentials', request: req(), response: ok([[ACAO, '*'], [ACAC, 'TRUE']]) },
  { id: 'cred-same-origin-star', title: "credentials: 'same-origin' cross-origin is not credentialed: * works", request: req({ credentials: 'same-origin' }), response: ok([[ACAO, '*']]) },
  { id: 'cred-null-acao', title: 'Credentials with ACAO null', request: withCreds, response: ok([[ACAO, 'null'], [ACAC, 'true']]) },
  // The preflight runs the same CORS check with the request's credentials mode (Fetch §4.8), so `*` fails there first.
  { id: 'cred-star-with-preflight', title: 'Credentialed PUT: preflight allows *, ACAO *', request: req({ method: 'PUT', credentials: 'include', body: 'x' }), preflight: { status: 204, headers: [[ACAO, '*'], [ACAC, 'true'], ['Access-Control-Allow-Methods', 'PUT']] }, response: ok([[ACAO, '*'], [ACAC, 'true']]) },
  // ACAC is needed on the preflight as well as on the actual response.
  { id: 'cred-preflight-missing-acac', title: 'Credentialed PUT: preflight lacks ACAC', request: req({ method: 'PUT', credentials: 'include', body: 'x' }), preflight: { status: 204, headers: [[ACAO, '$ORIGIN'], ['Access-Control-Allow-Methods', 'PUT']] }, response: ok([[ACAO, '$ORIGIN'], [ACAC, 'true']]) },
  { id: 'cred-preflight-complete', title: 'Credentialed PUT: preflight and response both exact + ACAC', request: req({ method: 'PUT', credentials: 'include', body: 'x' }), preflight: { status: 204, headers: [[ACAO, '$ORIGIN'], [ACAC, 'true'], ['Access-Control-Allow-Methods', 'PUT']] }, response: ok([[ACAO, '$ORIGIN'], [ACAC, 'true']]) },
]);
