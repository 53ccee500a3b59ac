// The run's settings: its environment variables, checked before any engine starts (typos and bad
// values end the run with one message listing each, naming the variable, the problem and the fix),
// and what both modes read from them (the probe timeout, CORS_BATCH's limits).
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Problems, closest, readInputJson } from './input/validate.ts';
import { parseIsolation, type Isolation } from './model/placement.ts';
import { REGIMES, type Regime } from './model/types.ts';
import { webDriverEnvProblems } from './engines/webkitgtk/webdriver-env.mjs';
import { playwrightServerEnvProblems } from './engines/playwright-server.mjs';

/** Every CORS_* variable: what it means and its default (docs/environment.md lists the same). */
export const ENV_VARIABLES: Record<string, { meaning: string; default: string }> = {
  CORS_SCENARIOS: { meaning: 'a JSON file of extra scenarios', default: 'none: the built-in catalogue only' },
  CORS_SCENARIOS_ONLY: { meaning: '1 to run CORS_SCENARIOS alone', default: '0' },
  CORS_REPORT_DIR: { meaning: 'where reports go', default: 'reports/out' },
  CORS_BASELINE: { meaning: 'an earlier matrix.json to compare with', default: 'none: no comparison' },
  CORS_UPDATE_BASELINE: { meaning: '1 to write the baseline instead of comparing', default: '0' },
  CORS_POLICY: { meaning: 'a policy file: check-your-API mode', default: 'none: the conformance catalogue' },
  CORS_FAIL_ON: { meaning: 'policy mode: the lowest finding severity that fails a check and the run (high, medium, low, info, none); overrides the policy\'s failOn', default: 'the policy\'s failOn, else medium' },
  CORS_REGIME: { meaning: 'installed: each browser as this machine\'s package ships it; users: as its users run it (Chrome\'s cookie controls, Firefox\'s release defaults, Safari-like ITP); both (the catalogue only): every scenario installed, the cookie scenarios in users too', default: 'both in the catalogue, users in policy mode and the cors fixture' },
  CORS_PROBE_TIMEOUT_MS: { meaning: 'how long a probe waits for an answer (100-120000)', default: '5000' },
  CORS_WEBDRIVER_URL: { meaning: 'remote WebDriver endpoints for the webkit engine (comma-separated)', default: 'none: a local WebKitWebDriver' },
  CORS_GRID: { meaning: 'a Selenium Grid for the webkit engine (its URL): as many sessions as its free MiniBrowser slots', default: 'none' },
  CORS_WEBDRIVER_CAPABILITIES: { meaning: 'a JSON object merged into the remote WebDriver session capabilities', default: 'none' },
  CORS_BIND_ADDRESS: { meaning: 'the IPv4 address the run\'s origin, proxy and target servers listen on, and their URLs use (an address of this machine, e.g. one a remote browser reaches); 0.0.0.0 listens on every address, the URLs keep 127.0.0.1', default: '127.0.0.1' },
  CORS_PORT_RANGE: { meaning: 'the ports (first-last) the run\'s origin, proxy and target servers take, e.g. for a firewall: about 10 for each worker of each run at once', default: 'none: any port the system picks' },
  CORS_PLAYWRIGHT_SERVER: { meaning: 'Playwright servers (npx playwright run-server --unsafe, same Playwright version) for chromium and firefox: chromium=ws://...,firefox=ws://..., or one ws://... for both', default: 'none: both launch here' },
  CORS_BATCH: { meaning: '0 runs one scenario at a time; or shared=N,isolated=N,lanes=N,ahead=N', default: 'shared=8,isolated=1,lanes=2,ahead=32' },
  CORS_ISOLATION: { meaning: 'lanes: shared contexts, isolation by unique URLs and hosts; contexts: a fresh context per scenario that needs one', default: 'lanes' },
  CORS_SHARED_ENGINES: { meaning: '0 launches the browser in each worker; 1: policy mode and the cors fixture launch Chromium and Firefox once per run, and workers connect to them; a WebKitGTK page is handed from worker to worker', default: '1' },
  CORS_WEBKIT_SPARE: { meaning: '1: the webkit engine starts the next fresh context\'s MiniBrowser while the current one works (a warm spare); 0: no spare', default: '0' },
  CORS_CHROMIUM_PATH: { meaning: 'a Chromium binary to use', default: "Playwright's Chromium, else the system's" },
  CORS_RUN_MARKER: { meaning: "(tests) a marker to find a run's processes", default: 'none' },
  CORS_RUN_TMPDIR: { meaning: "(set by the harness) the run's private temporary directory", default: 'set by the harness' },
};

function isOn(v: string | undefined): boolean {
  return v === '1' || v === 'true';
}

const BASELINE_FILE = { name: 'baseline', variable: 'CORS_BASELINE', fileFix: 'run once with CORS_UPDATE_BASELINE=1 to write it, or fix the path' };
const NOT_A_BASELINE = 'point CORS_BASELINE at a matrix.json written by an earlier run';

/** Check every CORS_* variable; throws one InputError listing every problem. */
export function checkEnv(env: NodeJS.ProcessEnv = process.env): void {
  const problems = new Problems();
  const fail = (name: string, problem: string, fix: string): void => problems.note(`environment variable ${name}: ${problem}. Fix: ${fix}`);
  const flag = (name: string): void => {
    const v = env[name];
    if (v !== undefined && !['', '0', '1', 'true', 'false'].includes(v)) fail(name, `${JSON.stringify(v)} is not understood`, 'use 1 or 0');
  };
  for (const name of Object.keys(env).filter((k) => k.startsWith('CORS_'))) {
    if (!(name in ENV_VARIABLES)) {
      const guess = closest(name, Object.keys(ENV_VARIABLES));
      fail(name, 'is not a cors-matrix variable', guess ? `did you mean ${guess} (${ENV_VARIABLES[guess].meaning})?` : `use one of ${Object.keys(ENV_VARIABLES).join(', ')}`);
    }
    const v = env[name]!;
    if (/[\0\r\n]/.test(v)) fail(name, 'contains NUL, CR or LF', 'remove the control characters');
  }
  flag('CORS_SCENARIOS_ONLY');
  flag('CORS_UPDATE_BASELINE');
  const failOn = env.CORS_FAIL_ON;
  if (failOn !== undefined && !(FAIL_ON_LEVELS as readonly string[]).includes(failOn)) fail('CORS_FAIL_ON', `${JSON.stringify(failOn)} is not a level`, `use one of ${FAIL_ON_LEVELS.join(', ')}`);
  const regime = env.CORS_REGIME;
  if (regime !== undefined && regime !== 'both' && !(REGIMES as readonly string[]).includes(regime)) fail('CORS_REGIME', `${JSON.stringify(regime)} is not a regime`, `use one of ${REGIMES.join(', ')}, or both`);
  if (regime === 'both' && env.CORS_POLICY) fail('CORS_REGIME', 'both is for the catalogue: policy mode runs each engine in one regime', 'use users (the default: the browsers your users run) or installed (this machine\'s packages as they ship)');
  const timeout = env.CORS_PROBE_TIMEOUT_MS;
  if (timeout !== undefined && (!/^\d+$/.test(timeout) || Number(timeout) < 100 || Number(timeout) > 120_000)) {
    fail('CORS_PROBE_TIMEOUT_MS', `${JSON.stringify(timeout)} is not a whole number of milliseconds between 100 and 120000`, 'e.g. CORS_PROBE_TIMEOUT_MS=5000');
  }
  const dir = env.CORS_REPORT_DIR;
  if (dir !== undefined) {
    const abs = path.resolve(dir);
    if (dir.trim() === '') fail('CORS_REPORT_DIR', 'is empty', 'give a directory, e.g. reports/out');
    else if (fs.existsSync(abs) && !fs.statSync(abs).isDirectory()) fail('CORS_REPORT_DIR', `${dir} exists and is not a directory`, 'give a directory path');
  }
  const baseline = env.CORS_BASELINE;
  const updating = isOn(env.CORS_UPDATE_BASELINE);
  if (updating && !baseline) fail('CORS_UPDATE_BASELINE', 'is set but CORS_BASELINE is not', 'set CORS_BASELINE=path/to/baseline.json (the file to write)');
  if (baseline !== undefined && !updating) {
    problems.check(() => {
      const { shown, data } = readInputJson(baseline, { ...BASELINE_FILE, jsonFix: NOT_A_BASELINE });
      const schema = (data as { schema?: unknown } | null)?.schema;
      if (schema !== 'cors-matrix/1') fail('CORS_BASELINE', `${shown}: schema is ${JSON.stringify(schema)}, not "cors-matrix/1"`, NOT_A_BASELINE);
    });
  }
  for (const p of webDriverEnvProblems(env)) fail(p.name, p.problem, p.fix);
  for (const p of playwrightServerEnvProblems(env)) fail(p.name, p.problem, p.fix);
  const bind = bindAddressProblem(env.CORS_BIND_ADDRESS);
  if (bind) fail('CORS_BIND_ADDRESS', bind.problem, bind.fix);
  try { portRangeOf(env.CORS_PORT_RANGE); } catch (e) { fail('CORS_PORT_RANGE', (e as Error).message, 'e.g. CORS_PORT_RANGE=40000-40199, or unset it for any port'); }
  try { parseBatchSetting(env.CORS_BATCH); } catch (e) { fail('CORS_BATCH', (e as Error).message, 'unset it for the defaults'); }
  try { parseIsolation(env.CORS_ISOLATION); } catch (e) { fail('CORS_ISOLATION', (e as Error).message, 'unset it for the default (lanes)'); }
  // Switches that take 0 or 1 only; the default is the one ENV_VARIABLES lists.
  for (const name of ['CORS_WEBKIT_SPARE', 'CORS_SHARED_ENGINES']) {
    const v = env[name];
    if (v !== undefined && !['0', '1'].includes(v)) fail(name, `is ${JSON.stringify(v)}`, `set 0 or 1, or unset it for the default (${ENV_VARIABLES[name].default})`);
  }
  const chromium = env.CORS_CHROMIUM_PATH;
  if (chromium !== undefined && !fs.existsSync(chromium)) fail('CORS_CHROMIUM_PATH', `${chromium}: no such file`, 'give the path of a Chromium binary, or unset it');
  problems.throwIfAny();
}

/**
 * Policy mode's threshold, lowest first to fail: a check whose finding is at or above it fails its
 * test and the run; `none` fails neither for a finding (an undecidable check still fails).
 */
export const FAIL_ON_LEVELS = ['high', 'medium', 'low', 'info', 'none'] as const;
export type FailOn = typeof FAIL_ON_LEVELS[number];

/** Where reports go unless CORS_REPORT_DIR or a reporter's `outputDir` says otherwise. */
export const DEFAULT_REPORT_DIR = 'reports/out';

/** What the run reads from its environment, typed; checkEnv has said what is wrong with it first. */
export interface Settings {
  /** CORS_SCENARIOS: a file of extra scenarios. */
  scenariosFile: string | undefined;
  /** CORS_SCENARIOS_ONLY: run that file alone. */
  scenariosOnly: boolean;
  /** CORS_REPORT_DIR, as given (a config resolves it against its own folder); default reports/out. */
  reportDir: string;
  /** CORS_BASELINE: an earlier matrix.json; CORS_UPDATE_BASELINE: write it instead. */
  baseline: string | null;
  updateBaseline: boolean;
  /** CORS_POLICY: check-your-API mode with this policy file. */
  policyFile: string | undefined;
  /** CORS_FAIL_ON: overrides the policy's `failOn`. */
  failOn: FailOn | undefined;
  /**
   * CORS_REGIME: the regimes the run's engines run in. The catalogue runs every scenario in the
   * first and the cookie scenarios in the second too (harness/runner/setup.ts, regimeProjects);
   * policy mode runs one (docs/environment.md, "Regimes", says why each default).
   */
  regimes: Regime[];
  /** CORS_PROBE_TIMEOUT_MS: how long a probe waits for an answer, the same in both modes. */
  probeTimeoutMs: number;
  /** CORS_BATCH: how many probes run at once in a worker's engine. */
  batch: BatchLimits;
  /** CORS_ISOLATION: where scenarios that need page-level state of their own run. */
  isolation: Isolation;
  /** CORS_RUN_TMPDIR: the run's private directory (set by the runner's set-up, inherited by workers). */
  runTmpDir: string | undefined;
  /** CORS_BIND_ADDRESS: where the run's servers listen, and the host their URLs name. */
  bind: BindAddress;
  /** CORS_PORT_RANGE: the ports the servers take; null, any the system picks. */
  portRange: { first: number; last: number } | null;
}

/**
 * The one reader of the run's CORS_* variables (besides the engines' dependency-free locators, which
 * the set-up runs before npm install: CORS_CHROMIUM_PATH and CORS_WEBDRIVER_*). Pure over `env`.
 */
export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  return {
    scenariosFile: env.CORS_SCENARIOS,
    scenariosOnly: isOn(env.CORS_SCENARIOS_ONLY),
    reportDir: env.CORS_REPORT_DIR ?? DEFAULT_REPORT_DIR,
    baseline: env.CORS_BASELINE?.trim() || null,
    updateBaseline: isOn(env.CORS_UPDATE_BASELINE),
    policyFile: env.CORS_POLICY || undefined,
    failOn: (env.CORS_FAIL_ON as FailOn | undefined) || undefined,
    regimes: regimesOf(env.CORS_REGIME, !!env.CORS_POLICY),
    probeTimeoutMs: Number(env.CORS_PROBE_TIMEOUT_MS ?? 5000),
    batch: parseBatchSetting(env.CORS_BATCH),
    isolation: parseIsolation(env.CORS_ISOLATION),
    runTmpDir: env.CORS_RUN_TMPDIR,
    bind: bindAddressOf(env.CORS_BIND_ADDRESS),
    portRange: portRangeOf(env.CORS_PORT_RANGE),
  };
}

// ---- CORS_BIND_ADDRESS: where the run's servers listen ---------------------------------------------

export interface BindAddress {
  /** The address the servers listen on. */
  listen: string;
  /** The host their URLs name (the pages', the targets', the proxy's): the address, or 127.0.0.1 for 0.0.0.0. */
  host: string;
}

/** CORS_PORT_RANGE `first-last` (1024-65535); throws on anything else. */
export function portRangeOf(value: string | undefined): { first: number; last: number } | null {
  if (value === undefined || value.trim() === '') return null;
  const m = /^\s*(\d{1,5})\s*-\s*(\d{1,5})\s*$/.exec(value);
  const [first, last] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!m || first < 1024 || last > 65535 || first > last) throw new Error(`${JSON.stringify(value)} is not a range first-last of ports between 1024 and 65535`);
  return { first, last };
}

export function bindAddressOf(value: string | undefined): BindAddress {
  const a = value?.trim() || '127.0.0.1';
  return { listen: a, host: a === '0.0.0.0' ? '127.0.0.1' : a };
}

/** Whether `ip` (IPv4) lies in `cidr`'s network. */
function inNetwork(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  if (!net.isIPv4(base)) return false;
  const n = (a: string) => a.split('.').reduce((x, o) => x * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  return Math.floor(n(ip) / size) === Math.floor(n(base) / size);
}

/**
 * What is wrong with CORS_BIND_ADDRESS: an IPv4 literal this machine has (an interface's address, or
 * any address of a loopback interface's network: 127.0.0.2 on Linux), or 0.0.0.0.
 */
export function bindAddressProblem(value: string | undefined, interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces()): { problem: string; fix: string } | null {
  if (value === undefined) return null;
  const a = value.trim();
  const addresses = Object.values(interfaces).flat().filter((i): i is os.NetworkInterfaceInfo => !!i && i.family === 'IPv4');
  const fix = `use 127.0.0.1 (the default), 0.0.0.0 (every address), or one of this machine's: ${addresses.map((i) => i.address).join(', ')}`;
  if (net.isIPv6(a)) return { problem: `${JSON.stringify(value)} is an IPv6 address; the run's servers take an IPv4 one`, fix };
  if (!net.isIPv4(a)) return { problem: `${JSON.stringify(value)} is not an IPv4 address (a host name is not taken: the URLs the pages use name the address itself)`, fix };
  if (a === '0.0.0.0') return null;
  if (addresses.some((i) => i.address === a || (i.internal && i.cidr && inNetwork(a, i.cidr)))) return null;
  return { problem: `${a} is not an address of this machine`, fix };
}

/** CORS_REGIME as the list of regimes to run: unset, the catalogue runs both and policy mode users. */
export function regimesOf(value: string | undefined, policyMode: boolean): Regime[] {
  if (value === 'installed' || value === 'users') return [value];
  return policyMode ? ['users'] : ['installed', 'users'];
}

/**
 * The `cors` fixture's regime when its `corsRegime` option is left unset (cors-matrix/test): CORS_REGIME,
 * else users, as in policy mode. As given: a user's own Playwright run checks no variable up front, so
 * the fixture checks it (harness/policy/cors-regime.ts) and names the variable in its error.
 */
export function fixtureRegimeOf(env: NodeJS.ProcessEnv = process.env): string {
  return env.CORS_REGIME || 'users';
}

// ---- CORS_BATCH: how many probes run at once in a worker's engine ---------------------------------

export interface BatchLimits {
  /** Scenarios in flight on the worker's shared page. */
  shared: number;
  /** Scenarios in flight that start browser processes: a context of their own, or a sandboxed frame. */
  isolated: number;
  /** Scenarios in flight in the worker's lanes (each lane still runs one at a time). */
  lanes: number;
  /** How many scenarios past the current test may be started (0: strictly one at a time). */
  ahead: number;
}

// Measured on 2 cores with three engines at once (npm run bench): the engines are CPU-bound, so more
// than one new context at a time only adds memory (each is a renderer or content process, in WebKitGTK
// a WebKitWebDriver and a MiniBrowser); eight probes at a time keep each engine's shared page busy.
export const DEFAULT_LIMITS: BatchLimits = { shared: 8, isolated: 1, lanes: 2, ahead: 32 };

/**
 * `CORS_BATCH`: unset or `1`, the defaults; `0`, one scenario at a time (the test order, nothing
 * ahead); or some of `shared=N,isolated=N,ahead=N` to tune the limits. Throws on anything else.
 */
export function parseBatchSetting(value: string | undefined): BatchLimits {
  if (value === undefined || value === '' || value === '1' || value === 'true') return { ...DEFAULT_LIMITS };
  if (value === '0' || value === 'false') return { shared: 1, isolated: 1, lanes: 1, ahead: 0 };
  const limits = { ...DEFAULT_LIMITS };
  for (const part of value.split(',')) {
    const m = /^\s*(shared|isolated|lanes|ahead)\s*=\s*(\d{1,4})\s*$/.exec(part);
    if (!m) throw new Error(`${JSON.stringify(part)} is not understood; use 0, 1, or e.g. shared=8,isolated=2,lanes=2,ahead=32`);
    limits[m[1] as keyof BatchLimits] = Number(m[2]);
  }
  limits.shared = Math.max(1, limits.shared);
  limits.isolated = Math.max(1, limits.isolated);
  limits.lanes = Math.max(1, limits.lanes);
  return limits;
}


/** How long a probe waits for an answer (CORS_PROBE_TIMEOUT_MS, checked above); the same for both modes. */
export const PROBE_TIMEOUT_MS = readSettings().probeTimeoutMs;
