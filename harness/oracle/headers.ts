// Header-list algorithms of Fetch §2.2.2 Headers (https://fetch.spec.whatwg.org/#terminology-headers).
// A header list is an ordered list of [name, value] pairs; names compare byte-case-insensitively.
// JavaScript strings stand in for byte sequences: every header value the oracle sees has passed
// the WebIDL ByteString conversion (code points <= 0xFF), so one char is one byte.

import type { HeaderList } from '../model/types.ts';

export type { HeaderList };

const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** RFC 9110 §5.6.2 token: what a method and a header name must match. */
export function isToken(value: string): boolean {
  return HTTP_TOKEN.test(value);
}

/** WebIDL ByteString: a code point above 0xFF makes the API throw a TypeError. */
export function isByteString(value: string): boolean {
  return [...value].every((ch) => ch.codePointAt(0)! <= 0xff);
}

// Fetch §2.2.2 normalize a header value: strip leading and trailing HTTP whitespace bytes.
// https://fetch.spec.whatwg.org/#concept-header-value-normalize
export function normalizeHeaderValue(potentialValue: string): string {
  return potentialValue.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
}

// Fetch §2.2.2 header value: no leading/trailing tab or space, no NUL, CR or LF.
// https://fetch.spec.whatwg.org/#header-value
export function isHeaderValue(value: string): boolean {
  return !/^[\t ]|[\t ]$|[\0\r\n]/.test(value);
}

/** Byte-case-insensitive name match. */
function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

// Fetch §2.2.2 header list contains. https://fetch.spec.whatwg.org/#header-list-contains
export function contains(list: HeaderList, name: string): boolean {
  return list.some(([n]) => sameName(n, name));
}

/** How many header lines carry `name` (a diagnosis aid: "sent twice" versus "one line, a comma list"). */
export function countLines(list: HeaderList, name: string): number {
  return list.filter(([n]) => sameName(n, name)).length;
}

// Fetch §2.2.2 header list get: every value for the name, in order, joined by 0x2C 0x20.
// https://fetch.spec.whatwg.org/#concept-header-list-get
export function get(list: HeaderList, name: string): string | null {
  // 1. If list does not contain name, then return null.
  if (!contains(list, name)) return null;
  // 2. Return the values of all headers whose name matches, separated by ", ", in order.
  return list.filter(([n]) => sameName(n, name)).map(([, v]) => v).join(', ');
}

// Fetch §2.2.2 header list append: reuse the casing of the first header with that name.
// https://fetch.spec.whatwg.org/#concept-header-list-append
export function append(list: HeaderList, name: string, value: string): void {
  const existing = list.find(([n]) => sameName(n, name));
  list.push([existing ? existing[0] : name, value]);
}

// Fetch §2.2.2 header list combine: what XHR's setRequestHeader() uses for a repeated name.
// https://fetch.spec.whatwg.org/#concept-header-list-combine
export function combine(list: HeaderList, name: string, value: string): void {
  const existing = list.find(([n]) => sameName(n, name));
  if (existing) existing[1] = `${existing[1]}, ${value}`;
  else list.push([name, value]);
}

// Fetch §2.2.2 header list set: replace the first value, remove the others.
// https://fetch.spec.whatwg.org/#concept-header-list-set
export function set(list: HeaderList, name: string, value: string): void {
  const index = list.findIndex(([n]) => sameName(n, name));
  if (index === -1) {
    list.push([name, value]);
    return;
  }
  list[index] = [list[index][0], value];
  for (let i = list.length - 1; i > index; i--) if (sameName(list[i][0], name)) list.splice(i, 1);
}

// Fetch §2.2.2 header list delete. https://fetch.spec.whatwg.org/#concept-header-list-delete
export function deleteHeader(list: HeaderList, name: string): void {
  for (let i = list.length - 1; i >= 0; i--) if (sameName(list[i][0], name)) list.splice(i, 1);
}

// Fetch §2.2.2 get, decode, and split a header value: split on commas outside quoted strings,
// trimming HTTP tab or space. https://fetch.spec.whatwg.org/#header-value-get-decode-and-split
export function getDecodeSplitValue(input: string): string[] {
  const values: string[] = [];
  let position = 0;
  let temporaryValue = '';
  for (;;) {
    // 5.1 Collect code points that are not `"` or `,`.
    while (position < input.length && input[position] !== '"' && input[position] !== ',') {
      temporaryValue += input[position++];
    }
    // 5.2 A quoted string is kept whole, quotes included.
    if (position < input.length && input[position] === '"') {
      const start = position;
      position = collectHttpQuotedString(input, position);
      temporaryValue += input.slice(start, position);
      if (position < input.length) continue;
    }
    // 5.3-5.5
    values.push(temporaryValue.replace(/^[\t ]+|[\t ]+$/g, ''));
    temporaryValue = '';
    // 5.6 Past the end: done. 5.7-5.8 Otherwise the code point is a comma: skip it.
    if (position >= input.length) return values;
    position++;
  }
}

// Fetch §2.2.2 collect an HTTP quoted string (extract-value false): returns the position after it.
// https://fetch.spec.whatwg.org/#collect-an-http-quoted-string
function collectHttpQuotedString(input: string, start: number): number {
  let position = start + 1;
  while (position < input.length) {
    const ch = input[position++];
    if (ch === '"') return position;
    if (ch === '\\' && position < input.length) position++;
  }
  return position;
}

/** What "extract header list values" gives back: null (absent), a failure naming the bad element, or values. */
export type Extracted = null | ExtractFailure | string[];

export class ExtractFailure {
  constructor(readonly invalid: string) {}
}

export function isFailure(value: unknown): value is ExtractFailure {
  return value instanceof ExtractFailure;
}

/** The ABNF of one CORS header (Fetch §3.3.4 HTTP new-header syntax), as the extract algorithm needs it. */
export interface HeaderAbnf {
  /** `#rule` lists may span several header lines; a single-valued header may not. */
  readonly allowsMultipleHeaders: boolean;
  /** Parse one header line's value; an ExtractFailure names the element that does not match. */
  parse(value: string): string[] | ExtractFailure;
}

// RFC 9110 §5.6.1 `#token`: comma-separated, optional whitespace around elements, and recipients
// must accept (and ignore) empty elements. Used for Access-Control-Allow-Methods (`#method`),
// -Allow-Headers and -Expose-Headers (`#field-name`): method and field-name are both `token`.
export const TOKEN_LIST: HeaderAbnf = {
  allowsMultipleHeaders: true,
  parse(value) {
    const elements = value.split(',').map((e) => e.replace(/^[\t ]+|[\t ]+$/g, '')).filter((e) => e !== '');
    const invalid = elements.find((e) => !isToken(e));
    return invalid === undefined ? elements : new ExtractFailure(invalid);
  },
};

// RFC 9111 §1.2.2 delta-seconds = 1*DIGIT: Access-Control-Max-Age.
export const DELTA_SECONDS: HeaderAbnf = {
  allowsMultipleHeaders: false,
  parse(value) {
    return /^[0-9]+$/.test(value) ? [value] : new ExtractFailure(value);
  },
};

// Fetch §2.2.2 extract header list values. https://fetch.spec.whatwg.org/#extract-header-list-values
export function extractHeaderListValues(name: string, list: HeaderList, abnf: HeaderAbnf): Extracted {
  // 1. If list does not contain name, then return null.
  if (!contains(list, name)) return null;
  // 2. If the ABNF for name allows a single header and list contains more than one, return failure.
  const lines = list.filter(([n]) => sameName(n, name));
  if (!abnf.allowsMultipleHeaders && lines.length > 1) return new ExtractFailure(lines.map(([, v]) => v).join(', '));
  // 3-4. Parse each header per the ABNF; any failure fails the whole list.
  const values: string[] = [];
  for (const [, value] of lines) {
    const extract = abnf.parse(value);
    if (isFailure(extract)) return extract;
    values.push(...extract);
  }
  return values;
}
