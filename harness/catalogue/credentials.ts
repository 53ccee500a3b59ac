// Credentialed requests: Access-Control-Allow-Credentials forms, `*` with credentials, and whether
// the session cookie (set by the probe page) reached the target.
import type { Scenario } from '../types.ts';
import { ACAC, ACAO, category, ok, req } from './build.ts';

const withCreds = req({ credentials: 'include' });

export const credentials: Scenario[] = category('credentials', [
  { id: 'cred-acac-missing', title: 'Credentials with the exact origin but no ACAC', request: withCreds, response: ok([[ACAO, '$ORIGIN']]) },
  { id: 'cred-acac-capitalised', title: 'ACAC True (capital T)', request: withCreds, response: ok([[ACAO, '$ORIGIN'], [ACAC, 'True']]) },
  { id: 'cred-acac-one', title: 'ACAC 1', request: withCreds, response: ok([[ACAO, '$ORIGIN'], [ACAC, '1']]) },
  { id: 'cred-acac-yes', title: 'ACAC yes', request: withCreds, response: ok([[ACAO, '$ORIGIN'], [ACAC, 'yes']]) },
  { id: 'cred-acac-spaces', title: 'ACAC " true " (whitespace trimmed)', request: withCreds, response: ok([[ACAO, '$ORIGIN'], [ACAC, ' true ']]) },
  { id: 'cred-acac-two-lines', title: 'ACAC true sent twice (combined as "true, true")', request: withCreds, response: ok([[ACAO, '$ORIGIN'], [ACAC, 'true'], [ACAC, 'true']]) },
  { id: 'cred-acac-false', title: 'ACAC false with credentials', request: withCreds, response: ok([[ACAO, '$ORIGIN'], [ACAC, 'false']]) },
  { id: 'cred-reflected-origin', title: 'Reflected origin with ACAC true (cors({ origin: true, credentials: true }))', request: withCreds, response: ok([[ACAO, '$REQUEST_ORIGIN'], [ACAC, 'true'], ['Vary', 'Origin']]) },
  { id: 'cred-omit-acac-ignored', title: 'ACAC TRUE is irrelevant without credentials', request: req(), response: ok([[ACAO, '*'], [ACAC, 'TRUE']]) },
  { id: 'cred-same-origin-star', title: "credentials: 'same-origin' cross-origin is not credentialed: * works", request: req({ credentials: 'same-origin' }), response: ok([[ACAO, '*']]) },
  { id: 'cred-null-acao', title: 'Credentials with ACAO null', request: withCreds, response: ok([[ACAO, 'null'], [ACAC, 'true']]) },
  { id: 'cred-star-with-preflight', title: 'Credentialed PUT: preflight allows *, ACAO *', request: req({ method: 'PUT', credentials: 'include', body: 'x' }), preflight: { status: 204, headers: [[ACAO, '*'], [ACAC, 'true'], ['Access-Control-Allow-Methods', 'PUT']] }, response: ok([[ACAO, '*'], [ACAC, 'true']]) },
  { id: 'cred-preflight-missing-acac', title: 'Credentialed PUT: preflight lacks ACAC', request: req({ method: 'PUT', credentials: 'include', body: 'x' }), preflight: { status: 204, headers: [[ACAO, '$ORIGIN'], ['Access-Control-Allow-Methods', 'PUT']] }, response: ok([[ACAO, '$ORIGIN'], [ACAC, 'true']]) },
  { id: 'cred-preflight-complete', title: 'Credentialed PUT: preflight and response both exact + ACAC', request: req({ method: 'PUT', credentials: 'include', body: 'x' }), preflight: { status: 204, headers: [[ACAO, '$ORIGIN'], [ACAC, 'true'], ['Access-Control-Allow-Methods', 'PUT']] }, response: ok([[ACAO, '$ORIGIN'], [ACAC, 'true']]) },
]);
