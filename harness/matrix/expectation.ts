// What a cell is held to: the scenario's own `expect`, else the oracle's prediction; and where an
// engine knowingly differs, the recorded deviation (with its source) for that engine only. Held
// fields are merged by name (harness/model/types.ts, HeldTo): a new one needs no code here.
import { COLUMN_IDS, deviationFor, statedFields, type CellExpectation, type ColumnId, type EngineExpectation, type Expected, type HeldTo, type MatrixScenario, type Scenario } from '../model/types.ts';
import { predict, type OracleContext, type OracleVerdict } from '../oracle/predict.ts';

export interface Resolved {
  /** The scenario-level expectation shown in the matrix (`expected` of each scenario in matrix.json). */
  expected: Expected;
  /** What this engine's cell is compared with. */
  forEngine: CellExpectation;
  deviation?: EngineExpectation;
  oracle: OracleVerdict;
}

/** An engine held to its recorded deviation where an error is expected of every engine: only what it records. */
function tolerated(deviation: EngineExpectation): CellExpectation {
  return { outcome: deviation.outcome, ...statedFields(deviation), expectedBy: 'deviation' };
}

export function resolveExpectation(scenario: Scenario, column: ColumnId, ctx: OracleContext): Resolved {
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
  // The scenario's own word replaces a prediction the oracle makes, in the prediction's place.
  const beyond = oracle.beyondCors;
  const overrides = Object.fromEntries(Object.entries(statedFields(own)).filter(([f]) => f in beyond));
  const expected: Expected = { outcome, preflight, reason, fix: oracle.fix, ...beyond, ...overrides };
  const deviation = deviationFor(own?.engines, column);
  if (oracle.mixedContent) {
    // Refused before CORS: the cell must be `error` with the engine's mixed-content cause.
    expected.error = true;
    expected.reason = `mixed content: an https page may not fetch ${ctx.targetOrigin} (not potentially trustworthy); the engine refuses before CORS. If it were allowed: ${reason}`;
    expected.fix = 'Serve the API over https (an https page can only call https APIs, loopback aside)';
    if (deviation) return { expected, forEngine: tolerated(deviation), deviation, oracle };
    return { expected, forEngine: { outcome: 'error', expectedBy: 'oracle' }, oracle };
  }
  if (own?.error) {
    // A transport fault: CORS would decide `outcome` if the target behaved; the cell must be `error`.
    expected.error = true;
    expected.reason = `transport fault (${scenario.response.fault ?? 'see scenario'}): the harness must report error with its cause, never blocked. If the target behaved: ${reason}`;
    if (deviation) return { expected, forEngine: tolerated(deviation), deviation, oracle };
    return { expected, forEngine: { outcome: 'error', expectedBy: 'scenario' }, oracle };
  }
  const readable = own?.exposed ?? (oracle.followUp ? undefined : oracle.readableHeaders);
  const held: HeldTo = { outcome, ...statedFields(expected), exposed: readable };
  const forEngine: CellExpectation = deviation
    // A deviation that flips the outcome leaves the oracle's exposure list meaningless: check it only if recorded.
    ? { ...held, ...statedFields(deviation), outcome: deviation.outcome, exposed: deviation.exposed ?? (deviation.outcome === outcome ? readable : undefined), expectedBy: 'deviation' }
    : { ...held, expectedBy: own?.outcome || Object.keys(overrides).length ? 'scenario' : 'oracle' };
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
    deviations: columnDeviations(scenario),
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

/** The deviation each column is held to, by column id (absent: none); the matrix keeps the columns that ran. */
function columnDeviations(scenario: Scenario): MatrixScenario['deviations'] {
  const out = Object.fromEntries(COLUMN_IDS
    .flatMap((c) => { const d = deviationFor(scenario.expect?.engines, c); return d ? [[c, d]] : []; }));
  return Object.keys(out).length ? out : undefined;
}
