// Engines launched once per run (docs/performance.md, "One engine per run"). A Playwright-driven
// engine whose launch does not depend on the worker (no per-worker public addresses: policy mode and
// the cors fixture) runs as a browser server in its own host process (engine-host.mjs), found by its
// launch options in a directory of the run's owner (the test runner). A restarted worker, a second
// worker, or the fixture's second API origin connects to it (milliseconds) instead of launching
// (seconds to tens of seconds on a loaded machine). The runner may start it before its workers boot
// (prelaunch). The first client to connect puts the engine in its regime and reads its
// configuration; the others reuse what it recorded. Anything that goes wrong here falls back to a
// launch of the worker's own, and says why in the engine's notes.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LaunchOptions } from 'playwright';
import type { EngineConfiguration } from '../model/types.ts';

/** `CORS_SHARED_ENGINES=0` launches every engine in its worker, as before. */
export const SHARED_ENV = 'CORS_SHARED_ENGINES';

const HOST = path.join(path.dirname(fileURLToPath(import.meta.url)), 'engine-host.mjs');
/** Playwright's launch bound (90 s) and the host's start, on a loaded machine. */
const LAUNCH_WAIT_MS = 100_000;
/** The first client's regime and configuration read (60 s bound of its own). */
const CONFIGURATION_WAIT_MS = 75_000;

export interface HostedEndpoint { wsEndpoint: string; browserPid: number | null; hostPid: number }
/** What the first client recorded: the configuration read back, or why it was not. */
export interface RecordedConfiguration { configuration?: EngineConfiguration; error?: string }

export function sharingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[SHARED_ENV] !== '0' && process.platform === 'linux';
}

/** The test runner's pid: a worker's parent (Playwright forks its workers), else this process. */
export function ownerPid(): number {
  return process.env.TEST_WORKER_INDEX !== undefined ? process.ppid : process.pid;
}

export const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; } };

function hostDir(browserType: string, options: LaunchOptions): string {
  // What the browser runs with; not how long to wait for it, nor what it inherits.
  const { env: _env, timeout: _timeout, handleSIGINT: _i, handleSIGTERM: _t, handleSIGHUP: _h, ...keyed } = options;
  const key = crypto.createHash('sha256').update(JSON.stringify({ browserType, keyed })).digest('hex').slice(0, 16);
  return path.join(runEnginesDir(), `${browserType}-${key}`);
}

/** The folder of the run's shared engines: one folder each, which its host removes when it ends. */
export function runEnginesDir(): string {
  return path.join(os.tmpdir(), `cors-engines-${ownerPid()}`);
}

export const readJson = <T>(file: string): T | null => { try { return JSON.parse(fs.readFileSync(file, 'utf8')) as T; } catch { return null; } };

export function writeJson(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value));
  fs.renameSync(tmp, file);
}

/**
 * Start the host for these launch options unless one is running or starting. Returns its directory
 * and whether this call started it.
 */
export function startHost(browserType: string, options: LaunchOptions): { dir: string; started: boolean } {
  const dir = hostDir(browserType, options);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  try { fs.mkdirSync(dir); } catch { return { dir, started: false }; }
  const { env, ...launch } = options;
  fs.writeFileSync(path.join(dir, 'launch.json'), JSON.stringify({ browserType, options: launch }));
  const log = fs.openSync(path.join(dir, 'host.log'), 'a');
  const child = spawn(process.execPath, [HOST, dir, String(ownerPid())], {
    detached: true, stdio: ['ignore', log, log], env: { ...(env ?? process.env) } as NodeJS.ProcessEnv,
  });
  fs.closeSync(log);
  child.unref();
  return { dir, started: true };
}

export async function waitFor<T>(what: () => T | null, ms: number, gone: () => boolean): Promise<T | null> {
  const until = Date.now() + ms;
  for (let pause = 20; Date.now() < until; pause = Math.min(pause * 2, 250)) {
    const v = what();
    if (v !== null) return v;
    if (gone()) return null;
    await new Promise((r) => setTimeout(r, pause));
  }
  return null;
}

/** The running host's endpoint for these options (starting it if needed), or why there is none. */
export async function hostedEndpoint(browserType: string, options: LaunchOptions): Promise<{ dir: string; endpoint: HostedEndpoint } | { error: string }> {
  return waitForHost(startHost(browserType, options).dir);
}

/** The endpoint of the host in `dir` once it has launched its browser, or why there is none. */
export async function waitForHost(dir: string): Promise<{ dir: string; endpoint: HostedEndpoint } | { error: string }> {
  const endpoint = await waitFor(() => {
    const failed = readJson<{ error: string }>(path.join(dir, 'failed.json'));
    if (failed) return { failed: failed.error };
    return readJson<HostedEndpoint>(path.join(dir, 'endpoint.json'));
  }, LAUNCH_WAIT_MS, () => !fs.existsSync(dir));
  if (!endpoint) return { error: `the shared browser did not start within ${LAUNCH_WAIT_MS / 1000} s` };
  if ('failed' in endpoint) return { error: `the shared browser failed to launch: ${endpoint.failed}` };
  if (!alive(endpoint.hostPid)) return { error: 'the shared browser\'s host has ended' };
  return { dir, endpoint };
}

/**
 * The configuration of the shared engine: `read` runs in the first client only (it also puts the
 * engine in its regime); later clients get what it recorded. Null when this client must read it itself
 * (the first client ended without recording).
 */
export async function sharedConfiguration(dir: string, read: () => Promise<RecordedConfiguration>): Promise<RecordedConfiguration | null> {
  const file = path.join(dir, 'configuration.json');
  let first = false;
  try { fs.mkdirSync(path.join(dir, 'configuration.lock')); first = true; } catch { /* another client reads it */ }
  if (first) {
    const recorded = await read();
    try { writeJson(file, recorded); } catch { /* the host has ended: nobody else will ask */ }
    return recorded;
  }
  return waitFor(() => readJson<RecordedConfiguration>(file), CONFIGURATION_WAIT_MS, () => !fs.existsSync(dir));
}
