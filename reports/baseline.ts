// The baseline of a nightly run (CORS_BASELINE=FILE, or the matrix reporter's `baseline` option): an
// earlier matrix.json. Reading it is input checking: a missing or invalid file is one line that
// names the file, the field and the fix, and the run writes no report.
import fs from 'node:fs';
import path from 'node:path';
import type { Matrix } from '../harness/model/types.ts';
import { readSettings } from '../harness/settings.ts';

export class BaselineError extends Error {
  constructor(message: string) { super(message); this.name = 'BaselineError'; }
}

export interface BaselineSettings {
  /** The file named by CORS_BASELINE, or null when unset. */
  file: string | null;
  /** CORS_UPDATE_BASELINE=1: write this run's matrix to `file` instead of comparing with it. */
  update: boolean;
}

/** The matrix reporter's options; each one unset falls back to its CORS_* variable. */
export interface BaselineOptions {
  baseline?: string;
  updateBaseline?: boolean;
}

export function baselineSettings(env: NodeJS.ProcessEnv = process.env, options: BaselineOptions = {}): BaselineSettings {
  const settings = readSettings(env);
  const file = options.baseline?.trim() || (options.baseline === undefined ? settings.baseline : null);
  const update = options.updateBaseline ?? settings.updateBaseline;
  if (update && !file) throw new BaselineError('CORS_UPDATE_BASELINE=1 needs a file to write. Fix: also set CORS_BASELINE=FILE (e.g. CORS_BASELINE=cors-baseline.json)');
  return { file, update };
}

const OUTCOMES = ['allowed', 'blocked', 'error'];

/**
 * Parse and check a baseline. Only what the comparison reads is required (scenario ids, the engine
 * keys and each cell's outcome), so a baseline written by an older harness still compares.
 */
export function parseBaseline(text: string, file: string): Matrix {
  const fail = (field: string, problem: string, fix: string): never => {
    throw new BaselineError(`CORS_BASELINE ${file}${field ? `, field "${field}"` : ''}: ${problem}. Fix: ${fix}`);
  };
  const regenerate = 'point CORS_BASELINE at a matrix.json written by cors-matrix, or write a new one with CORS_UPDATE_BASELINE=1';
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    fail('', `is not valid JSON (${(e as Error).message})`, regenerate);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('', 'must be a JSON object (a matrix.json)', regenerate);
  const m = raw as Record<string, unknown>;
  if (m.schema !== 'cors-matrix/1') fail('schema', `is ${JSON.stringify(m.schema)}, expected "cors-matrix/1"`, regenerate);
  if (!Array.isArray(m.scenarios)) fail('scenarios', 'must be an array', regenerate);
  (m.scenarios as unknown[]).forEach((s, i) => {
    const where = `scenarios[${i}]`;
    if (typeof s !== 'object' || s === null) fail(where, 'must be an object', regenerate);
    const so = s as Record<string, unknown>;
    if (typeof so.id !== 'string' || !so.id) fail(`${where}.id`, 'must be a non-empty string', regenerate);
    if (typeof so.results !== 'object' || so.results === null || Array.isArray(so.results)) fail(`${where}.results`, 'must be an object of engine -> cell', regenerate);
    for (const [engine, cell] of Object.entries(so.results as Record<string, unknown>)) {
      const outcome = (cell as Record<string, unknown> | null)?.outcome;
      if (!OUTCOMES.includes(outcome as string)) fail(`${where}.results.${engine}.outcome`, `is ${JSON.stringify(outcome)}`, `use one of: ${OUTCOMES.join(', ')}`);
    }
  });
  return raw as Matrix;
}

/** Read the baseline for a comparison; throws BaselineError (one line) when it is missing or invalid. */
export function readBaseline(file: string): Matrix {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? `no such file${path.resolve(file) === file ? '' : ` (${path.resolve(file)})`}` : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? (e as Error).message})`;
    throw new BaselineError(`CORS_BASELINE ${file}: ${problem}. Fix: create it first with CORS_UPDATE_BASELINE=1 CORS_BASELINE=${file} npx playwright test, or unset CORS_BASELINE`);
  }
  return parseBaseline(text, file);
}

/**
 * Check the baseline settings before any engine starts. Returns the previous baseline when there is
 * one to compare with (in update mode: the old file if it is readable, for the "what moved" note).
 */
export interface CheckedBaseline {
  settings: BaselineSettings;
  baseline: Matrix | null;
}

export function checkBaseline(env: NodeJS.ProcessEnv = process.env, options: BaselineOptions = {}): CheckedBaseline {
  const settings = baselineSettings(env, options);
  if (!settings.file) return { settings, baseline: null };
  if (settings.update) {
    let previous: Matrix | null = null;
    try { previous = readBaseline(settings.file); } catch { /* a new or broken baseline is about to be replaced */ }
    const dir = path.dirname(path.resolve(settings.file));
    if (!fs.existsSync(dir)) throw new BaselineError(`CORS_BASELINE ${settings.file}: the folder ${dir} does not exist. Fix: create it, or pick a file in an existing folder`);
    return { settings, baseline: previous };
  }
  return { settings, baseline: readBaseline(settings.file) };
}

/** The matrix as a baseline file: the same JSON, without the comparison of this run. */
export function baselineText(m: Matrix): string {
  const { changes: _changes, configurationChanges: _moved, ...rest } = m;
  return JSON.stringify(rest, null, 2) + '\n';
}
