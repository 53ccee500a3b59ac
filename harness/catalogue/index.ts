// The built-in catalogue: every category's scenarios, in report order.
import type { Scenario } from '../types.ts';
import { foundation } from './foundation.ts';

export const builtinScenarios: Scenario[] = [...foundation];
