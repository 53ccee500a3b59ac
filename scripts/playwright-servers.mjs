#!/usr/bin/env node
// npm run playwright-servers [-- --host 0.0.0.0] [--port N] [--per-engine]
//
// Starts Playwright servers (`playwright run-server --unsafe`, with this project's Playwright, so the
// versions agree) for the chromium and firefox engines, and prints the CORS_PLAYWRIGHT_SERVER line
// to run with. One server by default: a run-server launches, for each connection, the browser the
// client asks for, so one process and one port serve both engines. `--per-engine` starts one each.
// The servers stop on Ctrl-C, SIGTERM, and when this process dies (each watches its stdin, a pipe
// from here, and exits when it closes; Playwright then kills the browsers it launched).
// `startPlaywrightServers()` does the same for tests.
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENGINES = ['chromium', 'firefox'];

/**
 * One `run-server` on `host`, on `port` (0: one the kernel picks); resolves once it listens.
 * @param {{ host: string, port: number }} where
 * @returns {Promise<{ wsEndpoint: string, pid: number, stop(): Promise<void> }>}
 */
function startOne({ host, port }) {
  const cli = path.join(path.dirname(createRequire(path.join(ROOT, 'package.json')).resolve('playwright-core/package.json')), 'cli.js');
  // The server exits when its stdin closes: this process died, however it died.
  const watch = `process.stdin.on('end', () => process.exit(0)); process.stdin.on('error', () => process.exit(0)); process.stdin.resume(); process.argv.splice(1, 0, ${JSON.stringify(cli)}); require(${JSON.stringify(cli)});`;
  // --unsafe: the harness sends executablePath (Debian's browsers), its flags and preferences (each regime's).
  const child = spawn(process.execPath, ['-e', watch, 'run-server', '--port', String(port), '--host', host, '--unsafe'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`playwright run-server did not listen within 30 s: ${out}`)); }, 30_000);
    const onData = (/** @type {Buffer} */ d) => {
      out += d;
      const m = /Listening on (ws:\/\/\S+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        wsEndpoint: m[1],
        pid: /** @type {number} */ (child.pid),
        async stop() {
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGTERM');
            const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
            await exited;
            clearTimeout(t);
          }
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => { clearTimeout(timer); reject(new Error(`playwright run-server exited (${code ?? signal}) before listening: ${out.trim()}`)); });
  });
}

/** What another machine dials for a server listening on every address: this machine's first external IPv4. */
function reachable(wsEndpoint) {
  const u = new URL(wsEndpoint);
  if (u.hostname !== '0.0.0.0') return wsEndpoint;
  const ip = Object.values(os.networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
  if (ip) u.hostname = ip;
  return u.href;
}

/**
 * Playwright servers for chromium and firefox, on `host` (default 127.0.0.1).
 * @param {{ host?: string, port?: number, perEngine?: boolean }} [options]
 * @returns {Promise<{ env: string, servers: Array<{ engines: string[], wsEndpoint: string, pid: number }>, stop(): Promise<void> }>}
 */
export async function startPlaywrightServers({ host = '127.0.0.1', port = 0, perEngine = false } = {}) {
  const groups = perEngine ? ENGINES.map((e) => [e]) : [ENGINES];
  /** @type {Array<Awaited<ReturnType<typeof startOne>> & { engines: string[] }>} */
  const started = [];
  const stop = () => Promise.all(started.map((s) => s.stop())).then(() => {});
  try {
    for (const [i, engines] of groups.entries()) started.push({ engines, ...(await startOne({ host, port: port ? port + i : 0 })) });
  } catch (e) {
    await stop();
    throw e;
  }
  const servers = started.map((s) => ({ engines: s.engines, wsEndpoint: reachable(s.wsEndpoint), pid: s.pid }));
  return { env: servers.flatMap((s) => s.engines.map((e) => `${e}=${s.wsEndpoint}`)).join(','), servers, stop };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  const value = (/** @type {string} */ name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const unknown = args.filter((a, i) => a.startsWith('--') && !['--host', '--port', '--per-engine'].includes(a) && !['--host', '--port'].includes(args[i - 1]));
  const port = Number(value('--port') ?? 0);
  if (unknown.length || !Number.isInteger(port) || port < 0 || port > 65534) {
    process.stderr.write(`playwright-servers: usage: npm run playwright-servers [-- --host 0.0.0.0] [--port N] [--per-engine]${unknown.length ? ` (not understood: ${unknown.join(' ')})` : ''}\n`);
    process.exit(2);
  }
  const running = await startPlaywrightServers({ host: value('--host') ?? '127.0.0.1', port, perEngine: args.includes('--per-engine') }).catch((e) => {
    process.stderr.write(`playwright-servers: ${e.message}\n`);
    process.exit(1);
  });
  const version = createRequire(path.join(ROOT, 'package.json'))('playwright-core/package.json').version;
  for (const s of running.servers) process.stdout.write(`Playwright ${version} run-server for ${s.engines.join(' and ')}: ${s.wsEndpoint} (pid ${s.pid})\n`);
  process.stdout.write(`\nRun with:\n\nCORS_PLAYWRIGHT_SERVER=${running.env}\n\nCtrl-C stops the servers.\n`);
  let stopping = false;
  const quit = () => { if (stopping) return; stopping = true; void running.stop().then(() => process.exit(0)); };
  process.on('SIGINT', quit);
  process.on('SIGTERM', quit);
  process.on('SIGHUP', quit);
}
