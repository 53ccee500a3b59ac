// Named sites and cookies in a scenario file: bad input names the field and the fix; a cookie an
// engine will refuse is still valid input (the point is to show what the engine does with it).
import { test, expect } from '@playwright/test';
import { checkScenario } from '../../harness/matrix/load-scenarios.ts';

const base = { id: 's', title: 't', category: 'c', request: { api: 'fetch', method: 'GET' }, response: { status: 200, headers: [] } };
const problem = (over: Record<string, unknown>) => {
  try { checkScenario({ ...base, ...over }, 'f.json'); return ''; } catch (e) { return (e as Error).message; }
};

test('a sites host outside .test, a path, or a non-origin is refused with the field named', () => {
  expect(problem({ sites: { page: 'https://app.example.com', target: 'https://api.example.test' } })).toMatch(/sites\.page.*not under the reserved \.test domain.*Fix/);
  expect(problem({ sites: { page: 'https://app.example.test/x', target: 'https://api.example.test' } })).toMatch(/sites\.page.*not an http or https origin/);
  expect(problem({ sites: { page: 'ftp://app.example.test', target: 'https://api.example.test' } })).toMatch(/sites\.page/);
  expect(problem({ sites: { page: 'https://app.example.test' } })).toMatch(/sites\.target/);
});

test('a malformed cookie is refused; SameSite=None without Secure is accepted', () => {
  expect(problem({ cookies: [{ name: 'a b', value: 'v', attributes: '' }] })).toMatch(/cookies\[0\]\.name/);
  expect(problem({ cookies: [{ name: 'a', value: 'x;y', attributes: '' }] })).toMatch(/cookies\[0\]\.value/);
  expect(problem({ cookies: [{ name: 'a', value: 'v' }] })).toMatch(/cookies\[0\]\.attributes/);
  expect(problem({ cookies: [{ name: 'a', value: 'v', attributes: 'x' }, { name: 'a', value: 'w', attributes: 'x' }] })).toMatch(/appears twice/);
  expect(problem({ sites: { page: 'https://app.site-a.test', target: 'https://api.site-b.test' }, cookies: [{ name: 'sid', value: 's1', attributes: 'SameSite=None; Path=/' }] })).toBe('');
});

test('expect.cookiesReceived must be a list of names', () => {
  expect(problem({ expect: { cookiesReceived: 'sid' } })).toMatch(/expect\.cookiesReceived/);
  expect(problem({ expect: { outcome: 'allowed', cookiesReceived: ['sid'] } })).toBe('');
});

test('page.site: a public page on a named site; outside .test or on another page kind it is refused', () => {
  expect(problem({ page: { origin: 'public', site: 'https://app.public-site.test', localNetworkAccess: 'deny' } })).toBe('');
  expect(problem({ page: { origin: 'public', site: 'https://app.public-site.com' } })).toMatch(/page\.site.*not under the reserved \.test domain/);
  expect(problem({ page: { origin: 'default', site: 'https://app.public-site.test' } })).toMatch(/page\.site.*applies to a public page only.*Fix/);
});
