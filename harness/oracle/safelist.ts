// The safelists and forbidden lists of Fetch §2.2.1 Methods and §2.2.2 Headers: what a page may
// send without a preflight, what it may not send at all, and what it may read back.

import { getDecodeSplitValue, type HeaderList } from './headers.ts';
import { parseMimeTypeEssence } from './mime.ts';

// Fetch §2.2.1 CORS-safelisted method: GET, HEAD or POST, compared case-sensitively (the page's
// method is normalized first). https://fetch.spec.whatwg.org/#cors-safelisted-method
export function isCorsSafelistedMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'POST';
}

// Fetch §2.2.1 forbidden method, compared case-insensitively. https://fetch.spec.whatwg.org/#forbidden-method
export const FORBIDDEN_METHODS: readonly string[] = ['CONNECT', 'TRACE', 'TRACK'];

export function isForbiddenMethod(method: string): boolean {
  return FORBIDDEN_METHODS.includes(method.toUpperCase());
}

// Fetch §2.2.1 normalize a method: only these six are uppercased, so `patch` stays `patch`.
// https://fetch.spec.whatwg.org/#concept-method-normalize
export const NORMALIZED_METHODS: readonly string[] = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];

export function normalizeMethod(method: string): string {
  const upper = method.toUpperCase();
  return NORMALIZED_METHODS.includes(upper) ? upper : method;
}

// Fetch §2.2.2 CORS-unsafe request-header byte: control bytes other than tab, the RFC 9110
// delimiters except `,/;=`, and DEL. https://fetch.spec.whatwg.org/#cors-unsafe-request-header-byte
export function isCorsUnsafeRequestHeaderByte(code: number): boolean {
  if (code < 0x20 && code !== 0x09) return true;
  return [0x22, 0x28, 0x29, 0x3a, 0x3c, 0x3e, 0x3f, 0x40, 0x5b, 0x5c, 0x5d, 0x7b, 0x7d, 0x7f].includes(code);
}

function containsUnsafeByte(value: string): boolean {
  return [...value].some((ch) => isCorsUnsafeRequestHeaderByte(ch.charCodeAt(0)));
}

/** Accept-Language and Content-Language allow only `0-9 A-Z a-z`, space and `* , - . ; =`. */
const LANGUAGE_VALUE = /^[0-9A-Za-z *,\-.;=]*$/;

const SAFELISTED_CONTENT_TYPE_ESSENCES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/** The 128-byte limit on one safelisted value (step 1 below). */
export const SAFELISTED_VALUE_MAX = 128;
/** The 1024-byte limit on all safelisted values together (CORS-unsafe request-header names, step 5). */
export const SAFELISTED_TOTAL_MAX = 1024;

// Fetch §2.2.2 CORS-safelisted request-header. https://fetch.spec.whatwg.org/#cors-safelisted-request-header
export function isCorsSafelistedRequestHeader(name: string, value: string): boolean {
  // 1. If value's length is greater than 128, then return false.
  if (value.length > SAFELISTED_VALUE_MAX) return false;
  // 2. Byte-lowercase name and switch on the result.
  switch (name.toLowerCase()) {
    case 'accept':
      return !containsUnsafeByte(value);
    case 'accept-language':
    case 'content-language':
      return LANGUAGE_VALUE.test(value);
    case 'content-type':
      return isSafelistedContentType(value);
    case 'range':
      return isSafelistedRange(value);
    default:
      return false;
  }
}

// Fetch §2.2.2 CORS-safelisted request-header, `content-type` branch: a strict parse (not the
// forgiving "extract a MIME type"), then one of three essences.
function isSafelistedContentType(value: string): boolean {
  // 1. If value contains a CORS-unsafe request-header byte, then return false.
  if (containsUnsafeByte(value)) return false;
  // 2-3. Parse a MIME type; failure is not safelisted.
  const essence = parseMimeTypeEssence(value);
  // 4. The essence must be a form encoding or text/plain.
  return essence !== null && SAFELISTED_CONTENT_TYPE_ESSENCES.includes(essence);
}

// Fetch §2.2.2 CORS-safelisted request-header, `range` branch: a single range with a start.
function isSafelistedRange(value: string): boolean {
  // 1-2. Parse a single range header value, without whitespace; failure is not safelisted.
  const range = parseSingleRangeHeaderValue(value, false);
  // 3. `bytes=-500` (no start) is not safelisted: browsers never emitted it.
  return range !== null && range[0] !== null;
}

// Fetch §2.2.2 parse a single range header value. https://fetch.spec.whatwg.org/#simple-range-header-value
export function parseSingleRangeHeaderValue(value: string, allowWhitespace: boolean): [number | null, number | null] | null {
  const ws = allowWhitespace ? '[\\t ]*' : '';
  // 2-16: `bytes`, `=`, optional digits, `-`, optional digits, and nothing else.
  const match = new RegExp(`^bytes${ws}=${ws}([0-9]*)${ws}-${ws}([0-9]*)$`).exec(value);
  if (match === null) return null;
  const start = match[1] === '' ? null : Number(match[1]);
  const end = match[2] === '' ? null : Number(match[2]);
  // 17. Both absent fails. 18. A start after the end fails.
  if (start === null && end === null) return null;
  if (start !== null && end !== null && start > end) return null;
  return [start, end];
}

// Fetch §2.2.2 CORS-unsafe request-header names. https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names
export function corsUnsafeRequestHeaderNames(headers: HeaderList): string[] {
  // 1-3.
  const unsafeNames: string[] = [];
  const potentiallyUnsafeNames: string[] = [];
  let safelistValueSize = 0;
  // 4. Sort each header into unsafe or potentially unsafe, summing the safelisted value sizes.
  for (const [name, value] of headers) {
    if (!isCorsSafelistedRequestHeader(name, value)) {
      unsafeNames.push(name);
    } else {
      potentiallyUnsafeNames.push(name);
      safelistValueSize += value.length;
    }
  }
  // 5. Past 1024 bytes in total, every safelisted header becomes unsafe too.
  if (safelistValueSize > SAFELISTED_TOTAL_MAX) unsafeNames.push(...potentiallyUnsafeNames);
  // 6. Convert to a sorted-lowercase set.
  return toSortedLowercaseSet(unsafeNames);
}

// Fetch §2.2.2 convert header names to a sorted-lowercase set (byte order, duplicates dropped).
// https://fetch.spec.whatwg.org/#convert-header-names-to-a-sorted-lowercase-set
export function toSortedLowercaseSet(names: string[]): string[] {
  return [...new Set(names.map((n) => n.toLowerCase()))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

// Fetch §2.2.2 CORS non-wildcard request-header name: `*` in Access-Control-Allow-Headers never
// covers it. https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name
export function isCorsNonWildcardRequestHeaderName(name: string): boolean {
  return name.toLowerCase() === 'authorization';
}

// Fetch §2.2.2 privileged no-CORS request-header name. https://fetch.spec.whatwg.org/#privileged-no-cors-request-header-name
export function isPrivilegedNoCorsRequestHeaderName(name: string): boolean {
  return name.toLowerCase() === 'range';
}

// Fetch §2.2.2 no-CORS-safelisted request-header: what survives a `mode: 'no-cors'` Headers guard.
// https://fetch.spec.whatwg.org/#no-cors-safelisted-request-header
export function isNoCorsSafelistedRequestHeader(name: string, value: string): boolean {
  // 1. The name must be Accept, Accept-Language, Content-Language or Content-Type.
  if (!['accept', 'accept-language', 'content-language', 'content-type'].includes(name.toLowerCase())) return false;
  // 2. And the header must be CORS-safelisted.
  return isCorsSafelistedRequestHeader(name, value);
}

const FORBIDDEN_REQUEST_HEADER_NAMES = new Set([
  'accept-charset', 'accept-encoding', 'access-control-request-headers', 'access-control-request-method',
  'connection', 'content-length', 'cookie', 'cookie2', 'date', 'dnt', 'expect', 'host', 'keep-alive',
  'origin', 'referer', 'set-cookie', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'via',
]);

const METHOD_OVERRIDE_NAMES = new Set(['x-http-method', 'x-http-method-override', 'x-method-override']);

// Fetch §2.2.2 forbidden request-header: the page's Headers or setRequestHeader() silently drop it.
// https://fetch.spec.whatwg.org/#forbidden-request-header
export function isForbiddenRequestHeader(name: string, value: string): boolean {
  const lower = name.toLowerCase();
  // 1. The fixed list.
  if (FORBIDDEN_REQUEST_HEADER_NAMES.has(lower)) return true;
  // 2. Names starting with `proxy-` or `sec-`.
  if (lower.startsWith('proxy-') || lower.startsWith('sec-')) return true;
  // 3. A method override naming a forbidden method.
  if (METHOD_OVERRIDE_NAMES.has(lower)) return getDecodeSplitValue(value).some(isForbiddenMethod);
  // 4.
  return false;
}

// Fetch §2.2.2 forbidden response-header name. https://fetch.spec.whatwg.org/#forbidden-response-header-name
export function isForbiddenResponseHeaderName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === 'set-cookie' || lower === 'set-cookie2';
}

const SAFELISTED_RESPONSE_HEADER_NAMES = new Set([
  'cache-control', 'content-language', 'content-length', 'content-type', 'expires', 'last-modified', 'pragma',
]);

// Fetch §2.2.2 CORS-safelisted response-header name, given the CORS-exposed header-name list:
// the seven fixed names plus any exposed name that is not a forbidden response-header name.
// https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name
export function isCorsSafelistedResponseHeaderName(name: string, exposed: readonly string[]): boolean {
  const lower = name.toLowerCase();
  if (SAFELISTED_RESPONSE_HEADER_NAMES.has(lower)) return true;
  return exposed.some((item) => item.toLowerCase() === lower) && !isForbiddenResponseHeaderName(lower);
}
