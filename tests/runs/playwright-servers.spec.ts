// Chromium and Firefox on Playwright servers (CORS_PLAYWRIGHT_SERVER, started by `npm run
// playwright-servers`'s function), WebKitGTK local in the same run; the run's servers on another
// loopback address (CORS_BIND_ADDRESS); a server of another Playwright version refused, with the fix.
// Every cell equal to a local run's. All on loopback.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { test, expect } from '@playwright/test';
import { ROOT, processesWithMarker, startRun, type RunResult } from './helpers.ts';
import { startPlaywrightServers } from '../../scripts/playwright-servers.mjs';
import { launchEngine } from '../../harness/engines/launch.ts';
import type { Matrix } from '../../harness/model/types.ts';

test.describe.configure({ mode: 'serial' });

// A few scenarios of every kind the batch schedules: plain, preflighted, credentialed, a sandboxed
// frame, and a preflight-cache follow-up in a context of its own (as remote.spec.ts).
const SELECTION = ['-g', ' acao-star:| acao-mismatch:| cred-star:| preflight-put:| preflight-404:| null-origin-acao-star:| cache-max-age-600:'];
const ENGINES = ['--project=chromium', '--project=firefox', '--project=webkit'];

const read = (dir: string): Matrix => JSON.parse(fs.readFileSync(path.join(dir, 'matrix.json'), 'utf8'));

/** Each cell as observed: what must not depend on where the engine runs, nor on the servers' address. */
function cells(m: Matrix) {
  return Object.fromEntries(m.scenarios.flatMap((s) => Object.entries(s.results).map(([e, c]) => [`${s.id} [${e}]`, {
    outcome: c!.outcome, stage: c!.stage, preflightSent: c!.preflightSent, actualSent: c!.actualSent,
    status: c!.status, exposedHeaders: c!.exposedHeaders, matchesExpected: c!.matchesExpected,
  }])));
}

/** The local run every other run is compared with, once for the file. */
let local: Promise<RunResult> | undefined;
const localRun = () => (local ??= startRun([...SELECTION, ...ENGINES]));

test('chromium and firefox on CORS_PLAYWRIGHT_SERVER (one server each), webkit local in the same run: the same cells as a local run', async () => {
  test.setTimeout(420_000); // two runs of three engines on a shared two-core machine
  const servers = await startPlaywrightServers({ perEngine: true });
  try {
    expect(servers.servers.map((s) => s.engines)).toEqual([['chromium'], ['firefox']]);
    const [remote, here] = await Promise.all([startRun([...SELECTION, ...ENGINES], { CORS_PLAYWRIGHT_SERVER: servers.env }), localRun()]);
    expect(remote.code, remote.stdout + remote.stderr).toBe(0);
    expect(here.code, here.stdout + here.stderr).toBe(0);

    const r = read(remote.reportDir);
    const l = read(here.reportDir);
    const engine = (m: Matrix, id: string) => m.engines.find((e) => e.id === id)!;
    for (const [i, id] of ['chromium', 'firefox'].entries()) {
      expect(engine(r, id).driver, id).toBe(`${engine(l, id).driver} via playwright run-server`);
      expect(engine(r, id).notes, id).toContain(`remote ${servers.servers[i].wsEndpoint}`);
      expect(engine(r, id).version, id).toBe(engine(l, id).version);
    }
    // Chromium's configuration is read over the connection; Firefox's cannot be, and its notes say so.
    expect(engine(r, 'chromium').configuration).toEqual(engine(l, 'chromium').configuration);
    expect(engine(r, 'firefox').notes).toMatch(/configuration not read: the browser runs on a Playwright server/);
    // WebKitGTK stays local: the same driver and configuration (its notes name its own Xvfb display).
    const { notes: _n, ...webkit } = engine(r, 'webkit');
    const { notes: _m, ...webkitHere } = engine(l, 'webkit');
    expect(webkit, 'webkit stays local').toEqual(webkitHere);
    expect(engine(r, 'webkit').notes).not.toMatch(/remote|run-server/);
    expect(Object.keys(cells(l))).toHaveLength(21);
    expect(cells(r)).toEqual(cells(l));
  } finally {
    await servers.stop();
  }
});

/** `address program` for every TCP listener of a run's processes (IPv4), from /proc. */
function listeners(marker: string): string[] {
  const owner = new Map<string, string>();
  for (const { pid, cmd } of processesWithMarker(marker)) {
    try {
      for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
        const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) owner.set(m[1], path.basename(cmd.split(' ')[0]));
      }
    } catch { /* gone */ }
  }
  const out: string[] = [];
  for (const line of fs.readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[3] !== '0A' || !owner.has(f[9])) continue; // 0A: LISTEN
    const hex = f[1].split(':')[0];
    out.push(`${[3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.')} ${owner.get(f[9])}`);
  }
  return out;
}

test('CORS_BIND_ADDRESS=127.0.0.2: the run\'s servers listen there, the pages use it, the cells are unchanged', async () => {
  test.setTimeout(420_000);
  const seen = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const run = startRun([...SELECTION, ...ENGINES], { CORS_BIND_ADDRESS: '127.0.0.2' }, undefined, (_child, marker) => {
    timer = setInterval(() => { for (const l of listeners(marker)) seen.add(l); }, 300);
  });
  const [bound, here] = await Promise.all([run, localRun()]).finally(() => clearInterval(timer));
  expect(bound.code, bound.stdout + bound.stderr).toBe(0);
  test.info().annotations.push({ type: 'listened on', description: [...seen].sort().join(', ') });
  // The workers' (node's) origin, proxy and target servers are on 127.0.0.2; on 127.0.0.1 only what
  // the engines' drivers open for themselves (Firefox's BiDi port, WebKitWebDriver, the inspector).
  expect([...seen].filter((l) => l.endsWith(' node')).map((l) => l.split(' ')[0]), 'addresses node listened on').toContain('127.0.0.2');
  expect([...seen].filter((l) => l.endsWith(' node') && !l.startsWith('127.0.0.2 ')), 'node listeners elsewhere').toEqual([]);
  const b = read(bound.reportDir);
  // The Origin each engine sent: the page's origin, on the named address.
  const pageOrigins = new Set(b.scenarios.flatMap((s) => Object.values(s.results).map((c) => (c!.requestHeaders as { origin?: string } | undefined)?.origin)).filter((o) => o?.startsWith('http')));
  expect(pageOrigins.size).toBeGreaterThan(0);
  for (const o of pageOrigins) expect(o).toMatch(/^http:\/\/127\.0\.0\.2:\d+$/);
  expect(cells(b)).toEqual(cells(read(here.reportDir)));
});

/** playwright-core of another minor version, from the npm registry into a cache outside the project; null offline. */
function otherPlaywright(): string | null {
  const version = '1.63.0';
  const dir = path.join(os.tmpdir(), `cors-matrix-playwright-core-${version}`);
  const cli = path.join(dir, 'package', 'cli.js');
  if (fs.existsSync(cli)) return cli;
  fs.mkdirSync(dir, { recursive: true });
  const pack = spawnSync('npm', ['pack', `playwright-core@${version}`, '--silent'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  const tgz = pack.status === 0 ? path.join(dir, pack.stdout.trim().split('\n').pop()!) : null;
  if (!tgz || !fs.existsSync(tgz)) return null;
  spawnSync('tar', ['xzf', tgz, '-C', dir]);
  return fs.existsSync(cli) ? cli : null;
}

test('a Playwright server of another version: the run refuses it before any engine starts, and a launch (the cors fixture\'s path) says the same', async () => {
  test.setTimeout(180_000);
  const cli = otherPlaywright();
  test.skip(!cli, 'npm could not fetch playwright-core@1.63.0 (no registry): a second Playwright version is needed');
  const child = spawn(process.execPath, [cli!, 'run-server', '--port', '0', '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const wsEndpoint = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d) => { out += d; const m = /Listening on (ws:\/\/\S+)/.exec(out); if (m) resolve(m[1]); });
      child.once('exit', (code) => reject(new Error(`run-server 1.63 exited (${code}): ${out}`)));
    });
    const ours = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'playwright-core', 'package.json'), 'utf8')).version;
    const message = `CORS_PLAYWRIGHT_SERVER chromium=${wsEndpoint}: the server runs Playwright 1.63, this project ${ours}`;
    const fix = `Fix: start it with the same version: npx playwright@${ours} run-server --port ${new URL(wsEndpoint).port} --host 0.0.0.0 --unsafe`;

    const run = await startRun(['-g', ' acao-star:', '--project=chromium'], { CORS_PLAYWRIGHT_SERVER: `chromium=${wsEndpoint}` });
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain(fix);

    // No check before it: the connect's own refusal (Playwright's 428) becomes the same message.
    const saved = process.env.CORS_PLAYWRIGHT_SERVER;
    process.env.CORS_PLAYWRIGHT_SERVER = `chromium=${wsEndpoint}`;
    try {
      const launched = launchEngine('chromium');
      await expect(launched).rejects.toThrow(message);
      await expect(launched).rejects.toThrow(fix);
    } finally {
      if (saved === undefined) delete process.env.CORS_PLAYWRIGHT_SERVER; else process.env.CORS_PLAYWRIGHT_SERVER = saved;
    }
  } finally {
    child.kill('SIGTERM');
  }
});
