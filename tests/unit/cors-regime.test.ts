// The `cors` fixture's regime: the worker option `corsRegime`, checked wherever it is set (a config's
// `use`, corsProjects({ regime }), CORS_REGIME), carried to the fixture, and named by its results and
// failure messages. No engine starts here: the fixture launches one on the first cors.fetch().
import { test, expect } from '@playwright/test';
import { test as corsTest, expect as corsExpect, type CorsResult } from '../../harness/policy/cors-fixture.ts';
import { checkCorsRegime } from '../../harness/policy/cors-regime.ts';
import { corsProjects } from '../../harness/public-api.ts';
import { fixtureRegimeOf } from '../../harness/settings.ts';

test('a regime is users or installed; anything else names where it was set and the fix', () => {
  expect(checkCorsRegime('users', 'x')).toBe('users');
  expect(checkCorsRegime('installed', 'x')).toBe('installed');
  expect(() => checkCorsRegime('user', 'use.corsRegime')).toThrow(/^cors-matrix: use\.corsRegime: "user" is not a regime \(did you mean "users"\?\)\. Fix: 'users' \(the default.*\) or 'installed'/);
  expect(() => checkCorsRegime('both', 'corsProjects({ regime })')).toThrow(/corsProjects\(\{ regime \}\): both is for the catalogue.*corsProjects\(\{ regime: 'installed', prefix: 'installed-' \}\) and corsProjects\(\{ regime: 'users' \}\)/);
  expect(() => checkCorsRegime(undefined, 'use.corsRegime')).toThrow(/use\.corsRegime: undefined is not a regime/);
  // Left unset, the fixture takes CORS_REGIME, else users; the fixture checks the variable's value.
  expect(fixtureRegimeOf({})).toBe('users');
  expect(fixtureRegimeOf({ CORS_REGIME: '' })).toBe('users');
  expect(fixtureRegimeOf({ CORS_REGIME: 'installed' })).toBe('installed');
  expect(() => checkCorsRegime(fixtureRegimeOf({ CORS_REGIME: 'both' }), 'environment variable CORS_REGIME')).toThrow(/environment variable CORS_REGIME: both is for the catalogue/);
});

test('corsProjects({ regime }) sets each project\'s corsRegime; without it the fixture\'s default applies', () => {
  const installed = corsProjects({ regime: 'installed' });
  expect(installed.length).toBeGreaterThan(0);
  for (const p of installed) expect(p.use).toEqual({ engineId: p.name, corsRegime: 'installed' });
  expect(corsProjects({ regime: 'users', prefix: 'u-' }).map((p) => [p.name, p.use?.corsRegime])).toEqual(installed.map((p) => [`u-${p.name}`, 'users']));
  for (const p of corsProjects()) expect(p.use).not.toHaveProperty('corsRegime');
  expect(() => corsProjects({ regime: 'chrome' as never })).toThrow(/corsProjects\(\{ regime \}\): "chrome" is not a regime/);
});

// use({ corsRegime }) forces a worker of its own: cors-regime-option.test.ts.
corsTest('left unset, the fixture runs CORS_REGIME, else users', ({ cors }) => {
  expect(cors.regime).toBe(checkCorsRegime(fixtureRegimeOf(), 'CORS_REGIME'));
});

test('failure messages name the regime, and for credentialed requests the third-party cookie setting read back', () => {
  const r: CorsResult = {
    engine: 'chromium', engineVersion: 'Chromium 156.0.8078.114', engineProcessId: null, regime: 'installed',
    configuration: { thirdPartyCookies: { value: 'blocked (cookie controls: block third-party cookies)', from: 'chrome://prefs-internals' }, automation: [] },
    outcome: 'allowed', stage: null, preflightSent: false, actualSent: true, status: 200, exposedHeaders: null, message: null, cookieSent: false,
    request: { from: 'https://attacker.example', url: 'http://127.0.0.1:8080/api/me', method: 'GET', credentials: 'include' },
    responseHeaders: [['Access-Control-Allow-Origin', 'https://attacker.example'], ['Access-Control-Allow-Credentials', 'true']], preflightHeaders: null,
  };
  let message = '';
  try { corsExpect(r).toBeBlocked(); } catch (e) { message = (e as Error).message; }
  expect(message).toMatch(/expected Chromium 156\.0\.8078\.114 \(installed regime\) to block GET .* with credentials, but the page read the response/);
  expect(message).toContain('third-party cookies (installed regime): blocked (cookie controls: block third-party cookies)');
  try { corsExpect({ ...r, regime: 'users', configuration: null, request: { ...r.request, credentials: 'omit' } } as CorsResult).toBeBlocked(); } catch (e) { message = (e as Error).message; }
  expect(message).toMatch(/Chromium 156\.0\.8078\.114 \(users regime\) to block GET/);
  expect(message).not.toContain('third-party cookies');
});
