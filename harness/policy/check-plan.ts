// From a policy to the checks that run: every endpoint × method (with its request headers and
// credentials mode) × origin; for every origin that is not allowed, also the simplest requests an
// attacker's page makes (GET without custom headers, with and without credentials: no preflight,
// which is how a reflected origin is usually read); for allowed origins, error responses (a path
// that 404s, a request the API rejects) that a front end must still be able to read. Pure.
import { MASK, type CheckPurpose, type OriginGroup, type OriginUnderTest, type PlannedCheck, type Policy, type PolicyEndpoint, type PolicyPlan, type PolicySession } from './policy-types.ts';
import { originsUnderTest } from './origins.ts';

/** A path segment no API serves: its answer is the API's 404. */
export const NOT_FOUND_SEGMENT = '__cors-matrix-not-found__';
/** A JSON body no parser accepts: its answer is the API's 400 (when it parses JSON). */
export const MALFORMED_JSON = '{"cors-matrix": ';
const BODY_METHODS = ['POST', 'PUT', 'PATCH'];

/** A value the real client would plausibly send for each header it lists. */
export function sampleValue(name: string): string {
  const n = name.toLowerCase();
  if (n === 'content-type') return 'application/json';
  if (n === 'authorization') return 'Bearer cors-matrix-check';
  if (n === 'accept') return 'application/json';
  return 'cors-matrix';
}

/** The session's value for a header name (names ignore case), or undefined. */
export function sessionHeader(session: PolicySession | undefined, name: string): string | undefined {
  if (!session) return undefined;
  const key = Object.keys(session.headers).find((n) => n.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : session.headers[key];
}

// A session header stands masked in the plan (which reports copy); the probe puts the value in.
function headersOf(endpoint: PolicyEndpoint, session?: PolicySession): Record<string, string> {
  return Object.fromEntries(endpoint.requestHeaders.map((h) => [h, sessionHeader(session, h) !== undefined ? MASK : sampleValue(h)]));
}

function jsonContent(headers: Record<string, string>): boolean {
  return Object.entries(headers).some(([n, v]) => n.toLowerCase() === 'content-type' && v.includes('json'));
}

function bodyFor(endpoint: PolicyEndpoint, method: string, headers: Record<string, string>): string | null {
  if (!BODY_METHODS.includes(method.toUpperCase())) return null;
  if (endpoint.body !== undefined) return endpoint.body;
  return jsonContent(headers) ? '{}' : null;
}

function notFoundPath(path: string): string {
  const [p, q] = path.split('?', 2);
  return `${p.replace(/\/$/, '')}/${NOT_FOUND_SEGMENT}${q ? `?${q}` : ''}`;
}

function checkId(endpoint: string, purpose: CheckPurpose, method: string, credentials: boolean, origin: string): string {
  return `${endpoint} ${purpose} ${method} ${credentials ? 'credentials' : 'no-credentials'} ${origin}`;
}

function make(endpoint: PolicyEndpoint, origin: OriginUnderTest, purpose: CheckPurpose, fields: Omit<PlannedCheck, 'id' | 'endpoint' | 'purpose' | 'origin' | 'expected' | 'readHeaders' | 'path'> & { path?: string }): PlannedCheck {
  const readable = origin.expected === 'allowed';
  return {
    id: checkId(endpoint.path, purpose, fields.method, fields.credentials, origin.origin),
    endpoint: endpoint.path,
    path: fields.path ?? endpoint.path,
    purpose,
    method: fields.method,
    headers: fields.headers,
    credentials: fields.credentials,
    body: fields.body,
    origin,
    expected: origin.expected,
    // The exposed headers matter on the endpoint's own answers; an error page need not send them.
    readHeaders: readable && purpose === 'policy' ? endpoint.exposedHeaders : [],
  };
}

/** The checks one origin makes against one endpoint. */
export function checksFor(endpoint: PolicyEndpoint, origin: OriginUnderTest, session?: PolicySession): PlannedCheck[] {
  const headers = headersOf(endpoint, session);
  const out: PlannedCheck[] = endpoint.methods.map((method) => make(endpoint, origin, 'policy', {
    method, headers, credentials: endpoint.credentials, body: bodyFor(endpoint, method, headers),
  }));
  if (origin.expected === 'blocked') {
    for (const credentials of [false, true]) {
      const same = out.some((c) => c.method === 'GET' && Object.keys(c.headers).length === 0 && c.credentials === credentials);
      if (!same) out.push(make(endpoint, origin, 'attacker-simple', { method: 'GET', headers: {}, credentials, body: null }));
    }
  }
  // Error responses, from the origins listed as allowed (a subdomain allowed by allowSubdomains adds nothing).
  if (origin.kind === 'allowed' && !origin.derivation) {
    out.push(make(endpoint, origin, 'error-not-found', { method: 'GET', headers: {}, credentials: endpoint.credentials, body: null, path: notFoundPath(endpoint.path) }));
    const method = endpoint.methods.find((m) => BODY_METHODS.includes(m.toUpperCase()));
    if (method && jsonContent(headers)) {
      out.push(make(endpoint, origin, 'error-rejected', { method, headers, credentials: endpoint.credentials, body: MALFORMED_JSON }));
    }
  }
  return out;
}

export function planPolicy(policy: Policy): PolicyPlan {
  const origins = originsUnderTest(policy);
  const groups: OriginGroup[] = origins.map((origin) => ({
    origin,
    checks: policy.endpoints.flatMap((e) => checksFor(e, origin, policy.session)),
  }));
  return { policy, origins, groups };
}

/** The title a Playwright test for a group carries (the terminal and JUnit show it). */
export function groupTitle(group: OriginGroup): string {
  const o = group.origin;
  const how = o.derivation ? ` (${o.derivation}${o.from ? ` of ${o.from}` : ''})` : '';
  return `${o.kind} origin ${o.origin}${how}`;
}
