// Where a scenario runs (harness/model/placement.ts): lanes by default, a fresh context only
// where state cannot be kept apart by URL or host, and a renamed target keeps its site relation.
import { test, expect } from '@playwright/test';
import { ownHost, parseIsolation, placement } from '../../harness/model/placement.ts';
import { siteRelation } from '../../harness/oracle/cookies.ts';
import type { Scenario } from '../../harness/model/types.ts';

const s = (over: Partial<Scenario> = {}): Scenario => ({
  id: 'x', title: 'x', category: 'c',
  request: { api: 'fetch', method: 'GET', headers: {}, credentials: 'omit', body: null },
  response: { status: 200, headers: [] },
  ...over,
});
const CROSS = { page: 'https://app.site-a.test', target: 'https://api.site-b.test' };
const SAME = { page: 'https://app.example.test', target: 'https://api.example.test' };

/** Where it runs, without the scenario as it runs there. */
const where = (scenario: Scenario, isolation: 'lanes' | 'contexts') => {
  const { scenario: _placed, ...w } = placement(scenario, isolation);
  return w;
};

test('placements under lanes and under contexts', () => {
  expect(where(s(), 'lanes')).toEqual({ kind: 'shared' });
  expect(where(s({ sites: CROSS }), 'lanes')).toEqual({ kind: 'lane', lane: 'sites' });
  expect(where(s({ sites: CROSS }), 'contexts')).toEqual({ kind: 'own', why: 'named-sites', lane: 'sites' });
  expect(where(s({ followUp: {} }), 'lanes')).toEqual({ kind: 'own', why: 'fresh-caches', lane: null });
  expect(where(s({ sites: CROSS, followUp: {} }), 'lanes')).toEqual({ kind: 'lane', lane: 'sites' });
  expect(where(s({ cookies: [{ name: 'a', value: '1', attributes: '' }] }), 'lanes')).toEqual({ kind: 'own', why: 'named-sites', lane: 'sites' });
  expect(where(s({ page: { origin: 'public', localNetworkAccess: 'grant' } }), 'lanes')).toEqual({ kind: 'lane', lane: 'public-granted' });
  expect(where(s({ page: { origin: 'public', site: 'https://app.public-site.test' } }), 'lanes')).toEqual({ kind: 'lane', lane: 'public-site-denied' });
  // One host on both sides: renaming the target would make it another host.
  expect(where(s({ sites: { page: 'http://app.example.test', target: 'https://app.example.test' } }), 'lanes')).toEqual({ kind: 'own', why: 'named-sites', lane: 'sites' });
});

test('a named-sites scenario in its lane runs with a target host of its own; elsewhere as declared', () => {
  const declared = s({ sites: CROSS });
  expect(placement(declared, 'lanes', 'sab').scenario.sites).toEqual({ page: CROSS.page, target: 'https://sab.api.site-b.test' });
  expect(placement(declared, 'contexts', 'sab').scenario).toBe(declared);
  expect(placement(s(), 'lanes', 'sab').scenario.sites).toBeUndefined();
  expect(where(s({ page: { origin: 'public', localNetworkAccess: 'grant' } }), 'contexts')).toEqual({ kind: 'own', why: 'public-origin', lane: 'public-granted' });
});

test('a target host of its own keeps scheme, port and the site relation', () => {
  expect(ownHost('https://api.site-b.test', 's0123456789')).toBe('https://s0123456789.api.site-b.test');
  expect(ownHost('http://api.example.test:8080', 'sab')).toBe('http://sab.api.example.test:8080');
  expect(siteRelation(CROSS.page, ownHost(CROSS.target, 'sab'))).toBe('cross-site');
  expect(siteRelation(SAME.page, ownHost(SAME.target, 'sab'))).toBe('same-site');
});

test('CORS_ISOLATION', () => {
  expect(parseIsolation(undefined)).toBe('lanes');
  expect(parseIsolation('contexts')).toBe('contexts');
  expect(() => parseIsolation('fresh')).toThrow(/not understood; use lanes or contexts/);
});
