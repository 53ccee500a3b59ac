// Referrer Policy §8.3 as the oracle applies it to the probe page (harness/oracle/referrer.ts), and
// the verdict holding each request's Referer to it.
import { test, expect } from '@playwright/test';
import { expectedReferer } from '../../harness/oracle/referrer.ts';
import { verdict } from '../../harness/probe/verdict.ts';
import type { ReceivedRequest } from '../../harness/model/types.ts';

const page = 'http://127.0.0.1:41001/probe.html';
const cross = 'http://127.0.0.1:41002/c/k/0';
const same = 'http://127.0.0.1:41001/c/k/0';

test('each policy, cross-origin and same-origin, from an http page', () => {
  const origin = 'http://127.0.0.1:41001/';
  expect(expectedReferer('', page, cross)).toBe(origin);
  expect(expectedReferer('', page, same)).toBe(page);
  expect(expectedReferer('no-referrer', page, cross)).toBeNull();
  expect(expectedReferer('origin', page, same)).toBe(origin);
  expect(expectedReferer('unsafe-url', page, cross)).toBe(page);
  expect(expectedReferer('same-origin', page, cross)).toBeNull();
  expect(expectedReferer('same-origin', page, same)).toBe(page);
  expect(expectedReferer('origin-when-cross-origin', page, cross)).toBe(origin);
  expect(expectedReferer('no-referrer-when-downgrade', page, cross)).toBe(page);
  expect(expectedReferer('strict-origin', page, cross)).toBe(origin);
});

test('a downgrade (https page, http API that is not loopback) drops the strict policies', () => {
  const https = 'https://app.example.test/probe.html';
  expect(expectedReferer('strict-origin-when-cross-origin', https, 'http://api.example.test/c/k/0')).toBeNull();
  expect(expectedReferer('no-referrer-when-downgrade', https, 'http://api.example.test/c/k/0')).toBeNull();
  expect(expectedReferer('strict-origin', https, 'https://api.site-b.test/c/k/0')).toBe('https://app.example.test/');
  // Loopback is potentially trustworthy: no downgrade.
  expect(expectedReferer('strict-origin', https, 'http://127.0.0.1:41002/c/k/0')).toBe('https://app.example.test/');
  expect(expectedReferer('unsafe-url', 'null', cross)).toBeNull();
});

test('the verdict holds the preflight and the actual request to the expected Referer', () => {
  const r = (over: Partial<ReceivedRequest>): ReceivedRequest => ({ method: 'GET', path: '/c/k/0', origin: 'http://127.0.0.1:41001', accessControlRequestMethod: null, accessControlRequestHeaders: null, cookie: false, cookies: [], referer: 'http://127.0.0.1:41001/', isPreflight: false, answered: true, server: 'target', ...over });
  const ok = { readable: true, status: 200, body: 'ok', headers: {}, error: null, timedOut: false, durationMs: 1 };
  const pre = r({ method: 'OPTIONS', isPreflight: true, accessControlRequestMethod: 'GET' });
  const want = { outcome: 'allowed' as const, preflight: true, referer: 'http://127.0.0.1:41001/', expectedBy: 'oracle' as const };
  const good = verdict(ok, { requests: [pre, r({})] }, [], want, 5000);
  expect(good.matchesExpected).toBe(true);
  expect(good.referer).toEqual({ preflight: 'http://127.0.0.1:41001/', actual: 'http://127.0.0.1:41001/' });
  const full = verdict(ok, { requests: [pre, r({ referer: page })] }, [], want, 5000);
  expect(full.matchesExpected).toBe(false);
  // Not asked for: no referer field, no effect on the match.
  const plain = verdict(ok, { requests: [pre, r({ referer: page })] }, [], { ...want, referer: undefined }, 5000);
  expect(plain.referer).toBeUndefined();
  expect(plain.matchesExpected).toBe(true);
});
