// What a cell is held to: the scenario's own `expect`, else the oracle's prediction; and where an
// engine knowingly differs, the recorded deviation (with its source) for that engine only.
import type { EngineExpectation, EngineId, Expected, MatrixScenario, Scenario } from '../model/types.ts';
import type { Expectation } from '../probe/verdict.ts';
import { predict, type OracleContext, type OracleVerdict } from '../oracle/predict.ts';
import { predictCookiesReceived, siteRelation } from '../oracle/cookies.ts';
import { blockedAsMixedContent } from '../oracle/mixed-content.ts';
import { expectedReferer, type ReferrerPolicy } from '../oracle/referrer.ts';
import { PROBE_PATH } from '../../servers/origin.ts';

export interface Resolved {
  /** The scenario-level expectation shown in the matrix (`expected` of each scenario in matrix.json). */
  expected: Expected;
  /** What this engine's cell is compared with. */
  forEngine: Expectation;
  deviation?: EngineExpectation;
  oracle: OracleVerdict;
}

export function resolveExpectation(scenario: Scenario, engine: EngineId, ctx: OracleContext): Resolved {
  const oracle = predict(scenario, ctx);
  const own = scenario.expect;
  // A follow-up scenario is about its second request; the first only fills the caches.
  const predicted = oracle.followUp ?? oracle;
  const outcome = own?.outcome ?? predicted.outcome;
  const preflight = own?.preflight ?? predicted.preflight;
  let reason = oracle.reason;
  if (oracle.followUp) reason = `follow-up request ${predicted.outcome}${predicted.preflight ? ' with a preflight' : ' without a preflight'}; first request: ${oracle.reason}`;
  if (own?.outcome && (own.outcome !== predicted.outcome || (own.preflight !== undefined && own.preflight !== predicted.preflight))) {
    reason = `the scenario expects ${own.outcome}${own.preflight === undefined ? '' : own.preflight ? ' with a preflight' : ' without a preflight'}; the oracle says ${predicted.outcome}${predicted.preflight ? ' with a preflight' : ''}: ${oracle.reason}`;
  }
  const expected: Expected = { outcome, preflight, reason, fix: oracle.fix };
  // Cookies are a named-site question: the default pair shares one host, and the probe page's own
  // cookie would be in every credentialed request there.
  const named = !!(scenario.sites || scenario.cookies?.length);
  if (named) {
    expected.cookiesReceived = own?.cookiesReceived ?? predictCookiesReceived(scenario.cookies, scenario.request, ctx.pageOrigin, ctx.targetOrigin);
    if (scenario.sites) expected.sites = siteRelation(ctx.pageOrigin, ctx.targetOrigin);
  }
  if (scenario.request.referrerPolicy !== undefined) {
    expected.referer = own?.referer !== undefined ? own.referer : expectedReferer(scenario.request.referrerPolicy as ReferrerPolicy, ctx.pageOrigin + PROBE_PATH, ctx.targetOrigin);
  }
  if (blockedAsMixedContent(ctx.pageOrigin, ctx.targetOrigin)) {
    // Refused before CORS: the cell must be `error` with the engine's mixed-content cause.
    expected.error = true;
    expected.reason = `mixed content: an https page may not fetch ${ctx.targetOrigin} (not potentially trustworthy); the engine refuses before CORS. If it were allowed: ${reason}`;
    expected.fix = 'Serve the API over https (an https page can only call https APIs, loopback aside)';
    const tolerated = own?.engines?.[engine];
    if (tolerated) return { expected, forEngine: { outcome: tolerated.outcome, preflight: tolerated.preflight, exposed: tolerated.exposed, cookiesReceived: tolerated.cookiesReceived, expectedBy: 'deviation' }, deviation: tolerated, oracle };
    return { expected, forEngine: { outcome: 'error', expectedBy: 'oracle' }, oracle };
  }
  if (own?.error) {
    // A transport fault: CORS would decide `outcome` if the target behaved; the cell must be `error`.
    expected.error = true;
    expected.reason = `transport fault (${scenario.response.fault ?? 'see scenario'}): the harness must report error with its cause, never blocked. If the target behaved: ${reason}`;
    const tolerated = own.engines?.[engine];
    if (tolerated) return { expected, forEngine: { outcome: tolerated.outcome, preflight: tolerated.preflight, exposed: tolerated.exposed, expectedBy: 'deviation' }, deviation: tolerated, oracle };
    return { expected, forEngine: { outcome: 'error', expectedBy: 'scenario' }, oracle };
  }
  const readable = own?.exposed ?? (oracle.followUp ? undefined : oracle.readableHeaders);
  const deviation = own?.engines?.[engine];
  const forEngine: Expectation = deviation
    // A deviation that flips the outcome leaves the oracle's exposure list meaningless: check it only if recorded.
    ? { outcome: deviation.outcome, preflight: deviation.preflight ?? preflight, exposed: deviation.exposed ?? (deviation.outcome === outcome ? readable : undefined), cookiesReceived: deviation.cookiesReceived ?? expected.cookiesReceived, referer: deviation.referer !== undefined ? deviation.referer : expected.referer, expectedBy: 'deviation' }
    : { outcome, preflight, exposed: readable, cookiesReceived: expected.cookiesReceived, referer: expected.referer, expectedBy: own?.outcome || own?.cookiesReceived || own?.referer !== undefined ? 'scenario' : 'oracle' };
  return { expected, forEngine, deviation, oracle };
}

/** The scenario as the matrix shows it: what it sends and what it is answered, and what is expected of it. */
export function matrixScenario(scenario: Scenario, resolved: Resolved): MatrixScenario {
  return {
    id: scenario.id,
    category: scenario.category,
    title: scenario.title,
    source: scenario.source ?? 'builtin',
    expected: resolved.expected,
    deviations: scenario.expect?.engines,
    request: scenario.request,
    preflight: scenario.preflight ?? null,
    response: scenario.response,
    ...(scenario.redirects && { redirects: scenario.redirects }),
    ...(scenario.page && { page: scenario.page }),
    ...(scenario.followUp && { followUp: scenario.followUp }),
    ...(scenario.sites && { sites: scenario.sites }),
    // Names and attributes only: a cookie's value is shown masked, like a user's session would be.
    ...(scenario.cookies && { cookies: scenario.cookies.map((c) => ({ ...c, value: '***' })) }),
    results: {},
  };
}
