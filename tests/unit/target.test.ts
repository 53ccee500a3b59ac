// The target servers on real loopback sockets: exact header bytes, preflight vs actual, observations.
import net from 'node:net';
import { test, expect } from '@playwright/test';
import { startServers, type Servers } from '../../servers/worker-servers.ts';
import { expressCanSend } from '../../servers/target.ts';

let servers: Servers;
/** What the checks' placeholders stand for; only k1 uses one. */
const origins = { pageOrigin: 'http://page.test', targetOrigin: 'http://target.test', otherOrigin: 'http://other.test' };
test.beforeAll(async () => { servers = await startServers(); });
test.afterAll(async () => { await servers.close(); });

/** Send raw request bytes and read the raw answer until the server closes or the headers+body arrive. */
function raw(origin: string, request: string): Promise<string> {
  const { port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const s = net.connect(Number(port), '127.0.0.1', () => s.write(request));
    let out = '';
    s.setTimeout(3000, () => { s.destroy(); resolve(out); });
    s.on('data', (d) => {
      out += d.toString('latin1');
      const m = /content-length: (\d+)/i.exec(out);
      const end = out.indexOf('\r\n\r\n');
      if (m && end >= 0 && out.length >= end + 4 + Number(m[1])) { s.end(); resolve(out); }
    });
    s.on('error', reject);
  });
}

test('headers go out exactly as listed: order, duplicates and case kept', async () => {
  servers.registry.register('k1', { origins, response: { status: 200, headers: [['aCCESS-control-ALLOW-origin', '$ORIGIN'], ['Access-Control-Allow-Origin', '*'], ['X-Odd', '  spaced  ']], body: 'ok' } });
  const text = await raw(servers.target.origin, 'GET /c/k1/0 HTTP/1.1\r\nHost: x\r\nOrigin: http://page.test\r\n\r\n');
  expect(text).toMatch(/^HTTP\/1\.1 200 /);
  const lines = text.split('\r\n');
  const i = lines.indexOf('aCCESS-control-ALLOW-origin: http://page.test');
  expect(i).toBeGreaterThan(0);
  expect(lines[i + 1]).toBe('Access-Control-Allow-Origin: *');
  expect(lines[i + 2]).toBe('X-Odd:   spaced  ');
});

test('a preflight gets the preflight answer; without one, OPTIONS is a 404 with no CORS headers', async () => {
  servers.registry.register('k2', { origins, preflight: { status: 204, headers: [['Access-Control-Allow-Methods', 'PUT']] }, response: { status: 200, headers: [] } });
  servers.registry.register('k3', { origins, response: { status: 200, headers: [['Access-Control-Allow-Origin', '*']] } });
  const pre = 'OPTIONS /c/KEY/0 HTTP/1.1\r\nHost: x\r\nOrigin: http://p.test\r\nAccess-Control-Request-Method: PUT\r\n\r\n';
  expect(await raw(servers.target.origin, pre.replace('KEY', 'k2'))).toMatch(/^HTTP\/1\.1 204[^]*Access-Control-Allow-Methods: PUT/);
  const none = await raw(servers.target.origin, pre.replace('KEY', 'k3'));
  expect(none).toMatch(/^HTTP\/1\.1 404/);
  expect(none).not.toMatch(/access-control-allow/i);
});

test('observations record method, Origin, Access-Control-Request-* and whether a cookie came', async () => {
  servers.registry.register('k4', { origins, preflight: { status: 204, headers: [] }, response: { status: 200, headers: [] } });
  await raw(servers.target.origin, 'OPTIONS /c/k4/0 HTTP/1.1\r\nHost: x\r\nOrigin: http://p.test\r\nAccess-Control-Request-Method: PUT\r\nAccess-Control-Request-Headers: x-a,x-b\r\n\r\n');
  await raw(servers.target.origin, 'PUT /c/k4/0 HTTP/1.1\r\nHost: x\r\nOrigin: http://p.test\r\nCookie: cm_session=1\r\nContent-Length: 0\r\n\r\n');
  const seen = servers.registry.observed('k4').requests;
  expect(seen).toHaveLength(2);
  expect(seen[0]).toMatchObject({ method: 'OPTIONS', isPreflight: true, origin: 'http://p.test', accessControlRequestMethod: 'PUT', accessControlRequestHeaders: 'x-a,x-b', cookie: false, answered: true });
  expect(seen[1]).toMatchObject({ method: 'PUT', isPreflight: false, cookie: true, answered: true });
});

test('the raw server answers a method Node refuses, and records it', async () => {
  expect(expressCanSend('CHICKEN', [])).toBe(false);
  expect(expressCanSend('GET', [['X-Bad', 'a\u0001b']])).toBe(false);
  servers.registry.register('k5', { origins, response: { status: 200, headers: [['Access-Control-Allow-Origin', '*']], body: 'hi' } });
  const text = await raw(servers.raw.origin, 'CHICKEN /c/k5/0 HTTP/1.1\r\nHost: x\r\nOrigin: http://p.test\r\n\r\n');
  expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\nAccess-Control-Allow-Origin: \*\r\n/);
  expect(servers.registry.observed('k5').requests[0]).toMatchObject({ method: 'CHICKEN', origin: 'http://p.test', answered: true });
});

test('a redirect hop points at the next hop on the chosen origin', async () => {
  servers.registry.register('k6', { origins, redirects: [{ status: 302, headers: [], to: 'other' }], response: { status: 200, headers: [] } });
  const text = await raw(servers.target.origin, 'GET /c/k6/0 HTTP/1.1\r\nHost: x\r\n\r\n');
  expect(text).toContain(`Location: ${servers.other.origin}/c/k6/1`);
});

test('every server binds 127.0.0.1 only', () => {
  for (const s of [servers.origin, servers.target, servers.raw, servers.other]) expect(new URL(s.origin).hostname).toBe('127.0.0.1');
});
