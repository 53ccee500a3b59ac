#!/usr/bin/env node
// One engine for the whole run: a Playwright browser server that outlives the test workers which
// connect to it (harness/engines/shared-engine.ts). A worker restarted after a failed test, a second
// worker and a second API origin of the fixture reconnect to it instead of launching the browser
// again. Started detached by the runner (before its workers) or by the first worker that needs the
// engine; it ends when its owner (the test runner's process) is gone, on SIGINT/SIGTERM/SIGHUP
// (Playwright closes the browser), and the runner's exit sweep kills it with the rest of the run.
//
//   node engine-host.mjs <dir> <owner pid>
// <dir>/launch.json: { browserType, options } (Playwright's LaunchServerOptions, as JSON)
// writes <dir>/endpoint.json: { wsEndpoint, browserPid, hostPid }, or <dir>/failed.json: { error }
import fs from 'node:fs';
import path from 'node:path';
import { chromium, firefox, webkit } from 'playwright';

const [dir, ownerArg] = process.argv.slice(2);
const owner = Number(ownerArg);
const TYPES = { chromium, firefox, webkit };
/** How often the host looks whether its owner still runs. */
const OWNER_POLL_MS = 500;
/** The browser's own close, before its processes are killed with the host's group. */
const CLOSE_MS = 3000;

function write(name, value) {
  // Written whole, then renamed: a reader never sees half a file.
  const tmp = path.join(dir, `.${name}.${process.pid}`);
  fs.writeFileSync(tmp, JSON.stringify(value));
  fs.renameSync(tmp, path.join(dir, name));
}

const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };

let server = null;
let ending = false;
async function end(code) {
  if (ending) return;
  ending = true;
  const closed = server ? Promise.race([server.close().then(() => true, () => false), new Promise((r) => setTimeout(() => r(false), CLOSE_MS))]) : Promise.resolve(true);
  const ok = await closed;
  if (!ok) { try { server?.process()?.kill('SIGKILL'); } catch { /* gone */ } }
  try { fs.rmSync(dir, { recursive: true, force: true }); } catch { /* the run's directory may be gone already */ }
  // The run's folder of hosts goes with its last host (rmdir refuses while another host's is there).
  try { fs.rmdirSync(path.dirname(dir)); } catch { /* another host's folder is still in it, or gone */ }
  process.exit(code);
}

const watch = setInterval(() => { if (!alive(owner)) void end(0); }, OWNER_POLL_MS);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => void end(0));

try {
  const { browserType, options } = JSON.parse(fs.readFileSync(path.join(dir, 'launch.json'), 'utf8'));
  const type = TYPES[browserType];
  if (!type) throw new Error(`unknown browser type ${browserType}`);
  // The host, not Playwright's launcher, decides when the browser closes (end() above).
  server = await type.launchServer({ ...options, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
  if (ending) await end(0);
  write('endpoint.json', { wsEndpoint: server.wsEndpoint(), browserPid: server.process()?.pid ?? null, hostPid: process.pid });
  // A browser that dies takes the host with it: the next worker then launches its own.
  server.process()?.once('exit', () => { if (!ending) { try { fs.rmSync(path.join(dir, 'endpoint.json'), { force: true }); } catch { /* gone */ } void end(1); } });
} catch (e) {
  write('failed.json', { error: String(e?.message ?? e).split('\n')[0] });
  clearInterval(watch);
  process.exit(1);
}
