// Small constructors so each catalogue entry reads as one line of data, as WPT's cases do.
import type { CookieSpec, HeaderList, ResponseSpec, Scenario, ScenarioRequest } from '../model/types.ts';

export const ACAO = 'Access-Control-Allow-Origin';
export const ACAC = 'Access-Control-Allow-Credentials';
export const ACAM = 'Access-Control-Allow-Methods';
export const ACAH = 'Access-Control-Allow-Headers';
export const ACEH = 'Access-Control-Expose-Headers';
export const MAX_AGE = 'Access-Control-Max-Age';

export function req(overrides: Partial<ScenarioRequest> = {}): ScenarioRequest {
  return { api: 'fetch', method: 'GET', headers: {}, credentials: 'omit', body: null, ...overrides };
}

export function ok(headers: HeaderList = [], body = 'ok'): ResponseSpec {
  return { status: 200, headers: [['Content-Type', 'text/plain'], ...headers], body };
}

export function status(code: number, headers: HeaderList = [], body = ''): ResponseSpec {
  return { status: code, headers, body };
}

/** The answer most rows expect from the actual request: 200 naming the page's origin exactly. */
export const exact = ok([[ACAO, '$ORIGIN']]);

/** A request that needs a preflight only because of its method. */
export const put = req({ method: 'PUT', body: 'x' });

/** A preflight answer: 204 with the given headers. */
export function pre(headers: HeaderList, code = 204): ResponseSpec {
  return { status: code, headers, body: '' };
}

/** Named sites (served on loopback by the harness's proxy): a page and an API on one registrable domain, or on two. */
export const SAME_SITE = { page: 'https://app.example.test', target: 'https://api.example.test' };
export const CROSS_SITE = { page: 'https://app.site-a.test', target: 'https://api.site-b.test' };

/** A cookie the API's site sets at sign-in, attributes exactly as a `Set-Cookie` line would carry them. */
export function cookie(name: string, attributes: string, value = 'v1'): CookieSpec {
  return { name, value, attributes };
}

/** The answer to a credentialed request the API means to allow: the exact origin and ACAC true. */
export const credentialed = ok([[ACAO, '$ORIGIN'], [ACAC, 'true']]);

/** A row; `source` is optional and names the WPT file the row comes from (see `wpt()`). */
type Entry = Omit<Scenario, 'category' | 'source'> & { source?: string };

/** The web-platform-tests file a row is taken from, as a link to WPT's master branch. */
export function wpt(path: string): string {
  return `https://github.com/web-platform-tests/wpt/blob/master/${path}`;
}

/** Whether a catalogue source is a WPT file link (the other value is `builtin`). */
export const WPT_SOURCE = /^https:\/\/github\.com\/web-platform-tests\/wpt\/blob\/master\/[A-Za-z0-9_./-]+$/;

/**
 * Stamp a category on a list of entries. `source` is the category's origin: `builtin` (written for
 * this catalogue) or a WPT file (`wpt(path)`); a row's own `source` overrides it.
 */
export function category(name: string, entries: Entry[], source = 'builtin'): Scenario[] {
  return entries.map((e) => ({ ...e, category: name, source: e.source ?? source }));
}
