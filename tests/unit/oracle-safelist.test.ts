import { test, expect } from '@playwright/test';
import {
  corsUnsafeRequestHeaderNames, isCorsSafelistedMethod, isCorsSafelistedRequestHeader, isCorsSafelistedResponseHeaderName,
  isForbiddenRequestHeader, normalizeMethod, parseSingleRangeHeaderValue,
} from '../../harness/oracle/safelist.ts';
import {
  DELTA_SECONDS, TOKEN_LIST, combine, extractHeaderListValues, get, getDecodeSplitValue, isFailure,
} from '../../harness/oracle/headers.ts';
import { parseMimeTypeEssence } from '../../harness/oracle/mime.ts';
import { run } from './oracle-helpers.ts';

// ---- Fetch §2.2.1 Methods ----------------------------------------------------------------

test('Fetch §2.2.1 normalize a method: the six known methods are uppercased, others kept as written', () => {
  expect(['delete', 'get', 'head', 'options', 'post', 'put'].map(normalizeMethod)).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
  expect(normalizeMethod('patch')).toBe('patch');
  expect(normalizeMethod('Patch')).toBe('Patch');
});

test('Fetch §2.2.1 CORS-safelisted method: GET, HEAD and POST only, case-sensitive', () => {
  expect(['GET', 'HEAD', 'POST'].every(isCorsSafelistedMethod)).toBe(true);
  expect(isCorsSafelistedMethod('PUT')).toBe(false);
  expect(isCorsSafelistedMethod('get')).toBe(false);
});

test('Fetch §4.1 main fetch: a lowercase post from fetch() is normalized and needs no preflight', () => {
  const verdict = run({ request: { method: 'post', body: 'x' } });
  expect(verdict).toMatchObject({ outcome: 'allowed', preflight: false });
});

// ---- Fetch §2.2.2 CORS-safelisted request-header, per name ---------------------------------

test('Fetch §2.2.2 CORS-safelisted request-header: Accept with ordinary media ranges is safelisted', () => {
  expect(isCorsSafelistedRequestHeader('Accept', 'application/json, text/plain;q=0.9, */*')).toBe(true);
});

test('Fetch §2.2.2 CORS-safelisted request-header: Accept with a CORS-unsafe byte (" ( ) : < > ? @ [ \\ ] { }) is not', () => {
  for (const ch of ['"', '(', ')', ':', '<', '>', '?', '@', '[', '\\', ']', '{', '}', '\x7f', '\x01']) {
    expect(isCorsSafelistedRequestHeader('Accept', `text/${ch}plain`), `byte ${JSON.stringify(ch)}`).toBe(false);
  }
  expect(isCorsSafelistedRequestHeader('Accept', 'text/plain,\ttext/html')).toBe(true);
});

test('Fetch §2.2.2 CORS-safelisted request-header: Accept-Language allows only alphanumerics, space and * , - . ; =', () => {
  expect(isCorsSafelistedRequestHeader('Accept-Language', 'en-US,en;q=0.9, *')).toBe(true);
  expect(isCorsSafelistedRequestHeader('Accept-Language', 'en_US')).toBe(false);
  expect(isCorsSafelistedRequestHeader('Accept-Language', 'en/US')).toBe(false);
});

test('Fetch §2.2.2 CORS-safelisted request-header: Content-Language follows the same byte rule', () => {
  expect(isCorsSafelistedRequestHeader('Content-Language', 'de-DE')).toBe(true);
  expect(isCorsSafelistedRequestHeader('Content-Language', 'de:DE')).toBe(false);
});

test('Fetch §2.2.2 CORS-safelisted request-header: Content-Type essences form-urlencoded, multipart/form-data, text/plain', () => {
  for (const value of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain;charset=UTF-8', 'TEXT/PLAIN']) {
    expect(isCorsSafelistedRequestHeader('Content-Type', value), value).toBe(true);
  }
});

test('Fetch §2.2.2 CORS-safelisted request-header: Content-Type application/json is not safelisted', () => {
  expect(isCorsSafelistedRequestHeader('Content-Type', 'application/json')).toBe(false);
  expect(isCorsSafelistedRequestHeader('Content-Type', 'text/html')).toBe(false);
});

test('Fetch §2.2.2 CORS-safelisted request-header: Content-Type that fails MIME parsing is not safelisted', () => {
  expect(isCorsSafelistedRequestHeader('Content-Type', 'text')).toBe(false);
  expect(isCorsSafelistedRequestHeader('Content-Type', 'text/')).toBe(false);
  expect(isCorsSafelistedRequestHeader('Content-Type', 'text plain/x')).toBe(false);
});

test('Fetch §2.2.2 CORS-safelisted request-header: Content-Type with a quoted parameter has an unsafe byte', () => {
  expect(isCorsSafelistedRequestHeader('Content-Type', 'text/plain; charset="utf-8"')).toBe(false);
});

test('Fetch §2.2.2 CORS-safelisted request-header: Content-Type is parsed strictly, not with extract a MIME type', () => {
  // Two values combined: the strict parse sees essence application/json, so no safelisting.
  expect(isCorsSafelistedRequestHeader('Content-Type', 'application/json, text/plain')).toBe(false);
});

test('Fetch §2.2.2 CORS-safelisted request-header: Range bytes=0-99 and bytes=100- are safelisted', () => {
  expect(isCorsSafelistedRequestHeader('Range', 'bytes=0-99')).toBe(true);
  expect(isCorsSafelistedRequestHeader('Range', 'bytes=100-')).toBe(true);
});

test('Fetch §2.2.2 CORS-safelisted request-header: Range without a start, with whitespace, or multiple ranges is not', () => {
  expect(isCorsSafelistedRequestHeader('Range', 'bytes=-500')).toBe(false);
  expect(isCorsSafelistedRequestHeader('Range', 'bytes = 0-1')).toBe(false);
  expect(isCorsSafelistedRequestHeader('Range', 'bytes=0-1,5-6')).toBe(false);
  expect(isCorsSafelistedRequestHeader('Range', 'bytes=5-1')).toBe(false);
});

test('Fetch §2.2.2 parse a single range header value: whitespace is allowed only when asked for', () => {
  expect(parseSingleRangeHeaderValue('bytes = 0 - 1', true)).toEqual([0, 1]);
  expect(parseSingleRangeHeaderValue('bytes = 0 - 1', false)).toBeNull();
  expect(parseSingleRangeHeaderValue('bytes=-', false)).toBeNull();
});

test('Fetch §2.2.2 CORS-safelisted request-header: any other name is not safelisted', () => {
  expect(isCorsSafelistedRequestHeader('X-Requested-With', 'XMLHttpRequest')).toBe(false);
  expect(isCorsSafelistedRequestHeader('Authorization', 'Bearer x')).toBe(false);
});

test('Fetch §2.2.2 CORS-safelisted request-header step 1: a value of 128 bytes passes, 129 bytes does not', () => {
  const value = (n: number) => 'a'.repeat(n);
  expect(isCorsSafelistedRequestHeader('Accept', value(128))).toBe(true);
  expect(isCorsSafelistedRequestHeader('Accept', value(129))).toBe(false);
});

test('Fetch §2.2.2 CORS-unsafe request-header names step 5: safelisted values above 1024 bytes in total all become unsafe', () => {
  const under = [['Accept', 'a'.repeat(128)], ['Accept-Language', 'b'.repeat(128)]] as Array<[string, string]>;
  expect(corsUnsafeRequestHeaderNames(under)).toEqual([]);
  const nine = Array.from({ length: 9 }, (_, i) => [i % 2 ? 'Accept' : 'Content-Language', 'a'.repeat(120)] as [string, string]);
  expect(nine.reduce((n, [, v]) => n + v.length, 0)).toBe(1080);
  expect(corsUnsafeRequestHeaderNames(nine)).toEqual(['accept', 'content-language']);
});

test('Fetch §2.2.2 CORS-unsafe request-header names: exactly 1024 bytes of safelisted values is still safe', () => {
  const list = Array.from({ length: 8 }, () => ['Accept', 'a'.repeat(128)] as [string, string]);
  expect(corsUnsafeRequestHeaderNames(list)).toEqual([]);
});

test('Fetch §2.2.2 CORS-unsafe request-header names: a sorted-lowercase set without duplicates', () => {
  const names = corsUnsafeRequestHeaderNames([['X-b', '1'], ['Content-Type', 'application/json'], ['x-B', '2'], ['X-A', '3']]);
  expect(names).toEqual(['content-type', 'x-a', 'x-b']);
});

test('Fetch §4.4 HTTP fetch: a header over 128 bytes turns a simple GET into a preflighted one', () => {
  const verdict = run({ request: { headers: { Accept: 'a'.repeat(129) } } });
  expect(verdict).toMatchObject({ preflight: true, outcome: 'blocked', stage: 'preflight' });
});

test('Fetch §2.2.2 forbidden request-header: Origin, Cookie, Sec-* and Proxy-* are dropped by the page', () => {
  expect(isForbiddenRequestHeader('Origin', 'x')).toBe(true);
  expect(isForbiddenRequestHeader('cookie', 'a=b')).toBe(true);
  expect(isForbiddenRequestHeader('Sec-Fetch-Mode', 'cors')).toBe(true);
  expect(isForbiddenRequestHeader('Proxy-Authorization', 'x')).toBe(true);
  expect(isForbiddenRequestHeader('X-HTTP-Method-Override', 'TRACE')).toBe(true);
  expect(isForbiddenRequestHeader('X-HTTP-Method-Override', 'PATCH')).toBe(false);
  expect(run({ request: { headers: { Cookie: 'a=b', Origin: 'http://evil.example' } } }).preflight).toBe(false);
});

test('Fetch §2.2.2 CORS-safelisted response-header name: the seven fixed names plus exposed, never Set-Cookie', () => {
  for (const name of ['Cache-Control', 'Content-Language', 'Content-Length', 'Content-Type', 'Expires', 'Last-Modified', 'Pragma']) {
    expect(isCorsSafelistedResponseHeaderName(name, []), name).toBe(true);
  }
  expect(isCorsSafelistedResponseHeaderName('ETag', [])).toBe(false);
  expect(isCorsSafelistedResponseHeaderName('etag', ['ETag'])).toBe(true);
  expect(isCorsSafelistedResponseHeaderName('Set-Cookie', ['Set-Cookie'])).toBe(false);
});

// ---- header-list algorithms ---------------------------------------------------------------

test('Fetch §2.2.2 header list get: duplicate names (any case) combine with ", " in order', () => {
  expect(get([['A', '1'], ['b', 'x'], ['a', '2']], 'a')).toBe('1, 2');
  expect(get([['A', '']], 'a')).toBe('');
  expect(get([], 'a')).toBeNull();
});

test('Fetch §2.2.2 header list combine: what XHR setRequestHeader() does with a repeated name', () => {
  const list: Array<[string, string]> = [];
  combine(list, 'X-Test', 'one');
  combine(list, 'x-test', 'two');
  expect(list).toEqual([['X-Test', 'one, two']]);
});

test('Fetch §2.2.2 get, decode, and split: commas inside quoted strings do not split', () => {
  expect(getDecodeSplitValue('"1,2", 3')).toEqual(['"1,2"', '3']);
  expect(getDecodeSplitValue('x / x,,,1')).toEqual(['x / x', '', '', '1']);
  expect(getDecodeSplitValue('text/html;", x/x')).toEqual(['text/html;", x/x']);
});

test('Fetch §2.2.2 extract header list values: a #token list spans lines, skips empty elements, fails on a bad token', () => {
  expect(extractHeaderListValues('ACAM', [['ACAM', 'GET, ,PUT'], ['acam', 'patch']], TOKEN_LIST)).toEqual(['GET', 'PUT', 'patch']);
  expect(extractHeaderListValues('ACAM', [], TOKEN_LIST)).toBeNull();
  const failure = extractHeaderListValues('ACAM', [['ACAM', 'GET PUT']], TOKEN_LIST);
  expect(isFailure(failure) && failure.invalid).toBe('GET PUT');
});

test('Fetch §2.2.2 extract header list values: a single-valued header sent twice is failure', () => {
  expect(isFailure(extractHeaderListValues('Access-Control-Max-Age', [['Access-Control-Max-Age', '5'], ['Access-Control-Max-Age', '5']], DELTA_SECONDS))).toBe(true);
  expect(isFailure(extractHeaderListValues('Access-Control-Max-Age', [['Access-Control-Max-Age', '-1']], DELTA_SECONDS))).toBe(true);
  expect(extractHeaderListValues('Access-Control-Max-Age', [['Access-Control-Max-Age', '600']], DELTA_SECONDS)).toEqual(['600']);
});

test('MIME Sniffing parse a MIME type: essence is lowercased, parameters ignored, whitespace trimmed', () => {
  expect(parseMimeTypeEssence('  Text/Plain ; charset=utf-8 ')).toBe('text/plain');
  expect(parseMimeTypeEssence('/plain')).toBeNull();
});
