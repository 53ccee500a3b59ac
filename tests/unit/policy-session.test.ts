// Policy mode with the user's session, in isolation: `servedAs` and `session` validation (one line,
// file, field and fix, and never a session value in a message), masking of what the reports copy,
// and the severity of a credentialed finding following whether the cookie went along.
import { test, expect } from '@playwright/test';
import { validatePolicy, InputError } from '../../harness/policy/load.ts';
import { planPolicy } from '../../harness/policy/check-plan.ts';
import { findingsFor } from '../../harness/policy/findings.ts';
import { maskHeaders, maskResult, maskedPolicy } from '../../harness/policy/secrets.ts';
import type { EngineId } from '../../harness/model/types.ts';
import type { Policy, PolicyCheck, PolicyResult } from '../../harness/policy/policy-types.ts';

const SECRET = 'sekrit-value-1';
const good = {
  target: 'http://127.0.0.1:8080',
  servedAs: 'https://api.example.test',
  allowedOrigins: ['https://app.example.test'],
  endpoints: [{ path: '/me', methods: ['GET'], requestHeaders: ['Authorization'], credentials: true }],
  session: { cookies: [{ name: 'sid', value: SECRET, attributes: 'SameSite=None; Secure; Path=/' }], headers: { Authorization: `Bearer ${SECRET}` } },
};

function problem(raw: unknown): string {
  try { validatePolicy(raw, 'cors-policy.json'); } catch (e) { expect(e).toBeInstanceOf(InputError); return (e as Error).message; }
  throw new Error(`accepted: ${JSON.stringify(raw)}`);
}

test.describe('servedAs and session validation', () => {
  test('a good policy keeps servedAs and the session', () => {
    const p = validatePolicy(good, 'cors-policy.json');
    expect(p.servedAs).toBe('https://api.example.test');
    expect(p.session).toEqual({ cookies: good.session.cookies, headers: good.session.headers });
  });
  const session = (over: Record<string, unknown>) => ({ ...good, session: { ...good.session, ...over } });
  const bad: Array<[string, unknown, RegExp]> = [
    ['servedAs without a scheme', { ...good, servedAs: 'api.example.test' }, /field "servedAs": "api\.example\.test" is not an API origin.*Fix: /],
    ['servedAs with a path', { ...good, servedAs: 'https://api.example.test/v1' }, /field "servedAs": .*has a path.*Fix: write "https:\/\/api\.example\.test"/],
    ['servedAs not a string', { ...good, servedAs: 443 }, /field "servedAs": must be a string, is number/],
    ['servedAs as an allowed origin', { ...good, allowedOrigins: ['https://api.example.test'] }, /field "allowedOrigins\[0\]": https:\/\/api\.example\.test is the API's own origin \(servedAs\)/],
    ['an unknown session field', session({ token: 'x' }), /field "session\.token": unknown field/],
    ['a header name that is not a token', session({ headers: { 'X Token': SECRET } }), /field "session\.headers": "X Token" is not a header name \(an HTTP token\)\. Fix: /],
    ['a forbidden session header', session({ headers: { Cookie: `sid=${SECRET}` } }), /field "session\.headers\.Cookie": a page can never set Cookie.*Fix: put the cookie in session\.cookies/],
    ['a header value with a newline', session({ headers: { Authorization: `Bearer ${SECRET}\nX: y` } }), /field "session\.headers\.Authorization": the value \(not shown: it is a secret\) contains CR, LF or NUL/],
    ['a cookie value with a space', session({ cookies: [{ name: 'sid', value: `${SECRET} x`, attributes: '' }] }), /field "session\.cookies\[0\]\.value": the value \(not shown: it is a secret\) is not valid\. Fix: cookie-octets/],
    ['a cookie name that is not a token', session({ cookies: [{ name: 's id', value: SECRET, attributes: '' }] }), /field "session\.cookies\[0\]\.name": "s id" is not valid/],
    ['a cookie without attributes', session({ cookies: [{ name: 'sid', value: SECRET }] }), /field "session\.cookies\[0\]\.attributes": must be a string/],
  ];
  for (const [name, raw, message] of bad) {
    test(`rejects ${name}`, () => {
      const m = problem(raw);
      expect(m).toMatch(/^cors-policy\.json, field "/);
      expect(m).toMatch(message);
      expect(m.split('\n')).toHaveLength(1);
      expect(m).not.toContain(SECRET);
    });
  }
  test('a cookie an engine will refuse (SameSite=None without Secure) is valid input', () => {
    expect(() => validatePolicy({ ...good, session: { cookies: [{ name: 'sid', value: 'v', attributes: 'SameSite=None' }] } }, 'p.json')).not.toThrow();
  });
});

test.describe('masking', () => {
  const policy = validatePolicy(good, 'p.json');
  test('the plan holds session headers masked; sample values stay', () => {
    const plan = planPolicy(policy);
    const check = plan.groups[0].checks.find((c) => c.purpose === 'policy')!;
    expect(check.headers).toEqual({ Authorization: '***' });
    // The plan also carries the policy itself; what the tests attach is its masked copy.
    expect(JSON.stringify(plan.groups).includes(SECRET)).toBe(false);
  });
  test('Cookie keeps names, session headers keep nothing, the policy copy keeps names', () => {
    expect(maskHeaders([['Cookie', `sid=${SECRET}; other=1`], ['authorization', 'x'], ['Origin', 'https://a.test']], policy.session))
      .toEqual([['Cookie', 'sid=***; other=***'], ['authorization', '***'], ['Origin', 'https://a.test']]);
    const r = { observed: { actual: { status: 200, headers: [], request: { method: 'GET', url: 'u', headers: [['Cookie', `sid=${SECRET}`]] } } },
      replay: { label: 'replay outside the browser', actual: { request: { method: 'GET', url: 'u', headers: [['Authorization', SECRET]] }, status: 200, headers: [] } } } as unknown as PolicyResult;
    expect(JSON.stringify(maskResult(r, policy.session)).includes(SECRET)).toBe(false);
    const masked = maskedPolicy(policy);
    expect(JSON.stringify(masked).includes(SECRET)).toBe(false);
    expect(masked.session!.cookies[0].name).toBe('sid');
  });
});

test.describe('a credentialed finding with a session', () => {
  const base = validatePolicy(good, 'p.json');
  const result = (read: boolean, cookieSent: boolean | null): PolicyResult => ({
    outcome: read ? 'allowed' : 'blocked', stage: read ? null : 'actual', preflightSent: false, actualSent: true, status: read ? 200 : null,
    message: null, exposedHeaders: null, matchesExpected: !read, localNetworkAccess: 'n/a', cookieSent, durationMs: 1,
    observed: { actual: { status: 200, headers: [['Access-Control-Allow-Origin', 'x'], ['Access-Control-Allow-Credentials', 'true']], request: { method: 'GET', url: 'u', headers: [] } } },
  });
  const attack = (origin: string, derivation: PolicyCheck['derivation'], results: Partial<Record<EngineId, PolicyResult>>): PolicyCheck => ({
    id: `/me attacker-simple GET credentials ${origin}`, endpoint: '/me', path: '/me', purpose: 'attacker-simple', method: 'GET', requestHeaders: [],
    credentials: true, origin, originKind: 'attacker', derivation, expected: 'blocked', results, pass: false,
  });
  const severity = (policy: Policy, checks: PolicyCheck[]) => findingsFor(policy, checks).find((f) => f.kind === 'credentials-reflection')!;

  test('high where an engine sent the cookie to another site and let it read', () => {
    const f = severity(base, [attack('https://attacker.test', 'arbitrary', { webkit: result(true, true), chromium: result(true, false) })]);
    expect(f.severity).toBe('high');
    expect(f.exploit!.webkit!.line).toMatch(/^webkit: exploitable: https:\/\/attacker\.test read GET \/me with the session cookie$/);
    expect(f.exploit!.chromium!.line).toMatch(/^chromium: read without the session cookie \(not sent by chromium: third-party cookies blocked by default\)/);
  });
  test('medium where no engine sent it, with the reason', () => {
    const lax: Policy = { ...base, session: { ...base.session!, cookies: [{ name: 'sid', value: 'v', attributes: 'SameSite=Lax; Secure' }] } };
    const f = severity(lax, [
      attack('https://attacker.test', 'arbitrary', { firefox: result(true, false) }),
      attack('https://attacker.app.example.test', 'subdomain', { firefox: result(true, true) }),
    ]);
    expect(f.severity).toBe('medium');
    expect(f.exploit!.firefox!.line).toMatch(/not sent by firefox: SameSite=Lax keeps the cookie off cross-site requests\); with it only from hosts of the API's own site \(https:\/\/attacker\.app\.example\.test\)/);
  });
  test('without a session nothing changes', () => {
    const { session: _s, ...none } = base;
    const f = severity(none as Policy, [attack('https://attacker.test', 'arbitrary', { chromium: result(true, null) })]);
    expect(f.severity).toBe('high');
    expect(f.exploit).toBeUndefined();
  });
});
