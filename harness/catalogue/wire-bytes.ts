// What a server or a page can put on the wire beyond what Node's own HTTP stack writes or parses:
// statuses outside 100-599, a NUL byte in a response header value, control bytes in a request
// header value, and a body that never ends. Each row is sent byte for byte (the raw server takes
// what Node refuses), so the cell shows what the engine does with these bytes, not what Node did.
import type { Scenario } from '../model/types.ts';
import { ACAH, ACAM, ACAO, ACEH, category, ok, pre, put, req, status } from './build.ts';

/** A preflight answer that allows everything the rows send but for its status. */
const allowPut = (code: number) => pre([[ACAO, '$ORIGIN'], [ACAM, 'PUT']], code);
const allowHeader = (name: string) => pre([[ACAO, '$ORIGIN'], [ACAH, name]]);

export const wireBytes: Scenario[] = category('wire-bytes', [
  // A preflight passes on an ok status (200-299) only; a three-digit status above 599 is just
  // another status, so it fails like a 500 would. WPT cors/preflight-failure.htm (680, 790).
  { id: 'wire-preflight-status-680', title: 'Preflight answered 680 with every CORS header (not ok: blocked)', request: put, preflight: allowPut(680), response: ok([[ACAO, '$ORIGIN']]) },
  { id: 'wire-preflight-status-699', title: 'Preflight answered 699 with every CORS header (not ok: blocked)', request: put, preflight: allowPut(699), response: ok([[ACAO, '$ORIGIN']]) },
  { id: 'wire-preflight-status-790', title: 'Preflight answered 790 with every CORS header (not ok: blocked)', request: put, preflight: allowPut(790), response: ok([[ACAO, '$ORIGIN']]) },
  // The actual response's status is not CORS's business: 699 after a good preflight is readable
  // with its status. WPT cors/status-preflight.htm ("PUT 699", XHR).
  { id: 'wire-response-status-699-xhr', title: 'XHR PUT answered 699 after a good preflight (readable, status 699)', request: req({ api: 'xhr', method: 'PUT', body: 'x' }), preflight: allowPut(204), response: status(699, [[ACAO, '$ORIGIN']], 'odd') },
  { id: 'wire-response-status-699-fetch', title: 'fetch PUT answered 699 after a good preflight (readable, status 699)', request: put, preflight: allowPut(204), response: status(699, [[ACAO, '$ORIGIN']], 'odd') },
  // A NUL in a response header value: HTTP lets the engine reject the message or replace the NUL
  // with a space (RFC 9110 section 5.5); every engine here rejects it, so the page sees a network
  // error before any CORS check, whichever header carries it. Node refuses to write NUL, so only the
  // raw server sends these rows.
  { id: 'wire-acao-origin-nul', title: 'ACAO is the origin followed by a NUL byte (network error: blocked)', request: req(), response: ok([[ACAO, '$ORIGIN\u0000']]) },
  { id: 'wire-exposed-header-nul', title: 'Exposed header X-Nul holds a NUL byte, ACAO * (network error: blocked)', request: req({ readHeaders: ['x-nul'] }), response: ok([[ACAO, '*'], [ACEH, 'X-Nul'], ['X-Nul', 'a\u0000b']]) },
  // Request header values a page may set (Fetch refuses only NUL, CR and LF) whose control bytes
  // make them non-safelisted, so the engine must preflight; Node's parser would drop the actual
  // request, so these rows go to the raw server. WPT cors/cors-safelisted-request-header.any.js.
  { id: 'wire-range-form-feed', title: 'Range bytes=0-\\f is not a safelisted range: preflighted', request: req({ headers: { Range: 'bytes=0-\f' } }), preflight: allowHeader('Range'), response: ok([[ACAO, '$ORIGIN']]) },
  { id: 'wire-content-type-vtab', title: 'Content-Type text/plain\\v is not safelisted: preflighted', request: req({ method: 'POST', body: 'x', headers: { 'Content-Type': 'text/plain\u000B' } }), preflight: allowHeader('Content-Type'), response: ok([[ACAO, '$ORIGIN']]) },
  { id: 'wire-content-type-x01', title: 'Content-Type text/plain;garbage\\x01\\x02 is not safelisted: preflighted', request: req({ method: 'POST', body: 'x', headers: { 'Content-Type': 'text/plain;garbage\u0001\u0002' } }), preflight: allowHeader('Content-Type'), response: ok([[ACAO, '$ORIGIN']]) },
  { id: 'wire-content-type-del', title: 'Content-Type application/x-www-form-urlencoded;\\x7f is not safelisted: preflighted', request: req({ method: 'POST', body: 'x', headers: { 'Content-Type': 'application/x-www-form-urlencoded;\u007F' } }), preflight: allowHeader('Content-Type'), response: ok([[ACAO, '$ORIGIN']]) },
  // A preflight is decided on its status and headers; its body is never read, so one that never
  // ends must not hold the actual request back.
  { id: 'wire-preflight-endless-body', title: 'Preflight body never ends: the actual request still goes (allowed)', request: put, preflight: { ...allowPut(200), fault: 'endless-body' }, response: ok([[ACAO, '$ORIGIN']]) },
  // The page reads the body, which never ends: the probe's timeout decides, reported as an error
  // with that cause, never as a CORS block.
  { id: 'wire-response-endless-body', title: 'Response body never ends (error with a cause, never blocked)', request: req(), response: { ...ok([[ACAO, '*']]), fault: 'endless-body' }, expect: { error: true } },
]);
