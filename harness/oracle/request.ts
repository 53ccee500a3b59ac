// From what the page asks for (a ScenarioRequest) to a Fetch request: the steps each API runs
// before fetch starts. fetch() follows Fetch §5.4 new Request() and §5.1 Headers; XMLHttpRequest
// follows XHR §3.5 open(), setRequestHeader() and send(); `<img crossorigin>` and a module
// `<script>` follow HTML's CORS settings attribute rules.

import type { CredentialsMode, RequestApi, ScenarioRequest } from '../model/types.ts';
import {
  append, combine, contains, deleteHeader, get, isByteString, isHeaderValue, isToken, normalizeHeaderValue,
  type HeaderList,
} from './headers.ts';
import {
  isCorsSafelistedMethod, isForbiddenMethod, isForbiddenRequestHeader, isNoCorsSafelistedRequestHeader,
  isPrivilegedNoCorsRequestHeaderName, normalizeMethod,
} from './safelist.ts';
import { REF, cite, type SpecRef } from './spec-refs.ts';

/** The Fetch request concept (Fetch §2.2.5), with the fields the CORS steps read. */
export interface FetchRequest {
  readonly api: RequestApi;
  method: string;
  headerList: HeaderList;
  body: string | null;
  readonly mode: 'cors' | 'no-cors';
  readonly credentialsMode: CredentialsMode;
  /** Set by XHR upload listeners (and streaming bodies): forces a preflight. */
  readonly useCorsPreflight: boolean;
  /** Set by fetch() and XHR, not by elements: only then do method and headers decide on a preflight. */
  readonly unsafeRequest: boolean;
  /** The page's origin, serialized; `null` for an opaque (sandboxed) origin. */
  readonly origin: string;
  urlList: string[];
  redirectCount: number;
  responseTainting: 'basic' | 'cors' | 'opaque';
}

/** The API threw before any request left the page. */
export interface ApiError {
  readonly error: string;
  readonly fix: string;
  readonly step: string;
}

export function isApiError(value: FetchRequest | ApiError): value is ApiError {
  return 'error' in value;
}

const BAD_METHOD_FIX = 'Use a method that is an HTTP token (letters, digits and !#$%&\'*+-.^_`|~)';
const FORBIDDEN_METHOD_FIX = 'Browsers never send CONNECT, TRACE or TRACK: use another method';
const BAD_HEADER_FIX = 'Use a token header name and a value without NUL, CR, LF or characters above U+00FF';

/** The default body type of a string body (Fetch §5.2 extract a body). */
export const TEXT_PLAIN_UTF8 = 'text/plain;charset=UTF-8';

export function createRequest(page: ScenarioRequest, origin: string, url: string): FetchRequest | ApiError {
  switch (page.api) {
    case 'fetch': return fromFetch(page, origin, url);
    case 'xhr': return fromXhr(page, origin, url);
    case 'img':
    case 'script': return fromElement(page, origin, url);
  }
}

function baseRequest(page: ScenarioRequest, origin: string, url: string) {
  return { api: page.api, origin, urlList: [url], redirectCount: 0, responseTainting: 'basic' as const };
}

// Fetch §5.4 new Request(input, init), the steps that matter here, in order: method, mode,
// headers, body. https://fetch.spec.whatwg.org/#dom-request
function fromFetch(page: ScenarioRequest, origin: string, url: string): FetchRequest | ApiError {
  // init["method"]: must be a method, not forbidden; then normalized.
  const method = checkMethod(page.method, REF.requestConstructor);
  if (typeof method !== 'string') return method;
  // init["mode"]: no-cors only allows CORS-safelisted methods.
  const mode = page.mode ?? 'cors';
  if (mode === 'no-cors' && !isCorsSafelistedMethod(method)) {
    return { error: `TypeError: '${method}' is unsupported in no-cors mode`, fix: `Use mode: 'cors' for ${method} and answer its preflight`, step: cite(REF.requestConstructor, 'mode no-cors') };
  }
  // init["headers"]: fill a Headers object whose guard is "request" or "request-no-cors".
  const headerList = fillHeaders(page.headers, mode === 'no-cors' ? 'request-no-cors' : 'request');
  if (!Array.isArray(headerList)) return headerList;
  // init["body"]: not allowed with GET or HEAD; a string body brings its Content-Type.
  if (page.body !== null && (method === 'GET' || method === 'HEAD')) {
    return { error: 'TypeError: Request with GET/HEAD method cannot have body', fix: 'Drop the body, or send it with POST', step: cite(REF.requestConstructor, 'body') };
  }
  if (page.body !== null && !contains(headerList, 'Content-Type')) append(headerList, 'Content-Type', TEXT_PLAIN_UTF8);
  return {
    ...baseRequest(page, origin, url), method, headerList, body: page.body, mode,
    credentialsMode: page.credentials, useCorsPreflight: false, unsafeRequest: true,
  };
}

function checkMethod(method: string, ref: SpecRef): string | ApiError {
  if (!isToken(method)) return { error: `TypeError: '${method}' is not a valid HTTP method`, fix: BAD_METHOD_FIX, step: cite(ref, 'method') };
  if (isForbiddenMethod(method)) return { error: `TypeError: '${method}' HTTP method is unsupported`, fix: FORBIDDEN_METHOD_FIX, step: cite(ref, 'method') };
  return normalizeMethod(method);
}

// Fetch §5.1 Headers fill + append. https://fetch.spec.whatwg.org/#concept-headers-append
function fillHeaders(headers: Record<string, string>, guard: 'request' | 'request-no-cors'): HeaderList | ApiError {
  const list: HeaderList = [];
  for (const [name, rawValue] of Object.entries(headers)) {
    // 1. Normalize value.
    const value = normalizeHeaderValue(rawValue);
    // 2. Validate: an invalid name or value throws; a forbidden request-header is dropped.
    if (!isToken(name) || !isHeaderValue(value) || !isByteString(value)) {
      return { error: `TypeError: '${name}' is not a valid header name or its value is invalid`, fix: BAD_HEADER_FIX, step: cite(REF.headersAppend, 2) };
    }
    if (isForbiddenRequestHeader(name, value)) continue;
    // 3. request-no-cors keeps only no-CORS-safelisted request-headers (combined value checked).
    if (guard === 'request-no-cors') {
      const existing = get(list, name);
      if (!isNoCorsSafelistedRequestHeader(name, existing === null ? value : `${existing}, ${value}`)) continue;
    }
    // 4. Append.
    append(list, name, value);
    // 5. request-no-cors: remove privileged no-CORS request-headers (Range).
    if (guard === 'request-no-cors') for (const [n] of [...list]) if (isPrivilegedNoCorsRequestHeaderName(n)) deleteHeader(list, n);
  }
  return list;
}

// XHR §3.5.1 open(), §3.5.2 setRequestHeader(), §3.5.6 send(). https://xhr.spec.whatwg.org/#the-send()-method
function fromXhr(page: ScenarioRequest, origin: string, url: string): FetchRequest | ApiError {
  // open() steps 2-4: a method that is not a token throws SyntaxError, a forbidden one SecurityError; then normalize.
  if (!isToken(page.method)) return { error: `SyntaxError: '${page.method}' is not a valid HTTP method`, fix: BAD_METHOD_FIX, step: cite(REF.xhrOpen, 2) };
  if (isForbiddenMethod(page.method)) return { error: `SecurityError: '${page.method}' HTTP method is unsupported`, fix: FORBIDDEN_METHOD_FIX, step: cite(REF.xhrOpen, 3) };
  const method = normalizeMethod(page.method);
  const headerList = setRequestHeaders(page.headers);
  if (!Array.isArray(headerList)) return headerList;
  // send() step 3: GET and HEAD drop the body.
  const body = method === 'GET' || method === 'HEAD' ? null : page.body;
  // send() step 4: a string body sets Content-Type when the page did not. (The charset rewrite
  // of an author Content-Type, step 4.5, is left out: it never changes the essence.)
  if (body !== null && !contains(headerList, 'Content-Type')) headerList.push(['Content-Type', TEXT_PLAIN_UTF8]);
  return {
    ...baseRequest(page, origin, url), method, headerList, body, mode: 'cors',
    // send() step 6: withCredentials true means "include", otherwise "same-origin".
    credentialsMode: page.credentials === 'include' ? 'include' : 'same-origin',
    // send() steps 5-6: any upload listener sets the use-CORS-preflight flag.
    useCorsPreflight: page.uploadListener === true,
    unsafeRequest: true,
  };
}

// XHR §3.5.2 setRequestHeader(): normalize, validate (SyntaxError), drop forbidden, combine.
function setRequestHeaders(headers: Record<string, string>): HeaderList | ApiError {
  const list: HeaderList = [];
  for (const [name, rawValue] of Object.entries(headers)) {
    const value = normalizeHeaderValue(rawValue);
    if (!isToken(name) || !isHeaderValue(value) || !isByteString(value)) {
      return { error: `SyntaxError: '${name}' is not a valid header name or its value is invalid`, fix: BAD_HEADER_FIX, step: cite(REF.xhrSetRequestHeader, 4) };
    }
    if (isForbiddenRequestHeader(name, value)) continue;
    combine(list, name, value);
  }
  return list;
}

// HTML CORS settings attributes: `crossorigin="anonymous"` is credentials mode "same-origin",
// `use-credentials` is "include"; the request is a GET in mode "cors" with no author headers and
// no unsafe-request flag, so it is never preflighted.
// https://html.spec.whatwg.org/multipage/urls-and-fetching.html#create-a-potential-cors-request
function fromElement(page: ScenarioRequest, origin: string, url: string): FetchRequest {
  return {
    ...baseRequest(page, origin, url), method: 'GET', headerList: [], body: null, mode: 'cors',
    credentialsMode: page.credentials === 'include' ? 'include' : 'same-origin',
    useCorsPreflight: false, unsafeRequest: false,
  };
}
