// Access-Control-Allow-Methods on the preflight: how its list is parsed and matched against the
// request's method (Fetch §4.8 CORS-preflight fetch, steps 7.3-7.5; WPT
// fetch/api/cors/cors-preflight-star.any.js for the `*` rows).
import type { Scenario } from '../model/types.ts';
import { ACAC, ACAH, ACAM, ACAO, category, exact, ok, pre, put, req } from './build.ts';

export const preflightMethods: Scenario[] = category('preflight-methods', [
  // The header is parsed as a comma-separated list with whitespace around each token stripped.
  { id: 'acam-list-spaces', title: 'ACAM "GET,  PUT ,DELETE" (spaces around tokens)', request: put, preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'GET,  PUT ,DELETE']]), response: exact },
  // Methods are compared case-sensitively; the request's PUT is already normalised, the list is not.
  { id: 'acam-lowercase-for-put', title: 'ACAM put (lower case) for PUT', request: put, preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'put']]), response: exact },
  // PATCH is not among the methods "normalize a method" upper-cases, so the request stays "patch".
  { id: 'acam-uppercase-for-patch', title: 'ACAM PATCH for fetch(method: "patch") (not normalised)', request: req({ method: 'patch', body: 'x' }), preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'PATCH']]), response: exact },
  { id: 'acam-lowercase-patch', title: 'ACAM patch for fetch(method: "patch")', request: req({ method: 'patch', body: 'x' }), preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'patch']]), response: exact },
  { id: 'acam-star', title: 'ACAM * without credentials', request: put, preflight: pre([[ACAO, '$ORIGIN'], [ACAM, '*']]), response: exact },
  // With credentials `*` is just a method named "*" (step 7.5).
  { id: 'acam-star-credentials', title: 'ACAM * with credentials (literal * only)', request: req({ method: 'PUT', body: 'x', credentials: 'include' }), preflight: pre([[ACAO, '$ORIGIN'], [ACAC, 'true'], [ACAM, '*']]), response: ok([[ACAO, '$ORIGIN'], [ACAC, 'true']]) },
  // One token that is not a method makes the whole header fail to parse (step 7.3), not just that entry.
  { id: 'acam-invalid-token', title: 'ACAM "PUT;" (not a token)', request: put, preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'PUT;']]), response: exact },
  // Two header lines are combined into one list before parsing.
  { id: 'acam-two-lines', title: 'ACAM on two lines (GET / PUT) are merged', request: put, preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'GET'], [ACAM, 'PUT']]), response: exact },
  // A CORS-safelisted method passes step 7.5 whatever ACAM lists; the header alone caused this preflight.
  { id: 'acam-not-needed-for-post', title: 'POST with a custom header: ACAM may omit POST', request: req({ method: 'POST', body: 'x', headers: { 'X-Custom': '1' } }), preflight: pre([[ACAO, '$ORIGIN'], [ACAH, 'X-Custom']]), response: exact },
  { id: 'acam-custom-method', title: 'ACAM CHICKEN for a custom method', request: req({ method: 'CHICKEN' }), preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'CHICKEN']]), response: exact },
  { id: 'acam-custom-method-missing', title: 'Custom method not listed in ACAM', request: req({ method: 'CHICKEN' }), preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'GET, PUT']]), response: exact },
]);
