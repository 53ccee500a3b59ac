// The built-in catalogue: every category's scenarios, in report order.
import type { Scenario } from '../types.ts';
import { foundation } from './foundation.ts';
import { acaoForms, acaoMissing, errorResponses } from './acao.ts';
import { credentials } from './credentials.ts';
import { preflightTrigger, preflightStatus, preflightMethods, preflightHeaders, preflightResponse, preflightCache } from './preflight.ts';
import { withDeviations } from './deviations.ts';
import { exposedHeaders, redirects, nullOrigin, httpCache, xhr, requestKinds, localNetworkAccess, faults } from './flows.ts';

const all: Scenario[] = [
  ...foundation, ...acaoForms, ...acaoMissing, ...errorResponses, ...credentials,
  ...preflightTrigger, ...preflightStatus, ...preflightMethods, ...preflightHeaders, ...preflightResponse, ...preflightCache,
  ...exposedHeaders, ...redirects, ...nullOrigin, ...httpCache, ...xhr, ...requestKinds, ...localNetworkAccess, ...faults,
];

/** Grouped by category (first appearance order), so foundation entries join their category. */
const order = [...new Set(all.map((s) => s.category))];
export const builtinScenarios: Scenario[] = withDeviations(order.flatMap((c) => all.filter((s) => s.category === c)));
