// Everything a server or a page can send: the validator accepts each byte class and status range
// it should (and only those), the raw server writes them byte for byte on real sockets, a request
// whose header values hold control bytes is observed, a body that never ends stops when the
// client goes, and a check is routed to the server that can take its bytes.
import net from 'node:net';
import { test, expect } from '@playwright/test';
import { checkScenario } from '../../harness/matrix/load-scenarios.ts';
import { InputError } from '../../harness/input/validate.ts';
import { predict } from '../../harness/oracle/predict.ts';
import { targetFor } from '../../harness/matrix/scenario-run.ts';
import { verdict } from '../../harness/probe/verdict.ts';
import { builtinScenarios } from '../../harness/catalogue/categories.ts';
import { startServers, type Servers } from '../../servers/worker-servers.ts';
import { visibleBytes } from '../../reports/html.ts';
import { endlessBody, expressCanSend } from '../../servers/target.ts';
import type { Scenario } from '../../harness/model/types.ts';

const good = {
  id: 'w', title: 'w', category: 'custom',
  request: { api: 'fetch', method: 'GET', headers: {}, credentials: 'omit', body: null },
  response: { status: 200, headers: [['Access-Control-Allow-Origin', '$ORIGIN']], body: 'ok' },
};

function problems(raw: unknown): string[] {
  try { checkScenario(raw, 'file.json'); return []; } catch (e) { expect(e).toBeInstanceOf(InputError); return (e as InputError).problems; }
}

test('statuses 100-999 are accepted on response, preflight and redirects; 99 and 1000 are not', () => {
  for (const status of [100, 199, 599, 600, 680, 699, 790, 999]) {
    expect(problems({ ...good, response: { ...good.response, status } }), String(status)).toEqual([]);
    expect(problems({ ...good, preflight: { status, headers: [] } }), `preflight ${status}`).toEqual([]);
  }
  for (const status of [99, 1000, 200.5, -1]) {
    expect(problems({ ...good, response: { ...good.response, status } })).toEqual([expect.stringMatching(/field "response\.status": must be an HTTP status 100-999/)]);
  }
});

test('a response header value may hold any byte but CR and LF, NUL included', () => {
  for (const value of ['a\u0000b', '$ORIGIN\u0000', 'a\u000bb', 'a\u000cb', 'a\u0001b', 'a\u007fb', 'a\u00ffb', 'a\tb', '  spaced  ']) {
    expect(problems({ ...good, response: { ...good.response, headers: [['X-A', value]] } }), JSON.stringify(value)).toEqual([]);
  }
  for (const value of ['a\rb', 'a\nb', 'a\r\nSet-Cookie: x=1']) {
    expect(problems({ ...good, preflight: { status: 204, headers: [['X-A', value]] } })).toEqual([expect.stringMatching(/field "preflight\.headers\[0\]\[1\]": contains CR or LF\. Fix: /)]);
  }
});

test('a request header value may hold any byte a page may set: every control byte but NUL, CR and LF', () => {
  for (const value of ['bytes=0-\f', 'text/plain\u000b', 'text/plain;garbage\u0001\u0002', 'a\u007fb', 'a\u001fb', ' padded\t']) {
    expect(problems({ ...good, request: { ...good.request, headers: { 'X-A': value } } }), JSON.stringify(value)).toEqual([]);
  }
  for (const value of ['a\u0000b', 'a\rb', 'a\nb']) {
    expect(problems({ ...good, request: { ...good.request, headers: { 'X-A': value } } })).toEqual([expect.stringMatching(/field "request\.headers\.X-A": contains CR, LF or NUL, which no page can send/)]);
  }
});

test('endless-body is a fault of a preflight or a response, not of a redirect hop', () => {
  expect(problems({ ...good, preflight: { status: 200, headers: [], fault: 'endless-body' } })).toEqual([]);
  expect(problems({ ...good, response: { ...good.response, fault: 'endless-body' } })).toEqual([]);
  expect(problems({ ...good, redirects: [{ status: 302, headers: [], to: 'same', fault: 'endless-body' }] })).toEqual([expect.stringMatching(/field "redirects\[0\]\.fault": "endless-body" applies to preflight and response only/)]);
});

test('the oracle: a preflight status above 599 is not ok; an actual response status above 599 is just a status', () => {
  const ctx = { pageOrigin: 'http://127.0.0.1:41001', targetOrigin: 'http://127.0.0.1:41002', otherOrigin: 'http://127.0.0.1:41003' };
  const byId = (id: string) => builtinScenarios.find((s) => s.id === id)!;
  for (const id of ['wire-preflight-status-680', 'wire-preflight-status-699', 'wire-preflight-status-790']) {
    const v = predict(byId(id), ctx);
    expect({ id, outcome: v.outcome, preflight: v.preflight, stage: v.stage }).toEqual({ id, outcome: 'blocked', preflight: true, stage: 'preflight' });
  }
  for (const id of ['wire-response-status-699-xhr', 'wire-response-status-699-fetch', 'wire-preflight-endless-body', 'wire-range-form-feed', 'wire-content-type-vtab', 'wire-content-type-x01', 'wire-content-type-del']) {
    const v = predict(byId(id), ctx);
    expect({ id, outcome: v.outcome, preflight: v.preflight }).toEqual({ id, outcome: 'allowed', preflight: true });
  }
  // A NUL in any response header value: the message is rejected (RFC 9110 section 5.5), before CORS.
  for (const id of ['wire-acao-origin-nul', 'wire-exposed-header-nul']) {
    const v = predict(byId(id), ctx);
    expect({ id, outcome: v.outcome, preflight: v.preflight, step: v.step }).toEqual({ id, outcome: 'blocked', preflight: false, step: 'RFC 9110 §5.5 field values' });
    expect(v.reason).toMatch(/NUL byte in its (Access-Control-Allow-Origin|X-Nul) header value/);
  }
});

test('a probe that timed out on an endless body says so in its cause', () => {
  const page = { readable: false, status: null, body: null, headers: null, error: { name: 'AbortError', message: 'aborted' }, timedOut: true, rejectedBeforeSending: false, durationMs: 5000 };
  const pre = { method: 'OPTIONS', path: '/c/k/0', origin: 'http://p', accessControlRequestMethod: 'PUT', accessControlRequestHeaders: null, cookie: false, cookies: [], referer: null, isPreflight: true, answered: true, server: 'target' as const, fault: 'endless-body' as const };
  const cell = verdict(page as never, { requests: [pre] }, [], { outcome: 'allowed', preflight: true, expectedBy: 'oracle' }, 5000);
  expect(cell.outcome).toBe('error');
  expect(cell.cause).toMatch(/OPTIONS \/c\/k\/0 and a body that never ends \(endless-body\)/);
});

test('routing: control bytes in a request header value (the follow-up\'s too) send the check to the raw server', () => {
  const servers = { target: { kind: 'express' }, raw: { kind: 'raw' } } as unknown as Pick<Servers, 'target' | 'raw'>;
  const s = (request: Partial<Scenario['request']>, followUp?: Scenario['followUp']): Scenario => ({
    id: 'r', title: 'r', category: 'c', request: { api: 'fetch', method: 'GET', headers: {}, credentials: 'omit', body: null, ...request },
    response: { status: 200, headers: [] }, ...(followUp && { followUp }),
  });
  expect(targetFor(s({ headers: { Range: 'bytes=0-' } }), servers).kind).toBe('express');
  // Tab and leading or trailing spaces are fine for Node; the engine trims the ends anyway.
  expect(targetFor(s({ headers: { 'X-A': ' a\tb ' } }), servers).kind).toBe('express');
  for (const v of ['bytes=0-\f', 'a\u000bb', 'a\u0001b', 'a\u007fb']) expect(targetFor(s({ headers: { 'X-A': v } }), servers).kind, JSON.stringify(v)).toBe('raw');
  expect(targetFor(s({}, { request: { headers: { 'Content-Type': 'text/plain\u000b' } } }), servers).kind).toBe('raw');
  expect(targetFor(s({}, { request: { method: 'CHICKEN' } }), servers).kind).toBe('raw');
  expect(expressCanSend('GET', [], { 'X-A': 'a\u0001b' })).toBe(false);
  // Node writes a three-digit status itself; a NUL in a response header value it refuses.
  expect(targetFor({ ...s({}), response: { status: 699, headers: [] } }, servers).kind).toBe('express');
  expect(targetFor({ ...s({}), response: { status: 200, headers: [['Access-Control-Allow-Origin', '*\u0000']] } }, servers).kind).toBe('raw');
});

test('the report spells out the control bytes of a header value', () => {
  expect(visibleBytes('$ORIGIN\u0000')).toBe('$ORIGIN\\x00');
  expect(visibleBytes('bytes=0-\f')).toBe('bytes=0-\\f');
  expect(visibleBytes('text/plain\u000b;\u0001\u007f')).toBe('text/plain\\v;\\x01\\x7f');
  expect(visibleBytes('a\tb ÿ')).toBe('a\tb ÿ');
});

// ---- real sockets ---------------------------------------------------------------------------

let servers: Servers;
const origins = { pageOrigin: 'http://page.test', targetOrigin: 'http://target.test', otherOrigin: 'http://other.test' };
test.describe('on real sockets', () => {
  test.beforeAll(async () => { servers = await startServers(); });
  test.afterAll(async () => { await servers.close(); });

  /** Write raw request bytes; resolve with the raw answer once `done` holds or the server closes. */
  function exchange(origin: string, request: Buffer | string, done: (text: string) => boolean = () => false): Promise<string> {
    const { port } = new URL(origin);
    return new Promise((resolve, reject) => {
      const s = net.connect(Number(port), '127.0.0.1', () => s.write(typeof request === 'string' ? Buffer.from(request, 'latin1') : request));
      let out = '';
      s.setTimeout(3000, () => { s.destroy(); resolve(out); });
      s.on('data', (d) => { out += d.toString('latin1'); if (done(out)) { s.destroy(); resolve(out); } });
      s.on('close', () => resolve(out));
      s.on('error', reject);
    });
  }
  const complete = (t: string) => { const m = /content-length: (\d+)/i.exec(t); const end = t.indexOf('\r\n\r\n'); return !!m && end >= 0 && t.length >= end + 4 + Number(m[1]); };

  test('the raw server sends status 699 and a NUL byte in a header value, byte for byte', async () => {
    servers.registry.register('w1', { origins, response: { status: 699, headers: [['Access-Control-Allow-Origin', '$ORIGIN\u0000'], ['X-Nul', 'a\u0000b\u000bc']], body: 'odd' } });
    const text = await exchange(servers.raw.origin, 'GET /c/w1/0 HTTP/1.1\r\nHost: x\r\nOrigin: http://page.test\r\n\r\n', complete);
    expect(text.split('\r\n')[0]).toMatch(/^HTTP\/1\.1 699 /);
    expect(text).toContain('\r\nAccess-Control-Allow-Origin: http://page.test\u0000\r\n');
    expect(text).toContain('\r\nX-Nul: a\u0000b\u000bc\r\n');
    expect(text.endsWith('\r\n\r\nodd')).toBe(true);
  });

  test('a request whose header values hold control bytes is observed, by the raw server and by Express', async () => {
    for (const [i, server] of [servers.raw, servers.target, servers.other].entries()) {
      const key = `w2${i}`;
      servers.registry.register(key, { origins, response: { status: 200, headers: [['Access-Control-Allow-Origin', '*']], body: 'hi' } });
      const text = await exchange(server.origin, `GET /c/${key}/0 HTTP/1.1\r\nHost: x\r\nOrigin: http://p.test\r\nRange: bytes=0-\f\r\nX-A: a\u000bb\u0001c\u007f\r\n\r\n`, complete);
      expect(text, server.kind).toMatch(/^HTTP\/1\.1 200 /);
      expect(servers.registry.observed(key).requests, server.kind).toEqual([expect.objectContaining({ method: 'GET', origin: 'http://p.test', answered: true })]);
    }
  });

  test('an endless preflight body: headers complete, chunks keep coming, never the last chunk', async () => {
    servers.registry.register('w3', { origins, preflight: { status: 200, headers: [['Access-Control-Allow-Origin', '$ORIGIN'], ['Access-Control-Allow-Methods', 'PUT']], fault: 'endless-body' }, response: { status: 200, headers: [] } });
    for (const server of [servers.raw, servers.target]) {
      const text = await exchange(server.origin, 'OPTIONS /c/w3/0 HTTP/1.1\r\nHost: x\r\nOrigin: http://page.test\r\nAccess-Control-Request-Method: PUT\r\n\r\n', (t) => (t.match(/1\r\n\.\r\n/g) ?? []).length >= 4);
      const [head, body] = text.split('\r\n\r\n');
      expect(head, server.kind).toMatch(/^HTTP\/1\.1 200 [^]*\r\nAccess-Control-Allow-Origin: http:\/\/page\.test\r\n[^]*Transfer-Encoding: chunked/);
      // Never the last chunk: the body does not end.
      expect(body, server.kind).not.toContain('0\r\n\r\n');
    }
    const seen = servers.registry.observed('w3').requests;
    expect(seen).toHaveLength(2);
    for (const r of seen) expect(r).toMatchObject({ isPreflight: true, fault: 'endless-body', answered: true });
  });

  test('an endless body is bounded: the target resets the connection after its limit', async () => {
    const server = net.createServer((socket) => { socket.on('error', () => {}); socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'); endlessBody(socket, 400); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const started = Date.now();
    const outcome = await new Promise<string>((resolve) => {
      const c = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
      c.on('error', (e) => resolve((e as NodeJS.ErrnoException).code ?? 'error'));
      c.on('close', () => resolve('closed'));
      c.resume();
    });
    const took = Date.now() - started;
    await new Promise((r) => server.close(r));
    expect(['ECONNRESET', 'closed']).toContain(outcome);
    expect(took).toBeGreaterThanOrEqual(350);
    expect(took).toBeLessThan(2000);
  });

  test('an endless body stops as soon as the client closes, long before its limit', async () => {
    let serverClosed!: () => void;
    const closed = new Promise<void>((r) => { serverClosed = r; });
    const server = net.createServer((socket) => {
      socket.on('error', () => {});
      socket.on('close', () => serverClosed());
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
      endlessBody(socket, 60_000);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const started = Date.now();
    const c = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    c.on('error', () => {});
    c.once('data', () => c.destroy());
    await closed;
    expect(Date.now() - started).toBeLessThan(1500);
    await new Promise((r) => server.close(r));
  });
});
