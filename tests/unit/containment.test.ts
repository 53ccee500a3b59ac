// Containment: the origin-emulating proxy serves emulated origins, forwards only to the run's
// targets, refuses every other host and says so in its log; everything binds 127.0.0.1.
import net from 'node:net';
import http from 'node:http';
import { test, expect } from '@playwright/test';
import { startOriginProxy, type OriginProxy } from '../../servers/proxy.ts';
import { listen } from '../../servers/listen.ts';

let proxy: OriginProxy;
let target: { origin: string; close(): Promise<void> };
const log: string[] = [];
const seenByTarget: string[] = [];

test.beforeAll(async () => {
  proxy = await startOriginProxy((line) => log.push(line));
  target = await listen(http.createServer((req, res) => { seenByTarget.push(`${req.method} ${req.url} ${req.headers.origin}`); res.end('target'); }));
  proxy.emulate('http://app.example.test');
  proxy.forward(target.origin);
});
test.afterAll(async () => { await proxy.close(); await target.close(); });

function viaProxy(raw: string): Promise<string> {
  const { port } = new URL(proxy.url);
  return new Promise((resolve, reject) => {
    const s = net.connect(Number(port), '127.0.0.1', () => s.write(raw));
    let out = '';
    s.on('data', (d) => { out += d; if (/\r\n\r\n/.test(out) && (/content-length: 0/i.test(out) || /\r\n\r\n[^]+/.test(out))) s.end(); });
    s.on('end', () => resolve(out));
    s.on('close', () => resolve(out));
    s.on('error', reject);
    s.setTimeout(3000, () => { s.destroy(); resolve(out); });
  });
}

test('the proxy binds 127.0.0.1 only', () => {
  expect(new URL(proxy.url).hostname).toBe('127.0.0.1');
});

test('an emulated origin gets the probe page, from the proxy itself', async () => {
  const out = await viaProxy('GET http://app.example.test/probe.html HTTP/1.1\r\nHost: app.example.test\r\nConnection: close\r\n\r\n');
  expect(out).toMatch(/^HTTP\/1\.1 200/);
  expect(out).toContain('cors-matrix probe page');
});

test("a request to the run's target is forwarded untouched, Origin included", async () => {
  const out = await viaProxy(`GET ${target.origin}/c/x/0 HTTP/1.1\r\nHost: ${new URL(target.origin).host}\r\nOrigin: http://app.example.test\r\nConnection: close\r\n\r\n`);
  expect(out).toMatch(/^HTTP\/1\.1 200[^]*target$/);
  expect(seenByTarget).toContain('GET /c/x/0 http://app.example.test');
});

test('any other host is refused with 403, and the log says so', async () => {
  const out = await viaProxy('GET http://evil.example:80/steal HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n');
  expect(out).toMatch(/^HTTP\/1\.1 403/);
  expect(proxy.refused).toContain('http://evil.example');
  expect(log.some((l) => /refused http:\/\/evil\.example: neither an emulated origin nor a target of this run/.test(l))).toBe(true);
});

test('a loopback port that is not a target is refused too (no pivot to local services)', async () => {
  const out = await viaProxy('GET http://127.0.0.1:22/ HTTP/1.1\r\nHost: 127.0.0.1:22\r\nConnection: close\r\n\r\n');
  expect(out).toMatch(/^HTTP\/1\.1 403/);
});

test('CONNECT to a host outside the run is refused', async () => {
  const out = await viaProxy('CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n');
  expect(out).toMatch(/^HTTP\/1\.1 403/);
  expect(proxy.refused).toContain('CONNECT evil.example:443');
});

test('a request that is not in proxy form is refused', async () => {
  const out = await viaProxy('GET /etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  expect(out).toMatch(/^HTTP\/1\.1 403/);
});
