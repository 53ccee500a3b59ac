// Policy mode with the user's session, in isolation: `servedAs` and `session` validation (one line,
// file, field and fix, and never a session value in a message), masking of what the reports copy,
// and the severity of a credentialed finding following whether the cookie went along, in the
// browsers the API's users run (the users regime, also when the run is in the installed one).
import { test, expect } from '@playwright/test';
import { validatePolicy, InputError } from '../../harness/policy/load.ts';
import { planPolicy } from '../../harness/policy/check-plan.ts';
import { checkFinding, findingsFor } from '../../harness/policy/findings.ts';
import { maskHeaders, maskResult, maskedPolicy } from '../../harness/policy/secrets.ts';
import type { EngineId, EngineInfo, Regime } from '../../harness/model/types.ts';
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
  // Each engine as it reports itself in each regime (the configuration readers' briefs).
  const cookies = (brief: string) => ({ thirdPartyCookies: { value: brief, from: 'read back', brief }, automation: [] });
  const ENGINES: Record<Regime, EngineInfo[]> = {
    installed: [
      { id: 'chromium', regime: 'installed', browser: 'Chromium', version: '156', driver: 'cdp', configuration: cookies('blocked (cookie_controls_mode 1, the build\'s default)') },
      { id: 'firefox', regime: 'installed', browser: 'Firefox ESR', version: '153', driver: 'webdriver-bidi', configuration: cookies('blocked by Total Cookie Protection (network.cookie.cookieBehavior 5, the build\'s default)') },
      { id: 'webkit', regime: 'installed', browser: 'WebKitGTK MiniBrowser', version: '2.50', driver: 'webdriver-classic', configuration: cookies('sent (MiniBrowser\'s default cookie policy, no-third-party: it stores no third-party cookie but sends the target\'s own)') },
    ],
    users: [
      { id: 'chromium', regime: 'users', browser: 'Chromium', version: '156', driver: 'cdp', configuration: cookies('allowed outside Incognito (cookie_controls_mode 2, set as a user would in the settings)') },
      { id: 'firefox', regime: 'users', browser: 'Firefox ESR', version: '153', driver: 'webdriver-bidi', configuration: cookies('blocked by Total Cookie Protection (network.cookie.cookieBehavior 5, in the profile)') },
      { id: 'webkit', regime: 'users', browser: 'WebKitGTK MiniBrowser', version: '2.50', driver: 'webdriver-classic', configuration: cookies('blocked by Intelligent Tracking Prevention (--enable-itp)') },
    ],
  };
  const finding = (policy: Policy, checks: PolicyCheck[], regime: Regime = 'users') => findingsFor(policy, checks, ENGINES[regime]).find((f) => f.kind === 'credentials-reflection')!;

  test('users regime: high where an engine sent the cookie to another site and let it read; each line names who runs the engine so and its setting', () => {
    const f = finding(base, [attack('https://attacker.test', 'arbitrary', { chromium: result(true, true), firefox: result(true, false), webkit: result(true, false) })]);
    expect(f.severity).toBe('high');
    expect(f.exploit!.chromium!.line).toBe('chromium, Chrome as its users run it, third-party cookies allowed outside Incognito (cookie_controls_mode 2, set as a user would in the settings): exploitable: https://attacker.test read GET /me with the session cookie');
    expect(f.exploit!.firefox!.line).toBe('firefox, Firefox release defaults, third-party cookies blocked by Total Cookie Protection (network.cookie.cookieBehavior 5, in the profile): cookie withheld by that setting: https://attacker.test read GET /me without it');
    expect(f.exploit!.webkit!.line).toBe('webkit, Safari-like (MiniBrowser with ITP), third-party cookies blocked by Intelligent Tracking Prevention (--enable-itp): cookie withheld by that setting: https://attacker.test read GET /me without it');
    expect(f.exploit!.firefox).toMatchObject({ regime: 'users', population: 'Firefox release defaults', withCookie: false, countedWithCookie: false });
  });
  test('users regime: one step lower where no engine sent it', () => {
    const f = finding(base, [attack('https://attacker.test', 'arbitrary', { firefox: result(true, false), webkit: result(true, false) })]);
    expect(f.severity).toBe('medium');
  });
  test('installed regime: a cookie withheld only by this machine\'s third-party blocking does not lower the severity where the engine\'s users send it', () => {
    const f = finding(base, [attack('https://attacker.test', 'arbitrary', { chromium: result(true, false) })], 'installed');
    expect(f.severity).toBe('high');
    expect(f.exploit!.chromium!.line).toBe('chromium, this machine\'s Chromium as installed, third-party cookies blocked (cookie_controls_mode 1, the build\'s default): cookie withheld by that setting: https://attacker.test read GET /me without it; severity not lowered: Chrome\'s users send it; run in the users regime to observe it');
    expect(f.exploit!.chromium).toMatchObject({ regime: 'installed', withCookie: false, countedWithCookie: true });
  });
  test('installed regime: withheld where the engine\'s users withhold it too (Total Cookie Protection) lowers it', () => {
    const f = finding(base, [attack('https://attacker.test', 'arbitrary', { firefox: result(true, false) })], 'installed');
    expect(f.severity).toBe('medium');
    expect(f.exploit!.firefox!.line).toBe('firefox, this machine\'s Firefox ESR as installed, third-party cookies blocked by Total Cookie Protection (network.cookie.cookieBehavior 5, the build\'s default): cookie withheld by that setting: https://attacker.test read GET /me without it');
  });
  test('installed regime: a cookie this machine\'s build sends but the engine\'s users withhold counts as withheld', () => {
    const f = finding(base, [attack('https://attacker.test', 'arbitrary', { webkit: result(true, true) })], 'installed');
    expect(f.severity).toBe('medium');
    expect(f.exploit!.webkit!.line).toBe('webkit, this machine\'s WebKitGTK MiniBrowser as installed, third-party cookies sent (MiniBrowser\'s default cookie policy, no-third-party: it stores no third-party cookie but sends the target\'s own): exploitable: https://attacker.test read GET /me with the session cookie; severity counts it as withheld: Safari\'s users withhold it (Intelligent Tracking Prevention); run in the users regime to observe it');
    expect(f.exploit!.webkit).toMatchObject({ withCookie: true, countedWithCookie: false });
  });
  test('both regimes judge alike: the same API gives the same severity installed and as users run the engines', () => {
    const installed = finding(base, [attack('https://attacker.test', 'arbitrary', { chromium: result(true, false), firefox: result(true, false), webkit: result(true, true) })], 'installed');
    const users = finding(base, [attack('https://attacker.test', 'arbitrary', { chromium: result(true, true), firefox: result(true, false), webkit: result(true, false) })], 'users');
    expect([installed.severity, users.severity]).toEqual(['high', 'high']);
  });
  test('SameSite=Lax: medium in either regime, with the reason; a host of the API\'s own site reads with it', () => {
    const lax: Policy = { ...base, session: { ...base.session!, cookies: [{ name: 'sid', value: 'v', attributes: 'SameSite=Lax; Secure' }] } };
    for (const regime of ['users', 'installed'] as const) {
      const f = finding(lax, [
        attack('https://attacker.test', 'arbitrary', { chromium: result(true, false), firefox: result(true, false) }),
        attack('https://attacker.app.example.test', 'subdomain', { chromium: result(true, true), firefox: result(true, true) }),
      ], regime);
      expect(f.severity, regime).toBe('medium');
      expect(f.exploit!.firefox!.line, regime).toMatch(/: cookie withheld by SameSite=Lax, which keeps it off cross-site requests: https:\/\/attacker\.test read GET \/me without it; with it only from hosts of the API's own site \(https:\/\/attacker\.app\.example\.test\), which needs a foothold there$/);
      expect(f.exploit!.chromium!.line, regime).not.toMatch(/severity not lowered/);
    }
  });
  test('a cookie without SameSite: Chromium\'s Lax default, in either regime', () => {
    const noSameSite: Policy = { ...base, session: { ...base.session!, cookies: [{ name: 'sid', value: 'v', attributes: 'Secure; Path=/' }] } };
    const f = finding(noSameSite, [attack('https://attacker.test', 'arbitrary', { chromium: result(true, false) })], 'installed');
    expect(f.severity).toBe('medium');
    expect(f.exploit!.chromium!.line).toMatch(/: cookie withheld by Chromium's Lax default for a cookie without SameSite: /);
  });
  test('each check\'s verdict (tests and exit code) judges as the finding does', () => {
    const origin = 'https://attacker.test';
    for (const regime of ['installed', 'users'] as const) {
      for (const info of ENGINES[regime]) {
        for (const sent of [true, false]) {
          const r = result(true, sent);
          const f = finding(base, [attack(origin, 'arbitrary', { [info.id]: r })], regime);
          const c = checkFinding(base, { originKind: 'attacker', derivation: 'arbitrary', credentials: true, expected: 'blocked', purpose: 'attacker-simple', origin }, r, info);
          expect(c, `${info.id} ${regime} cookie ${sent ? 'sent' : 'withheld'}`).toEqual({ kind: 'credentials-reflection', severity: f.severity });
        }
      }
    }
  });
  test('an engine whose configuration was not read says so, and is judged as observed', () => {
    const remote: EngineInfo = { id: 'webkit', regime: 'users', browser: 'WebKitGTK MiniBrowser', version: 'unknown', driver: 'webdriver-classic (remote WebDriver)' };
    const f = findingsFor(base, [attack('https://attacker.test', 'arbitrary', { webkit: result(true, true) })], [remote]).find((x) => x.kind === 'credentials-reflection')!;
    expect(f.severity).toBe('high');
    expect(f.exploit!.webkit!.line).toMatch(/^webkit, Safari-like \(MiniBrowser with ITP\), third-party cookies \(configuration not read\): exploitable: /);
  });
  test('without a session nothing changes', () => {
    const { session: _s, ...none } = base;
    const f = finding(none as Policy, [attack('https://attacker.test', 'arbitrary', { chromium: result(true, null) })]);
    expect(f.severity).toBe('high');
    expect(f.exploit).toBeUndefined();
  });
});
