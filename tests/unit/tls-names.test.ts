// The run CA issues one certificate per parent name (servers/tls.ts): a scenario's own host shares it.
import { test, expect } from '@playwright/test';
import tls from 'node:tls';
import { certificateName, createRunCa } from '../../servers/tls.ts';

test('per-scenario hosts share their parent wildcard; IPs and two-label names keep their own', () => {
  expect(certificateName('s0a1b2c3d4.api.site-b.test')).toBe('*.api.site-b.test');
  expect(certificateName('sffeeddccb.api.site-b.test')).toBe('*.api.site-b.test');
  expect(certificateName('api.site-b.test')).toBe('*.site-b.test');
  expect(certificateName('example.test')).toBe('example.test');
  expect(certificateName('127.0.0.1')).toBe('127.0.0.1');
  expect(certificateName('::1')).toBe('::1');
});

test('hosts known ahead share one certificate that names each of them; an odd name still gets its own', async () => {
  const ca = await createRunCa();
  try {
    // A policy's special-character origins are among them: `$` means a variable to openssl's config.
    const hosts = ['app.example.test', 'attacker.test', '127.0.0.1', 'app.example.test$.attacker.test', 'odd host.test'];
    ca.prepare(hosts);
    const [app, attacker, ip, dollar, odd] = await Promise.all(hosts.map((h) => ca.contextFor(h)));
    expect(attacker).toBe(app);
    expect(ip).toBe(app);
    expect(dollar).toBe(app);
    expect(odd).not.toBe(app);
    // The certificate the page gets names the host it asked for (here checked on the certificate itself).
    const served = await new Promise<string>((resolve, reject) => {
      const server = tls.createServer({ SNICallback: (_n, cb) => cb(null, app) }, (s) => s.end());
      server.listen(0, '127.0.0.1', () => {
        const port = (server.address() as { port: number }).port;
        const socket = tls.connect({ host: '127.0.0.1', port, servername: 'attacker.test', rejectUnauthorized: false }, () => {
          const alt = socket.getPeerCertificate().subjectaltname ?? '';
          socket.destroy();
          server.close();
          resolve(alt);
        });
        socket.on('error', reject);
      });
    });
    expect(served).toContain('DNS:*.example.test');
    expect(served).toContain('DNS:attacker.test');
    expect(served).toContain('IP Address:127.0.0.1');
    expect(served).toContain('DNS:*.example.test$.attacker.test');
  } finally {
    await ca.close();
  }
});
