// Policy mode in isolation: the validator (every bad input ends with file, field, problem and fix),
// origin derivation, check planning, findings and their severity, and the report files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { validatePolicy, readPolicyFile, checkTargetReachable, originProblem, InputError } from '../../harness/policy/load.ts';
import { originsUnderTest, deriveFrom } from '../../harness/policy/origins.ts';
import { planPolicy, checksFor, NOT_FOUND_SEGMENT } from '../../harness/policy/check-plan.ts';
import { findingsFor } from '../../harness/policy/findings.ts';
import { FINDING_KIND_IDS, fixFor, kindForDerivation, kindRow, severityOf } from '../../harness/policy/kinds.ts';
import { buildPolicyReport, policyFailed, policyJson } from '../../harness/policy/report.ts';
import { execFileSync } from 'node:child_process';
import { DEFAULT_FAIL_ON, atOrAbove, describeFailing, failingResults } from '../../harness/policy/threshold.ts';
import { renderPolicyHtml } from '../../reports/policy-html.ts';
import { policySarif } from '../../reports/policy-sarif.ts';
import { policyJunit } from '../../reports/policy-junit.ts';
import type { EngineInfo, HeaderList } from '../../harness/model/types.ts';
import type { Policy, PolicyCheck, PolicyRecord, PolicyResult, PlannedCheck } from '../../harness/policy/policy-types.ts';

const good = {
  target: 'http://127.0.0.1:8080',
  allowedOrigins: ['https://example.com'],
  endpoints: [{ path: '/api/data', methods: ['GET', 'PUT'], requestHeaders: ['Content-Type', 'Authorization'], credentials: true, exposedHeaders: ['X-Request-Id'] }],
  blockedOrigins: ['https://partner-old.example.net'],
};

function problem(raw: unknown): string {
  try { validatePolicy(raw, 'cors-policy.json'); } catch (e) { expect(e).toBeInstanceOf(InputError); return (e as Error).message; }
  throw new Error(`accepted: ${JSON.stringify(raw)}`);
}

const endpoint = (over: Record<string, unknown>) => ({ ...good, endpoints: [{ ...good.endpoints[0], ...over }] });

test.describe('the policy validator', () => {
  const bad: Array<[string, unknown, RegExp]> = [
    ['not an object', [good], /field "\(policy\)": must be an object, is an array/],
    ['unknown top-level field', { ...good, allowOrigins: [] }, /field "allowOrigins": unknown field \(did you mean "allowedOrigins"\?\)\. Fix: rename it to "allowedOrigins", remove it, or use one of: target, allowedOrigins/],
    ['unknown endpoint field', endpoint({ header: ['X'] }), /field "endpoints\[0\]\.header": unknown field/],
    ['missing target', { ...good, target: undefined }, /field "target": is missing/],
    ['target with a path', { ...good, target: 'http://127.0.0.1:8080/api' }, /field "target": .*has a path.*Fix: write "http:\/\/127\.0\.0\.1:8080"/],
    ['origin with a trailing slash', { ...good, allowedOrigins: ['https://example.com/'] }, /field "allowedOrigins\[0\]": "https:\/\/example\.com\/" has a trailing slash.*Fix: write "https:\/\/example\.com"/],
    ['origin with a path', { ...good, allowedOrigins: ['https://example.com/app'] }, /field "allowedOrigins\[0\]": .*has a path, query or fragment/],
    ['origin in upper case', { ...good, allowedOrigins: ['https://Example.com'] }, /not how a browser serializes it.*Fix: write "https:\/\/example\.com"/],
    ['origin with the default port', { ...good, allowedOrigins: ['https://example.com:443'] }, /not how a browser serializes it.*Fix: write "https:\/\/example\.com"/],
    ['origin without a scheme', { ...good, allowedOrigins: ['example.com'] }, /is not an origin \(scheme:\/\/host\[:port\]\)/],
    ['a wildcard origin', { ...good, allowedOrigins: ['*'] }, /"\*" is not an origin/],
    ['null as an allowed origin', { ...good, allowedOrigins: ['null'] }, /"null" is the opaque origin/],
    ['no allowed origins', { ...good, allowedOrigins: [] }, /field "allowedOrigins": is empty/],
    ['an origin listed twice', { ...good, allowedOrigins: ['https://a.test', 'https://a.test'] }, /allowedOrigins\[1\]": "https:\/\/a\.test" is listed twice/],
    ['allowed and blocked at once', { ...good, blockedOrigins: ['https://example.com'] }, /blockedOrigins\[0\]": https:\/\/example\.com is also in allowedOrigins/],
    ['the target as an allowed origin', { ...good, allowedOrigins: ['http://127.0.0.1:8080'] }, /is the target itself/],
    ['a method with spaces', endpoint({ methods: ['GET, POST'] }), /field "endpoints\[0\]\.methods\[0\]": "GET, POST" contains whitespace/],
    ['a lower-case patch', endpoint({ methods: ['patch'] }), /"patch" is lower case.*Fix: write "PATCH"/],
    ['a forbidden method', endpoint({ methods: ['TRACE'] }), /browsers never send TRACE/],
    ['no methods', endpoint({ methods: [] }), /methods": is empty/],
    ['a forbidden request header', endpoint({ requestHeaders: ['Cookie'] }), /requestHeaders\[0\]": a page can never set Cookie/],
    ['a header name with a colon', endpoint({ exposedHeaders: ['X-Id:'] }), /exposedHeaders\[0\]": "X-Id:" is not a header name/],
    ['credentials as a string', endpoint({ credentials: 'yes' }), /credentials": must be true or false, is "yes"/],
    ['a path without /', endpoint({ path: 'api/data' }), /path": "api\/data" does not start with \//],
    ['a bad localNetworkAccess', { ...good, localNetworkAccess: 'ask' }, /localNetworkAccess": is "ask". Fix: use "grant" \(default\) or "deny"/],
  ];
  for (const [name, raw, message] of bad) {
    test(`rejects ${name}`, () => {
      const m = problem(raw);
      expect(m).toMatch(/^cors-policy\.json, field "/);
      expect(m).toMatch(message);
      expect(m).toMatch(/Fix: /);
    });
  }

  test('reports every problem of a policy at once, each with its field and fix', () => {
    let e: InputError | undefined;
    try {
      validatePolicy({
        ...good, allowOrigins: [], allowedOrigins: ['https://example.com/', 'https://b.test', 'https://b.test'],
        endpoints: [{ path: 'api', methods: ['GET', 'patch', 'TRACE'], requestHeaders: ['Cookie'], credentials: 'yes' }],
      }, 'cors-policy.json');
    } catch (x) { e = x as InputError; }
    expect(e).toBeInstanceOf(InputError);
    expect(e!.problems).toEqual([
      expect.stringMatching(/^cors-policy\.json, field "allowOrigins": unknown field \(did you mean "allowedOrigins"\?\)\. Fix: /),
      expect.stringMatching(/^cors-policy\.json, field "allowedOrigins\[0\]": .*trailing slash.*Fix: /),
      expect.stringMatching(/^cors-policy\.json, field "allowedOrigins\[2\]": "https:\/\/b\.test" is listed twice\. Fix: /),
      expect.stringMatching(/^cors-policy\.json, field "endpoints\[0\]\.path": "api" does not start with \/.*Fix: /),
      expect.stringMatching(/^cors-policy\.json, field "endpoints\[0\]\.methods\[1\]": "patch" is lower case.*Fix: /),
      expect.stringMatching(/^cors-policy\.json, field "endpoints\[0\]\.methods\[2\]": browsers never send TRACE.*Fix: /),
      expect.stringMatching(/^cors-policy\.json, field "endpoints\[0\]\.requestHeaders\[0\]": a page can never set Cookie.*Fix: /),
      expect.stringMatching(/^cors-policy\.json, field "endpoints\[0\]\.credentials": must be true or false.*Fix: /),
    ]);
    expect(e!.message).toMatch(/^8 problems:\n {2}- cors-policy\.json, field "allowOrigins"/);
  });

  test('a directory given as the policy file says so, not "not valid JSON"', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-policy-dir-'));
    await expect(readPolicyFile(dir)).rejects.toThrow(/is a directory, not the policy file \(CORS_POLICY\)\. Fix: give the path of a cors-policy\.json/);
  });

  test('fills the defaults of a good policy', () => {
    const p = validatePolicy({ target: 'http://127.0.0.1:8080', allowedOrigins: ['https://example.com'], endpoints: [{ path: '/x', methods: ['GET'] }] }, 'p.json');
    expect(p).toEqual({
      target: 'http://127.0.0.1:8080', allowedOrigins: ['https://example.com'], blockedOrigins: [], allowSubdomains: false,
      localNetworkAccess: 'grant', failOn: 'medium', source: 'p.json',
      endpoints: [{ path: '/x', methods: ['GET'], requestHeaders: [], credentials: false, exposedHeaders: [] }],
    });
  });

  test('reads JSON files and names the file in every message', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-policy-'));
    const missing = path.join(dir, 'missing.json');
    await expect(readPolicyFile(missing)).rejects.toThrow(/cannot read the policy file \(CORS_POLICY\): no such file/);
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, '{ "target": ');
    await expect(readPolicyFile(broken)).rejects.toThrow(/broken\.json:1:13: not valid JSON: .*Fix: check commas and quotes/);
    const ok = path.join(dir, 'ok.json');
    fs.writeFileSync(ok, JSON.stringify(good));
    expect((await readPolicyFile(ok)).endpoints[0].credentials).toBe(true);
  });

  test('an unreachable target is one message: cannot connect to …', async () => {
    const p = validatePolicy({ ...good, target: 'http://127.0.0.1:9' }, 'cors-policy.json');
    await expect(checkTargetReachable(p)).rejects.toThrow('cors-policy.json, field "target": cannot connect to http://127.0.0.1:9 (connection refused). Fix: start your API first, or correct "target"');
  });

  test('accepts what a browser sends as Origin', () => {
    for (const o of ['https://example.com', 'http://localhost:5173', 'http://127.0.0.1:3000', 'https://xn--bcher-kva.example']) expect(originProblem(o)).toBeNull();
  });
});

test.describe('origins under test', () => {
  test('each attacker origin of https://example.com, with its derivation', () => {
    expect(deriveFrom('https://example.com')).toEqual([
      { derivation: 'suffix', origin: 'https://example.com.attacker.test' },
      { derivation: 'prefix', origin: 'https://attackerexample.com' },
      { derivation: 'unescaped-dot', origin: 'https://examplexcom' },
      { derivation: 'substring', origin: 'https://example.co' },
      { derivation: 'subdomain', origin: 'https://attacker.example.com' },
      { derivation: 'scheme-downgrade', origin: 'http://example.com' },
      { derivation: 'port', origin: 'https://example.com:8443' },
      { derivation: 'special-char', origin: 'https://example.com_.attacker.test' },
      { derivation: 'special-char', origin: 'https://example.com$.attacker.test' },
      { derivation: 'special-char', origin: 'https://example.com+.attacker.test' },
      { derivation: 'special-char', origin: 'https://example.com!.attacker.test' },
      { derivation: 'special-char', origin: 'https://example.com~.attacker.test' },
    ]);
  });

  test('an IP origin gets only the derivations a browser can load', () => {
    expect(deriveFrom('http://127.0.0.1:3000').map((d) => d.derivation)).toEqual(['suffix', 'port', 'special-char', 'special-char', 'special-char', 'special-char', 'special-char']);
    expect(deriveFrom('http://127.0.0.1:3000').find((d) => d.derivation === 'port')?.origin).toBe('http://127.0.0.1:3001');
  });

  test('allowed, blocked, null and arbitrary come first; an allowed origin is never also an attacker', () => {
    const p = validatePolicy({ ...good, allowedOrigins: ['https://example.com', 'http://example.com'] }, 'p');
    const o = originsUnderTest(p);
    expect(o.slice(0, 5).map((x) => [x.origin, x.kind, x.expected])).toEqual([
      ['https://example.com', 'allowed', 'allowed'], ['http://example.com', 'allowed', 'allowed'],
      ['https://partner-old.example.net', 'blocked', 'blocked'], ['null', 'null', 'blocked'],
      ['https://attacker.test', 'attacker', 'blocked'],
    ]);
    expect(o.filter((x) => x.origin === 'http://example.com')).toHaveLength(1);
    expect(o.find((x) => x.origin === 'null')?.pageOrigin).toBe('http://sandbox.attacker.test');
  });

  test('allowSubdomains makes the subdomain an allowed origin', () => {
    const o = originsUnderTest(validatePolicy({ ...good, allowSubdomains: true }, 'p'));
    expect(o.find((x) => x.derivation === 'subdomain')).toMatchObject({ origin: 'https://attacker.example.com', kind: 'allowed', expected: 'allowed' });
  });
});

test.describe('planned checks', () => {
  const p = validatePolicy(good, 'p');
  const [allowed, , nullOrigin] = originsUnderTest(p);

  test('an allowed origin: every method with its headers and credentials, then the error responses', () => {
    const checks = checksFor(p.endpoints[0], allowed);
    expect(checks.map((c) => [c.purpose, c.method, c.path, c.credentials, c.expected])).toEqual([
      ['policy', 'GET', '/api/data', true, 'allowed'],
      ['policy', 'PUT', '/api/data', true, 'allowed'],
      ['error-not-found', 'GET', `/api/data/${NOT_FOUND_SEGMENT}`, true, 'allowed'],
      ['error-rejected', 'PUT', '/api/data', true, 'allowed'],
    ]);
    expect(checks[1]).toMatchObject({ headers: { 'Content-Type': 'application/json', Authorization: 'Bearer cors-matrix-check' }, body: '{}', readHeaders: ['X-Request-Id'] });
  });

  test('every other origin also makes the simplest attacker requests, with and without credentials', () => {
    const checks = checksFor(p.endpoints[0], nullOrigin);
    expect(checks.map((c) => [c.purpose, c.method, Object.keys(c.headers).length, c.credentials, c.expected])).toEqual([
      ['policy', 'GET', 2, true, 'blocked'], ['policy', 'PUT', 2, true, 'blocked'],
      ['attacker-simple', 'GET', 0, false, 'blocked'], ['attacker-simple', 'GET', 0, true, 'blocked'],
    ]);
  });

  test('one group per origin, unique check ids', () => {
    const plan = planPolicy(p);
    expect(plan.groups).toHaveLength(plan.origins.length);
    const ids = plan.groups.flatMap((g) => g.checks.map((c) => c.id));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

// ---- findings from synthetic results -------------------------------------------------------------

const policy: Policy = validatePolicy(good, 'cors-policy.json');
const plan = planPolicy(policy);

type Server = (check: PlannedCheck) => { preflight?: HeaderList; actual: HeaderList; status?: number };

/** What each engine would do with a server's answers: the Fetch CORS check, done by hand for these cases. */
function result(check: PlannedCheck, server: Server): PolicyResult {
  const a = server(check);
  const origin = check.origin.origin;
  // Fetch's header list get: several copies combine into "a, a", which never equals an origin.
  const acao = a.actual.filter(([n]) => n.toLowerCase() === 'access-control-allow-origin').map(([, v]) => v).join(', ') || null;
  const acac = a.actual.find(([n]) => n.toLowerCase() === 'access-control-allow-credentials')?.[1] ?? null;
  const readable = acao === origin ? (!check.credentials || acac === 'true') : acao === '*' && !check.credentials;
  const outcome = readable ? 'allowed' : 'blocked';
  return {
    outcome, stage: readable ? null : 'actual', preflightSent: false, actualSent: true, status: readable ? (a.status ?? 200) : null,
    message: readable ? null : 'blocked by CORS policy', exposedHeaders: null, matchesExpected: outcome === check.expected,
    observed: { actual: { status: a.status ?? 200, headers: a.actual, request: { method: check.method, url: 'http://127.0.0.1:8080' + check.path, headers: [['Origin', origin]] } } },
    localNetworkAccess: 'n/a', cookieSent: null, durationMs: 1,
  };
}

const CHROMIUM: EngineInfo = { id: 'chromium', regime: 'users', browser: 'Chromium', version: '156', driver: 'cdp' };

function records(server: Server): PolicyRecord[] {
  return plan.groups.map((g) => ({
    engine: CHROMIUM,
    origin: g.origin, lna: { mode: 'grant', targetAddressSpace: 'loopback', note: 'granted' },
    checks: g.checks.map((check) => ({ check, result: result(check, server) })),
  }));
}

const kinds = (checks: PolicyCheck[]) => findingsFor(policy, checks, [CHROMIUM]).map((f) => [f.severity, f.kind]);
const report = (server: Server) => buildPolicyReport(plan, records(server), 1000, '2026-11-25T12:00:00Z');

const correct: Server = (c) => (c.origin.kind === 'allowed'
  ? { actual: [['Access-Control-Allow-Origin', c.origin.origin], ['Access-Control-Allow-Credentials', 'true'], ['Vary', 'Origin']] }
  : { actual: [['Vary', 'Origin']] });

test.describe('findings', () => {
  test('a correct server: every check passes, no finding, exit 0', () => {
    const r = report(correct);
    expect(r.summary).toMatchObject({ failed: 0, errors: 0, findings: { high: 0, medium: 0, low: 0, info: 0 } });
    expect(policyFailed(r)).toBe(false);
  });

  test('reflecting any origin with credentials is one high finding with every reader folded in', () => {
    const r = report((c) => ({ actual: [['Access-Control-Allow-Origin', c.origin.origin], ['Access-Control-Allow-Credentials', 'true'], ['Vary', 'Origin']] }));
    expect(r.findings.map((f) => [f.severity, f.kind, f.origin])).toEqual([['high', 'credentials-reflection', 'https://attacker.test']]);
    expect(r.findings[0].origins).toContain('null');
    expect(r.findings[0].fix).toMatch(/Access-Control-Allow-Origin/);
    // No header names a stack: the generic, header-level fix, from the policy's own origin.
    expect(r.stack).toMatchObject({ stack: 'generic', source: 'none' });
    expect(r.findings[0].examples.map((x) => x.stack)).toEqual(['generic']);
    expect(r.findings[0].examples[0].config).toContain('Access-Control-Allow-Origin: https://example.com');
  });

  test('the stack named in the policy gives its fix: Express (cors) with the policy\'s origins', () => {
    const express = validatePolicy({ ...good, stack: 'express' }, 'cors-policy.json');
    const checks = report((c) => ({ actual: [['Access-Control-Allow-Origin', c.origin.origin], ['Access-Control-Allow-Credentials', 'true'], ['Vary', 'Origin']] })).checks;
    const [f] = findingsFor(express, checks, [CHROMIUM]);
    expect(f.examples.map((x) => [x.stack, x.label])).toEqual([['express', 'Express (cors)']]);
    expect(f.examples[0].config).toMatch(/origin: \["https:\/\/example\.com"\]/);
    expect(f.examples[0].change).toMatch(/not origin: true/);
  });

  test('Access-Control-Allow-Origin sent twice is its own finding, never "no CORS headers"', () => {
    // nginx's add_header on top of the app's own header: both copies reach the engine.
    const twice = (c: PlannedCheck): HeaderList => [['Server', 'nginx/1.22.1'], ['Access-Control-Allow-Origin', c.origin.origin], ['Access-Control-Allow-Origin', c.origin.origin], ['Access-Control-Allow-Credentials', 'true'], ['Vary', 'Origin']];
    const onErrors = report((c) => (c.origin.kind !== 'allowed' ? { actual: [['Server', 'nginx/1.22.1'], ['Vary', 'Origin']] }
      : c.purpose.startsWith('error') ? { actual: twice(c), status: 404 } : correct(c)));
    expect(kinds(onErrors.checks)).toEqual([['low', 'duplicate-cors-header']]);
    const f = onErrors.findings[0];
    expect(f.description).toMatch(/carries Access-Control-Allow-Origin 2 times \(https:\/\/example\.com \| https:\/\/example\.com\)/);
    expect(f.evidence.observedResponseHeaders?.filter(([n]) => n === 'Access-Control-Allow-Origin')).toHaveLength(2);
    // A second CORS layer behind nginx: the proxy's table, which hides the app's copies.
    expect(onErrors.stack).toMatchObject({ stack: 'nginx-proxy', source: 'responses' });
    expect(onErrors.stack.because).toMatch(/Server: nginx\/1\.22\.1; Access-Control-Allow-Origin sent 2 times/);
    expect(f.examples[0].config).toMatch(/proxy_hide_header Access-Control-Allow-Origin;/);
    expect(f.examples[0].change).toMatch(/proxy_hide_header Access-Control-Allow-Origin;/);
    // On every answer: the allowed origin's own requests fail, high.
    const everywhere = report((c) => (c.origin.kind === 'allowed' ? { actual: twice(c) } : { actual: [['Vary', 'Origin']] }));
    expect(kinds(everywhere.checks)).toEqual([['high', 'duplicate-cors-header']]);
    // The new fields (stack, the tables' examples) stay within cors-policy/1.
    const contract = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..', 'shared', 'tools', 'check-contract.mjs');
    if (!fs.existsSync(contract)) return;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cors-contract-')), 'policy.json');
    fs.writeFileSync(file, JSON.stringify(policyJson(onErrors)));
    expect(execFileSync(process.execPath, [contract, file], { encoding: 'utf8' })).toMatch(/contract holds/);
    fs.rmSync(path.dirname(file), { recursive: true });
  });

  test('an unanchored regex: one finding per kind, high with credentials, medium where a foothold is needed', () => {
    const matches = (o: string) => /example\.com/.test(o);
    const r = report((c) => (matches(c.origin.origin)
      ? { actual: [['Access-Control-Allow-Origin', c.origin.origin], ['Access-Control-Allow-Credentials', 'true'], ['Vary', 'Origin']] }
      : { actual: [['Vary', 'Origin']] }));
    expect(kinds(r.checks)).toEqual([
      ['high', 'suffix-match'], ['high', 'prefix-match'], ['high', 'special-char-match'],
      ['medium', 'subdomain-trust'], ['medium', 'scheme-downgrade'], ['medium', 'port-mismatch'],
    ]);
  });

  test('reads without credentials are low; * without credentials is informational', () => {
    const noCreds = (o: string) => /attacker\.test$|^null$/.test(o);
    const r = report((c) => (c.origin.kind === 'allowed' ? correct(c) : noCreds(c.origin.origin) && c.origin.derivation !== 'arbitrary'
      ? { actual: [['Access-Control-Allow-Origin', c.origin.origin], ['Vary', 'Origin']] } : { actual: [['Vary', 'Origin']] }));
    expect(kinds(r.checks)).toEqual([['low', 'null-origin'], ['low', 'suffix-match'], ['low', 'special-char-match']]);
    const star = report((c) => (c.origin.kind === 'allowed' ? correct(c) : { actual: [['Access-Control-Allow-Origin', '*'], ['Vary', 'Origin']] }));
    expect(kinds(star.checks)).toEqual([['medium', 'wildcard-with-credentials'], ['info', 'wildcard-origin']]);
  });

  test('Vary: Origin missing where the value depends on the Origin; error answers without CORS headers', () => {
    const r = report((c) => (c.purpose.startsWith('error')
      ? { actual: [], status: c.purpose === 'error-not-found' ? 404 : 400 }
      : c.origin.kind === 'allowed' ? { actual: [['Access-Control-Allow-Origin', c.origin.origin], ['Access-Control-Allow-Credentials', 'true']] } : { actual: [] }));
    expect(kinds(r.checks)).toEqual([['low', 'error-response-without-cors'], ['low', 'missing-vary-origin']]);
    const f = r.findings.find((x) => x.kind === 'error-response-without-cors')!;
    expect(f.methods).toEqual(['GET', 'PUT']);
  });

  test('an error answer with a wrong Access-Control-Allow-Origin has its headers: the allowed origin blocked, not an error without CORS', () => {
    // A fixed origin with a trailing slash, on every answer (errors too): one mistake, one finding.
    const r = report(() => ({ actual: [['Access-Control-Allow-Origin', 'https://example.com/'], ['Access-Control-Allow-Credentials', 'true'], ['Vary', 'Origin']] }));
    expect(kinds(r.checks)).toEqual([['high', 'allowed-origin-blocked']]);
  });
});

test.describe('the finding kinds table', () => {
  const SEVERITIES = ['high', 'medium', 'low', 'info'];
  const context = { policy, endpoint: policy.endpoints[0], origins: ['https://example.com.attacker.test'] };

  for (const kind of FINDING_KIND_IDS) {
    test(`${kind} has a title, a severity rule and a fix`, () => {
      const row = kindRow(kind);
      expect(row.title.length, kind).toBeGreaterThan(10);
      for (const credentialed of [true, false]) expect(SEVERITIES, `${kind} credentialed=${credentialed}`).toContain(severityOf(kind, credentialed));
      const { fix, examples } = fixFor(kind, context);
      expect(fix, kind).toMatch(/^[A-Z].{20,}[.;]$/s);
      // A kind whose fix is not a CORS header (a wrong path, Local Network Access) shows no example.
      if (row.examples?.(context) === false || kind === 'inconclusive-endpoint') { expect(examples, kind).toEqual([]); return; }
      expect(examples.map((x) => x.stack), kind).toEqual(['generic']);
      expect(examples[0].change, kind).toMatch(/^[A-Z].{15,}\.$/s);
    });
  }

  test('every attacker derivation is one kind', () => {
    const derivations = [...new Set(plan.origins.map((o) => o.derivation).filter((d) => d !== undefined))];
    expect(derivations.length).toBeGreaterThan(5);
    for (const d of derivations) expect(kindForDerivation(d), d).toBeDefined();
  });

  test('a read without credentials is low, whatever the kind; with them, a foothold makes it medium', () => {
    expect(severityOf('suffix-match', true)).toBe('high');
    expect(severityOf('subdomain-trust', true)).toBe('medium');
    expect(severityOf('subdomain-trust', false)).toBe('low');
    expect(severityOf('wildcard-origin', true)).toBe('info');
  });
});

test.describe('report files', () => {
  const hostile = report((c) => ({ actual: [['Access-Control-Allow-Origin', c.origin.origin], ['Access-Control-Allow-Credentials', 'true'], ['Vary', 'Origin'], ['X-Evil', '<script>alert(1)</script>']] }));

  test('policy.json carries the contract fields', () => {
    expect(hostile.schema).toBe('cors-policy/1');
    const c = hostile.checks.find((x) => x.derivation === 'suffix')!;
    expect(c).toMatchObject({ endpoint: '/api/data', originKind: 'attacker', derivation: 'suffix', from: 'https://example.com', expected: 'blocked', pass: false });
    expect(Object.keys(c.results)).toEqual(['chromium']);
  });

  test('policy.html escapes every value', () => {
    const html = renderPolicyHtml(hostile);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toMatch(/credentials-reflection/);
  });

  test('policy.sarif is SARIF 2.1.0 with a rule per kind and a location in the policy file', () => {
    const sarif = policySarif(hostile);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].tool.driver.rules.map((r) => r.id)).toEqual(['credentials-reflection']);
    expect(sarif.runs[0].results[0]).toMatchObject({ ruleId: 'credentials-reflection', level: 'error', locations: [{ physicalLocation: { artifactLocation: { uri: 'cors-policy.json' } } }] });
  });

  test('junit.xml has one case per check per engine', () => {
    const xml = policyJunit(hostile);
    expect(xml.match(/<testcase /g)).toHaveLength(hostile.checks.length);
    expect(xml).toMatch(/<failure message="expected blocked, was allowed">/);
  });
});

test.describe('the threshold (--fail-on): each origin\'s test and the run\'s exit agree', () => {
  const at = (failOn: Policy['failOn']) => ({ ...plan, policy: { ...policy, failOn } });
  /** Every origin test's failing lines, as specs/policy.spec.ts computes them. */
  const testFailures = (p: typeof plan, server: Server) => records(server).flatMap((r) => failingResults(p.policy, CHROMIUM, r.checks).map(describeFailing));
  const verdictAt = (p: typeof plan, server: Server) => buildPolicyReport(p, records(server), 1000, '2026-11-25T12:00:00Z').verdict;
  const reflect: Server = (c) => ({ actual: [['Access-Control-Allow-Origin', c.origin.origin], ['Access-Control-Allow-Credentials', 'true'], ['Vary', 'Origin']] });
  const lowOnly: Server = (c) => (c.origin.kind === 'allowed' ? correct(c) : /attacker\.test$/.test(c.origin.origin) && c.origin.derivation !== 'arbitrary' && !c.credentials
    ? { actual: [['Access-Control-Allow-Origin', c.origin.origin], ['Vary', 'Origin']] } : { actual: [['Vary', 'Origin']] });

  test('levels: a severity fails at its own level and every lower one; none fails nothing', () => {
    expect(atOrAbove('high', 'high')).toBe(true);
    expect(atOrAbove('medium', 'high')).toBe(false);
    expect(atOrAbove('low', 'medium')).toBe(false);
    expect(atOrAbove('low', 'low')).toBe(true);
    expect(atOrAbove('info', 'low')).toBe(false);
    expect(atOrAbove('info', 'info')).toBe(true);
    expect(atOrAbove('high', 'none')).toBe(false);
    expect(DEFAULT_FAIL_ON).toBe('medium');
  });

  test('a high finding fails its tests and the run at every level but none, naming check, origin, engine, expected and seen', () => {
    for (const level of ['high', 'medium', 'low', 'info'] as const) {
      const v = verdictAt(at(level), reflect);
      expect(v.exitCode, level).toBe(1);
      expect(v.line).toMatch(/^exit 1: \d+ check results? at or above --fail-on \w+ \(worst: high [a-z-]+\)/);
      expect(testFailures(at(level), reflect).length, level).toBeGreaterThan(0);
    }
    expect(testFailures(at('high'), reflect)).toContain('GET /api/data (attacker-simple, credentials) from https://attacker.test in chromium: expected blocked, seen allowed (HTTP 200): high credentials-reflection');
    expect(verdictAt(at('none'), reflect)).toMatchObject({ exitCode: 0, line: expect.stringMatching(/^exit 0: no check fails at --fail-on none; \d+ findings? below it/) });
    expect(testFailures(at('none'), reflect)).toEqual([]);
  });

  test('low findings alone: exit 0 and green tests at the default, exit 1 and red tests at low, the line says which', () => {
    const v = verdictAt(plan, lowOnly);
    expect(v).toEqual({ failOn: 'medium', exitCode: 0, line: 'exit 0: no check fails at --fail-on medium; 2 findings below it (low suffix-match, low special-char-match) reported, not failing' });
    expect(testFailures(plan, lowOnly)).toEqual([]);
    expect(verdictAt(at('low'), lowOnly).exitCode).toBe(1);
    expect(testFailures(at('low'), lowOnly).length).toBeGreaterThan(0);
  });

  test('an allowed origin every engine refuses is high (an outage), not medium', () => {
    const refuse: Server = () => ({ actual: [['Vary', 'Origin']] });
    const r = buildPolicyReport(plan, records(refuse), 1000);
    expect(r.findings.filter((f) => f.kind === 'allowed-origin-blocked').map((f) => f.severity)).toEqual(['high']);
    expect(verdictAt(at('high'), refuse).exitCode).toBe(1);
  });
});

test('one mistake on the endpoint\'s 200 and on its 404 (reasons that differ only in the status) is one allowed-origin-blocked', () => {
  // Caddy's `header Access-Control-Allow-Origin {http.request.header.Origin}` without the credentials header.
  const noCredentials: Server = (c) => ({ actual: [['Access-Control-Allow-Origin', c.origin.origin], ['Vary', 'Origin']], status: c.purpose === 'policy' ? 200 : 404 });
  const recs = records(noCredentials);
  for (const rec of recs) {
    for (const { check, result: r } of rec.checks) {
      if (r?.outcome === 'blocked') r.reason = `The request includes credentials but the ${check.purpose === 'policy' ? 200 : 404} response has no Access-Control-Allow-Credentials`;
    }
  }
  const blocked = buildPolicyReport(plan, recs, 1000).findings.filter((f) => f.kind === 'allowed-origin-blocked');
  expect(blocked).toHaveLength(1);
  expect(new Set(blocked[0].checks.map((id) => id.split(' ')[1]))).toEqual(new Set(['policy', 'error-not-found', 'error-rejected']));
});

test.describe('inconclusive: an endpoint and method that answer only 404, 405 or 5xx', () => {
  // A typo'd path: every answer is a 404 without CORS headers, so every attacker check "passes".
  const typo: Server = (c) => ({ actual: [], status: 404 });
  // A mounted cors() answers the 405 with CORS headers: the allowed origin "reads" it.
  const wrongMethod: Server = (c) => (c.method === 'PUT'
    ? { actual: [['Access-Control-Allow-Origin', c.origin.origin], ['Access-Control-Allow-Credentials', 'true'], ['Vary', 'Origin']], status: 405 }
    : correct(c));

  test('a typo\'d path is one inconclusive finding naming the status, no pass and no allowed-origin-blocked', () => {
    const r = buildPolicyReport(plan, records(typo), 1000);
    expect(r.findings.map((f) => [f.severity, f.kind])).toContainEqual(['medium', 'inconclusive-endpoint']);
    expect(r.findings.map((f) => f.kind)).not.toContain('allowed-origin-blocked');
    const f = r.findings.find((x) => x.kind === 'inconclusive-endpoint')!;
    expect(f.description).toMatch(/GET \/api\/data: HTTP 404/);
    expect(f.fix).toMatch(/"path" \(\/api\/data\)/);
    const policyChecks = r.checks.filter((c) => c.purpose === 'policy' || c.purpose === 'attacker-simple');
    expect(policyChecks.filter((c) => c.pass)).toEqual([]);
    expect(r.summary.inconclusive).toBeGreaterThan(0);
    expect(r.verdict.exitCode).toBe(1);
  });

  test('a method the route refuses (405, CORS headers and all) is inconclusive for that method only', () => {
    const r = buildPolicyReport(plan, records(wrongMethod), 1000);
    const f = r.findings.filter((x) => x.kind === 'inconclusive-endpoint');
    expect(f.map((x) => x.methods)).toEqual([['PUT']]);
    expect(f[0].description).toMatch(/PUT \/api\/data: HTTP 405/);
    const allowed = records(wrongMethod).find((g) => g.origin.kind === 'allowed')!;
    expect(failingResults(policy, CHROMIUM, allowed.checks).map(describeFailing)).toEqual(
      allowed.checks.filter((c) => c.check.method === 'PUT' && c.check.purpose === 'policy').map((c) => expect.stringMatching(/^PUT \/api\/data \(policy.*expected allowed, seen HTTP 405: medium inconclusive-endpoint$/)));
  });
});
