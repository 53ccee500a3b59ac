// XMLHttpRequest runs the same Fetch algorithms as fetch(): withCredentials maps to credentials
// mode include, and the XHR standard adds one preflight trigger of its own (upload listeners).
import type { Scenario } from '../model/types.ts';
import { ACAC, ACAH, ACAM, ACAO, category, exact, ok, pre, req, status } from './build.ts';

export const xhr: Scenario[] = category('xhr', [
  { id: 'xhr-simple', title: 'XHR GET, ACAO *', request: req({ api: 'xhr' }), response: ok([[ACAO, '*']]) },
  { id: 'xhr-with-credentials-star', title: 'XHR withCredentials, ACAO *', request: req({ api: 'xhr', credentials: 'include' }), response: ok([[ACAO, '*'], [ACAC, 'true']]) },
  { id: 'xhr-with-credentials-exact', title: 'XHR withCredentials, exact origin and ACAC true', request: req({ api: 'xhr', credentials: 'include' }), response: ok([[ACAO, '$ORIGIN'], [ACAC, 'true']]) },
  // A listener on xhr.upload sets the use-CORS-preflight flag (XHR send()), so even a simple POST is preflighted.
  { id: 'xhr-upload-listener', title: 'XHR POST text/plain with an upload listener is preflighted', request: req({ api: 'xhr', method: 'POST', body: 'x', headers: { 'Content-Type': 'text/plain' }, uploadListener: true }), preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'POST']]), response: exact },
  // The same request against a server with no OPTIONS route: adding a progress bar breaks the upload.
  { id: 'xhr-upload-listener-no-preflight-route', title: 'XHR upload listener, the server has no OPTIONS route', request: req({ api: 'xhr', method: 'POST', body: 'x', headers: { 'Content-Type': 'text/plain' }, uploadListener: true }), response: exact },
  { id: 'xhr-custom-header', title: 'XHR with a custom header, ACAH lists it', request: req({ api: 'xhr', headers: { 'X-Custom': '1' } }), preflight: pre([[ACAO, '$ORIGIN'], [ACAH, 'X-Custom']]), response: exact },
  { id: 'xhr-error-status-with-acao', title: 'XHR reads a 500 that carries ACAO', request: req({ api: 'xhr' }), response: status(500, [[ACAO, '$ORIGIN']], 'boom') },
]);
