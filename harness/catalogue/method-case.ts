// The case of the request method. Fetch "normalize a method" (§2.2.1) upper-cases only DELETE,
// GET, HEAD, OPTIONS, POST and PUT, case-insensitively; every other method goes out exactly as the
// page wrote it, and Access-Control-Allow-Methods is matched case-sensitively against what went
// out (§4.8 CORS-preflight fetch, step 7.5). WPT fetch/api/cors/cors-preflight.any.js (PATCH, NEW)
// and xhr/open-method-case-sensitive.htm / open-method-case-insensitive.htm.
import type { Scenario } from '../model/types.ts';
import { ACAH, ACAM, ACAO, category, exact, ok, pre, req, wpt } from './build.ts';

const acam = (methods: string) => pre([[ACAO, '$ORIGIN'], [ACAM, methods]]);
const PREFLIGHT = wpt('fetch/api/cors/cors-preflight.any.js');
const XHR_SENSITIVE = wpt('xhr/open-method-case-sensitive.htm');
const XHR_INSENSITIVE = wpt('xhr/open-method-case-insensitive.htm');

export const methodCase: Scenario[] = category('method-case', [
  { id: 'method-case-patch-acam-patch', title: 'PATCH, ACAM PATCH (server allows)', request: req({ method: 'PATCH', body: 'x' }), preflight: acam('PATCH'), response: exact },
  // The page's PATCH is already upper case; a lower-case list entry is another method.
  { id: 'method-case-patch-acam-lowercase', title: 'PATCH, ACAM patch (case differs: refused)', request: req({ method: 'PATCH', body: 'x' }), preflight: acam('patch'), response: exact },
  { id: 'method-case-patch-refused', title: 'PATCH, ACAM lists only GET, PUT (server refuses)', request: req({ method: 'PATCH', body: 'x' }), preflight: acam('GET, PUT'), response: exact },
  // `*` without credentials matches any method, whatever its case.
  { id: 'method-case-patch-lower-acam-star', title: 'fetch(method: "patch"), ACAM *', request: req({ method: 'patch', body: 'x' }), preflight: acam('*'), response: exact, source: XHR_SENSITIVE },
  { id: 'method-case-new-allowed', title: 'Custom method NEW, ACAM NEW (server allows)', request: req({ method: 'NEW' }), preflight: acam('NEW'), response: exact },
  { id: 'method-case-new-refused', title: 'Custom method NEW, ACAM GET (server refuses)', request: req({ method: 'NEW' }), preflight: acam('GET'), response: exact },
  // "chicken" is not normalised, so ACAM CHICKEN does not cover it, and ACAM chicken does.
  { id: 'method-case-chicken-acam-upper', title: 'fetch(method: "chicken"), ACAM CHICKEN (case differs: refused)', request: req({ method: 'chicken' }), preflight: acam('CHICKEN'), response: exact, source: XHR_SENSITIVE },
  { id: 'method-case-chicken-acam-lower', title: 'fetch(method: "chicken"), ACAM chicken', request: req({ method: 'chicken' }), preflight: acam('chicken'), response: exact, source: XHR_SENSITIVE },
  // "delete" and "put" are normalised to DELETE and PUT before anything is sent.
  { id: 'method-case-delete-lower-acam-upper', title: 'fetch(method: "delete"), ACAM DELETE', request: req({ method: 'delete' }), preflight: acam('DELETE'), response: exact, source: XHR_INSENSITIVE },
  { id: 'method-case-delete-lower-acam-lower', title: 'fetch(method: "delete"), ACAM delete (normalised DELETE is not listed)', request: req({ method: 'delete' }), preflight: acam('delete'), response: exact, source: XHR_INSENSITIVE },
  { id: 'method-case-put-mixed-acam-upper', title: 'fetch(method: "pUt"), ACAM PUT', request: req({ method: 'pUt', body: 'x' }), preflight: acam('PUT'), response: exact, source: XHR_INSENSITIVE },
  // "post" becomes POST, a CORS-safelisted method: a simple request with no preflight at all.
  { id: 'method-case-post-lower-simple', title: 'fetch(method: "post") text/plain is simple: no preflight', request: req({ method: 'post', body: 'x', headers: { 'Content-Type': 'text/plain' } }), response: ok([[ACAO, '*']]), source: XHR_INSENSITIVE },
  // With a custom header it is preflighted, and ACAM need not list POST (safelisted, step 7.5).
  { id: 'method-case-post-lower-custom-header', title: 'fetch(method: "post") with X-Custom, ACAH only', request: req({ method: 'post', body: 'x', headers: { 'X-Custom': '1' } }), preflight: pre([[ACAO, '$ORIGIN'], [ACAH, 'X-Custom']]), response: exact, source: XHR_INSENSITIVE },
  { id: 'method-case-xhr-patch-lower-acam-upper', title: 'XHR open("patch"), ACAM PATCH (case differs: refused)', request: req({ api: 'xhr', method: 'patch', body: 'x' }), preflight: acam('PATCH'), response: exact, source: XHR_SENSITIVE },
  { id: 'method-case-xhr-delete-lower-acam-upper', title: 'XHR open("delete"), ACAM DELETE', request: req({ api: 'xhr', method: 'delete' }), preflight: acam('DELETE'), response: exact, source: XHR_INSENSITIVE },
], PREFLIGHT);
