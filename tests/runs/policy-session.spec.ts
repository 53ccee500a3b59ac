// Policy mode with the user's session: an Express API that checks a session cookie, served to the
// engines at an https production origin (`servedAs`), with the cookie stored in every engine's
// context by a first-party visit. Run once with a SameSite=None; Secure cookie and once with
// SameSite=Lax (the default regime, users): each result's cookieSent must equal what the API itself
// received, the credentialed finding's severity must follow what was observed, and no output may
// hold a session value. Then Chromium and WebKitGTK in each regime: the exploit lines differ as
// the regimes predict, and the severity follows the users regime in both.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { startRun, leftovers, tempDir, contractHoldsIn } from './helpers.ts';
import { startSessionApi, type SessionLogEntry } from '../fixtures/policy/session-api.ts';
import type { PolicyJson } from '../../harness/policy/policy-types.ts';
import { ENGINE_IDS, type EngineId, type Regime } from '../../harness/model/types.ts';
import { NONCE_PARAM } from '../../harness/policy/worker.ts';
import { engineDescriptor } from '../../harness/engines/registry.ts';
import { severityOf } from '../../harness/policy/kinds.ts';

test.describe.configure({ mode: 'serial' });

const SERVED_AS = 'https://api.example.test';
const APP = 'https://app.example.test';
// Distinctive values, so that a grep for them finds nothing but a leak.
const COOKIE_VALUE = 'sessvalue-7Qd2kZ9xW4';
const TOKEN = 'Bearer tokenvalue-Lm3Rt8Vc1P';

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
  });
}

function nonceOf(url: string): string | null {
  try { return new URL(url, 'http://x').searchParams.get(NONCE_PARAM); } catch { return null; }
}

/** `args`, `env`: the child run's project selection and regime (by default every engine, the default regime). */
async function runWith(attributes: string, args: string[] = [], env: Record<string, string> = {}) {
  const api = await startSessionApi({ cookie: 'sid', value: COOKIE_VALUE, token: TOKEN });
  try {
    // The policy (which holds the secrets) lives apart from the outputs that must not.
    const policyDir = tempDir('cors-policy-session-');
    const reportDir = tempDir('cors-policy-session-out-');
    const file = path.join(policyDir, 'cors-policy.json');
    fs.writeFileSync(file, JSON.stringify({
      target: api.origin,
      servedAs: SERVED_AS,
      allowedOrigins: [APP],
      endpoints: [{ path: '/me', methods: ['GET'], requestHeaders: ['Authorization'], credentials: true }],
      session: { cookies: [{ name: 'sid', value: COOKIE_VALUE, attributes }], headers: { Authorization: TOKEN } },
    }, null, 2));
    const started = Date.now();
    const run = await startRun(args, { CORS_POLICY: file, CORS_REPORT_DIR: reportDir, ...env });
    const took = Date.now() - started;
    const reportFile = path.join(reportDir, 'policy.json');
    expect(fs.existsSync(reportFile), `${run.stdout}\n${run.stderr}`).toBe(true);
    const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as PolicyJson;
    expect(await leftovers(run.marker)).toEqual([]);
    return { run, report, reportDir, log: [...api.log], took };
  } finally {
    await api.close();
  }
}

type Outcome = Awaited<ReturnType<typeof runWith>>;

/** Every result's cookieSent against the API's own log (by the check's unique nonce). */
function checkCookieSent(o: Outcome): Record<EngineId, { sent: number; of: number }> {
  const byNonce = new Map<string, SessionLogEntry>();
  for (const e of o.log) if (e.method !== 'OPTIONS') { const n = nonceOf(e.url); if (n) byNonce.set(n, e); }
  const tally = Object.fromEntries(ENGINE_IDS.map((e) => [e, { sent: 0, of: 0 }])) as Record<EngineId, { sent: number; of: number }>;
  for (const c of o.report.checks) {
    for (const [engine, r] of Object.entries(c.results) as Array<[EngineId, NonNullable<typeof c.results[EngineId]>]>) {
      const url = r.url;
      const logged = url ? byNonce.get(nonceOf(url) ?? '') : undefined;
      const apiSaw = !!logged?.cookies.includes('sid');
      expect(r.cookieSent, `${engine} ${c.method} ${c.endpoint} (${c.purpose}) from ${c.origin}`).toBe(apiSaw);
      // What the API received was the real session, not the masked copy the reports show.
      if (apiSaw) expect(logged!.sessionValid, `${engine} ${c.method} ${c.endpoint} (${c.purpose}) from ${c.origin}`).toBe(true);
      if (c.credentials && c.purpose === 'policy') { tally[engine].of++; if (apiSaw) tally[engine].sent++; }
    }
  }
  return tally;
}

/** A page on another site than the API's (not a host of example.test) read with the cookie, from the checks alone. */
function exploitable(o: Outcome, engine: EngineId): boolean {
  return o.report.checks.some((c) => c.expected === 'blocked' && c.credentials && c.results[engine]?.outcome === 'allowed' && c.results[engine]?.cookieSent === true
    && !/\.example\.test(:\d+)?$/.test(c.origin));
}

/** The line's head: the engine, who runs it so in the run's regime, and the third-party cookie setting it reported. */
function head(o: Outcome, e: EngineId): string {
  const info = o.report.engines.find((x) => x.id === e)!;
  const population = info.regime === 'users' ? engineDescriptor(e).users.population : `this machine's ${info.browser} as installed`;
  // As the line says it: an installed engine's configuration may go unread on a loaded machine (a users one may not).
  return `${e}, ${population}, third-party cookies ${info.configuration?.thirdPartyCookies.brief ?? '(configuration not read)'}: `;
}

function checkFindingAndSecrets(o: Outcome, engines: EngineId[] = [...ENGINE_IDS]): string[] {
  const f = o.report.findings.find((x) => x.kind === 'credentials-reflection');
  expect(f, o.run.stdout.slice(-3000)).toBeTruthy();
  expect(Object.keys(f!.exploit ?? {}).sort()).toEqual(engines);
  for (const e of engines) {
    expect(f!.exploit![e]!.line.startsWith(head(o, e)), `${e}: ${f!.exploit![e]!.line}`).toBe(true);
    expect(f!.exploit![e]!.line.slice(head(o, e).length), e).toMatch(exploitable(o, e) ? /^exploitable: / : /^cookie withheld (by|because) /);
    expect(f!.exploit![e]!.withCookie, e).toBe(exploitable(o, e));
    // Each engine's line is in the terminal, policy.html and the SARIF message.
    expect(o.run.stdout, e).toContain(f!.exploit![e]!.line);
  }
  const html = fs.readFileSync(path.join(o.reportDir, 'policy.html'), 'utf8');
  const sarif = JSON.parse(fs.readFileSync(path.join(o.reportDir, 'policy.sarif'), 'utf8'));
  const message = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'credentials-reflection').message.text as string;
  for (const e of engines) {
    expect(message).toContain(f!.exploit![e]!.line);
    expect(html).toContain(f!.exploit![e]!.line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;'));
  }
  // The secret grep: every file the run wrote, and everything it printed.
  const outputs = [...filesUnder(o.reportDir), ...filesUnder(o.run.tmpDir)];
  expect(outputs.map((p) => path.basename(p))).toEqual(expect.arrayContaining(['policy.json', 'policy.html', 'policy.sarif', 'junit.xml']));
  for (const secret of [COOKIE_VALUE, TOKEN, TOKEN.split(' ')[1]]) {
    for (const p of outputs) {
      let text: string;
      try { text = fs.readFileSync(p, 'latin1'); } catch { continue; }
      expect(text.includes(secret), `${secret} in ${p}`).toBe(false);
    }
    expect(o.run.stdout.includes(secret), 'stdout').toBe(false);
    expect(o.run.stderr.includes(secret), 'stderr').toBe(false);
  }
  contractHoldsIn(o.reportDir);
  return engines.map((e) => f!.exploit![e]!.line);
}

test('a session served as an https production origin: cookieSent as the API saw it, SameSite=None; Secure and Lax', async () => {
  test.setTimeout(720_000); // two child runs in three engines on a shared two-core machine (over 6 min at load 30)
  const observed: string[] = [];
  for (const attributes of ['SameSite=None; Secure; Path=/', 'SameSite=Lax; Secure; Path=/']) {
    const o = await runWith(attributes);
    expect(o.report.engines.map((e) => e.id)).toEqual([...ENGINE_IDS]);
    expect(o.report.summary.errors, o.run.stdout.slice(-3000)).toBe(0);
    expect(o.report.servedAs).toBe(SERVED_AS);
    // The engines called the production origin; the API received the session's own header too.
    const allowed = o.report.checks.find((c) => c.origin === APP && c.purpose === 'policy')!;
    for (const e of ENGINE_IDS) {
      expect(allowed.results[e]!.url, e).toMatch(/^https:\/\/api\.example\.test\/me\?/);
      // Same-site (app.example.test and api.example.test): every engine sends the cookie.
      expect(allowed.results[e]!.cookieSent, e).toBe(true);
    }
    expect(o.log.some((l) => l.method === 'GET' && l.tokenValid)).toBe(true);
    const tally = checkCookieSent(o);
    const lines = checkFindingAndSecrets(o);
    // The users regime (policy mode's default): the severity is what was observed.
    expect(o.report.engines.map((e) => e.regime)).toEqual(ENGINE_IDS.map(() => 'users'));
    const any = ENGINE_IDS.some((e) => exploitable(o, e));
    expect(o.report.findings.find((x) => x.kind === 'credentials-reflection')!.severity).toBe(any ? 'high' : 'medium');
    // SameSite=Lax never goes with a cross-site request: only hosts of the API's own site read with it.
    if (attributes.startsWith('SameSite=Lax')) expect(o.report.findings.find((x) => x.kind === 'credentials-reflection')!.severity).toBe('medium');
    const note = `${attributes}: ${ENGINE_IDS.map((e) => `${e} cookie on ${tally[e].sent}/${tally[e].of} credentialed policy checks`).join(', ')}; severity ${o.report.findings.find((x) => x.kind === 'credentials-reflection')!.severity}; ${o.took} ms`;
    observed.push(note, ...lines.map((l) => `  ${l}`));
    test.info().annotations.push({ type: 'session run', description: note });
  }
  console.log(observed.join('\n'));
});

test('Chromium and WebKitGTK in each regime: the exploit lines differ as the regimes predict; the severity follows the users regime', async () => {
  test.setTimeout(600_000); // two child runs in two engines on a shared two-core machine
  const engines: EngineId[] = ['chromium', 'webkit'];
  const observed: string[] = [];
  const byRegime = {} as Record<Regime, Outcome>;
  for (const regime of ['installed', 'users'] as const) {
    const o = await runWith('SameSite=None; Secure; Path=/', engines.map((e) => `--project=${e}`), { CORS_REGIME: regime });
    expect(o.report.engines.map((e) => [e.id, e.regime]), o.run.stdout.slice(-3000)).toEqual(engines.map((e) => [e, regime]));
    expect(o.report.summary.errors, o.run.stdout.slice(-3000)).toBe(0);
    checkCookieSent(o);
    const lines = checkFindingAndSecrets(o, engines);
    observed.push(`CORS_REGIME=${regime}: severity ${o.report.findings.find((x) => x.kind === 'credentials-reflection')!.severity}`, ...lines.map((l) => `  ${l}`));
    byRegime[regime] = o;
  }
  console.log(observed.join('\n'));
  // Every engine sends the cookie to hosts of the API's own site (same-site): those read with it in both regimes.
  const onSite = "; with it only from hosts of the API's own site \\(.*\\), which needs a foothold there";
  const exploit = (regime: Regime, e: EngineId) => byRegime[regime].report.findings.find((x) => x.kind === 'credentials-reflection')!.exploit![e]!;
  // Installed: Debian's Chromium blocks third-party cookies (cookie_controls_mode 1), MiniBrowser sends the API's own.
  expect(exploit('installed', 'chromium')).toMatchObject({ regime: 'installed', withCookie: false, countedWithCookie: true });
  expect(exploit('installed', 'chromium').line).toMatch(new RegExp(`: cookie withheld by that setting: .* read GET /me without it${onSite}; severity not lowered: Chrome's users send it; run in the users regime to observe it$`));
  expect(exploit('installed', 'webkit')).toMatchObject({ regime: 'installed', withCookie: true, countedWithCookie: false });
  expect(exploit('installed', 'webkit').line).toMatch(/: exploitable: .* read GET \/me with the session cookie; severity counts it as withheld: Safari's users withhold it \(Intelligent Tracking Prevention\); run in the users regime to observe it$/);
  // Users: Chrome's cookie controls send it; ITP withholds it.
  expect(exploit('users', 'chromium')).toMatchObject({ regime: 'users', population: 'Chrome as its users run it', withCookie: true, countedWithCookie: true });
  expect(exploit('users', 'chromium').line).toMatch(/^chromium, Chrome as its users run it, third-party cookies allowed outside Incognito \(cookie_controls_mode 2, .*\): exploitable: .* read GET \/me with the session cookie$/);
  expect(exploit('users', 'webkit')).toMatchObject({ regime: 'users', population: 'Safari-like (MiniBrowser with ITP)', withCookie: false, countedWithCookie: false });
  expect(exploit('users', 'webkit').line).toMatch(new RegExp(`^webkit, Safari-like \\(MiniBrowser with ITP\\), third-party cookies blocked by Intelligent Tracking Prevention \\(--enable-itp\\): cookie withheld by that setting: .* read GET /me without it${onSite}$`));
  // The kind's full severity as the users regime observes it, and the same when run as installed.
  const full = severityOf('credentials-reflection', true);
  for (const regime of ['users', 'installed'] as const) {
    expect(byRegime[regime].report.findings.find((x) => x.kind === 'credentials-reflection')!.severity, regime).toBe(full);
  }
});
