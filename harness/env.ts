// The run's environment variables, checked before any engine starts. A typo or a bad value ends
// the run with one message naming the variable, the problem and the fix.
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from './scenarios.ts';
import { parseBatchSetting } from './batch.ts';

const KNOWN: Record<string, string> = {
  CORS_SCENARIOS: 'a JSON file of extra scenarios',
  CORS_SCENARIOS_ONLY: '1 to run CORS_SCENARIOS alone',
  CORS_REPORT_DIR: 'where reports go (default reports/out)',
  CORS_BASELINE: 'an earlier matrix.json to compare with',
  CORS_UPDATE_BASELINE: '1 to write the baseline instead of comparing',
  CORS_POLICY: 'a policy file: check-your-API mode',
  CORS_PROBE_TIMEOUT_MS: 'how long a probe waits for an answer (100-120000)',
  CORS_WEBDRIVER_URL: 'remote WebDriver endpoints for the webkit engine (comma-separated)',
  CORS_WEBDRIVER_CAPABILITIES: 'a JSON object merged into the remote WebDriver session capabilities',
  CORS_BATCH: '0 runs one scenario at a time; or shared=N,isolated=N,ahead=N',
  CORS_CHROMIUM_PATH: 'a Chromium binary to use',
  CORS_RUN_MARKER: '(tests) a marker to find a run\'s processes',
  CORS_RUN_TMPDIR: '(set by the harness) the run\'s private temporary directory',
};

function fail(name: string, problem: string, fix: string): never {
  throw new InputError(`environment variable ${name}: ${problem}. Fix: ${fix}`);
}

function closest(name: string): string | undefined {
  const score = (a: string, b: string) => {
    const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    return d[a.length][b.length];
  };
  const best = Object.keys(KNOWN).map((k) => [k, score(name, k)] as const).sort((x, y) => x[1] - y[1])[0];
  return best && best[1] <= 4 ? best[0] : undefined;
}

function flag(env: NodeJS.ProcessEnv, name: string): void {
  const v = env[name];
  if (v !== undefined && !['', '0', '1', 'true', 'false'].includes(v)) fail(name, `${JSON.stringify(v)} is not understood`, 'use 1 or 0');
}

/** Check every CORS_* variable; returns nothing, throws InputError on the first problem. */
export function checkEnv(env: NodeJS.ProcessEnv = process.env): void {
  for (const name of Object.keys(env).filter((k) => k.startsWith('CORS_'))) {
    if (!(name in KNOWN)) {
      const guess = closest(name);
      fail(name, 'is not a cors-matrix variable', guess ? `did you mean ${guess} (${KNOWN[guess]})?` : `use one of ${Object.keys(KNOWN).join(', ')}`);
    }
    const v = env[name]!;
    if (/[\0\r\n]/.test(v)) fail(name, 'contains NUL, CR or LF', 'remove the control characters');
  }
  flag(env, 'CORS_SCENARIOS_ONLY');
  flag(env, 'CORS_UPDATE_BASELINE');
  const timeout = env.CORS_PROBE_TIMEOUT_MS;
  if (timeout !== undefined && (!/^\d+$/.test(timeout) || Number(timeout) < 100 || Number(timeout) > 120_000)) {
    fail('CORS_PROBE_TIMEOUT_MS', `${JSON.stringify(timeout)} is not a whole number of milliseconds between 100 and 120000`, 'e.g. CORS_PROBE_TIMEOUT_MS=5000');
  }
  const dir = env.CORS_REPORT_DIR;
  if (dir !== undefined) {
    if (dir.trim() === '') fail('CORS_REPORT_DIR', 'is empty', 'give a directory, e.g. reports/out');
    const abs = path.resolve(dir);
    if (fs.existsSync(abs) && !fs.statSync(abs).isDirectory()) fail('CORS_REPORT_DIR', `${dir} exists and is not a directory`, 'give a directory path');
  }
  const baseline = env.CORS_BASELINE;
  const updating = env.CORS_UPDATE_BASELINE === '1' || env.CORS_UPDATE_BASELINE === 'true';
  if (updating && !baseline) fail('CORS_UPDATE_BASELINE', 'is set but CORS_BASELINE is not', 'set CORS_BASELINE=path/to/baseline.json (the file to write)');
  if (baseline !== undefined && !updating) {
    if (!fs.existsSync(baseline)) fail('CORS_BASELINE', `${baseline}: no such file`, 'run once with CORS_UPDATE_BASELINE=1 to write it, or fix the path');
    let data: { schema?: unknown };
    try { data = JSON.parse(fs.readFileSync(baseline, 'utf8')); } catch (e) { fail('CORS_BASELINE', `${baseline}: not valid JSON (${(e as Error).message})`, 'point it at a matrix.json written by an earlier run'); }
    if (data?.schema !== 'cors-matrix/1') fail('CORS_BASELINE', `${baseline}: schema is ${JSON.stringify(data?.schema)}, not "cors-matrix/1"`, 'point it at a matrix.json written by an earlier run');
  }
  const wd = env.CORS_WEBDRIVER_URL;
  if (wd !== undefined) {
    for (const one of wd.split(',')) {
      let u: URL | undefined;
      try { u = new URL(one.trim()); } catch { /* reported below */ }
      if (!u || !['http:', 'https:'].includes(u.protocol)) fail('CORS_WEBDRIVER_URL', `${JSON.stringify(one)} is not an http(s) URL`, 'e.g. CORS_WEBDRIVER_URL=http://127.0.0.1:4444 (several: comma-separated)');
    }
  }
  const caps = env.CORS_WEBDRIVER_CAPABILITIES;
  if (caps !== undefined) {
    let v: unknown;
    try { v = JSON.parse(caps); } catch { /* reported below */ }
    if (!v || typeof v !== 'object' || Array.isArray(v)) fail('CORS_WEBDRIVER_CAPABILITIES', 'is not a JSON object', `e.g. CORS_WEBDRIVER_CAPABILITIES='{"browserName":"MiniBrowser"}'`);
  }
  try { parseBatchSetting(env.CORS_BATCH); } catch (e) { fail('CORS_BATCH', (e as Error).message, 'unset it for the defaults'); }
  const chromium = env.CORS_CHROMIUM_PATH;
  if (chromium !== undefined && !fs.existsSync(chromium)) fail('CORS_CHROMIUM_PATH', `${chromium}: no such file`, 'give the path of a Chromium binary, or unset it');
}
