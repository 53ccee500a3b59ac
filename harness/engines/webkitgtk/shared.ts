// The run's kept WebKitGTK page (docs/performance.md, "One engine per run"). In policy mode and the
// cors fixture, a worker's WebKitGTK page is one WebDriver session in one MiniBrowser for all its
// checks. Here that MiniBrowser, its WebKitWebDriver, its Xvfb and the session outlive the worker
// that started them: a worker restarted after a failed test, or the next worker of the run, takes
// the page over (its session, its inspector) in milliseconds instead of starting them again (seconds
// to tens of seconds on a loaded machine). Chromium and Firefox do the same with a browser server
// (shared-engine.ts); WebKitGTK has none, and WebKitWebDriver serves one session per process, so
// the page itself is what is handed over, to one worker at a time (a lease). A second page wanted
// while the lease is held (a second API origin in the fixture, a second worker of the project)
// starts its own MiniBrowser, as without this.
//
// What a later worker inherits: the page's cookies and caches, as if its worker had not restarted
// (a new session in the same MiniBrowser would keep them too, and its page would not be on the
// inspector). MiniBrowser takes its proxy on its command line: it is pointed at the keeper's relay
// (webkit-host.mjs), which passes each connection to the proxy of the worker holding the lease.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EngineLocation } from '../engine.ts';
import { alive, ownerPid, readJson, runEnginesDir, waitFor, writeJson } from '../shared-engine.ts';
import { startXvfb } from '../xvfb.ts';
import { attachedEndpoint, startDriver, type DriverRecord } from './driver.ts';
import type { Endpoint } from './page.ts';

const KEEPER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'webkit-host.mjs');
/** Xvfb, MiniBrowser (15 s bound), its driver (15 s) and the session, on a loaded machine. */
const START_WAIT_MS = 100_000;
/** The keeper's relay listens within milliseconds; the bound is for a machine that stalls. */
const RELAY_WAIT_MS = 20_000;
/** A session that does not say its URL within this is not taken over. */
const ALIVE_WAIT_MS = 10_000;

export interface KeptRecord extends DriverRecord {
  sessionId: string;
  browserVersion: string | null;
  /** The keeper's process (webkit-host.mjs): ending it ends the kept page. */
  hostPid: number;
}

export interface KeptPage {
  endpoint: Endpoint;
  sessionId: string;
  record: KeptRecord;
}

/** One folder per MiniBrowser arguments (the regime's switches) in the run's folder of engines. */
function keptDir(args: string[]): string {
  const key = crypto.createHash('sha256').update(JSON.stringify(args)).digest('hex').slice(0, 16);
  return path.join(runEnginesDir(), `webkit-page-${key}`);
}

/**
 * The run's kept page for these MiniBrowser arguments, started here if nobody has, held by this
 * caller until its endpoint's release; or why not (the caller then opens a page of its own).
 * `caps`: the session's capabilities; `proxy`: this worker's proxy, where the relay sends the page.
 */
export async function takeKeptPage(loc: EngineLocation, args: string[], caps: Record<string, unknown>, proxy: string): Promise<KeptPage | { error: string; held?: true }> {
  const { dir, failed } = await startKeptPage(loc, args, caps);
  if (failed) return { error: `the run's kept page did not start: ${failed}` };
  const found = await waitFor(() => {
    const failed = readJson<{ error: string }>(path.join(dir, 'failed.json'));
    return failed ? { failed: failed.error } : readJson<KeptRecord>(path.join(dir, 'endpoint.json'));
  }, START_WAIT_MS, () => !fs.existsSync(dir));
  if (!found) return { error: `the run's kept page was not ready within ${START_WAIT_MS / 1000} s` };
  if ('failed' in found) return { error: `the run's kept page did not start: ${found.failed}` };
  const token = lease(dir);
  if (!token) return { error: 'the run\'s kept page is held by another page', held: true };
  const give = () => release(dir, token);
  const port = new URL(proxy).port;
  writeJson(path.join(dir, 'proxy.json'), { port: Number(port) });
  const endpoint = attachedEndpoint(found, async () => give());
  endpoint.keepSession = true;
  try {
    // The worker before may have left it in a state that no longer answers: then nobody gets it.
    await endpoint.client.currentUrl(found.sessionId, ALIVE_WAIT_MS);
    await endpoint.attach!();
  } catch (e) {
    await endpoint.release();
    end(found);
    return { error: `the run's kept page did not answer (${(e as Error).message.split('\n')[0]}); it is closed` };
  }
  return { endpoint, sessionId: found.sessionId, record: found };
}

/**
 * Start the run's kept page for these arguments unless it is running or starting (the runner calls
 * this before its workers boot, as shared-engine.ts's prelaunch does for Chromium and Firefox).
 */
export async function startKeptPage(loc: EngineLocation, args: string[], caps: Record<string, unknown>): Promise<{ dir: string; started: boolean; failed?: string }> {
  const dir = keptDir(args);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  try { fs.mkdirSync(dir); } catch { return { dir, started: false }; }
  const failed = await start(dir, loc, args, caps).then(() => undefined, (e: Error) => e.message.split('\n')[0]);
  if (failed) {
    try { writeJson(path.join(dir, 'failed.json'), { error: failed }); } catch { /* the keeper has ended */ }
  }
  return { dir, started: true, failed };
}

/** Ends the kept page (its keeper stops its processes): the next worker starts a new one. */
function end(record: KeptRecord): void {
  try { process.kill(record.hostPid, 'SIGTERM'); } catch { /* gone */ }
}

async function start(dir: string, loc: EngineLocation, args: string[], caps: Record<string, unknown>): Promise<void> {
  const log = fs.openSync(path.join(dir, 'keeper.log'), 'a');
  const keeper = spawn(process.execPath, [KEEPER, dir, String(ownerPid())], { detached: true, stdio: ['ignore', log, log], env: process.env });
  fs.closeSync(log);
  keeper.unref();
  const relay = await waitFor(() => readJson<{ port: number; hostPid: number }>(path.join(dir, 'relay.json')), RELAY_WAIT_MS, () => keeper.exitCode !== null);
  if (!relay) throw new Error(`its keeper's relay did not listen within ${RELAY_WAIT_MS / 1000} s`);
  // From here the keeper stops what is listed in pids.json when it ends: the run's end, or a failure here.
  const xvfb = await startXvfb(loc.xvfbPath!, { log: path.join(dir, 'xvfb.log') });
  writeJson(path.join(dir, 'pids.json'), [xvfb.pid]);
  try {
    const driver = await startDriver(loc.driverPath!, loc.browserPath!, [...args, `--proxy=http://127.0.0.1:${relay.port}`], xvfb.display, dir);
    writeJson(path.join(dir, 'pids.json'), [xvfb.pid, ...driver.record.pids]);
    try {
      const session = await driver.client.newSession(caps);
      const version = session.capabilities.browserVersion;
      const record: KeptRecord = { ...driver.record, sessionId: session.sessionId, browserVersion: typeof version === 'string' ? version : null, hostPid: relay.hostPid };
      writeJson(path.join(dir, 'endpoint.json'), record);
    } catch (e) {
      await driver.release();
      throw e;
    }
  } catch (e) {
    await xvfb.stop();
    throw e;
  }
}

/** The lease on the kept page: a folder only one holder creates; a holder whose process is gone lost it. */
function lease(dir: string): string | null {
  const held = path.join(dir, 'lease');
  const token = `${process.pid}-${crypto.randomBytes(6).toString('hex')}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.mkdirSync(held);
      writeJson(path.join(held, 'holder.json'), { pid: process.pid, token });
      return token;
    } catch { /* held */ }
    const holder = readJson<{ pid: number; token: string }>(path.join(held, 'holder.json'));
    // No holder written yet: someone is taking it now.
    if (!holder || alive(holder.pid)) return null;
    // Its worker ended without giving it back (killed, or stopped before its teardown): take it.
    const stale = `${held}.${token}`;
    try { fs.renameSync(held, stale); } catch { return null; }
    const moved = readJson<{ token: string }>(path.join(stale, 'holder.json'));
    if (moved?.token !== holder.token) {
      // Another worker took the stale lease first, and this moved its fresh one: give it back.
      try { fs.renameSync(stale, held); } catch { /* it is gone */ }
      return null;
    }
    fs.rmSync(stale, { recursive: true, force: true });
  }
  return null;
}

function release(dir: string, token: string): void {
  const held = path.join(dir, 'lease');
  if (readJson<{ token: string }>(path.join(held, 'holder.json'))?.token === token) fs.rmSync(held, { recursive: true, force: true });
}
