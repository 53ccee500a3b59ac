#!/usr/bin/env node
// The floor a `cors-matrix check` run is measured against (npm run bench -- --check-runs N): what the
// engines themselves cost for the same work, with no test runner and no harness in between. Each
// engine launched once, all at once, one context each; as many page loads as the check has origins,
// each on a site of its own as the check's are (through a loopback proxy, since named sites never go
// to DNS), and from each page the same requests as that origin's checks (method, headers,
// credentials and body, so preflighted where the check is), each to a URL of its own on a target
// site that allows them all, as many at a time as the check makes them (CORS_BATCH's default, 8).
// Until 5 December 2026 the floor loaded all its pages on one loopback origin, which let the
// engines skip the process a new site costs (docs/performance.md).
//
//   node scripts/bench/check-floor.mjs --plan POLICY_FILE PLAN_JSON    the requests, per origin (untimed)
//   node scripts/bench/check-floor.mjs --plan-requests REQUESTS_JSON PLAN_JSON
//                                       the same from a list of { from, method, headers, credentials, body }
//                                       (the cors fixture's requests, scripts/bench/fixture.spec.ts)
//   node scripts/bench/check-floor.mjs PLAN_JSON OUT_JSON [ENGINE ...]  the floor itself (timed by the bench)
//
// Chromium and Firefox are launched by Playwright with the executable and channel the harness uses
// (harness/engines/*.locate.mjs), without the harness's extra start-up (reading the engine's
// configuration); WebKitGTK, which has no Playwright browser here, through the harness's own
// WebDriver engine (WebKitWebDriver and MiniBrowser under Xvfb), loaded with Playwright's TypeScript
// transform, as the runner loads it.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { locateEngines } from '../../harness/engines/locate.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
/** Playwright's loader for the harness's TypeScript (harness/engines/playwright-private.ts names the same entry). */
const load = (file) => require('playwright/lib/common').transform.requireOrImport(path.join(ROOT, file));
const AT_ONCE = 8;
const TARGET_HOST = 'api.floor.test';
const now = () => performance.timeOrigin + performance.now();

// ---- --plan: the check's requests, as the harness plans them ----

async function writePlan(policyFile, out) {
  const { readPolicyFile } = await load('harness/policy/load.ts');
  const { planPolicy } = await load('harness/policy/check-plan.ts');
  const plan = planPolicy(await readPolicyFile(policyFile));
  const groups = plan.groups.map((g) => g.checks.map((c) => ({ method: c.method, headers: c.headers, credentials: c.credentials, body: c.body })));
  await writeGroups(out, groups, { policy: policyFile, endpoints: plan.policy.endpoints.length });
}

/** A list of requests, each from its page's origin: a group per origin, in the order they come. */
async function writeRequestsPlan(requestsFile, out) {
  const requests = JSON.parse(fs.readFileSync(requestsFile, 'utf8'));
  const byOrigin = new Map();
  for (const r of requests) byOrigin.set(r.from, [...(byOrigin.get(r.from) ?? []), r]);
  const groups = [...byOrigin.values()].map((rs) => rs.map((r) => ({ method: r.method ?? 'GET', headers: r.headers ?? {}, credentials: r.credentials === 'include', body: r.body ?? null })));
  await writeGroups(out, groups, { requests: requestsFile, originsFrom: [...byOrigin.keys()] });
}

async function writeGroups(out, groups, about) {
  const { isCorsSafelistedMethod, isCorsSafelistedRequestHeader } = await load('harness/oracle/safelist.ts');
  // Preflighted as the Fetch standard says (for the record: the engines decide for themselves).
  const preflighted = (c) => !isCorsSafelistedMethod(c.method) || Object.entries(c.headers).some(([n, v]) => !isCorsSafelistedRequestHeader(n, v));
  const marked = groups.map((g) => g.map((c) => ({ ...c, preflight: preflighted(c) })));
  const flat = marked.flat();
  fs.writeFileSync(out, JSON.stringify({ ...about, origins: marked.length, checks: flat.length, preflighted: flat.filter((r) => r.preflight).length, groups: marked }));
}

// ---- the floor ----

/**
 * The pages' origins and the target, each a site of its own as in the check (`o1.floor.test`, ...,
 * `api.floor.test`), served by one loopback server that the engines use as their HTTP proxy: named
 * sites never go to DNS, and a page on its own site costs the engine what the check's does (Firefox
 * and Chromium give each site a process of its own). Plain http: the check's https is left out, so
 * the floor stays a lower bound. Every request and preflight to the target gets a yes.
 */
async function startServers() {
  const counts = { pages: 0, preflights: 0, actual: 0 };
  const onPage = (req, res) => {
    counts.pages++;
    res.writeHead(200, { 'Content-Type': 'text/html', 'Cache-Control': 'no-store' });
    res.end('<!doctype html><title>floor</title>');
  };
  const onTarget = (req, res) => {
    const origin = req.headers.origin ?? '*';
    const allow = { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' };
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      counts.preflights++;
      res.writeHead(204, { ...allow, 'Access-Control-Allow-Methods': req.headers['access-control-request-method'], 'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '' });
      res.end();
      return;
    }
    counts.actual++;
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { ...allow, 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end('{"ok":true}');
    });
  };
  const proxy = http.createServer((req, res) => {
    const host = (req.headers.host ?? '').split(':')[0];
    if (host === TARGET_HOST) onTarget(req, res);
    else if (/^o\d+\.floor\.test$/.test(host)) onPage(req, res);
    else { res.writeHead(403); res.end(); }
  });
  // A CONNECT (an engine trying https first) is refused at once, as the check's proxy refuses what it does not serve.
  proxy.on('connect', (_req, socket) => { socket.end('HTTP/1.1 403 Forbidden\r\n\r\n'); });
  const url = await new Promise((resolve) => proxy.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${proxy.address().port}`)));
  return {
    proxy: url, page: (i) => `http://o${i}.floor.test/`, target: `http://${TARGET_HOST}`, counts,
    close: () => new Promise((r) => { proxy.closeAllConnections?.(); proxy.close(r); }),
  };
}

// In the page: the origin's requests, AT_ONCE at a time, each to its own URL.
const REQUESTS = `(async () => {
  let next = 0;
  const lane = async () => {
    while (next < arg.requests.length) {
      const i = next++;
      const r = arg.requests[i];
      const res = await fetch(arg.target + '/f/' + arg.run + '/' + i, { method: r.method, headers: r.headers, credentials: r.credentials ? 'include' : 'omit', body: r.body ?? undefined });
      await res.text();
    }
  };
  await Promise.all(Array.from({ length: Math.min(arg.atOnce, arg.requests.length) }, lane));
  return arg.requests.length;
})()`;

/** One engine as the floor drives it: launch, one page behind `proxy`, `goto` and `evaluate` (with `arg`), close. */
async function launch(loc, proxy) {
  if (loc.kind === 'playwright') {
    const pw = await import('playwright');
    const type = pw[loc.id];
    const options = { headless: true, executablePath: loc.executablePath, channel: loc.channel };
    // As the harness starts them (harness/engines/chromium.ts, firefox.ts): a closed network, root.
    if (loc.id === 'chromium') Object.assign(options, { chromiumSandbox: false, args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    if (loc.id === 'firefox') options.env = { ...process.env, HOME: os.homedir() };
    const browser = await type.launch(options);
    return {
      async newPage() {
        const context = await browser.newContext({ proxy: { server: proxy } });
        const page = await context.newPage();
        return {
          goto: (url) => page.goto(url, { waitUntil: 'load' }).then(() => {}),
          evaluate: (expression, arg) => page.evaluate(`(async (arg) => (${expression}))(${JSON.stringify(arg)})`),
          close: () => context.close(),
        };
      },
      close: () => browser.close(),
    };
  }
  const { launchEngine } = await load('harness/engines/launch.ts');
  const engine = await launchEngine(loc.id);
  return {
    async newPage() {
      const page = await engine.newPage({ proxy });
      return { goto: (url) => page.goto(url), evaluate: (expression, arg) => page.evaluate(expression, arg, 600_000), close: () => page.close() };
    },
    close: () => engine.close(),
  };
}

async function floor(planFile, out, wanted) {
  const plan = JSON.parse(fs.readFileSync(planFile, 'utf8'));
  const locs = locateEngines().filter((l) => l.available && (wanted.length === 0 || wanted.includes(l.id)));
  const servers = await startServers();
  const t0 = now();
  try {
    const engines = await Promise.all(locs.map(async (loc) => {
      const t = { engine: loc.id, startedAt: now() };
      const engine = await launch(loc, servers.proxy);
      t.launchMs = now() - t.startedAt;
      let s = now();
      const page = await engine.newPage();
      t.contextMs = now() - s;
      t.pageLoadMs = 0;
      t.requestsMs = 0;
      for (const [i, requests] of plan.groups.entries()) {
        s = now();
        await page.goto(servers.page(i));
        t.pageLoadMs += now() - s;
        s = now();
        await page.evaluate(REQUESTS, { requests, target: servers.target, run: `${loc.id}-${process.pid}-${i}`, atOnce: AT_ONCE });
        t.requestsMs += now() - s;
      }
      s = now();
      await page.close();
      await engine.close();
      t.closeMs = now() - s;
      t.endedAt = now();
      t.totalMs = t.endedAt - t.startedAt;
      return t;
    }));
    const requests = plan.checks * locs.length;
    const result = { engines, pages: plan.origins, requestsPerEngine: plan.checks, preflightedPerEngine: plan.preflighted, seen: servers.counts, spanMs: now() - t0 };
    if (servers.counts.actual !== requests) throw new Error(`the target saw ${servers.counts.actual} requests, not ${requests}`);
    fs.writeFileSync(out, JSON.stringify(result));
  } finally {
    await servers.close();
  }
}

const args = process.argv.slice(2);
try {
  if (args[0] === '--plan') await writePlan(args[1], args[2]);
  else if (args[0] === '--plan-requests') await writeRequestsPlan(args[1], args[2]);
  else await floor(args[0], args[1], args.slice(2));
  process.exit(0);
} catch (e) {
  process.stderr.write(`check-floor: ${e.stack ?? e}\n`);
  process.exit(1);
}
