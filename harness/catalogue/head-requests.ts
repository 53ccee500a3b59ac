// HEAD is a CORS-safelisted method (Fetch §2.2.1): alone it is a simple request, and its
// response still needs the CORS check; a non-safelisted header makes it preflighted like GET.
// The answers carry no body. WPT fetch/api/cors/cors-no-preflight.any.js ("Cross domain [HEAD]")
// and fetch/api/cors/cors-origin.any.js ("Cross domain [HEAD] [origin OK/KO]").
import type { Scenario } from '../model/types.ts';
import { ACAC, ACAH, ACAO, category, pre, req, status, wpt } from './build.ts';

const head = (overrides = {}) => req({ method: 'HEAD', ...overrides });
const ORIGIN = wpt('fetch/api/cors/cors-origin.any.js');

export const headRequests: Scenario[] = category('head-requests', [
  { id: 'head-acao-star', title: 'HEAD, ACAO *: simple, no preflight', request: head(), response: status(200, [[ACAO, '*']]) },
  { id: 'head-acao-exact', title: 'HEAD, ACAO is the page origin', request: head(), response: status(200, [[ACAO, '$ORIGIN']]), source: ORIGIN },
  { id: 'head-acao-missing', title: 'HEAD without ACAO', request: head(), response: status(200, []), source: ORIGIN },
  { id: 'head-acao-other-origin', title: 'HEAD, ACAO names the target itself', request: head(), response: status(200, [[ACAO, '$TARGET']]), source: ORIGIN },
  { id: 'head-credentials-exact', title: 'Credentialed HEAD, exact origin and ACAC true', request: head({ credentials: 'include' }), response: status(200, [[ACAO, '$ORIGIN'], [ACAC, 'true']]) },
  { id: 'head-custom-header-allowed', title: 'HEAD with X-Custom is preflighted; ACAH lists it', request: head({ headers: { 'X-Custom': '1' } }), preflight: pre([[ACAO, '$ORIGIN'], [ACAH, 'X-Custom']]), response: status(200, [[ACAO, '$ORIGIN']]) },
  { id: 'head-custom-header-refused', title: 'HEAD with X-Custom, ACAH lacks it', request: head({ headers: { 'X-Custom': '1' } }), preflight: pre([[ACAO, '$ORIGIN']]), response: status(200, [[ACAO, '$ORIGIN']]) },
  { id: 'head-xhr-acao-star', title: 'XHR HEAD, ACAO *', request: head({ api: 'xhr' }), response: status(200, [[ACAO, '*']]) },
], wpt('fetch/api/cors/cors-no-preflight.any.js'));
