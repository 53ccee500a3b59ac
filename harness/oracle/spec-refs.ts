// Where each rule the oracle applies lives in the standards. Section numbers follow the Fetch
// standard as of whatwg/fetch 586cd2a (2026-07): numbers shift when sections are added (CORS check
// was §4.9 before "Override fetch" became §4.2), anchors do not, so every citation carries both.

export interface SpecRef {
  readonly spec: 'Fetch' | 'XHR' | 'HTML' | 'RFC 9110' | 'RFC 9111';
  readonly section: string;
  readonly title: string;
  readonly url: string;
}

const FETCH = 'https://fetch.spec.whatwg.org/#';
const XHR = 'https://xhr.spec.whatwg.org/#';

function fetchRef(section: string, title: string, anchor: string): SpecRef {
  return { spec: 'Fetch', section, title, url: FETCH + anchor };
}

export const REF = {
  safelistedMethod: fetchRef('2.2.1', 'CORS-safelisted method', 'cors-safelisted-method'),
  normalizeMethod: fetchRef('2.2.1', 'normalize a method', 'concept-method-normalize'),
  forbiddenMethod: fetchRef('2.2.1', 'forbidden method', 'forbidden-method'),
  headerListGet: fetchRef('2.2.2', 'header list get', 'concept-header-list-get'),
  safelistedRequestHeader: fetchRef('2.2.2', 'CORS-safelisted request-header', 'cors-safelisted-request-header'),
  unsafeRequestHeaderNames: fetchRef('2.2.2', 'CORS-unsafe request-header names', 'cors-unsafe-request-header-names'),
  nonWildcardRequestHeaderName: fetchRef('2.2.2', 'CORS non-wildcard request-header name', 'cors-non-wildcard-request-header-name'),
  safelistedResponseHeaderName: fetchRef('2.2.2', 'CORS-safelisted response-header name', 'cors-safelisted-response-header-name'),
  forbiddenRequestHeader: fetchRef('2.2.2', 'forbidden request-header', 'forbidden-request-header'),
  extractHeaderListValues: fetchRef('2.2.2', 'extract header list values', 'extract-header-list-values'),
  okStatus: fetchRef('2.2.3', 'ok status', 'ok-status'),
  redirectTaint: fetchRef('2.2.5', 'redirect-taint', 'concept-request-tainted-origin'),
  corsFilteredResponse: fetchRef('2.2.6', 'CORS filtered response', 'concept-filtered-response-cors'),
  newHeaderSyntax: fetchRef('3.3.4', 'HTTP new-header syntax', 'http-new-header-syntax'),
  mainFetch: fetchRef('4.1', 'main fetch', 'concept-main-fetch'),
  httpFetch: fetchRef('4.4', 'HTTP fetch', 'concept-http-fetch'),
  httpRedirectFetch: fetchRef('4.5', 'HTTP-redirect fetch', 'concept-http-redirect-fetch'),
  preflightFetch: fetchRef('4.8', 'CORS-preflight fetch', 'cors-preflight-fetch-0'),
  preflightCache: fetchRef('4.9', 'CORS-preflight cache', 'concept-cache'),
  corsCheck: fetchRef('4.10', 'CORS check', 'concept-cors-check'),
  headersAppend: fetchRef('5.1', 'Headers append', 'concept-headers-append'),
  requestConstructor: fetchRef('5.4', 'new Request()', 'dom-request'),
  xhrOpen: { spec: 'XHR', section: '3.5.1', title: 'open()', url: XHR + 'the-open()-method' } as SpecRef,
  xhrSetRequestHeader: {
    spec: 'XHR', section: '3.5.2', title: 'setRequestHeader()', url: XHR + 'the-setrequestheader()-method',
  } as SpecRef,
  xhrSend: { spec: 'XHR', section: '3.5.6', title: 'send()', url: XHR + 'the-send()-method' } as SpecRef,
  moduleScript: {
    spec: 'HTML', section: '', title: 'fetch a single module script',
    url: 'https://html.spec.whatwg.org/multipage/webappapis.html#fetch-a-single-module-script',
  } as SpecRef,
  imageData: {
    spec: 'HTML', section: '', title: 'update the image data',
    url: 'https://html.spec.whatwg.org/multipage/images.html#update-the-image-data',
  } as SpecRef,
  // Section 5.5: a recipient of CR, LF or NUL within a field value MUST either reject the message
  // or replace each with SP; Fetch leaves parsing the response to HTTP.
  fieldValues: {
    spec: 'RFC 9110', section: '5.5', title: 'field values',
    url: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-5.5',
  } as SpecRef,
  httpCacheReuse: {
    spec: 'RFC 9111', section: '4', title: 'constructing responses from caches',
    url: 'https://www.rfc-editor.org/rfc/rfc9111.html#section-4',
  } as SpecRef,
} as const;

/** `Fetch §4.10 CORS check, step 4`: the form every verdict's `step` takes. */
export function cite(ref: SpecRef, step?: string | number): string {
  const head = ref.section === '' ? `${ref.spec} ${ref.title}` : `${ref.spec} §${ref.section} ${ref.title}`;
  return step === undefined ? head : `${head}, step ${step}`;
}
