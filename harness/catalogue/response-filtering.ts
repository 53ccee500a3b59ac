// What a CORS filtered response (Fetch §2.2.6) lets the page read, one header at a time: the seven
// CORS-safelisted response-header names without any Access-Control-Expose-Headers, another name
// only when ACEH lists it (or `*` without credentials), and Set-Cookie / Set-Cookie2 never. WPT
// fetch/api/cors/cors-filtering.sub.any.js (one header per test, ACAO *) and
// fetch/api/cors/cors-expose-star.sub.any.js (`*`, a header literally named `*`, credentials).
import type { HeaderList, Scenario } from '../model/types.ts';
import { ACAC, ACAO, ACEH, category, req, wpt } from './build.ts';

const FILTERING = wpt('fetch/api/cors/cors-filtering.sub.any.js');
const STAR = wpt('fetch/api/cors/cors-expose-star.sub.any.js');

/** A 200 carrying exactly these headers (no implied Content-Type), read back by name. */
const read = (names: string[], headers: HeaderList, credentials: 'omit' | 'include' = 'omit') => ({
  request: req({ readHeaders: names, credentials }),
  response: { status: 200, headers, body: 'ok' },
});
const one = (name: string, value: string, extra: HeaderList = []) => read([name.toLowerCase()], [[ACAO, '*'], [name, value], ...extra]);

const SAFELISTED: Array<[string, string]> = [
  ['Cache-Control', 'no-cache'], ['Content-Language', 'fr'], ['Content-Type', 'text/html'],
  ['Expires', '04 May 1988 22:22:22 GMT'], ['Last-Modified', '04 May 1988 22:22:22 GMT'], ['Pragma', 'no-cache'],
];
const slug = (name: string) => name.toLowerCase();

/** The credentialed answer of cors-expose-star: exact origin and ACAC, ACEH `*`, a `Test` header and one named `*`. */
const starShared: HeaderList = [[ACEH, '*'], ['Test', 'X'], ['Set-Cookie', 'X'], ['*', 'whoa']];

export const responseFiltering: Scenario[] = category('response-filtering', [
  ...SAFELISTED.map(([name, value]) => ({ id: `filter-safelisted-${slug(name)}`, title: `${name} is readable without ACEH (safelisted)`, ...one(name, value) })),
  // The target always sends Content-Length, which is on the safelist (older WPT expected it filtered).
  { id: 'filter-safelisted-content-length', title: 'Content-Length is readable without ACEH (safelisted)', ...read(['content-length'], [[ACAO, '*'], ['Content-Length', '2']]) },
  { id: 'filter-age-hidden', title: 'Age without ACEH is hidden', ...one('Age', '27') },
  { id: 'filter-server-hidden', title: 'Server without ACEH is hidden', ...one('Server', 'cors-matrix') },
  { id: 'filter-age-exposed', title: 'Age listed in ACEH is readable', ...one('Age', '27', [[ACEH, 'Age']]) },
  { id: 'filter-server-exposed', title: 'Server listed in ACEH is readable', ...one('Server', 'cors-matrix', [[ACEH, 'Server']]) },
  // A forbidden response-header name stays hidden even when ACEH lists it.
  { id: 'filter-set-cookie2-exposed', title: 'Set-Cookie2 listed in ACEH is still hidden', ...one('Set-Cookie2', 'name=value', [[ACEH, 'Set-Cookie2']]) },
  { id: 'expose-star-named-star', title: 'ACEH * exposes Test and a header named *, never Set-Cookie', ...read(['test', 'set-cookie', '*'], [...starShared, [ACAO, '*']]), source: STAR },
  // With credentials `*` in ACEH is the literal name `*`: a header called `*` is exposed, Test is not.
  { id: 'expose-star-credentials-literal', title: 'ACEH * with credentials exposes only the header named *', ...read(['content-type', 'test', 'set-cookie', '*'], [['Content-Type', 'text/plain'], ...starShared, [ACAO, '$ORIGIN'], [ACAC, 'true']], 'include'), source: STAR },
  { id: 'expose-star-and-name-lines', title: 'ACEH * and set-cookie on two lines: Test readable, Set-Cookie not', ...read(['test', 'set-cookie'], [[ACAO, '*'], [ACEH, '*'], [ACEH, 'set-cookie'], ['Test', 'X'], ['Set-Cookie', 'X']]), source: STAR },
  { id: 'expose-credentials-listed', title: 'Credentials, ACEH lists X-Request-Id: readable', ...read(['x-request-id'], [[ACAO, '$ORIGIN'], [ACAC, 'true'], [ACEH, 'X-Request-Id'], ['X-Request-Id', 'r1']], 'include'), source: STAR },
  // `*, X-Request-Id` with credentials: the name is exposed, and `*` only stands for itself.
  { id: 'expose-credentials-star-and-name', title: 'Credentials, ACEH "*, X-Request-Id": X-Request-Id readable, X-Other hidden', ...read(['x-request-id', 'x-other'], [[ACAO, '$ORIGIN'], [ACAC, 'true'], [ACEH, '*, X-Request-Id'], ['X-Request-Id', 'r1'], ['X-Other', 'o']], 'include'), source: STAR },
], FILTERING);
