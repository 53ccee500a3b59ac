// The typed boundaries of check-your-API mode (docs/policy.md, "Policy file" and
// `cors-policy/1`). Data flows one way, like the catalogue:
// Policy -> origins under test -> planned checks -> engine runs the probe on an emulated origin
// (the proxy observes the exchange) -> PolicyResult per engine -> findings -> policy.json/html/sarif.
import type { EngineId, EngineInfo, HeaderList, Outcome, Regime, Stage } from '../model/types.ts';
import type { FindingKind } from './kinds.ts';
import type { FailOn } from '../settings.ts';
import type { StackFix, StackId } from './fixes/stack-fix.ts';
import type { RecognizedStack } from './fixes/recognize.ts';

// ---- the policy the user means --------------------------------------------------------------

export interface PolicyEndpoint {
  /** Path on the target, starting with `/` (a query string is allowed). */
  path: string;
  methods: string[];
  /** Request headers the real client sends (names). */
  requestHeaders: string[];
  /** The client sends cookies / credentials (`credentials: "include"`). */
  credentials: boolean;
  /** Response headers the client must be able to read. */
  exposedHeaders: string[];
  /** Body for POST/PUT/PATCH (default `{}` with a JSON Content-Type, else none). */
  body?: string | null;
}

export type LocalNetworkAccessMode = 'grant' | 'deny';

/** A cookie of the signed-in user, as the API's site sets it (`attributes` follow `name=value; `). */
export interface SessionCookie {
  name: string;
  value: string;
  attributes: string;
}

/** The signed-in user: values are credentials, so no report, log or message ever shows them. */
export interface PolicySession {
  cookies: SessionCookie[];
  /** Header name -> value, sent on the checks whose endpoint lists the header. */
  headers: Record<string, string>;
}

/** What every report shows instead of a session value. */
export const MASK = '***';

export interface Policy {
  /** The API's origin, e.g. `http://127.0.0.1:8080`. */
  target: string;
  allowedOrigins: string[];
  endpoints: PolicyEndpoint[];
  blockedOrigins: string[];
  /** Subdomains of allowed origins are allowed too (default false). */
  allowSubdomains: boolean;
  /** Chromium's Local Network Access permission for a loopback/private target (default grant). */
  localNetworkAccess: LocalNetworkAccessMode;
  /** The origin browsers call in production; the proxy serves `target` there. */
  servedAs?: string;
  session?: PolicySession;
  /** The lowest finding severity that fails a check's test and the run (CORS_FAIL_ON, else the file's, else the default). */
  failOn: FailOn;
  /** The stack the fixes are written for, when the user names it (else recognised from the responses). */
  stack?: StackId;
  /** The file it came from, as the user gave it. */
  source: string;
}

/** What a user writes (JSON or `cors-policy.config.ts`): optional fields have defaults. */
export interface PolicyInput {
  target: string;
  allowedOrigins: string[];
  endpoints: Array<{
    path: string;
    methods: string[];
    requestHeaders?: string[];
    credentials?: boolean;
    exposedHeaders?: string[];
    body?: string | null;
  }>;
  blockedOrigins?: string[];
  allowSubdomains?: boolean;
  localNetworkAccess?: LocalNetworkAccessMode;
  servedAs?: string;
  session?: { cookies?: SessionCookie[]; headers?: Record<string, string> };
  failOn?: FailOn;
  stack?: StackId;
}

// ---- origins under test ---------------------------------------------------------------------

export type OriginKind = 'allowed' | 'blocked' | 'null' | 'attacker';
export type Derivation =
  | 'arbitrary' | 'suffix' | 'prefix' | 'unescaped-dot' | 'substring'
  | 'subdomain' | 'scheme-downgrade' | 'port' | 'special-char';

export interface OriginUnderTest {
  /** The serialized origin the request carries (`null` for the sandboxed frame). */
  origin: string;
  kind: OriginKind;
  /** How an attacker origin (or an allowed subdomain) was made from `from`. */
  derivation?: Derivation;
  /** The allowed origin it was derived from. */
  from?: string;
  /** One line: what this origin tests. */
  note: string;
  expected: 'allowed' | 'blocked';
  /** The origin of the page the probe runs in (for `null`: the page that holds the sandboxed frame). */
  pageOrigin: string;
}

// ---- checks ---------------------------------------------------------------------------------

/**
 * `policy`: the endpoint's own request; `attacker-simple`: the simplest request an attacker's page
 * makes (GET, no custom headers); `error-not-found`/`error-rejected`: does an error response carry
 * CORS headers for an allowed origin.
 */
export type CheckPurpose = 'policy' | 'attacker-simple' | 'error-not-found' | 'error-rejected';

export interface PlannedCheck {
  /** Stable across engines and runs: endpoint, purpose, method, credentials, origin. */
  id: string;
  /** The policy endpoint this check belongs to. */
  endpoint: string;
  /** The request path (differs from `endpoint` for error-not-found). */
  path: string;
  purpose: CheckPurpose;
  method: string;
  headers: Record<string, string>;
  credentials: boolean;
  body: string | null;
  origin: OriginUnderTest;
  expected: 'allowed' | 'blocked';
  /** Response headers the page must read (the endpoint's exposedHeaders, for allowed origins). */
  readHeaders: string[];
}

/** The checks that run in one page on one origin. */
export interface OriginGroup {
  origin: OriginUnderTest;
  checks: PlannedCheck[];
}

export interface PolicyPlan {
  policy: Policy;
  origins: OriginUnderTest[];
  groups: OriginGroup[];
}

// ---- what an engine did -----------------------------------------------------------------------

/** One response the engine received, as the harness proxy passed it on. */
export interface ObservedResponse {
  status: number | null;
  headers: HeaderList;
  /** The request as the engine sent it (hop headers of the proxy left out). */
  request: { method: string; url: string; headers: HeaderList };
}

/** A request repeated outside the browser with Node's HTTP client: raw headers, no CORS applied. */
export interface ReplayedExchange {
  request: { method: string; url: string; headers: HeaderList };
  status: number | null;
  headers: HeaderList | null;
  error?: string;
}

export interface Replay {
  label: 'replay outside the browser';
  preflight?: ReplayedExchange;
  actual?: ReplayedExchange;
}

export interface PolicyResult {
  outcome: Outcome;
  stage: Stage | null;
  /** What the harness proxy saw the engine send; null where it could not see (Local Network Access deny). */
  preflightSent: boolean | null;
  actualSent: boolean | null;
  /** The status the page read (null when it could not read). */
  status: number | null;
  /** The engine's own console text, or null. */
  message: string | null;
  /** Exposed-header name -> the value the page could read (null: hidden). */
  exposedHeaders: Record<string, string | null> | null;
  matchesExpected: boolean;
  /** For `error`: what the harness saw instead of a decision. */
  cause?: string;
  /** For a blocked request: why, in Fetch-standard terms (from the observed headers). */
  reason?: string;
  /** For a blocked request: the header and value that would let it through (the oracle's fix). */
  fixHint?: string;
  observed: { preflight?: ObservedResponse; actual?: ObservedResponse };
  replay?: Replay;
  /** Local Network Access for this request: granted, denied, or not applicable (engine without LNA). */
  localNetworkAccess: 'granted' | 'denied' | 'n/a';
  /** The target received a session cookie with the actual request; null without a session (or unobserved). */
  cookieSent: boolean | null;
  durationMs: number;
  /** The causes of earlier attempts, when the engine stalled after the API had answered (made again on a fresh nonce). */
  reprobed?: string[];
}

/** What one policy test attaches for the reporter: one origin's checks in one engine. */
export interface PolicyRecord {
  engine: EngineInfo;
  origin: OriginUnderTest;
  checks: Array<{ check: PlannedCheck; result: PolicyResult | null; notRun?: string }>;
  lna: LnaNote;
}
export const POLICY_CONTENT_TYPE = 'application/vnd.cors-matrix.policy+json';

/** The annotation that names each origin a policy test covers (the reporter counts the selection by it). */
export const POLICY_ORIGIN_ANNOTATION = 'cors-policy-origin';

export interface LnaNote {
  mode: LocalNetworkAccessMode;
  /** Address space of the target: loopback, private (local), public, or unknown (could not resolve). */
  targetAddressSpace: 'loopback' | 'private' | 'public' | 'unknown';
  /** One sentence for the report: what a check used and why. */
  note: string;
}

// ---- policy.json (cors-policy/1) ---------------------------------------------------------------

export interface PolicyCheck {
  id: string;
  endpoint: string;
  path: string;
  purpose: CheckPurpose;
  method: string;
  requestHeaders: string[];
  credentials: boolean;
  origin: string;
  originKind: OriginKind;
  derivation?: Derivation;
  from?: string;
  expected: 'allowed' | 'blocked';
  results: Partial<Record<EngineId, PolicyResult>>;
  /** Engines that could not load a page on this origin (special-character hosts, HSTS-preloaded hosts over http): not a result. */
  notRun?: Partial<Record<EngineId, string>>;
  /** Why the check proves nothing (its endpoint and method answered only 404/405/5xx): neither passed nor failed. */
  inconclusive?: string;
  pass: boolean;
}

export type Severity = 'high' | 'medium' | 'low' | 'info';

// Each kind's title, severity and fix live in its row in kinds.ts.
export type { FindingKind };

export interface FindingEvidence {
  /** Per engine: what it did with the request and what it said. */
  engines: Partial<Record<EngineId, { outcome: Outcome; stage: Stage | null; status: number | null; message: string | null }>>;
  /** The request the evidence is about. */
  request: { method: string; path: string; origin: string; credentials: boolean; headers: string[] };
  /** Response headers the engine received (through the harness proxy). */
  observedResponseHeaders?: HeaderList;
  /** The same request replayed outside the browser; `responseHeaders` repeats its actual (or preflight) answer. */
  replay?: Replay;
  responseHeaders?: HeaderList;
}

export interface Finding {
  id: string;
  severity: Severity;
  kind: FindingKind;
  title: string;
  endpoint: string;
  /** The origin the evidence shows; `origins` lists every origin with the same finding. */
  origin: string;
  origins: string[];
  engines: EngineId[];
  methods: string[];
  /** A credentialed request succeeded (what makes reading a user's data possible). */
  credentialed: boolean;
  /**
   * With a session, for a credentialed read: per engine, whether an attacker's page read the
   * response with the session cookie (exploitable there) or without it, and why.
   */
  exploit?: Partial<Record<EngineId, EngineExploit>>;
  /** allowed-origin-blocked: where and why. */
  stage?: Stage | null;
  reason?: string;
  description: string;
  evidence: FindingEvidence;
  fix: string;
  /** The fix in the stack that answered (and the app behind a proxy), or the headers themselves when none is known. */
  examples: StackFix[];
  /** The checks behind it. */
  checks: string[];
}

export interface EngineExploit {
  /** An attacker's page read a credentialed response that carried the session cookie. */
  withCookie: boolean;
  /** The origins whose page read with the cookie (empty when none did). */
  origins: string[];
  /**
   * One line for the reports: the engine, who runs it so in its regime and the third-party cookie
   * setting it reported, then what its attacker pages read, e.g. "chromium, Chrome as its users run
   * it, third-party cookies allowed outside Incognito (...): exploitable: https://attacker.test read
   * GET /me with the session cookie".
   */
  line: string;
  /** The regime the engine ran in (null: not known). */
  regime: Regime | null;
  /** Who runs a browser configured so: "Chrome as its users run it", "this machine's Chromium as installed". */
  population: string;
  /** The third-party cookie setting the engine reported (its configuration), in a few words; null where it was not read. */
  thirdPartyCookies: string | null;
  /**
   * Whether the severity counted a read from another site as carrying the cookie: as observed
   * (`withCookie`), except in the installed regime where this machine's third-party cookie setting
   * decided and the engine's users' browsers decide otherwise (docs/policy.md).
   */
  countedWithCookie: boolean;
}

/**
 * Findings of one kind across endpoints: a mistake made in one shared middleware shows on every
 * endpoint, and a reader wants it once, with the endpoints counted. `key` is stable across runs and
 * ports (the kind, its severity, and for allowed-origin-blocked the stage and the reason with the
 * target's origin and loopback ports left out), so code scanning keeps one alert per group.
 */
export interface FindingGroup {
  key: string;
  kind: FindingKind;
  severity: Severity;
  title: string;
  endpoints: string[];
  origins: string[];
  engines: EngineId[];
  /** Per endpoint, in report order; the first one's evidence stands for the group. */
  findings: Finding[];
}

// ---- policy.json as written -------------------------------------------------------------------

/**
 * An engine's result as policy.json holds it: the contract's fields (`message` where the check differs
 * from the policy or errs, else null: the attachment keeps it); `stage` when blocked; `actualSent`
 * only when the request did not leave (else true); `matchesExpected` only when false; the why
 * (`reason`, `fixHint`) only where the check fails; `url` (it carries the probe's nonce) only with a session.
 */
export type PolicyResultJson = Pick<PolicyResult, 'outcome' | 'preflightSent' | 'status' | 'message' | 'cookieSent'>
  & Partial<Pick<PolicyResult, 'stage' | 'actualSent' | 'matchesExpected' | 'exposedHeaders' | 'cause' | 'reason' | 'fixHint' | 'localNetworkAccess' | 'reprobed'>> & { url?: string };

/**
 * A check as policy.json holds it: no `id` (findings point at checks by index), `path` only where it
 * is not the endpoint, `requestHeaders` only when there are some; `from` is in `origins`. One entry
 * stands for the same check on several endpoints when it came out the same on each, in every engine:
 * `endpoints` lists them all (`endpoint` is the first; `path` and the values in `exposedHeaders` are
 * the first one's).
 */
export type PolicyCheckJson = Omit<PolicyCheck, 'id' | 'results' | 'path' | 'requestHeaders' | 'from'> & Partial<Pick<PolicyCheck, 'path' | 'requestHeaders'>>
  & { results: Partial<Record<EngineId, PolicyResultJson>>; endpoints?: string[] };

/**
 * A finding as policy.json holds it: `checks` are indexes into the file's `checks`; after the first of
 * its kind, `evidence` keeps the response headers (no replay) and `examples` only where they differ.
 */
export type FindingJson = Omit<Finding, 'checks'> & { checks: number[] };

export type PolicyJson = Omit<PolicyReport, 'checks' | 'findings'> & { checks: PolicyCheckJson[]; findings: FindingJson[] };

export interface PolicyReport {
  schema: 'cors-policy/1';
  generatedAt: string;
  target: string;
  /** The origin the engines called the target at (the policy's `servedAs`). */
  servedAs?: string;
  /** The session cookies' names (never their values), when the policy has a session. */
  sessionCookies?: string[];
  policyFile: string;
  engines: EngineInfo[];
  /** False when the run ended before every selected origin test ran (Ctrl-C, SIGTERM, a timeout, a crash). */
  complete: boolean;
  /** True when the run selected part of the plan (--project, --grep, one shard). */
  subset: boolean;
  localNetworkAccess: LnaNote | null;
  /** The stack the fixes are written for, and why (named in the policy, or recognised from the responses). */
  stack: RecognizedStack;
  origins: Array<Pick<OriginUnderTest, 'origin' | 'kind' | 'derivation' | 'from' | 'note' | 'expected'>>;
  checks: PolicyCheck[];
  findings: Finding[];
  /** The threshold the run was judged by, and the one line that says why it exits as it does. */
  verdict: { failOn: FailOn; exitCode: 0 | 1; line: string };
  summary: {
    checks: number;
    passed: number;
    failed: number;
    errors: number;
    /** Checks whose endpoint and method answered only 404/405/5xx (counted in neither passed nor failed). */
    inconclusive: number;
    notRun: number;
    /** Selected origins (one origin in one engine) the run ended without checking; their checks are absent. */
    testsNotRun: number;
    findings: Record<Severity, number>;
    durationMs: number;
  };
}
