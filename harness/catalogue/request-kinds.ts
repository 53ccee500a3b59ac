// CORS beyond fetch() and XHR: <img crossorigin> and module scripts are CORS requests that the page
// cannot inspect (it sees load or error), and mode no-cors skips the check for an opaque response.
import type { Scenario } from '../model/types.ts';
import { ACAC, ACAO, category, ok, req } from './build.ts';

const gif = (headers: Array<[string, string]>) => ({ status: 200, headers, body: '$GIF' });
const module = (headers: Array<[string, string]>) => ({ status: 200, headers, body: '$MODULE' });

export const requestKinds: Scenario[] = category('request-kinds', [
  { id: 'img-anonymous-star', title: '<img crossorigin=anonymous>, ACAO *', request: req({ api: 'img' }), response: gif([[ACAO, '*']]) },
  { id: 'img-anonymous-missing', title: '<img crossorigin=anonymous>, no ACAO', request: req({ api: 'img' }), response: gif([]) },
  // use-credentials is credentials mode include, so the rules of the credentials rows apply to an image.
  { id: 'img-credentials-star', title: '<img crossorigin=use-credentials>, ACAO *', request: req({ api: 'img', credentials: 'include' }), response: gif([[ACAO, '*'], [ACAC, 'true']]) },
  { id: 'img-credentials-exact', title: '<img crossorigin=use-credentials>, exact origin and ACAC', request: req({ api: 'img', credentials: 'include' }), response: gif([[ACAO, '$ORIGIN'], [ACAC, 'true']]) },
  // Module scripts are always fetched in cors mode (HTML "fetch a single module script"), with no attribute needed.
  { id: 'script-module-acao', title: 'Module <script>, ACAO *', request: req({ api: 'script' }), response: module([[ACAO, '*']]) },
  { id: 'script-module-missing', title: 'Module <script>, no ACAO', request: req({ api: 'script' }), response: module([]) },
  // The request is sent and succeeds, but the response is opaque (Fetch §4.1 main fetch), so the page reads nothing: blocked.
  { id: 'fetch-no-cors', title: "fetch mode: 'no-cors' gets an opaque response", request: req({ mode: 'no-cors' }), response: ok([[ACAO, '*']]) },
  // new Request() throws for a method that is not CORS-safelisted in no-cors mode (Fetch §5.4), so nothing reaches the target.
  { id: 'fetch-no-cors-put', title: "fetch mode: 'no-cors' with PUT throws before sending", request: req({ mode: 'no-cors', method: 'PUT', body: 'x' }), response: ok([[ACAO, '*']]) },
]);
