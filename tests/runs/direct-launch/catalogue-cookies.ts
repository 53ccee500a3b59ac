// What the catalogue records for the cookies a direct launch sets: each probe cookie is the cookie of
// one catalogue scenario, with that scenario's attributes exactly, so what the API receives in a
// directly launched browser can be held against the catalogue's cell for the same engine and regime.
import { builtinScenarios } from '../../../harness/catalogue/categories.ts';
import { resolveExpectation } from '../../../harness/matrix/expectation.ts';
import type { ColumnId, CookieSpec, Scenario } from '../../../harness/model/types.ts';

/** A cookie the direct launch sets, and the catalogue scenario whose cookie it is. */
export interface ProbeCookie {
  scenarioId: string;
  /** What the test name calls it. */
  label: string;
  /** The name it is set under: the scenario's own, unless two probes would share one. */
  cookie: CookieSpec;
}

function scenario(id: string): Scenario {
  const s = builtinScenarios.find((x) => x.id === id);
  if (!s) throw new Error(`the catalogue has no scenario ${id}`);
  return s;
}

/** The one cookie a cross-site scenario sets (its attributes exactly), under `name` where given. */
function probe(scenarioId: string, label: string, name?: string): ProbeCookie {
  const cookies = scenario(scenarioId).cookies ?? [];
  if (cookies.length !== 1) throw new Error(`${scenarioId} sets ${cookies.length} cookies; a probe takes one`);
  return { scenarioId, label, cookie: { ...cookies[0], name: name ?? cookies[0].name } };
}

export const PROBE_COOKIES: ProbeCookie[] = [
  probe('cookie-cross-none-secure', 'SameSite=None; Secure'),
  probe('cookie-cross-unset', 'no SameSite'),
  // Its scenario calls it `sid` too: set beside the Secure one, it needs a name of its own.
  probe('cookie-cross-none-insecure', 'SameSite=None without Secure', 'sid-insecure'),
];

/**
 * The cookie names the catalogue holds `column` to for `scenarioId`: its recorded deviation for that
 * column where one applies (harness/model/types.ts deviationFor), else the scenario's own expectation
 * or the oracle's, exactly as a catalogue run holds the cell.
 */
export function catalogueCookies(scenarioId: string, column: ColumnId): string[] {
  const s = scenario(scenarioId);
  const ctx = { pageOrigin: s.sites!.page, targetOrigin: s.sites!.target, otherOrigin: 'https://other.invalid' };
  return resolveExpectation(s, column, ctx).forEngine.cookiesReceived ?? [];
}

/** For each probe cookie, whether the catalogue says it reaches the API cross-site in `column`. */
export function catalogueSends(column: ColumnId): Record<string, boolean> {
  return Object.fromEntries(PROBE_COOKIES.map((p) => {
    const s = scenario(p.scenarioId);
    return [p.cookie.name, catalogueCookies(p.scenarioId, column).includes(s.cookies![0].name)];
  }));
}
