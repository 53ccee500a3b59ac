// The run tells the truth whatever reports it: one child run with Playwright's own `dot` reporter in
// place of cors-matrix's (as `-- --reporter=dot` does), against a real Express API that reflects
// every origin with credentials, whose policy also names a path the API does not have and an http
// origin on an HSTS-preloaded TLD. The failing checks must fail their engine's test (so `dot` exits 1),
// the typo'd path must be inconclusive, and Chromium's https-only origin must be "not run", never red.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import express from 'express';
import cors from 'cors';
import { test, expect } from '@playwright/test';
import { startRun, tempDir } from './helpers.ts';
import { listen } from '../../servers/listen.ts';

test('a reflecting API fails its tests under any reporter; a typo\'d path is inconclusive; an HSTS-only origin is not run', async () => {
  test.setTimeout(360_000); // child runs in three engines: over 3 min seen at load 20-40
  const app = express();
  app.use(cors({ origin: true, credentials: true }));
  app.get('/api/data', (_req, res) => res.json({ ok: true }));
  const api = await listen(http.createServer(app));
  try {
    const dir = tempDir('cors-verdict-');
    const file = path.join(dir, 'cors-policy.json');
    fs.writeFileSync(file, JSON.stringify({
      target: api.origin,
      allowedOrigins: ['https://example.com', 'http://my-app.vercel.app'],
      endpoints: [{ path: '/api/data', methods: ['GET'], credentials: true }, { path: '/api/dta', methods: ['GET'] }],
    }));
    const started = Date.now();
    const run = await startRun(['--reporter=dot'], { CORS_POLICY: file, CORS_REPORT_DIR: dir });
    console.log(`child run: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const out = run.stdout;
    // Item 1: the dot reporter alone exits 1, and each failing test names check, origin, engine, expected and seen.
    expect(run.code, out.slice(-3000)).toBe(1);
    for (const engine of ['chromium', 'firefox', 'webkit']) {
      expect(out).toContain(`GET /api/data (policy, credentials) from https://attacker.test in ${engine}: expected blocked, seen allowed (HTTP 200): high credentials-reflection`);
    }
    // Item 3: the typo'd path fails its allowed-origin test as inconclusive, naming the status.
    expect(out).toMatch(/GET \/api\/dta \(policy\) from https:\/\/example\.com in chromium: expected allowed, seen HTTP 404: medium inconclusive-endpoint/);
    // The dot reporter replaced cors-matrix's: no report, and still exit 1 (the tests failed).
    expect(fs.existsSync(path.join(dir, 'policy.json'))).toBe(false);
    // Item 9: Chromium never loads http://my-app.vercel.app (.app is HSTS-preloaded): not run, never a failure.
    expect(out).not.toMatch(/from http:\/\/my-app\.vercel\.app in chromium/);
    expect(out).not.toMatch(/could not decide|undecided/);
  } finally {
    await api.close();
  }
});

test('an origin on a bad port (Fetch\'s port blocking) is not run in any engine, with the reason; the others are checked', async () => {
  test.setTimeout(360_000); // a child run in three engines on a loaded two-core machine
  const app = express();
  app.use(cors({ origin: ['http://app.example.com:6000'] }));
  app.get('/api/data', (_req, res) => res.json({ ok: true }));
  const api = await listen(http.createServer(app));
  try {
    const dir = tempDir('cors-bad-port-');
    const file = path.join(dir, 'cors-policy.json');
    fs.writeFileSync(file, JSON.stringify({ target: api.origin, allowedOrigins: ['http://app.example.com:6000'], endpoints: [{ path: '/api/data', methods: ['GET'] }] }));
    const run = await startRun([], { CORS_POLICY: file, CORS_REPORT_DIR: dir });
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'policy.json'), 'utf8'));
    const onBadPort = report.checks.filter((c: { origin: string }) => c.origin.endsWith(':6000'));
    expect(onBadPort.length, run.stdout).toBeGreaterThan(3);
    for (const c of onBadPort) {
      expect(c.results, `${c.origin}: no result`).toEqual({});
      for (const engine of ['chromium', 'firefox', 'webkit']) expect(c.notRun?.[engine], `${c.origin} in ${engine}`).toMatch(/^port 6000 is a bad port in the Fetch standard/);
    }
    // The origins not on port 6000 (null, https://attacker.test) ran, and were refused as the policy says.
    const elsewhere = report.checks.filter((c: { origin: string }) => !c.origin.endsWith(':6000'));
    expect(elsewhere.length).toBeGreaterThan(0);
    for (const c of elsewhere) expect(Object.values(c.results).map((r) => (r as { outcome: string }).outcome)).toEqual(['blocked', 'blocked', 'blocked']);
    expect(report.summary.errors, run.stdout).toBe(0);
    expect(run.code, run.stdout.slice(-2000)).toBe(0);
  } finally {
    await api.close();
  }
});
