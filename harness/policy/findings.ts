// From checks to findings: what is wrong with the API's CORS, found by a list of detectors. A
// detector names the kind it saw and the checks behind it; the kind's title, severity and fix come
// from its row in kinds.ts. One finding per endpoint and kind (an origin check that accepts three
// special-character hosts is one mistake), except allowed-origin-blocked, which splits by stage and
// reason. When an arbitrary origin can read, every other unwanted reader is the same mistake
// (reflection), folded into it. Pure.
import type { EngineId, EngineInfo, HeaderList } from '../model/types.ts';
import { get } from '../oracle/headers.ts';
import { DUPLICATE_ON_ERRORS_ONLY, fixFor, kindForDerivation, kindRow, severityOf, type FindingKind } from './kinds.ts';
import { acaoCopies, recognizeStack, type RecognizedStack } from './fixes/recognize.ts';
import { isLocalNetworkAccessBlock } from './blocked-reason.ts';
import { exploitOf, judgeCookie, kindOfCheck, rank, sessionSeverity } from './exploit.ts';
import type { Finding, FindingEvidence, Policy, PolicyCheck, PolicyEndpoint, PolicyResult, Severity } from './policy-types.ts';

function engines(check: PolicyCheck, pick: (r: PolicyResult) => boolean): EngineId[] {
  return (Object.entries(check.results) as Array<[EngineId, PolicyResult]>).filter(([, r]) => pick(r)).map(([e]) => e);
}

const reads = (r: PolicyResult) => r.outcome === 'allowed';

/** Response headers of a check: the engine's (through the proxy) first, else the replay's. */
function responseHeaders(r: PolicyResult): HeaderList | null {
  return r.observed.actual?.headers ?? r.replay?.actual?.headers ?? r.observed.preflight?.headers ?? r.replay?.preflight?.headers ?? null;
}

function acao(r: PolicyResult): string | null {
  const h = responseHeaders(r);
  return h ? get(h, 'Access-Control-Allow-Origin') : null;
}

function anyResult(check: PolicyCheck, pick: (r: PolicyResult) => boolean = () => true): PolicyResult | undefined {
  return Object.values(check.results).find((r): r is PolicyResult => !!r && pick(r));
}

function evidence(check: PolicyCheck, result: PolicyResult | undefined): FindingEvidence {
  const ev: FindingEvidence = {
    engines: Object.fromEntries((Object.entries(check.results) as Array<[EngineId, PolicyResult]>).map(([e, r]) => [e, { outcome: r.outcome, stage: r.stage, status: r.status, message: r.message }])),
    request: { method: check.method, path: check.path, origin: check.origin, credentials: check.credentials, headers: check.requestHeaders },
  };
  if (result) {
    const observed = result.observed.actual?.headers ?? result.observed.preflight?.headers;
    if (observed) ev.observedResponseHeaders = observed;
    if (result.replay) {
      ev.replay = result.replay;
      const replayed = result.replay.actual?.headers ?? result.replay.preflight?.headers;
      if (replayed) ev.responseHeaders = replayed;
    }
  }
  return ev;
}

interface Draft {
  kind: FindingKind;
  checks: PolicyCheck[];
  /** The check whose evidence is shown. */
  shown: PolicyCheck;
  shownResult?: PolicyResult;
  engines: EngineId[];
  credentialed: boolean;
  stage?: Finding['stage'];
  reason?: string;
  hint?: string;
  hidden?: string[];
  description: string;
}

function finish(d: Draft, policy: Policy, engines: readonly EngineInfo[], endpoint: PolicyEndpoint, stack: RecognizedStack): Finding {
  const origins = [...new Set(d.checks.map((c) => c.origin))];
  const { fix, examples } = fixFor(d.kind, { policy, endpoint, origins, hint: d.hint, hidden: d.hidden, stack });
  const id = [endpoint.path, d.kind, d.stage ?? '', d.reason ?? ''].join(' ').trim();
  const { severity, exploit } = exploitOf(d, policy, engines, severityOf(d.kind, d.credentialed, d.hint));
  const finding: Finding = {
    id,
    severity,
    kind: d.kind,
    title: kindRow(d.kind).title,
    endpoint: endpoint.path,
    origin: d.shown.origin,
    origins,
    engines: [...new Set(d.engines)].sort(),
    methods: [...new Set(d.checks.map((c) => c.method))],
    credentialed: d.credentialed,
    description: d.description,
    evidence: evidence(d.shown, d.shownResult),
    fix,
    examples,
    checks: d.checks.map((c) => c.id),
  };
  if (d.stage !== undefined) finding.stage = d.stage;
  if (d.reason !== undefined) finding.reason = d.reason;
  if (exploit) finding.exploit = exploit;
  return finding;
}

// ---- origins that should be blocked but read ------------------------------------------------

function unwantedReads(endpoint: PolicyEndpoint, checks: PolicyCheck[]): Draft[] {
  const read = checks.filter((c) => c.expected === 'blocked' && engines(c, reads).length > 0);
  if (!read.length) return [];
  const credentialedFirst = (list: PolicyCheck[]) => [...list].sort((a, b) => Number(b.credentials) - Number(a.credentials));
  const arbitrary = read.filter((c) => c.derivation === 'arbitrary');
  if (arbitrary.length) {
    const shown = credentialedFirst(arbitrary)[0];
    const shownResult = anyResult(shown, reads);
    const credentialed = arbitrary.some((c) => c.credentials);
    const star = shownResult && acao(shownResult) === '*';
    const kind: FindingKind = star ? 'wildcard-origin' : credentialed ? 'credentials-reflection' : 'origin-reflection';
    const others = [...new Set(read.map((c) => c.origin))].filter((o) => o !== shown.origin);
    return [{
      kind, checks: read, shown, shownResult,
      engines: read.flatMap((c) => engines(c, reads)),
      credentialed: read.some((c) => c.credentials),
      description: `A page on ${shown.origin} read ${shown.method} ${shown.path}${shown.credentials ? ' with credentials (the user\'s cookies)' : ''}` +
        (others.length ? `; so did ${others.length} other origin${others.length === 1 ? '' : 's'} the policy does not allow (${others.slice(0, 4).join(', ')}${others.length > 4 ? ', …' : ''})` : '') + '.',
    }];
  }
  const byKind = new Map<FindingKind, PolicyCheck[]>();
  for (const c of read) {
    const kind: FindingKind = c.originKind === 'null' ? 'null-origin' : c.originKind === 'blocked' ? 'blocked-origin-allowed' : kindForDerivation(c.derivation!)!;
    byKind.set(kind, [...(byKind.get(kind) ?? []), c]);
  }
  return [...byKind].map(([kind, list]) => {
    const shown = credentialedFirst(list)[0];
    const credentialed = list.some((c) => c.credentials);
    const origins = [...new Set(list.map((c) => c.origin))];
    return {
      kind, checks: list, shown, shownResult: anyResult(shown, reads),
      engines: list.flatMap((c) => engines(c, reads)), credentialed,
      description: `${origins.join(', ')} ${origins.length === 1 ? 'is' : 'are'} not allowed by the policy, yet a page there read ${shown.method} ${shown.path}${credentialed ? ' with credentials' : ''}.`,
    };
  });
}

// ---- credentialed endpoint answering * ---------------------------------------------------------

function wildcardWithCredentials(endpoint: PolicyEndpoint, checks: PolicyCheck[]): Draft[] {
  if (!endpoint.credentials) return [];
  const star = checks.filter((c) => Object.values(c.results).some((r) => r && acao(r) === '*'));
  if (!star.length) return [];
  const shown = star.find((c) => c.expected === 'allowed' && c.credentials) ?? star[0];
  return [{
    kind: 'wildcard-with-credentials', checks: star, shown, shownResult: anyResult(shown, (r) => acao(r) === '*'),
    engines: star.flatMap((c) => engines(c, (r) => acao(r) === '*')), credentialed: false,
    description: `The endpoint is used with credentials, but answers Access-Control-Allow-Origin: *; every engine refuses that for a credentialed request, so the allowed origins cannot read it with cookies (and a server that "fixes" this by echoing the Origin opens it to everyone).`,
  }];
}

// ---- a CORS header sent twice ---------------------------------------------------------------------

/** The copies of Access-Control-Allow-Origin on the answer an engine refused, when there are several. */
function duplicatedAcao(r: PolicyResult): { status: number | null; copies: string[] } | null {
  for (const x of [r.observed.preflight, r.observed.actual, r.replay?.preflight, r.replay?.actual]) {
    const copies = x?.headers ? acaoCopies(x.headers) : [];
    if (copies.length > 1) return { status: x!.status, copies };
  }
  return null;
}

/** An allowed origin refused because the answer carried Access-Control-Allow-Origin more than once. */
function isDuplicated(check: Pick<PolicyCheck, 'expected'>, r: PolicyResult): boolean {
  return check.expected === 'allowed' && r.outcome === 'blocked' && duplicatedAcao(r) !== null;
}

// Not "no usable CORS headers": the headers are there, twice (a proxy and the app both add them).
function duplicateHeader(endpoint: PolicyEndpoint, checks: PolicyCheck[]): Draft[] {
  const hits = checks.flatMap((c) => (Object.entries(c.results) as Array<[EngineId, PolicyResult]>)
    .filter(([, r]) => isDuplicated(c, r)).map(([engine, r]) => ({ check: c, engine, r, dup: duplicatedAcao(r)! })));
  if (!hits.length) return [];
  const shown = hits.find((h) => h.check.purpose === 'policy') ?? hits[0];
  const errorsOnly = !hits.some((h) => h.check.purpose === 'policy');
  return [{
    kind: 'duplicate-cors-header', checks: [...new Set(hits.map((h) => h.check))], shown: shown.check, shownResult: shown.r,
    engines: hits.map((h) => h.engine), credentialed: false, ...(errorsOnly ? { hint: DUPLICATE_ON_ERRORS_ONLY } : {}),
    description: `The ${shown.dup.status ?? 'unknown-status'} answer to ${shown.check.method} ${shown.check.path} from ${shown.check.origin} carries Access-Control-Allow-Origin ${shown.dup.copies.length} times (${shown.dup.copies.join(' | ')}); the engines accept exactly one value, so the page sees a network error${errorsOnly ? ' on error answers' : ''}.`,
  }];
}

// ---- allowed origins that cannot read ------------------------------------------------------------

function statusOf(r: PolicyResult): number | null {
  return r.observed.actual?.status ?? r.replay?.actual?.status ?? null;
}

// ---- an endpoint and method that answered nothing but errors -------------------------------------

/** A status that says the request never reached a working handler: no route, no such method, a crash. */
export function unansweredStatus(status: number | null): boolean {
  return status === 404 || status === 405 || (status !== null && status >= 500);
}

/**
 * An allowed origin's own request (not the deliberate error checks) answered 404, 405 or 5xx: the
 * check tests a route that does not exist or a method it refuses, so it cannot pass or fail on CORS.
 */
export function isUnanswered(check: Pick<PolicyCheck, 'expected' | 'purpose'>, r: PolicyResult): boolean {
  return check.expected === 'allowed' && check.purpose === 'policy' && r.outcome !== 'error' && unansweredStatus(r.status ?? statusOf(r));
}

function inconclusiveEndpoint(endpoint: PolicyEndpoint, checks: PolicyCheck[]): Draft[] {
  const hits = checks.flatMap((c) => (Object.entries(c.results) as Array<[EngineId, PolicyResult]>)
    .filter(([, r]) => isUnanswered(c, r)).map(([engine, r]) => ({ check: c, engine, r })));
  if (!hits.length) return [];
  const byMethod = new Map<string, Set<number | null>>();
  for (const h of hits) byMethod.set(h.check.method, (byMethod.get(h.check.method) ?? new Set()).add(h.r.status ?? statusOf(h.r)));
  const said = [...byMethod].map(([m, st]) => `${m} ${endpoint.path}: HTTP ${[...st].sort().join('/')}`).join('; ');
  const methods = new Set(byMethod.keys());
  // The attacker checks of the same method are inconclusive too: "blocked" by an error proves nothing.
  const same = checks.filter((c) => methods.has(c.method) && c.expected === 'blocked');
  return [{
    kind: 'inconclusive-endpoint', checks: [...new Set([...hits.map((h) => h.check), ...same])], shown: hits[0].check, shownResult: hits[0].r,
    engines: hits.map((h) => h.engine), credentialed: false, hint: said,
    description: `The allowed origins' requests were answered ${said}, so no check of ${[...methods].join(', ')} ${endpoint.path} says anything about CORS: an attacker's request "blocked" by an error without CORS headers is not a pass.`,
  }];
}

/**
 * A deliberate error request (a 404, a rejected body) refused because its answer carries no
 * Access-Control-Allow-Origin at all. An answer that carries one the engine refused (a wrong value,
 * no Access-Control-Allow-Credentials) has its headers: that is the allowed origin blocked, for the
 * reason the engine gives, not a missing header; and an engine refusing for another reason (Local
 * Network Access, a preflight) is too.
 */
function isErrorWithoutCors(check: Pick<PolicyCheck, 'purpose'>, r: PolicyResult): boolean {
  const status = statusOf(r);
  return check.purpose !== 'policy' && status !== null && status >= 400 && acao(r) === null && !isLocalNetworkAccessBlock(r.message);
}

/**
 * What one engine's result of one check stands for, as a finding kind and severity; null when it is
 * what the policy means. Each origin's test and the run's exit code both judge by this against the
 * threshold, so a test fails exactly where the run does (missing-vary-origin, which compares
 * origins, is the one finding no single check shows). `engine`: the engine that gave the result, in
 * its regime (a session's cookie is judged for the API's users: exploit.ts).
 */
export function checkFinding(policy: Policy, check: Pick<PolicyCheck, 'originKind' | 'derivation' | 'credentials' | 'expected' | 'purpose' | 'origin'>, r: PolicyResult, engine: EngineInfo): { kind: FindingKind; severity: Severity } | null {
  if (isUnanswered(check, r)) return { kind: 'inconclusive-endpoint', severity: severityOf('inconclusive-endpoint', false) };
  if (r.matchesExpected || r.outcome === 'error') return null;
  if (check.expected === 'blocked') {
    // A read of `*` is never credentialed (engines refuse that), whatever origin read it.
    if (acao(r) === '*') return { kind: 'wildcard-origin', severity: severityOf('wildcard-origin', false) };
    const folded: FindingKind = check.credentials ? 'credentials-reflection' : 'origin-reflection';
    const kind = kindOfCheck(check, folded);
    const own = severityOf(kind, check.credentials);
    // With a session, as exploitOf judges a finding.
    if (!policy.session?.cookies.length || !check.credentials) return { kind, severity: own };
    return { kind, severity: sessionSeverity(own, check.origin, policy, judgeCookie(policy, check.origin, r, engine)) };
  }
  if (r.outcome === 'allowed') return { kind: 'exposed-header-hidden', severity: severityOf('exposed-header-hidden', false) };
  if (isDuplicated(check, r)) return { kind: 'duplicate-cors-header', severity: severityOf('duplicate-cors-header', false, check.purpose === 'policy' ? undefined : DUPLICATE_ON_ERRORS_ONLY) };
  if (check.credentials && acao(r) === '*') return { kind: 'wildcard-with-credentials', severity: severityOf('wildcard-with-credentials', false) };
  if (isErrorWithoutCors(check, r)) return { kind: 'error-response-without-cors', severity: severityOf('error-response-without-cors', false) };
  return { kind: 'allowed-origin-blocked', severity: severityOf('allowed-origin-blocked', false, r.fixHint) };
}

function allowedFailures(endpoint: PolicyEndpoint, checks: PolicyCheck[], found: Draft[]): Draft[] {
  // The wildcard-with-credentials finding already explains a credentialed read refused for `*`.
  const starFolded = found.some((d) => d.kind === 'wildcard-with-credentials');
  const out = new Map<string, Draft>();
  const add = (key: string, check: PolicyCheck, result: PolicyResult, engine: EngineId, make: () => Omit<Draft, 'checks' | 'engines' | 'shown' | 'shownResult'>) => {
    const d = out.get(key);
    if (d) {
      if (!d.checks.includes(check)) d.checks.push(check);
      d.engines.push(engine);
      return;
    }
    out.set(key, { ...make(), checks: [check], engines: [engine], shown: check, shownResult: result });
  };
  for (const check of checks.filter((c) => c.expected === 'allowed' && !c.pass)) {
    for (const [engine, r] of Object.entries(check.results) as Array<[EngineId, PolicyResult]>) {
      if (r.matchesExpected || r.outcome === 'error' || isUnanswered(check, r) || isDuplicated(check, r)) continue;
      if (r.outcome === 'allowed') {
        const hidden = Object.entries(r.exposedHeaders ?? {}).filter(([, v]) => v === null).map(([n]) => n);
        add('exposed', check, r, engine, () => ({
          kind: 'exposed-header-hidden', credentialed: false, hidden,
          description: `${check.origin} read ${check.method} ${check.path} but not ${hidden.join(', ')} (the response does not expose ${hidden.length === 1 ? 'it' : 'them'}).`,
        }));
        continue;
      }
      if (starFolded && check.credentials && acao(r) === '*') continue;
      const status = statusOf(r);
      if (isErrorWithoutCors(check, r)) {
        add('error', check, r, engine, () => ({
          kind: 'error-response-without-cors', credentialed: false,
          description: `A ${status} answer to ${check.method} ${check.path} from ${check.origin} carries no Access-Control-Allow-Origin: the front end sees a network error instead of the status and cannot tell the user what went wrong.`,
        }));
        continue;
      }
      // One finding per stage and reason, whatever the status the reason names ("the 200 response",
      // "the 404 response": the same missing header).
      add(`blocked ${r.stage} ${(r.reason ?? '').replace(/\b\d{3} (?=(redirect )?response\b)/gi, '')}`, check, r, engine, () => ({
        kind: 'allowed-origin-blocked', credentialed: false, stage: r.stage, reason: r.reason ?? 'unknown', hint: r.fixHint,
        description: `${check.origin} is allowed by the policy, but the engine refused ${check.method} ${check.path}${check.credentials ? ' with credentials' : ''} at the ${r.stage === 'preflight' ? 'preflight' : 'response'}: ${(r.reason ?? 'no reason given').replace(/\.$/, '')}.`,
      }));
    }
  }
  return [...out.values()];
}

// ---- Vary: Origin ----------------------------------------------------------------------------------

function varyHasOrigin(headers: HeaderList): boolean {
  const vary = get(headers, 'Vary');
  return !!vary && vary.split(',').some((v) => ['origin', '*'].includes(v.trim().toLowerCase()));
}

function missingVary(endpoint: PolicyEndpoint, checks: PolicyCheck[]): Draft[] {
  const answers: Array<{ check: PolicyCheck; result: PolicyResult; engine: EngineId; headers: HeaderList }> = [];
  for (const check of checks.filter((c) => c.purpose === 'policy' || c.purpose === 'attacker-simple')) {
    for (const [engine, r] of Object.entries(check.results) as Array<[EngineId, PolicyResult]>) {
      const headers = r.observed.actual?.headers ?? r.replay?.actual?.headers;
      if (headers) answers.push({ check, result: r, engine, headers });
    }
  }
  const values = new Set(answers.map((a) => get(a.headers, 'Access-Control-Allow-Origin') ?? ''));
  const dependsOnOrigin = [...values].some((v) => v !== '' && v !== '*') && values.size > 1;
  const missing = answers.filter((a) => !varyHasOrigin(a.headers));
  if (!dependsOnOrigin || !missing.length) return [];
  const shown = missing.find((a) => get(a.headers, 'Access-Control-Allow-Origin')) ?? missing[0];
  const checksMissing = [...new Set(missing.map((a) => a.check))];
  return [{
    kind: 'missing-vary-origin', checks: checksMissing, shown: shown.check, shownResult: shown.result,
    engines: missing.map((a) => a.engine), credentialed: false,
    description: `Access-Control-Allow-Origin takes ${values.size} different values depending on the Origin (${[...values].map((v) => v || '(none)').slice(0, 4).join(', ')}), but ${missing.length} of ${answers.length} answers lack Vary: Origin.`,
  }];
}

/** Sees one kind of mistake on one endpoint's checks; `found` holds what the detectors before it saw. */
type Detector = (endpoint: PolicyEndpoint, checks: PolicyCheck[], found: Draft[]) => Draft[];

/** In report order (severity first, then this order). */
const DETECTORS: Detector[] = [unwantedReads, inconclusiveEndpoint, wildcardWithCredentials, duplicateHeader, allowedFailures, missingVary];

/** `stack`: whose fix tables the findings quote (by default the policy's, else recognised from the checks' answers). */
/** `engines`: the engines that gave the results, each in its regime and configuration (policy.json's `engines`). */
export function findingsFor(policy: Policy, checks: PolicyCheck[], engines: readonly EngineInfo[], stack: RecognizedStack = recognizeStack(policy, checks)): Finding[] {
  const out: Finding[] = [];
  for (const endpoint of policy.endpoints) {
    const mine = checks.filter((c) => c.endpoint === endpoint.path);
    const drafts = DETECTORS.reduce<Draft[]>((found, detect) => [...found, ...detect(endpoint, mine, found)], []);
    out.push(...drafts.map((d) => finish(d, policy, engines, endpoint, stack)));
  }
  return out.sort((a, b) => rank(a.severity) - rank(b.severity));
}
