// The `cors` fixture's regime (cors-matrix/test): the worker option `corsRegime`, set in a user's
// playwright.config `use` or by corsProjects({ regime }); left unset, CORS_REGIME, else users
// (harness/settings.ts, fixtureRegimeOf). docs/package.md, "Regimes", says why users is the default.
import { REGIMES, type Regime } from '../model/types.ts';
import { closest } from '../input/validate.ts';

/**
 * `value` as a regime, else an error that names where it was set and the fix: a config written in
 * JavaScript has no types to catch `'user'` or `'both'`.
 */
export function checkCorsRegime(value: unknown, where: string): Regime {
  if (typeof value === 'string' && (REGIMES as readonly string[]).includes(value)) return value as Regime;
  const guess = typeof value === 'string' ? closest(value, REGIMES) : undefined;
  const why = value === 'both'
    ? 'both is for the catalogue: the cors fixture runs each project\'s engine in one regime'
    : `${typeof value === 'string' ? JSON.stringify(value) : String(value)} is not a regime${guess ? ` (did you mean "${guess}"?)` : ''}`;
  throw new Error(`cors-matrix: ${where}: ${why}. Fix: 'users' (the default: each browser as its users run it) or 'installed' (as this machine's package ships it); for both, a project each: corsProjects({ regime: 'installed', prefix: 'installed-' }) and corsProjects({ regime: 'users' })`);
}
