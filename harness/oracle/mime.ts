// The parts of the MIME Sniffing standard the CORS rules lean on: the Content-Type safelist
// compares a parsed essence, module scripts need a JavaScript MIME type.

import { get, getDecodeSplitValue, type HeaderList } from './headers.ts';

const TOKEN_CODE_POINTS = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

// MIME Sniffing §4.4 parse a MIME type, reduced to its essence: parameters never make parsing
// fail, so type and subtype decide. https://mimesniff.spec.whatwg.org/#parse-a-mime-type
export function parseMimeTypeEssence(input: string): string | null {
  // 1. Remove leading and trailing HTTP whitespace.
  const trimmed = input.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
  // 3-5. type: up to "/", non-empty, only HTTP token code points.
  const slash = trimmed.indexOf('/');
  if (slash === -1) return null;
  const type = trimmed.slice(0, slash);
  if (!TOKEN_CODE_POINTS.test(type)) return null;
  // 7-9. subtype: up to ";", trailing HTTP whitespace removed, non-empty, token code points.
  const rest = trimmed.slice(slash + 1);
  const semicolon = rest.indexOf(';');
  const subtype = (semicolon === -1 ? rest : rest.slice(0, semicolon)).replace(/[\t\n\r ]+$/, '');
  if (!TOKEN_CODE_POINTS.test(subtype)) return null;
  // 10. The essence is lowercased.
  return `${type}/${subtype}`.toLowerCase();
}

// Fetch §3.5 extract a MIME type, reduced to the essence: the last parseable value that is not
// `*/*` wins. https://fetch.spec.whatwg.org/#concept-header-extract-mime-type
export function extractMimeTypeEssence(headers: HeaderList): string | null {
  const value = get(headers, 'Content-Type');
  if (value === null) return null;
  let essence: string | null = null;
  for (const item of getDecodeSplitValue(value)) {
    const parsed = parseMimeTypeEssence(item);
    if (parsed !== null && parsed !== '*/*') essence = parsed;
  }
  return essence;
}

// MIME Sniffing §4.6 JavaScript MIME type. https://mimesniff.spec.whatwg.org/#javascript-mime-type
const JAVASCRIPT_ESSENCES = new Set([
  'application/ecmascript', 'application/javascript', 'application/x-ecmascript',
  'application/x-javascript', 'text/ecmascript', 'text/javascript', 'text/javascript1.0',
  'text/javascript1.1', 'text/javascript1.2', 'text/javascript1.3', 'text/javascript1.4',
  'text/javascript1.5', 'text/jscript', 'text/livescript', 'text/x-ecmascript', 'text/x-javascript',
]);

export function isJavaScriptMimeType(essence: string): boolean {
  return JAVASCRIPT_ESSENCES.has(essence);
}
