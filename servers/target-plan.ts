// What a target answers for one check, and what it saw. Shared by the Express target and the raw
// `net` target so both answer and record the same way. A check lives on its own path
// `/c/<key>/<hop>`: unique URLs keep preflight-cache and HTTP-cache entries from leaking.
import type { CookieSpec, HeaderList, ReceivedRequest, RedirectHop, ResponseSpec, TargetObservation } from '../harness/model/types.ts';
import { bodyAsset, substitute, type CheckOrigins } from '../harness/model/placeholders.ts';

export interface CheckPlan {
  /** Answers OPTIONS requests that carry Access-Control-Request-Method; absent: 404, no CORS headers. */
  preflight?: ResponseSpec;
  response: ResponseSpec;
  redirects?: RedirectHop[];
  /** The origins this check runs between: what the scenario's placeholders stand for. */
  origins: CheckOrigins;
  /** A check on a named site: the loopback server (origin) the proxy passes its requests to. */
  upstream?: string;
  /** Cookies the target's site sets in the first-party visit (`/set-cookies/<key>`) before the check. */
  cookies?: CookieSpec[];
}

export interface Answer {
  status: number;
  headers: HeaderList;
  body: Buffer;
  fault?: ResponseSpec['fault'];
}

function bodyOf(spec: ResponseSpec): { body: Buffer; contentType: string | null } {
  const asset = bodyAsset(spec.body);
  if (asset) return { body: asset.bytes, contentType: asset.contentType };
  return { body: Buffer.from(spec.body ?? '', 'utf8'), contentType: null };
}

function hasHeader(headers: HeaderList, name: string): boolean {
  return headers.some(([n]) => n.toLowerCase() === name);
}

function answerFrom(spec: ResponseSpec, origins: CheckOrigins, requestOrigin: string, extra: HeaderList = []): Answer {
  const headers: HeaderList = spec.headers.map(([n, v]) => [n, substitute(v, origins, requestOrigin)]);
  const { body, contentType } = bodyOf(spec);
  if (contentType && !hasHeader(headers, 'content-type')) headers.push(['Content-Type', contentType]);
  headers.push(...extra);
  return { status: spec.status, headers, body, fault: spec.fault };
}

const NOT_FOUND: ResponseSpec = { status: 404, headers: [['Content-Type', 'text/plain']], body: 'no preflight handler' };

/** The answer to a request at hop `hop` of a plan. `locate(hop)` gives the absolute URL of a hop. */
export function answer(plan: CheckPlan, req: { method: string; isPreflight: boolean; origin: string | null }, hop: number, locate: (hop: number, to: RedirectHop) => string): Answer {
  const requestOrigin = req.origin ?? '';
  if (req.isPreflight) return answerFrom(plan.preflight ?? NOT_FOUND, plan.origins, requestOrigin);
  const redirect = plan.redirects?.[hop];
  if (redirect) return answerFrom(redirect, plan.origins, requestOrigin, [['Location', locate(hop + 1, redirect)]]);
  return answerFrom(plan.response, plan.origins, requestOrigin);
}

/** Plans and observations by key, shared by every server of a worker. */
export class Registry {
  private plans = new Map<string, CheckPlan>();
  private seen = new Map<string, ReceivedRequest[]>();

  register(key: string, plan: CheckPlan): void {
    this.plans.set(key, plan);
    this.seen.set(key, []);
  }

  plan(key: string): CheckPlan | undefined {
    return this.plans.get(key);
  }

  record(key: string, r: ReceivedRequest): ReceivedRequest {
    this.seen.get(key)?.push(r);
    return r;
  }

  observed(key: string): TargetObservation {
    return { requests: [...(this.seen.get(key) ?? [])].map((r) => ({ ...r })) };
  }

  forget(key: string): void {
    this.plans.delete(key);
    this.seen.delete(key);
  }
}

export const CHECK_PATH = /^\/c\/([A-Za-z0-9_-]+)\/(\d+)(?:[/?#].*)?$/;

/** The first-party visit that sets a check's cookies, on the target's own site. */
export const SET_COOKIES_PATH = /^\/set-cookies\/([A-Za-z0-9_-]+)(?:[?#].*)?$/;

/** The key of the check a request path belongs to (a check hop or its cookie visit). */
export function checkKeyOf(path: string): string | undefined {
  return CHECK_PATH.exec(path)?.[1] ?? SET_COOKIES_PATH.exec(path)?.[1];
}

/** The `Set-Cookie` lines of a cookie visit: `name=value; attributes`, attributes exactly as written. */
export function setCookieLines(cookies: CookieSpec[]): string[] {
  return cookies.map((c) => (c.attributes.trim() ? `${c.name}=${c.value}; ${c.attributes}` : `${c.name}=${c.value}`));
}

/** The names in a `Cookie` header, in order; values are never kept (they may be a user's session). */
export function cookieNames(header: string | undefined): string[] {
  if (header === undefined) return [];
  return header.split(';').map((pair) => pair.split('=')[0].trim()).filter(Boolean);
}

/** Fetch's CORS-preflight request: an OPTIONS carrying Access-Control-Request-Method. */
export function isPreflightRequest(method: string, accessControlRequestMethod: string | null): boolean {
  return method === 'OPTIONS' && accessControlRequestMethod !== null;
}

/** A received request in CORS terms, from raw header values. */
export function received(method: string, path: string, header: (name: string) => string | undefined, server: ReceivedRequest['server']): ReceivedRequest {
  const acrm = header('access-control-request-method') ?? null;
  return {
    method,
    path,
    origin: header('origin') ?? null,
    accessControlRequestMethod: acrm,
    accessControlRequestHeaders: header('access-control-request-headers') ?? null,
    cookie: header('cookie') !== undefined,
    cookies: cookieNames(header('cookie')),
    referer: header('referer') ?? null,
    isPreflight: isPreflightRequest(method, acrm),
    answered: false,
    server,
  };
}
