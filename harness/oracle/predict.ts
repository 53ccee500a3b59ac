// The oracle: what the Fetch standard says a browser does with a scenario. A pure function of the
// scenario and the origins it runs between; it never touches the network or the clock.
// Local Network Access (page.origin 'public') is not in the Fetch standard: the oracle predicts
// plain CORS from ctx.pageOrigin and leaves per-engine deviations to the catalogue.

import type { HeldTo, RedirectHop, ResponseSpec, Scenario, ScenarioRequest } from '../model/types.ts';
import { bodyAsset, restorePlaceholders, substitute, type CheckOrigins } from '../model/placeholders.ts';
import { explainAllowed, explainFailure, type Explanation, type Show } from './explain.ts';
import { readableHeaderNames } from './exposed.ts';
import type { Failure, Problem } from './failures.ts';
import { mainFetch, type Exchange, type FetchParams, type NetworkResponse } from './fetch.ts';
import { contains, normalizeHeaderValue, type HeaderList } from './headers.ts';
import { reusedForAnotherOrigin } from './http-cache.ts';
import { extractMimeTypeEssence, isJavaScriptMimeType } from './mime.ts';
import { OPAQUE_ORIGIN, originOf, serializeRequestOrigin } from './origin.ts';
import { NO_OPTIONS_ROUTE, isOkStatus } from './preflight.ts';
import { PreflightCache } from './preflight-cache.ts';
import { locationFor } from './redirects.ts';
import { createRequest, isApiError, type FetchRequest } from './request.ts';
import { REF, cite } from './spec-refs.ts';
import { predictCookiesReceived, siteRelation, type SiteRelation } from './cookies.ts';
import { blockedAsMixedContent } from './mixed-content.ts';
import { expectedReferer, type ReferrerPolicy } from './referrer.ts';
import { PROBE_PATH } from '../model/probe-page.ts';

export interface OracleContext extends CheckOrigins {
  /** The page origin of a `followUp.fromSecondOrigin` request; default `http://second-origin.invalid`. */
  secondOrigin?: string;
}

export interface OracleVerdict {
  outcome: 'allowed' | 'blocked';
  /** Is a preflight sent for the first request. */
  preflight: boolean;
  /** Where it blocks. */
  stage: 'preflight' | 'actual' | null;
  /** Lowercase response header names the page can read (empty when blocked). */
  readableHeaders: string[];
  /** One line a developer can act on. */
  reason: string;
  /** One line naming the header and value to send. */
  fix: string;
  /** The Fetch section and step that decided. */
  step: string;
  /** Prediction for scenario.followUp, if present. */
  followUp?: { outcome: 'allowed' | 'blocked'; preflight: boolean };
  /** What the standards around Fetch predict of the first request, each only where the scenario asks. */
  beyondCors: BeyondCors;
  /** An https page calling a target that is not potentially trustworthy: refused as mixed content, before CORS. */
  mixedContent: boolean;
}

/** Held fields other than CORS's own, in the order the matrix shows them, and how the sites relate. */
export interface BeyondCors extends Pick<HeldTo, 'cookiesReceived' | 'referer'> {
  /** Named-site scenarios: how page and target relate (`same-site` by registrable domain and scheme). */
  sites?: SiteRelation;
}

const DEFAULT_SECOND_ORIGIN = 'http://second-origin.invalid';

export function predict(scenario: Scenario, ctx: OracleContext): OracleVerdict {
  const origins = normalizeContext(ctx);
  const cache = new PreflightCache();
  const first = run({ scenario, page: scenario.request, ctx: origins, cache, url: `${origins.targetOrigin}/first`, stored: null });
  const verdict = toVerdict(first, restorePlaceholders(origins));
  if (scenario.followUp) verdict.followUp = predictFollowUp(scenario, origins, cache, first);
  return { ...verdict, beyondCors: beyondCors(scenario, ctx), mixedContent: blockedAsMixedContent(ctx.pageOrigin, ctx.targetOrigin) };
}

/**
 * What the standards around Fetch say of the same request: the cookies it carries and its
 * `Referer`. Each only where the scenario asks: cookies are a named-site question (the default
 * pair shares one host, and the probe page's own cookie would be in every credentialed request
 * there), the `Referer` one of a scenario that sets a policy.
 */
function beyondCors(scenario: Scenario, ctx: OracleContext): BeyondCors {
  const held: BeyondCors = {};
  if (scenario.sites || scenario.cookies?.length) {
    held.cookiesReceived = predictCookiesReceived(scenario.cookies, scenario.request, ctx.pageOrigin, ctx.targetOrigin);
    if (scenario.sites) held.sites = siteRelation(ctx.pageOrigin, ctx.targetOrigin);
  }
  if (scenario.request.referrerPolicy !== undefined) {
    held.referer = expectedReferer(scenario.request.referrerPolicy as ReferrerPolicy, ctx.pageOrigin + PROBE_PATH, ctx.targetOrigin);
  }
  return held;
}

// ---- one request, start to end -----------------------------------------------------------

interface RunInput {
  readonly scenario: Scenario;
  readonly page: ScenarioRequest;
  readonly ctx: Required<OracleContext>;
  readonly cache: PreflightCache;
  readonly url: string;
  /** A response the HTTP cache answers with instead of the target (second-origin follow-up). */
  readonly stored: NetworkResponse | null;
  readonly pageOrigin?: string;
}

interface Run {
  readonly outcome: 'allowed' | 'blocked';
  readonly preflight: boolean;
  readonly stage: 'preflight' | 'actual' | null;
  readonly readableHeaders: string[];
  readonly explain: (show: Show) => Explanation;
  readonly step: string;
  /** The actual request's final method and the final response, when the target sent one. */
  readonly final: { method: string; response: NetworkResponse } | null;
}

function run(input: RunInput): Run {
  const { scenario, page, ctx } = input;
  const origin = input.pageOrigin ?? (scenario.page?.origin === 'sandboxed' ? OPAQUE_ORIGIN : ctx.pageOrigin);
  const request = createRequest(page, origin, input.url);
  if (isApiError(request)) return blocked({ kind: 'api-error', message: request.error, fix: request.fix }, request.step, origin);
  // Fetch §4.1 main fetch step 12, "mode is no-cors": response tainting "opaque", no CORS at all.
  if (request.mode === 'no-cors') return blocked({ kind: 'no-cors-opaque' }, cite(REF.mainFetch, '12 (no-cors)'), origin);
  const exchange = exchangeFor(scenario, ctx, origin);
  const params: FetchParams = {
    request, cache: input.cache, preflightsAt: [], answered: 0,
    exchange: input.stored ? { ...exchange, answers: [input.stored] } : exchange,
  };
  const result = mainFetch(params);
  const preflight = params.preflightsAt.includes(0);
  if (result.type === 'network-error') return failed(result.failure, preflight);
  return finish(request, page, result.response, preflight, result);
}

/** Blocked before CORS applies: the API threw, or the response is opaque. */
function blocked(problem: Problem, step: string, requestOrigin: string): Run {
  const failure: Failure = {
    problem, step,
    where: { stage: 'actual', hop: 0, status: null, isRedirect: false, requestOrigin, credentials: false },
  };
  return { outcome: 'blocked', preflight: false, stage: 'actual', readableHeaders: [], explain: (show) => explainFailure(failure, show), step, final: null };
}

function failed(failure: Failure, preflight: boolean): Run {
  return {
    outcome: 'blocked', preflight, stage: failure.where.stage, readableHeaders: [],
    explain: (show) => explainFailure(failure, show), step: failure.step, final: null,
  };
}

/** After a passing CORS check: elements have their own gates; fetch and XHR expose headers. */
function finish(
  request: FetchRequest, page: ScenarioRequest, response: NetworkResponse, preflight: boolean,
  passed: { via: 'wildcard' | 'origin' | 'credentials'; step: string },
): Run {
  const final = { method: request.method, response };
  const elementProblem = request.api === 'script' ? moduleScriptProblem(response) : request.api === 'img' ? imageProblem(response) : null;
  if (elementProblem) return { ...failed(elementFailure(elementProblem, request, response), preflight), final };
  const readable = request.api === 'fetch' || request.api === 'xhr'
    ? readableHeaderNames(request.credentialsMode, response.headers, page.readHeaders)
    : [];
  const nullOrigin = serializeRequestOrigin(request) === OPAQUE_ORIGIN;
  return {
    outcome: 'allowed', preflight, stage: null, readableHeaders: readable,
    explain: () => explainAllowed(passed.via, nullOrigin), step: passed.step, final,
  };
}

// HTML fetch a single module script: after CORS, an ok status and a JavaScript MIME type.
function moduleScriptProblem(response: NetworkResponse): Problem | null {
  if (!isOkStatus(response.status)) return { kind: 'script-status', status: response.status };
  const essence = extractMimeTypeEssence(response.headers);
  if (essence === null || !isJavaScriptMimeType(essence)) return { kind: 'script-mime', essence };
  return null;
}

// HTML update the image data: the load event needs bytes that decode as an image.
function imageProblem(response: NetworkResponse): Problem | null {
  return bodyAsset(response.body)?.image ? null : { kind: 'image-undecodable' };
}

function elementFailure(problem: Problem, request: FetchRequest, response: NetworkResponse): Failure {
  return {
    problem, step: cite(problem.kind === 'image-undecodable' ? REF.imageData : REF.moduleScript),
    where: {
      stage: 'actual', hop: request.urlList.length - 1, status: response.status, isRedirect: false,
      requestOrigin: request.origin, credentials: request.credentialsMode === 'include',
    },
  };
}

// ---- what the target answers ----------------------------------------------------------------

function exchangeFor(scenario: Scenario, ctx: Required<OracleContext>, requestOrigin: string): Exchange {
  const answers: NetworkResponse[] = [];
  let current = ctx.targetOrigin;
  // Each hop's `$REQUEST_ORIGIN` is the Origin that hop receives: `null` once redirect-tainted.
  const urlList = [`${ctx.targetOrigin}/first`];
  const originAt = () => serializeRequestOrigin({ origin: requestOrigin, urlList });
  (scenario.redirects ?? []).forEach((hop: RedirectHop, i: number) => {
    const location = locationFor(hop, i, current, ctx);
    answers.push(answer(hop, ctx, location, originAt()));
    current = originOf(location);
    urlList.push(location);
  });
  answers.push(answer(scenario.response, ctx, null, originAt()));
  return { preflight: scenario.preflight ? answer(scenario.preflight, ctx, null, requestOrigin) : NO_OPTIONS_ROUTE, answers };
}

// Header values arrive as HTTP field values: the parser drops whitespace around them (RFC 9110
// §5.5), which is Fetch's "normalize" of a header value. A `$GIF` or `$MODULE` body brings its
// Content-Type unless the scenario sets one, as the target does.
function answer(spec: ResponseSpec, ctx: OracleContext, location: string | null, requestOrigin: string): NetworkResponse {
  const headers: HeaderList = spec.headers.map(([name, value]) => [name, normalizeHeaderValue(substitute(value, ctx, requestOrigin))]);
  const implied = bodyAsset(spec.body)?.contentType;
  if (implied !== undefined && !contains(headers, 'Content-Type')) headers.push(['Content-Type', implied]);
  return { status: spec.status, headers, location, body: spec.body };
}

// ---- the follow-up ---------------------------------------------------------------------------

function predictFollowUp(scenario: Scenario, ctx: Required<OracleContext>, cache: PreflightCache, first: Run) {
  const followUp = scenario.followUp!;
  const page: ScenarioRequest = { ...scenario.request, ...followUp.request };
  const url = followUp.url === 'fresh' ? `${ctx.targetOrigin}/fresh` : `${ctx.targetOrigin}/first`;
  if (!followUp.fromSecondOrigin) {
    const second = run({ scenario, page, ctx, cache, url, stored: null });
    return { outcome: second.outcome, preflight: second.preflight };
  }
  // Another page origin: its own preflight cache key and its own Origin (which `$REQUEST_ORIGIN`
  // reflects; `$ORIGIN` stays the first page's, as a server configured for it would), unless the
  // HTTP cache serves the first origin's stored response.
  const stored = httpCacheHit(scenario, first, page, followUp.url) ? first.final!.response : null;
  const second = run({ scenario, page, ctx, cache, url, stored, pageOrigin: ctx.secondOrigin });
  return { outcome: second.outcome, preflight: second.preflight };
}

function httpCacheHit(scenario: Scenario, first: Run, page: ScenarioRequest, url: 'same' | 'fresh' | undefined): boolean {
  if (first.final === null || url === 'fresh' || (scenario.redirects ?? []).length > 0) return false;
  const { method, response } = first.final;
  return reusedForAnotherOrigin({ method, status: response.status, headers: response.headers }, page.method.toUpperCase());
}

// ---- presentation ----------------------------------------------------------------------------

function toVerdict(result: Run, show: Show): Omit<OracleVerdict, 'beyondCors' | 'mixedContent'> {
  const { reason, fix } = result.explain(show);
  return {
    outcome: result.outcome, preflight: result.preflight, stage: result.stage,
    readableHeaders: result.outcome === 'allowed' ? result.readableHeaders : [],
    reason, fix, step: result.step,
  };
}

function normalizeContext(ctx: OracleContext): Required<OracleContext> {
  return {
    pageOrigin: originOf(ctx.pageOrigin),
    targetOrigin: originOf(ctx.targetOrigin),
    otherOrigin: originOf(ctx.otherOrigin),
    secondOrigin: originOf(ctx.secondOrigin ?? DEFAULT_SECOND_ORIGIN),
  };
}
