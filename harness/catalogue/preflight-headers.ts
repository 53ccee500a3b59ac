// Access-Control-Allow-Headers on the preflight: how its list is parsed and matched against the
// request's CORS-unsafe header names (Fetch §4.8 CORS-preflight fetch, steps 7.3 and 7.6-7.7; WPT
// fetch/api/cors/cors-preflight-star.any.js for the `*` rows).
import type { Scenario } from '../model/types.ts';
import { ACAC, ACAH, ACAO, category, exact, ok, pre, req } from './build.ts';

const custom = req({ headers: { 'X-Custom': '1' } });

export const preflightHeaders: Scenario[] = category('preflight-headers', [
  // Header names compare case-insensitively, unlike methods.
  { id: 'acah-case-insensitive', title: 'ACAH x-custom matches X-Custom', request: custom, preflight: pre([[ACAO, '$ORIGIN'], [ACAH, 'x-CUSTOM']]), response: exact },
  { id: 'acah-star', title: 'ACAH * without credentials', request: custom, preflight: pre([[ACAO, '$ORIGIN'], [ACAH, '*']]), response: exact },
  // With credentials `*` is just a header named "*" (step 7.7).
  { id: 'acah-star-credentials', title: 'ACAH * with credentials (literal * only)', request: req({ headers: { 'X-Custom': '1' }, credentials: 'include' }), preflight: pre([[ACAO, '$ORIGIN'], [ACAC, 'true'], [ACAH, '*']]), response: ok([[ACAO, '$ORIGIN'], [ACAC, 'true']]) },
  // Authorization is a CORS non-wildcard request-header name (step 7.6): Fetch blocks, the three
  // engines allow it; their evidence is recorded in deviations.ts.
  {
    id: 'acah-star-authorization', title: 'ACAH * does not cover Authorization (Fetch); engines still allow it',
    request: req({ headers: { Authorization: 'Bearer t' } }), preflight: pre([[ACAO, '$ORIGIN'], [ACAH, '*']]), response: exact,
  },
  { id: 'acah-authorization-listed', title: 'ACAH lists Authorization explicitly', request: req({ headers: { Authorization: 'Bearer t' } }), preflight: pre([[ACAO, '$ORIGIN'], [ACAH, 'Authorization']]), response: exact },
  // Naming Authorization beside `*` is the standard's way to allow it and everything else.
  { id: 'acah-star-and-authorization', title: 'ACAH "*, Authorization"', request: req({ headers: { Authorization: 'Bearer t', 'X-Custom': '1' } }), preflight: pre([[ACAO, '$ORIGIN'], [ACAH, '*, Authorization']]), response: exact },
  { id: 'acah-one-of-two', title: 'Two custom headers, ACAH lists one', request: req({ headers: { 'X-Custom': '1', 'X-Other': '2' } }), preflight: pre([[ACAO, '$ORIGIN'], [ACAH, 'X-Custom']]), response: exact },
  // One entry that is not a header-name token makes the whole header fail to parse (step 7.3).
  { id: 'acah-invalid-token', title: 'ACAH "X-Custom, (bad)"', request: custom, preflight: pre([[ACAO, '$ORIGIN'], [ACAH, 'X-Custom, (bad)']]), response: exact },
  { id: 'acah-two-lines', title: 'ACAH on two lines are merged', request: req({ headers: { 'X-Custom': '1', 'X-Other': '2' } }), preflight: pre([[ACAO, '$ORIGIN'], [ACAH, 'X-Custom'], [ACAH, 'X-Other']]), response: exact },
  // A non-safelisted Content-Type is a CORS-unsafe header like any other and must be listed.
  { id: 'acah-content-type-json', title: 'JSON POST: ACAH lacks Content-Type', request: req({ method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } }), preflight: pre([[ACAO, '$ORIGIN'], [ACAH, 'X-Custom']]), response: exact },
]);
