#!/usr/bin/env node
// The run's WebKitGTK page, kept between workers (harness/engines/webkitgtk/shared.ts): the keeper of
// one MiniBrowser, its WebKitWebDriver and its Xvfb, which the first worker to need them starts and
// which outlive it, so that a worker restarted after a failed test takes the page over instead of
// launching them again. MiniBrowser takes its proxy on its command line, and each worker has a proxy
// of its own: the browser is pointed at this keeper's relay, which passes every connection to the
// proxy of the worker holding the page (<dir>/proxy.json). The keeper ends when its owner (the test
// runner's process) is gone, on SIGINT/SIGTERM/SIGHUP, or when the browser dies; it stops the
// processes listed in <dir>/pids.json with it, and the runner's exit sweep kills it with the run.
//
//   node webkit-host.mjs <dir> <owner pid>
// writes <dir>/relay.json: { port, hostPid }
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const [dir, ownerArg] = process.argv.slice(2);
const owner = Number(ownerArg);
/** How often the keeper looks whether its owner and the browser still run. */
const POLL_MS = 500;
/** The processes' own end on SIGTERM, before their groups get SIGKILL. */
const GRACE_MS = 2000;

const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
const readJson = (name) => { try { return JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')); } catch { return null; } };

function write(name, value) {
  // Written whole, then renamed: a reader never sees half a file.
  const tmp = path.join(dir, `.${name}.${process.pid}`);
  fs.writeFileSync(tmp, JSON.stringify(value));
  fs.renameSync(tmp, path.join(dir, name));
}

/** The connections passed on, so that a proxy's end ends them (the next worker's go to its own). */
const open = new Set();
const relay = net.createServer((client) => {
  const to = readJson('proxy.json');
  if (!to?.port) { client.destroy(); return; }
  const upstream = net.connect(to.port, '127.0.0.1');
  open.add(client);
  const done = () => { open.delete(client); client.destroy(); upstream.destroy(); };
  client.on('error', done).on('close', done);
  upstream.on('error', done).on('close', done);
  client.pipe(upstream);
  upstream.pipe(client);
});

/**
 * The processes to stop, as last read: held here, because the folder may be gone by the end (a
 * test harness removing its temporary folder with the run's).
 */
let pids = [];
let browser = null;
const look = () => {
  // endpoint.json is written last, after the final pids.json: from then on neither changes.
  if (browser) return;
  pids = readJson('pids.json') ?? pids;
  browser = readJson('endpoint.json')?.browserPid ?? browser;
};

const killGroups = (signal) => {
  for (const pid of pids) {
    try { process.kill(-pid, signal); } catch { /* leads no group, or gone */ }
    try { process.kill(pid, signal); } catch { /* gone */ }
  }
};

let ending = false;
async function end(code) {
  if (ending) return;
  ending = true;
  clearInterval(watch);
  look();
  relay.close();
  for (const c of open) c.destroy();
  // Nobody takes the page from here on: the next worker starts a keeper of its own.
  try { fs.rmSync(path.join(dir, 'endpoint.json'), { force: true }); } catch { /* gone */ }
  killGroups('SIGTERM');
  await new Promise((r) => setTimeout(r, GRACE_MS));
  killGroups('SIGKILL');
  try { fs.rmSync(dir, { recursive: true, force: true }); } catch { /* the run's folder may be gone already */ }
  // The run's folder of engines goes with its last keeper or host (rmdir refuses while another's is there).
  try { fs.rmdirSync(path.dirname(dir)); } catch { /* another engine's folder is still in it, or gone */ }
  process.exit(code);
}

const watch = setInterval(() => {
  look();
  // A folder removed under it: no worker can find the page any more.
  if (!alive(owner) || !fs.existsSync(dir)) { void end(0); return; }
  // A browser that died takes the keeper with it: the next worker launches its own.
  if (browser && !alive(browser)) void end(1);
}, POLL_MS);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => void end(0));

relay.listen(0, '127.0.0.1', () => write('relay.json', { port: relay.address().port, hostPid: process.pid }));
relay.on('error', (e) => { write('failed.json', { error: `the relay did not listen: ${e.message}` }); void end(1); });
