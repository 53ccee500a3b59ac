// Regimes as part of a cell's identity: column ids, which deviation a column is held to, the
// catalogue's projects per regime, and CORS_REGIME's defaults in each mode.
import { test, expect } from '@playwright/test';
import { COLUMN_IDS, columnId, columnInfo, deviationFor, parseColumn, dependsOnRegime, REGIME_TAG } from '../../harness/model/types.ts';
import { builtinScenarios } from '../../harness/catalogue/categories.ts';
import { regimeProjects } from '../../harness/runner/setup.ts';
import { checkEnv, readSettings } from '../../harness/settings.ts';
import { resolveExpectation, matrixScenario } from '../../harness/matrix/expectation.ts';
import { buildMatrix, mergeIntoBaseline } from '../../reports/matrix.ts';
import type { Cell, CellRecord, EngineInfo } from '../../harness/model/types.ts';

test('a column is an engine in a regime: the installed one keeps the engine id', () => {
  expect(columnId('webkit')).toBe('webkit');
  expect(columnId('webkit', 'users')).toBe('webkit-users');
  expect(parseColumn('firefox-users')).toEqual({ engine: 'firefox', regime: 'users' });
  expect(parseColumn('chromium')).toEqual({ engine: 'chromium', regime: 'installed' });
  expect(parseColumn('chromium-incognito')).toBeNull();
  expect(parseColumn('safari')).toBeNull();
  expect(COLUMN_IDS).toEqual(['chromium', 'firefox', 'webkit', 'chromium-users', 'firefox-users', 'webkit-users']);
  const info: EngineInfo = { id: 'webkit', regime: 'users', browser: 'MiniBrowser', version: '2.50.6', driver: 'webdriver' };
  expect(columnInfo(info)).toMatchObject({ id: 'webkit-users', engine: 'webkit', regime: 'users' });
  expect(columnInfo({ ...info, regime: 'installed' })).toEqual({ ...info, regime: 'installed' });
});

test('a deviation applies to the columns of the regimes it was seen in; a column\'s own entry first', () => {
  const installedOnly = { outcome: 'allowed' as const, source: 'a', regimes: ['installed' as const] };
  const every = { outcome: 'blocked' as const, source: 'b' };
  const own = { outcome: 'allowed' as const, source: 'c', cookiesReceived: [] };
  expect(deviationFor({ chromium: installedOnly }, 'chromium')).toBe(installedOnly);
  expect(deviationFor({ chromium: installedOnly }, 'chromium-users')).toBeUndefined();
  expect(deviationFor({ firefox: every }, 'firefox-users')).toBe(every);
  expect(deviationFor({ webkit: installedOnly, 'webkit-users': own }, 'webkit-users')).toBe(own);
  expect(deviationFor({ webkit: installedOnly, 'webkit-users': own }, 'webkit')).toBe(installedOnly);
  expect(deviationFor(undefined, 'webkit')).toBeUndefined();
});

test('the built-in cookie rows: Debian Chromium withholds in the installed regime only, MiniBrowser sends as installed and withholds with ITP', () => {
  const s = builtinScenarios.find((x) => x.id === 'cookie-cross-none-secure')!;
  const ctx = { pageOrigin: 'https://app.site-a.test', targetOrigin: 'https://api.site-b.test', otherOrigin: 'https://other.site-c.test' };
  const held = (c: Parameters<typeof resolveExpectation>[1]) => resolveExpectation(s, c, ctx).forEngine.cookiesReceived;
  expect(held('chromium')).toEqual([]);
  expect(held('chromium-users')).toEqual(['sid']);
  expect(held('firefox')).toEqual([]);
  expect(held('firefox-users')).toEqual([]);
  expect(held('webkit')).toEqual(['sid']);
  expect(held('webkit-users')).toEqual([]);
  // Every users-regime deviation is on a scenario that runs in that regime.
  for (const sc of builtinScenarios) {
    for (const [col, d] of Object.entries(sc.expect?.engines ?? {})) {
      if (col.endsWith('-users') || d?.regimes?.includes('users')) expect(dependsOnRegime(sc), `${sc.id} ${col}`).toBe(true);
    }
  }
});

test('CORS_REGIME: the catalogue runs both by default, policy mode users; both is refused in policy mode', () => {
  expect(readSettings({}).regimes).toEqual(['installed', 'users']);
  expect(readSettings({ CORS_REGIME: 'both' }).regimes).toEqual(['installed', 'users']);
  expect(readSettings({ CORS_REGIME: 'installed' }).regimes).toEqual(['installed']);
  expect(readSettings({ CORS_POLICY: 'p.json' }).regimes).toEqual(['users']);
  expect(readSettings({ CORS_POLICY: 'p.json', CORS_REGIME: 'installed' }).regimes).toEqual(['installed']);
  expect(() => checkEnv({ CORS_REGIME: 'chrome' })).toThrow(/CORS_REGIME: "chrome" is not a regime.*installed, users, or both/);
  expect(() => checkEnv({ CORS_REGIME: 'both', CORS_POLICY: 'p.json' })).toThrow(/CORS_REGIME: both is for the catalogue/);
});

test('the catalogue\'s projects: every scenario in the first regime, the tagged ones in the second', () => {
  const engines = [{ name: 'chromium', metadata: { engine: 'chromium' }, use: { engineId: 'chromium' as const } }, { name: 'webkit', metadata: { engine: 'webkit' }, use: { engineId: 'webkit' as const } }];
  const both = regimeProjects(engines, ['installed', 'users']);
  expect(both.map((p) => p.name)).toEqual(['chromium', 'webkit', 'chromium-users', 'webkit-users']);
  expect(both[0].grep).toBeUndefined();
  expect(both[2]).toMatchObject({ metadata: { engine: 'chromium-users', regime: 'users', regimeScenariosOnly: true }, use: { engineId: 'chromium', regime: 'users', regimeScenariosOnly: true } });
  expect((both[2].grep as RegExp).test(`cookie-cross-none-secure ${REGIME_TAG}`)).toBe(true);
  expect((both[2].grep as RegExp).test('acao-two-values')).toBe(false);
  // One regime alone runs everything in it.
  const users = regimeProjects(engines, ['users']);
  expect(users.map((p) => [p.name, p.grep, p.use?.regimeScenariosOnly])).toEqual([['chromium-users', undefined, false], ['webkit-users', undefined, false]]);
});

test('a matrix keeps each column\'s deviations for the columns it has cells in; a merge keeps the baseline\'s', () => {
  const s = builtinScenarios.find((x) => x.id === 'cookie-cross-partitioned')!;
  const ctx = { pageOrigin: 'https://app.site-a.test', targetOrigin: 'https://api.site-b.test', otherOrigin: 'https://other.site-c.test' };
  const cell = { outcome: 'allowed', matchesExpected: true } as Cell;
  const rec = (col: 'webkit' | 'webkit-users'): CellRecord => ({
    scenario: matrixScenario(s, resolveExpectation(s, col, ctx)),
    engine: columnInfo({ id: 'webkit', regime: col === 'webkit' ? 'installed' : 'users', browser: 'MiniBrowser', version: '2.50.6', driver: 'webdriver' }),
    cell,
  });
  const both = buildMatrix([rec('webkit'), rec('webkit-users')], [s.id], 1);
  expect(Object.keys(both.scenarios[0].deviations!).sort()).toEqual(['webkit', 'webkit-users']);
  expect(both.engines.map((e) => e.id)).toEqual(['webkit', 'webkit-users']);
  const installed = buildMatrix([rec('webkit')], [s.id], 1);
  expect(Object.keys(installed.scenarios[0].deviations!)).toEqual(['webkit']);
  const merged = mergeIntoBaseline(both, installed, new Set([`${s.id}\u0000webkit`]));
  expect(Object.keys(merged.scenarios[0].deviations!).sort()).toEqual(['webkit', 'webkit-users']);
  expect(Object.keys(merged.scenarios[0].results).sort()).toEqual(['webkit', 'webkit-users']);
});
