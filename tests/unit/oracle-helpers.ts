// Small builders so each oracle test reads as one scenario: the request, what OPTIONS answers,
// what the target answers.

import type { FollowUp, HeaderList, PageSpec, RedirectHop, ResponseSpec, Scenario, ScenarioRequest } from '../../harness/model/types.ts';
import { predict, type OracleContext, type OracleVerdict } from '../../harness/oracle/predict.ts';

export const ctx: OracleContext = {
  pageOrigin: 'http://127.0.0.1:4100',
  targetOrigin: 'http://127.0.0.1:4200',
  otherOrigin: 'http://127.0.0.1:4300',
};

export interface ScenarioParts {
  request?: Partial<ScenarioRequest>;
  preflight?: ResponseSpec;
  response?: ResponseSpec;
  redirects?: RedirectHop[];
  page?: PageSpec;
  followUp?: FollowUp;
}

export function scenario(parts: ScenarioParts = {}): Scenario {
  return {
    id: 'unit',
    title: 'unit',
    category: 'unit',
    request: { api: 'fetch', method: 'GET', headers: {}, credentials: 'omit', body: null, ...parts.request },
    preflight: parts.preflight,
    response: parts.response ?? ok(),
    redirects: parts.redirects,
    page: parts.page,
    followUp: parts.followUp,
  };
}

/** A 200 carrying `Access-Control-Allow-Origin: $ORIGIN` plus `extra`. */
export function ok(extra: HeaderList = []): ResponseSpec {
  return { status: 200, headers: [['Access-Control-Allow-Origin', '$ORIGIN'], ...extra] };
}

/** A 200 whose headers are exactly `headers`. */
export function answer(headers: HeaderList, status = 200): ResponseSpec {
  return { status, headers };
}

/** A 204 preflight answer allowing the origin plus `extra`. */
export function preflightOk(extra: HeaderList = []): ResponseSpec {
  return { status: 204, headers: [['Access-Control-Allow-Origin', '$ORIGIN'], ...extra] };
}

export function run(parts: ScenarioParts = {}): OracleVerdict {
  return predict(scenario(parts), ctx);
}

/** A credentialed fetch answered with `headers` (no preflight needed). */
export function credentialed(headers: HeaderList): OracleVerdict {
  return run({ request: { credentials: 'include' }, response: answer(headers) });
}

/** A PUT with `headers`, preflight answered with `preflightHeaders`. */
export function put(preflightHeaders: HeaderList, request: Partial<ScenarioRequest> = {}): OracleVerdict {
  return run({ request: { method: 'PUT', ...request }, preflight: preflightOk(preflightHeaders) });
}
