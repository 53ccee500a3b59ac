// What a target answers for one check, and what it saw. Shared by the Express target and the raw
// `net` target so both answer and record the same way. A check lives on its own path
// `/c/<key>/<hop>`: unique URLs keep preflight-cache and HTTP-cache entries from leaking.
import type { HeaderList, ReceivedRequest, RedirectHop, ResponseSpec, TargetObservation } from '../harness/types.ts';
import { bodyAsset, substitute, type CheckOrigins } from '../harness/scenario/placeholders.ts';

export interface CheckPlan {
  /** Answers OPTIONS requests that carry Access-Control-Request-Method; absent: 404, no CORS headers. */
  preflight?: ResponseSpec;
  response: ResponseSpec;
  redirects?: RedirectHop[];
  /** The origins this check runs between: what the scenario's placeholders stand for. */
  origins: CheckOrigins;
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
    isPreflight: method === 'OPTIONS' && acrm !== null,
    answered: false,
    server,
  };
}
