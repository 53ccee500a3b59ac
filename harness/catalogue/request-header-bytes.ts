// Which values keep a safelisted request-header name safelisted (Fetch §2.2.2 CORS-safelisted
// request-header): no CORS-unsafe request-header byte in Accept, only `0-9A-Za-z *,-.;=` in
// Accept-Language and Content-Language, at most 128 bytes per value and 1024 in total, and Range
// only as one `bytes=start-` or `bytes=start-end` with start <= end. The preflight allows every
// name, so only whether one was sent varies. Values with control bytes go to the raw server.
// WPT fetch/api/cors/cors-preflight-not-cors-safelisted.any.js (its resources/not-cors-safelisted.json
// lists Accept `"`, the 128-byte limits and `bytes 0-`; the other unsafe bytes apply the same rule)
// and cors/cors-safelisted-request-header.any.js (Range).
import type { Scenario, ScenarioRequest } from '../model/types.ts';
import { ACAH, ACAO, category, exact, pre, req, wpt } from './build.ts';

const allowAll = pre([[ACAO, '$ORIGIN'], [ACAH, 'Accept, Accept-Language, Content-Language, Content-Type, Range']]);
const SAFELISTED = wpt('cors/cors-safelisted-request-header.any.js');

function row(id: string, title: string, request: Partial<ScenarioRequest>, source?: string) {
  return { id, title, request: req(request), preflight: allowAll, response: exact, ...(source ? { source } : {}) };
}

// Fetch's CORS-unsafe request-header bytes other than `"` (already in preflight-trigger) and the control bytes.
const UNSAFE = ['(', ')', ':', '<', '>', '?', '@', '[', '\\', ']', '{', '}'];
const hex = (ch: string) => ch.charCodeAt(0).toString(16).padStart(2, '0');

/** Nine spellings of one name: a header list keeps each as its own entry (Fetch "header list append"). */
const ACCEPT_SPELLINGS = ['Accept', 'accept', 'ACCEPT', 'aCCEPT', 'AcCePt', 'aCcEpT', 'ACcept', 'acCEPT', 'accEPT'];

export const requestHeaderBytes: Scenario[] = category('request-header-bytes', [
  ...UNSAFE.map((ch) => row(`header-accept-byte-${hex(ch)}`, `Accept with ${ch} (0x${hex(ch)}, unsafe byte) is preflighted`, { headers: { Accept: `text/a${ch}b` } })),
  row('header-accept-byte-7f', 'Accept with DEL (0x7f, unsafe byte) is preflighted', { headers: { Accept: 'text/a\u007Fb' } }),
  row('header-accept-language-x01', 'Accept-Language \\x01 is preflighted', { headers: { 'Accept-Language': '\u0001' } }),
  row('header-content-language-x01', 'Content-Language \\x01 is preflighted', { headers: { 'Content-Language': '\u0001' } }),
  row('header-accept-language-129', 'Accept-Language of 129 bytes is preflighted', { headers: { 'Accept-Language': 'a'.repeat(129) } }),
  row('header-content-language-128', 'Content-Language of exactly 128 bytes: no preflight', { headers: { 'Content-Language': 'a'.repeat(128) } }),
  // A safelisted essence does not save a value over 128 bytes: the length test comes first.
  row('header-content-type-129', 'Content-Type text/plain with a parameter, 129 bytes, is preflighted', { method: 'POST', body: 'x', headers: { 'Content-Type': `text/plain; long=${'0'.repeat(112)}` } }),
  // Each value is within 128 bytes, but together they pass 1024 (step 5): every one becomes unsafe.
  row('header-safelisted-total-over-1024', 'Nine Accept values of 120 bytes (1080 in total) are preflighted', { headers: Object.fromEntries(ACCEPT_SPELLINGS.map((n) => [n, 'a'.repeat(120)])) }),
  // setRequestHeader() combines a repeated name into one value (1088 bytes), over 128 on its own.
  row('header-safelisted-total-over-1024-xhr', 'XHR: nine Accept values of 120 bytes, combined into one, are preflighted', { api: 'xhr', headers: Object.fromEntries(ACCEPT_SPELLINGS.map((n) => [n, 'a'.repeat(120)])) }),
  // Two entries of 120 bytes: each within 128, 240 in total, so Fetch sends no preflight; an
  // engine that judges the value it will put on the wire ("a…, a…", 242 bytes) preflights.
  row('header-accept-two-entries-120', 'Two Accept entries of 120 bytes each (240 in total): no preflight', { headers: Object.fromEntries(ACCEPT_SPELLINGS.slice(0, 2).map((n) => [n, 'a'.repeat(120)])) }),
  row('header-range-start-end', 'Range bytes=0-10: no preflight', { headers: { Range: 'bytes=0-10' } }, SAFELISTED),
  // A suffix range (no start) is not safelisted: browsers never send one on their own.
  row('header-range-suffix', 'Range bytes=-10 (no start) is preflighted', { headers: { Range: 'bytes=-10' } }, SAFELISTED),
  row('header-range-start-after-end', 'Range bytes=10-5 (start after end) is preflighted', { headers: { Range: 'bytes=10-5' } }, SAFELISTED),
  row('header-range-no-equals', 'Range "bytes 0-" (no =) is preflighted', { headers: { Range: 'bytes 0-' } }),
  row('header-range-space-before-equals', 'Range "bytes =100-200" (whitespace) is preflighted', { headers: { Range: 'bytes =100-200' } }, SAFELISTED),
  row('header-range-trailing-garbage', 'Range bytes=100-200hello is preflighted', { headers: { Range: 'bytes=100-200hello' } }, SAFELISTED),
], wpt('fetch/api/cors/cors-preflight-not-cors-safelisted.any.js'));
