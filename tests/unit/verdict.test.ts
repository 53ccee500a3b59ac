// Verdict logic: page result + what the target saw -> outcome, stage, and faults kept apart from blocks.
import { test, expect } from '@playwright/test';
import { stalledAfterAnswer, verdict, type Expectation } from '../../harness/probe/verdict.ts';
import type { PageResult, ReceivedRequest } from '../../harness/model/types.ts';

const page = (over: Partial<PageResult> = {}): PageResult => ({ readable: false, status: null, body: null, headers: null, error: { name: 'TypeError', message: 'Failed to fetch' }, timedOut: false, durationMs: 3, ...over });
const req = (over: Partial<ReceivedRequest> = {}): ReceivedRequest => ({ method: 'GET', path: '/c/k/0', origin: 'http://127.0.0.1:1', accessControlRequestMethod: null, accessControlRequestHeaders: null, cookie: false, cookies: [], referer: null, isPreflight: false, answered: true, server: 'target', ...over });
const preflight = req({ method: 'OPTIONS', isPreflight: true, accessControlRequestMethod: 'PUT', accessControlRequestHeaders: 'x-a' });
const allowed: Expectation = { outcome: 'allowed', preflight: false, expectedBy: 'scenario' };
const blocked: Expectation = { outcome: 'blocked', expectedBy: 'oracle' };

test('a response the page read is allowed', () => {
  const c = verdict(page({ readable: true, status: 200, error: null, headers: {} }), { requests: [req()] }, [], allowed, 5000);
  expect(c).toMatchObject({ outcome: 'allowed', stage: null, preflightSent: false, actualSent: true, status: 200, matchesExpected: true });
});

test('a preflight seen and no actual request is blocked at the preflight', () => {
  const c = verdict(page(), { requests: [preflight] }, ['Method PUT is not allowed'], blocked, 5000);
  expect(c).toMatchObject({ outcome: 'blocked', stage: 'preflight', preflightSent: true, actualSent: false, matchesExpected: true, message: 'Method PUT is not allowed' });
  expect(c.requestHeaders).toEqual({ origin: 'http://127.0.0.1:1', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-a' });
});

test('an actual request seen and not readable is blocked at the actual stage', () => {
  const c = verdict(page(), { requests: [req({ cookie: true })] }, [], blocked, 5000);
  expect(c).toMatchObject({ outcome: 'blocked', stage: 'actual', actualSent: true });
  expect(c.requestHeaders.cookie).toBe(true);
});

test('a probe timeout is an error, never blocked', () => {
  const c = verdict(page({ timedOut: true }), { requests: [req({ answered: false })] }, [], blocked, 5000);
  expect(c).toMatchObject({ outcome: 'error', matchesExpected: false });
  expect(c.cause).toMatch(/no answer within 5000 ms/);
});

test('a timeout after the target answered every request is a stall to probe again; one the target caused is not', () => {
  const stalled = verdict(page({ timedOut: true }), { requests: [preflight, req()] }, [], blocked, 5000);
  expect(stalled).toMatchObject({ outcome: 'error', matchesExpected: false });
  expect(stalled.cause).toBe('the engine stalled: the page heard nothing within 5000 ms although the target had answered every request it received (OPTIONS, GET)');
  expect(stalledAfterAnswer(stalled)).toBe(true);
  // The target still answering, a body that never ends, a fault, or nothing received: the target's doing or unknown.
  expect(stalledAfterAnswer(verdict(page({ timedOut: true }), { requests: [req({ answered: false })] }, [], blocked, 5000))).toBe(false);
  expect(stalledAfterAnswer(verdict(page({ timedOut: true }), { requests: [req({ fault: 'endless-body' })] }, [], blocked, 5000))).toBe(false);
  // A slow body that ended is an answer the engine had; one still trickling when the probe gave up is not.
  expect(stalledAfterAnswer(verdict(page({ timedOut: true }), { requests: [req({ fault: 'slow-body' })] }, [], blocked, 5000))).toBe(true);
  expect(stalledAfterAnswer(verdict(page({ timedOut: true }), { requests: [req({ fault: 'slow-body', answered: false })] }, [], blocked, 5000))).toBe(false);
  expect(stalledAfterAnswer(verdict(page({ timedOut: true }), { requests: [] }, [], blocked, 5000))).toBe(false);
  expect(stalledAfterAnswer(verdict(page(), { requests: [req()] }, [], blocked, 5000))).toBe(false);
});

test('a connection closed before the answer finished is an error', () => {
  const c = verdict(page(), { requests: [req({ answered: false })] }, [], blocked, 5000);
  expect(c.outcome).toBe('error');
  expect(c.cause).toMatch(/closed before the target finished answering GET/);
});

test('nothing reaching the target is an error (target down), not a block', () => {
  const c = verdict(page(), { requests: [] }, [], blocked, 5000);
  expect(c.outcome).toBe('error');
  expect(c.cause).toMatch(/received no request/);
});

test("Firefox's 'CORS request did not succeed' is a network failure, not a block", () => {
  const c = verdict(page(), { requests: [] }, ['Cross-Origin Request Blocked: ... (Reason: CORS request did not succeed). Status code: (null).'], blocked, 5000);
  expect(c.outcome).toBe('error');
  expect(c.cause).toMatch(/network failure/);
});

test('a refusal before sending with the engine\'s CORS message (Local Network Access) is blocked', () => {
  const msg = "Access to fetch at 'http://127.0.0.1:9/c/k/0' from origin 'http://public.test' has been blocked by CORS policy: Permission was denied for this request to access the `loopback` address space.";
  const c = verdict(page(), { requests: [] }, [msg], blocked, 5000);
  expect(c).toMatchObject({ outcome: 'blocked', preflightSent: false, actualSent: false });
});

test('a harness failure (the page crashed) is an error even when the target saw the request', () => {
  const c = verdict(page({ error: { name: 'HarnessError', message: 'Target closed' } }), { requests: [req()] }, [], blocked, 5000);
  expect(c.outcome).toBe('error');
});

test('a header the page read but should not have is a mismatch', () => {
  const c = verdict(page({ readable: true, status: 200, error: null, headers: { 'x-request-id': 'r1' } }), { requests: [req()] }, [], { ...allowed, exposed: [] }, 5000);
  expect(c.matchesExpected).toBe(false);
});

test('an unexpected preflight is a mismatch even when the outcome matches', () => {
  const c = verdict(page({ readable: true, status: 200, error: null, headers: {} }), { requests: [preflight, req()] }, [], allowed, 5000);
  expect(c).toMatchObject({ outcome: 'allowed', preflightSent: true, matchesExpected: false, preflightCount: 1, actualCount: 1 });
});
