import { test, expect } from '@playwright/test';
import { predict } from '../../harness/oracle/predict.ts';
import { substitute } from '../../harness/model/placeholders.ts';
import { answer, credentialed, ctx, ok, preflightOk, put, run, scenario } from './oracle-helpers.ts';

test('substitute: $TARGET2 is replaced before $TARGET, $ORIGIN with the page origin', () => {
  expect(substitute('$ORIGIN $TARGET2 $TARGET', ctx)).toBe(`${ctx.pageOrigin} ${ctx.otherOrigin} ${ctx.targetOrigin}`);
});

// ---- Fetch §4.10 CORS check ------------------------------------------------------------------

test('Fetch §4.10 CORS check step 4: ACAO equal to the serialized page origin passes', () => {
  expect(run()).toMatchObject({ outcome: 'allowed', preflight: false, stage: null, step: 'Fetch §4.10 CORS check, step 5' });
});

test('Fetch §4.10 CORS check step 3: ACAO * passes without credentials', () => {
  expect(run({ response: answer([['Access-Control-Allow-Origin', '*']]) })).toMatchObject({ outcome: 'allowed', step: 'Fetch §4.10 CORS check, step 3' });
});

test('Fetch §4.10 CORS check step 2: a missing ACAO fails', () => {
  const verdict = run({ response: answer([]) });
  expect(verdict).toMatchObject({ outcome: 'blocked', stage: 'actual', step: 'Fetch §4.10 CORS check, step 2' });
  expect(verdict.reason).toContain('no Access-Control-Allow-Origin');
});

test('Fetch §4.10 CORS check step 2: a 500 without ACAO is a network error, and the reason says so', () => {
  const verdict = run({ response: answer([], 500) });
  expect(verdict.outcome).toBe('blocked');
  expect(verdict.reason).toContain('instead of status 500');
  expect(verdict.fix).toContain('error responses too');
});

test('Fetch §4.10 CORS check: a 500 that carries ACAO is readable (any status is shared)', () => {
  expect(run({ response: { status: 500, headers: [['Access-Control-Allow-Origin', '*']] } }).outcome).toBe('allowed');
});

test('Fetch §4.10 CORS check step 4: ACAO with two comma-separated origins fails', () => {
  const verdict = run({ response: answer([['Access-Control-Allow-Origin', '$ORIGIN, http://other.example']]) });
  expect(verdict).toMatchObject({ outcome: 'blocked', step: 'Fetch §4.10 CORS check, step 4' });
  expect(verdict.reason).toBe("Access-Control-Allow-Origin lists 2 origins ('$ORIGIN, http://other.example'); a browser accepts exactly one");
  expect(verdict.fix).toContain('Access-Control-Allow-Origin: $ORIGIN');
});

test('Fetch §4.10 CORS check step 1: two ACAO header lines with the same origin fail (get combines them)', () => {
  const verdict = run({ response: answer([['Access-Control-Allow-Origin', '$ORIGIN'], ['access-control-allow-origin', '$ORIGIN']]) });
  expect(verdict.outcome).toBe('blocked');
  expect(verdict.reason).toContain('sent 2 times');
});

test('Fetch §4.10 CORS check step 1: ACAO * sent twice (proxy and app) fails', () => {
  expect(run({ response: answer([['Access-Control-Allow-Origin', '*'], ['Access-Control-Allow-Origin', '*']]) }).outcome).toBe('blocked');
});

test('Fetch §4.10 CORS check step 4: ACAO with a trailing slash fails', () => {
  const verdict = run({ response: answer([['Access-Control-Allow-Origin', '$ORIGIN/']]) });
  expect(verdict.outcome).toBe('blocked');
  expect(verdict.reason).toContain('trailing slash');
});

test('Fetch §4.10 CORS check step 4: ACAO differing in letter case fails', () => {
  const verdict = run({ response: answer([['Access-Control-Allow-Origin', 'HTTP://127.0.0.1:4100']]) });
  expect(verdict.outcome).toBe('blocked');
  expect(verdict.reason).toContain('letter case');
});

test('Fetch §4.10 CORS check step 4: ACAO with the explicit default port fails', () => {
  const page = { ...ctx, pageOrigin: 'http://localhost' };
  const verdict = predict(scenario({ response: answer([['Access-Control-Allow-Origin', 'http://localhost:80']]) }), page);
  expect(verdict.outcome).toBe('blocked');
  expect(verdict.reason).toContain('default port');
});

test('Fetch §4.10 CORS check step 4: an empty ACAO fails', () => {
  const verdict = run({ response: answer([['Access-Control-Allow-Origin', '']]) });
  expect(verdict).toMatchObject({ outcome: 'blocked', reason: 'Access-Control-Allow-Origin is empty' });
});

test('Fetch §2.2.2 normalize: whitespace around an ACAO value is stripped by header parsing, so it passes', () => {
  expect(run({ response: answer([['Access-Control-Allow-Origin', '  $ORIGIN\t']]) }).outcome).toBe('allowed');
});

test('Fetch §4.10 CORS check step 4: a quoted ACAO fails', () => {
  const verdict = run({ response: answer([['Access-Control-Allow-Origin', '"$ORIGIN"']]) });
  expect(verdict.outcome).toBe('blocked');
  expect(verdict.reason).toContain('quoted');
});

test('Fetch §4.10 CORS check step 4: ACAO *.example.com is a literal, not a pattern', () => {
  const verdict = run({ response: answer([['Access-Control-Allow-Origin', '*.example.com']]) });
  expect(verdict.outcome).toBe('blocked');
  expect(verdict.reason).toContain('not a pattern');
});

test('Fetch §4.10 CORS check step 4: ACAO null does not match a real page origin', () => {
  const verdict = run({ response: answer([['Access-Control-Allow-Origin', 'null']]) });
  expect(verdict.outcome).toBe('blocked');
  expect(verdict.reason).toContain('null');
});

test('Fetch §4.10 CORS check step 4: ACAO naming another origin fails', () => {
  const verdict = run({ response: answer([['Access-Control-Allow-Origin', '$TARGET']]) });
  expect(verdict.reason).toBe("Access-Control-Allow-Origin '$TARGET' is not the page's origin $ORIGIN");
});

test('Fetch §4.10 CORS check step 4: ACAO * with credentials include fails', () => {
  const verdict = credentialed([['Access-Control-Allow-Origin', '*'], ['Access-Control-Allow-Credentials', 'true']]);
  expect(verdict).toMatchObject({ outcome: 'blocked', step: 'Fetch §4.10 CORS check, step 4' });
  expect(verdict.reason).toContain('includes credentials');
  expect(verdict.fix).toContain('Access-Control-Allow-Origin: $ORIGIN');
});

test('Fetch §4.10 CORS check step 7: exact origin plus ACAC true passes with credentials', () => {
  const verdict = credentialed([['Access-Control-Allow-Origin', '$ORIGIN'], ['Access-Control-Allow-Credentials', 'true']]);
  expect(verdict).toMatchObject({ outcome: 'allowed', step: 'Fetch §4.10 CORS check, step 7' });
});

test('Fetch §4.10 CORS check step 8: ACAC TRUE (not lowercase) fails with credentials', () => {
  const verdict = credentialed([['Access-Control-Allow-Origin', '$ORIGIN'], ['Access-Control-Allow-Credentials', 'TRUE']]);
  expect(verdict).toMatchObject({ outcome: 'blocked', step: 'Fetch §4.10 CORS check, step 8' });
  expect(verdict.fix).toBe('Send Access-Control-Allow-Credentials: true');
});

test('Fetch §4.10 CORS check step 8: a missing ACAC fails with credentials', () => {
  expect(credentialed([['Access-Control-Allow-Origin', '$ORIGIN']]).outcome).toBe('blocked');
});

test('Fetch §4.10 CORS check step 8: ACAC true sent twice is "true, true" and fails', () => {
  const verdict = credentialed([
    ['Access-Control-Allow-Origin', '$ORIGIN'], ['Access-Control-Allow-Credentials', 'true'], ['Access-Control-Allow-Credentials', 'true'],
  ]);
  expect(verdict.outcome).toBe('blocked');
});

test('Fetch §4.10 CORS check step 5: without credentials ACAC is not looked at', () => {
  expect(run({ response: answer([['Access-Control-Allow-Origin', '$ORIGIN'], ['Access-Control-Allow-Credentials', 'nope']]) }).outcome).toBe('allowed');
});

test('Fetch §2.2.5 serializing a request origin: a sandboxed page is null, so ACAO must be null or *', () => {
  // The harness passes pageOrigin 'null' for a sandboxed page, so $ORIGIN stands for `null` there.
  const sandboxed = (acao: string) => predict(scenario({ page: { origin: 'sandboxed' }, response: answer([['Access-Control-Allow-Origin', acao]]) }), { ...ctx, pageOrigin: 'null' });
  expect(sandboxed('$ORIGIN').outcome).toBe('allowed');
  expect(sandboxed('*').outcome).toBe('allowed');
  const verdict = sandboxed(ctx.pageOrigin);
  expect(verdict.outcome).toBe('blocked');
  expect(verdict.reason).toContain('opaque');
});

test('Local Network Access is not in Fetch: a public page is predicted as plain CORS', () => {
  expect(run({ page: { origin: 'public', localNetworkAccess: 'deny' } }).outcome).toBe('allowed');
});

// ---- Fetch §4.1 main fetch / §4.4 HTTP fetch: when a preflight is sent ------------------------

test('Fetch §4.1 main fetch: GET with only safelisted headers sends no preflight', () => {
  expect(run({ request: { headers: { Accept: 'application/json', 'Content-Language': 'en' } } }).preflight).toBe(false);
});

test('Fetch §5.4 new Request(): a string body brings Content-Type text/plain;charset=UTF-8, which is safelisted', () => {
  expect(run({ request: { method: 'POST', body: '{}' } })).toMatchObject({ outcome: 'allowed', preflight: false });
});

test('Fetch §4.1 main fetch: POST with Content-Type application/json needs a preflight', () => {
  const verdict = run({ request: { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } } });
  expect(verdict).toMatchObject({ preflight: true, outcome: 'blocked', stage: 'preflight' });
});

test('Fetch §4.1 main fetch: a custom header needs a preflight', () => {
  expect(run({ request: { headers: { 'X-Requested-With': 'XMLHttpRequest' } } }).preflight).toBe(true);
});

test('Fetch §4.8 CORS-preflight fetch step 7: an ok preflight listing method and headers lets the request through', () => {
  const verdict = run({
    request: { method: 'PUT', body: '{}', headers: { 'Content-Type': 'application/json', 'X-Token': '1' } },
    preflight: preflightOk([['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Allow-Headers', 'content-type, x-token']]),
  });
  expect(verdict).toMatchObject({ outcome: 'allowed', preflight: true, stage: null });
});

// ---- Fetch §4.8 CORS-preflight fetch ---------------------------------------------------------

test('Fetch §4.8 CORS-preflight fetch step 7: a preflight answered 200 passes the status rule', () => {
  expect(run({ request: { method: 'PUT' }, preflight: { status: 200, headers: [['Access-Control-Allow-Origin', '$ORIGIN'], ['Access-Control-Allow-Methods', 'PUT']] } }).outcome).toBe('allowed');
});

test('Fetch §4.8 CORS-preflight fetch step 7: a preflight answered 299 is still ok', () => {
  expect(run({ request: { method: 'PUT' }, preflight: { status: 299, headers: [['Access-Control-Allow-Origin', '$ORIGIN'], ['Access-Control-Allow-Methods', 'PUT']] } }).outcome).toBe('allowed');
});

for (const status of [400, 401, 403, 404, 405, 500, 502]) {
  test(`Fetch §4.8 CORS-preflight fetch step 7: a preflight answered ${status} with CORS headers fails (not an ok status)`, () => {
    const verdict = run({ request: { method: 'PUT' }, preflight: { status, headers: [['Access-Control-Allow-Origin', '*'], ['Access-Control-Allow-Methods', 'PUT']] } });
    expect(verdict).toMatchObject({ outcome: 'blocked', stage: 'preflight', preflight: true, step: 'Fetch §4.8 CORS-preflight fetch, step 7 (ok status)' });
    expect(verdict.reason).toContain(`status ${status}`);
  });
}

for (const status of [301, 302, 307, 308]) {
  test(`Fetch §4.8 CORS-preflight fetch: a preflight answered with a ${status} redirect is a network error`, () => {
    const verdict = run({ request: { method: 'DELETE' }, preflight: { status, headers: [['Access-Control-Allow-Origin', '*']] } });
    expect(verdict).toMatchObject({ outcome: 'blocked', stage: 'preflight' });
    expect(verdict.reason).toContain('never follows a redirect for a preflight');
  });
}

test('Fetch §4.8 CORS-preflight fetch: no OPTIONS route (404, no CORS headers) fails with an actionable fix', () => {
  const verdict = run({ request: { method: 'PUT' } });
  expect(verdict).toMatchObject({ outcome: 'blocked', stage: 'preflight', preflight: true });
  expect(verdict.reason).toContain('404 without CORS headers');
  expect(verdict.fix).toContain('Answer OPTIONS with 204');
});

test('Fetch §4.8 CORS-preflight fetch step 7: a 204 preflight without ACAO fails the CORS check', () => {
  const verdict = run({ request: { method: 'PUT' }, preflight: answer([['Access-Control-Allow-Methods', 'PUT']], 204) });
  expect(verdict).toMatchObject({ outcome: 'blocked', stage: 'preflight', step: 'Fetch §4.10 CORS check, step 2' });
  expect(verdict.reason).toBe('The preflight response has no Access-Control-Allow-Origin');
});

test('Fetch §4.8 CORS-preflight fetch step 7: the preflight needs ACAC true when the request includes credentials', () => {
  const verdict = put([['Access-Control-Allow-Methods', 'PUT']], { credentials: 'include' });
  expect(verdict).toMatchObject({ outcome: 'blocked', stage: 'preflight', step: 'Fetch §4.10 CORS check, step 8' });
});

test('Fetch §4.8 CORS-preflight fetch step 7.5: a method missing from ACAM fails', () => {
  const verdict = put([['Access-Control-Allow-Methods', 'GET, POST']]);
  expect(verdict).toMatchObject({ outcome: 'blocked', stage: 'preflight', step: 'Fetch §4.8 CORS-preflight fetch, step 7.5' });
  expect(verdict.reason).toBe('Method PUT is not in Access-Control-Allow-Methods (it lists GET, POST)');
  expect(verdict.fix).toBe('Access-Control-Allow-Methods: GET, POST, PUT');
});

test('Fetch §4.8 CORS-preflight fetch step 7.5: no ACAM at all fails a non-safelisted method', () => {
  expect(put([]).outcome).toBe('blocked');
});

test('Fetch §4.8 CORS-preflight fetch step 7.5: ACAM matching is case-sensitive (patch vs PATCH)', () => {
  const verdict = run({ request: { method: 'patch' }, preflight: preflightOk([['Access-Control-Allow-Methods', 'PATCH']]) });
  expect(verdict).toMatchObject({ outcome: 'blocked', stage: 'preflight' });
  expect(verdict.reason).toContain('case-sensitively');
  expect(run({ request: { method: 'patch' }, preflight: preflightOk([['Access-Control-Allow-Methods', 'patch']]) }).outcome).toBe('allowed');
});

test('Fetch §2.2.1 normalize a method: fetch sends put as PUT, so ACAM PUT allows it', () => {
  expect(run({ request: { method: 'put' }, preflight: preflightOk([['Access-Control-Allow-Methods', 'PUT']]) }).outcome).toBe('allowed');
});

test('Fetch §4.8 CORS-preflight fetch step 7.5: ACAM * allows any method without credentials', () => {
  expect(run({ request: { method: 'PATCH' }, preflight: preflightOk([['Access-Control-Allow-Methods', '*']]) }).outcome).toBe('allowed');
});

test('Fetch §4.8 CORS-preflight fetch step 7.5: ACAM * is literal with credentials', () => {
  const verdict = put([['Access-Control-Allow-Methods', '*'], ['Access-Control-Allow-Credentials', 'true']], { credentials: 'include' });
  expect(verdict).toMatchObject({ outcome: 'blocked', stage: 'preflight', step: 'Fetch §4.8 CORS-preflight fetch, step 7.5' });
  expect(verdict.reason).toContain('taken literally');
});

test('Fetch §4.8 CORS-preflight fetch step 7.5: a safelisted method passes even if ACAM omits it', () => {
  const verdict = run({ request: { method: 'POST', body: 'x', headers: { 'X-A': '1' } }, preflight: preflightOk([['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Allow-Headers', 'x-a']]) });
  expect(verdict).toMatchObject({ outcome: 'allowed', preflight: true });
});

test('Fetch §4.8 CORS-preflight fetch step 7.3: an invalid token in ACAM fails the preflight', () => {
  const verdict = put([['Access-Control-Allow-Methods', 'GET; PUT']]);
  expect(verdict).toMatchObject({ outcome: 'blocked', stage: 'preflight', step: 'Fetch §4.8 CORS-preflight fetch, step 7.3' });
  expect(verdict.reason).toContain("'GET; PUT'");
});

test('Fetch §4.8 CORS-preflight fetch step 7.3: an invalid token in ACAH fails even for a request that needs no headers', () => {
  const verdict = put([['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Allow-Headers', 'x-a x-b']]);
  expect(verdict).toMatchObject({ outcome: 'blocked', step: 'Fetch §4.8 CORS-preflight fetch, step 7.3' });
});

test('Fetch §4.8 CORS-preflight fetch step 7.1: ACAM across two header lines is one list', () => {
  expect(put([['Access-Control-Allow-Methods', 'GET'], ['Access-Control-Allow-Methods', 'PUT']]).outcome).toBe('allowed');
});

test('Fetch §4.8 CORS-preflight fetch step 7.7: ACAH matches header names case-insensitively', () => {
  expect(put([['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Allow-Headers', 'X-CUSTOM']], { headers: { 'x-custom': '1' } }).outcome).toBe('allowed');
});

test('Fetch §4.8 CORS-preflight fetch step 7.7: a header missing from ACAH fails', () => {
  const verdict = put([['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Allow-Headers', 'x-a']], { headers: { 'X-B': '1' } });
  expect(verdict).toMatchObject({ outcome: 'blocked', stage: 'preflight', step: 'Fetch §4.8 CORS-preflight fetch, step 7.7' });
  expect(verdict.reason).toBe('Request header x-b is not in Access-Control-Allow-Headers (it lists x-a)');
  expect(verdict.fix).toBe('Access-Control-Allow-Headers: x-a, x-b');
});

test('Fetch §4.8 CORS-preflight fetch step 7.7: Content-Type application/json must be listed', () => {
  const verdict = run({
    request: { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } },
    preflight: preflightOk([['Access-Control-Allow-Methods', 'POST']]),
  });
  expect(verdict.outcome).toBe('blocked');
  expect(verdict.reason).toContain('content-type');
});

test('Fetch §4.8 CORS-preflight fetch step 7.7: ACAH * covers custom headers without credentials', () => {
  expect(put([['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Allow-Headers', '*']], { headers: { 'X-A': '1' } }).outcome).toBe('allowed');
});

test('Fetch §4.8 CORS-preflight fetch step 7.7: ACAH * is literal with credentials', () => {
  const verdict = put(
    [['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Allow-Headers', '*'], ['Access-Control-Allow-Credentials', 'true']],
    { headers: { 'X-A': '1' }, credentials: 'include' },
  );
  expect(verdict).toMatchObject({ outcome: 'blocked', step: 'Fetch §4.8 CORS-preflight fetch, step 7.7' });
});

test('Fetch §4.8 CORS-preflight fetch step 7.6: ACAH * does not cover Authorization (CORS non-wildcard request-header name)', () => {
  const verdict = run({ request: { headers: { Authorization: 'Bearer x' } }, preflight: preflightOk([['Access-Control-Allow-Headers', '*']]) });
  expect(verdict).toMatchObject({ outcome: 'blocked', stage: 'preflight', step: 'Fetch §4.8 CORS-preflight fetch, step 7.6' });
  expect(verdict.reason).toContain('does not cover Authorization');
});

test('Fetch §4.8 CORS-preflight fetch step 7.6: Authorization listed by name passes, even next to *', () => {
  expect(run({ request: { headers: { Authorization: 'Bearer x', 'X-A': '1' } }, preflight: preflightOk([['Access-Control-Allow-Headers', '*, Authorization']]) }).outcome).toBe('allowed');
});

test('XHR §3.5.6 send(): an upload listener sets the use-CORS-preflight flag, forcing a preflight for a simple POST', () => {
  const xhr = { api: 'xhr' as const, method: 'POST', body: 'x', uploadListener: true };
  expect(run({ request: xhr }).preflight).toBe(true);
  expect(run({ request: { ...xhr, uploadListener: false } }).preflight).toBe(false);
});

test('Fetch §4.8 CORS-preflight fetch step 7.4: a forced preflight without ACAM allows its own method', () => {
  const verdict = run({ request: { api: 'xhr', method: 'POST', body: 'x', uploadListener: true }, preflight: preflightOk() });
  expect(verdict).toMatchObject({ outcome: 'allowed', preflight: true });
});

// ---- exposed headers: Fetch §4.1 step 14.1 and §2.2.6 CORS filtered response -----------------

test('Fetch §2.2.6 CORS filtered response: only the safelisted response-header names are readable by default', () => {
  const verdict = run({ response: ok([['Content-Type', 'text/plain'], ['ETag', '"1"'], ['X-Total-Count', '3']]) });
  expect(verdict.readableHeaders).toEqual(['content-type']);
});

test('Fetch §4.1 main fetch step 14.1.3: ACEH names become readable, case-insensitively', () => {
  const verdict = run({ response: ok([['ETag', '"1"'], ['X-Total-Count', '3'], ['Access-Control-Expose-Headers', 'etag, X-TOTAL-COUNT']]) });
  expect(verdict.readableHeaders).toEqual(['etag', 'x-total-count']);
});

test('Fetch §4.1 main fetch step 14.1.2: ACEH * exposes every non-forbidden name without credentials', () => {
  const verdict = run({ response: ok([['ETag', '"1"'], ['Set-Cookie', 'a=b'], ['Access-Control-Expose-Headers', '*']]) });
  expect(verdict.readableHeaders).toEqual(['access-control-allow-origin', 'access-control-expose-headers', 'etag']);
});

test('Fetch §4.1 main fetch step 14.1.3: ACEH * is literal with credentials', () => {
  const verdict = credentialed([
    ['Access-Control-Allow-Origin', '$ORIGIN'], ['Access-Control-Allow-Credentials', 'true'], ['ETag', '"1"'], ['Access-Control-Expose-Headers', '*'],
  ]);
  expect(verdict).toMatchObject({ outcome: 'allowed', readableHeaders: [] });
});

test('Fetch §2.2.2 forbidden response-header name: Set-Cookie is never readable, even when exposed by name', () => {
  expect(run({ response: ok([['Set-Cookie', 'a=b'], ['Access-Control-Expose-Headers', 'Set-Cookie']]) }).readableHeaders).toEqual([]);
});

test('Fetch §4.1 main fetch step 14.1.3: an ACEH that fails to parse exposes only the safelisted names', () => {
  const verdict = run({ response: ok([['ETag', '"1"'], ['Content-Type', 'text/plain'], ['Access-Control-Expose-Headers', 'ETag X']]) });
  expect(verdict.readableHeaders).toEqual(['content-type']);
});

test('ScenarioRequest.readHeaders narrows the readable names to those the page asks for', () => {
  const verdict = run({ request: { readHeaders: ['ETag', 'X-Missing'] }, response: ok([['ETag', '"1"'], ['Access-Control-Expose-Headers', 'ETag']]) });
  expect(verdict.readableHeaders).toEqual(['etag']);
});

test('A blocked response exposes no headers', () => {
  expect(run({ response: answer([['ETag', '"1"'], ['Access-Control-Expose-Headers', '*']]) }).readableHeaders).toEqual([]);
});
