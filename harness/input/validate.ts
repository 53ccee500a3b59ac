// Validation of user input (scenario files, policy files, the environment): every problem names
// where the value came from, the field, what is wrong and the fix, and one run reports every problem
// of a file at once, so fixing a file takes one round trip, not one per mistake.
import fs from 'node:fs';
import path from 'node:path';

/** More than this and the rest are counted, not listed: the first screenful is what gets fixed first. */
export const MAX_PROBLEMS_SHOWN = 20;

/** Bad input: the run ends with this message before any engine starts. */
export class InputError extends Error {
  /** Each problem on its own, as the message lists them. */
  readonly problems: string[];
  constructor(problems: string | string[]) {
    const list = typeof problems === 'string' ? [problems] : problems;
    super(list.length === 1 ? list[0] : listProblems(list));
    this.name = 'InputError';
    this.problems = list;
  }
}

function listProblems(list: string[]): string {
  const shown = list.slice(0, MAX_PROBLEMS_SHOWN).map((p) => `\n  - ${p}`).join('');
  const more = list.length > MAX_PROBLEMS_SHOWN ? `\n  ... and ${list.length - MAX_PROBLEMS_SHOWN} more` : '';
  return `${list.length} problems:${shown}${more}`;
}

/** Unwinds the one check that found a problem; the problem itself is already noted. */
class CheckAborted extends Error {}

/**
 * The problems found in one input. A check that cannot go on (a field of the wrong type) stops
 * itself only: `check` runs it, and the checks after it still run.
 */
export class Problems {
  readonly list: string[] = [];
  note(problem: string): void { this.list.push(problem); }
  /** Note the problem and stop the current check. */
  abort(problem: string): never { this.note(problem); throw new CheckAborted(problem); }
  /** Run one check; what it finds (an InputError from a nested check too) is noted, not thrown. */
  check<T>(fn: () => T): T | undefined {
    try { return fn(); } catch (e) {
      if (e instanceof CheckAborted) return undefined;
      if (e instanceof InputError) { this.list.push(...e.problems); return undefined; }
      throw e;
    }
  }
  /** End with every problem noted so far, if there is one. */
  throwIfAny(): void { if (this.list.length) throw new InputError([...this.list]); }
}

export type Obj = Record<string, unknown>;

/** An HTTP token (RFC 9110): method and header names. */
export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// A response header value may hold any byte a server can put on the wire but CR and LF (they
// would end the line and let the value forge headers); NUL included, as web-platform-tests sends it.
const BAD_RESPONSE_VALUE = /[\r\n]/;
// A request header value is what a page may set: Fetch refuses 0x00, 0x0A and 0x0D (and trims
// leading and trailing tab and space itself), and lets every other control byte through.
const BAD_REQUEST_VALUE = /[\r\n\0]/;
/** Lowest and highest status a scenario may answer with: three digits, as HTTP/1.1 writes them. */
export const MIN_STATUS = 100;
export const MAX_STATUS = 999;

/**
 * The candidate nearest to a misspelt name by edit distance, when it is near enough to be what was
 * meant (an environment variable, a policy field, a command or an option): "did you mean".
 */
export function closest(name: string, candidates: readonly string[], maxDistance = Math.min(4, Math.max(1, Math.floor(name.length / 2)))): string | undefined {
  const score = (a: string, b: string) => {
    const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    return d[a.length][b.length];
  };
  const best = candidates.map((k) => [k, score(name.toLowerCase(), k.toLowerCase())] as const).sort((x, y) => x[1] - y[1])[0];
  return best && best[1] <= maxDistance ? best[0] : undefined;
}

export function kind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

export class Checker {
  /** `where`: the file (and the entry) the checked value comes from, as the message shows it. */
  constructor(private readonly where: string, readonly problems: Problems = new Problems()) {}
  /** The same file's problems, for another entry of it. */
  at(where: string): Checker { return new Checker(where, this.problems); }
  check<T>(fn: () => T): T | undefined { return this.problems.check(fn); }
  /** Run a whole validation: its value, or one InputError listing every problem it found. */
  validate<T>(fn: () => T): T {
    const value = this.check(fn);
    this.problems.throwIfAny();
    return value as T;
  }
  private message(field: string, problem: string, fix: string): string {
    return `${this.where}, field "${field}": ${problem}. Fix: ${fix}`;
  }
  /** A problem that leaves the rest of the value checkable. */
  note(field: string, problem: string, fix: string): void { this.problems.note(this.message(field, problem, fix)); }
  fail(field: string, problem: string, fix: string): never { this.problems.abort(this.message(field, problem, fix)); }
  object(v: unknown, field: string): Obj {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(field, `must be an object, is ${kind(v)}`, 'write a JSON object { ... }');
    return v as Obj;
  }
  known(o: Obj, field: string, allowed: string[]): void {
    for (const k of Object.keys(o)) {
      if (allowed.includes(k)) continue;
      const guess = closest(k, allowed);
      this.note(field ? `${field}.${k}` : k, `unknown field${guess ? ` (did you mean "${guess}"?)` : ''}`, `${guess ? `rename it to "${guess}", ` : ''}remove it, or use one of: ${allowed.filter((a) => a !== '$schema').join(', ')}`);
    }
  }
  /** `secret`: the message never repeats the value (a session cookie or token). */
  string(v: unknown, field: string, opts: { optional?: boolean; pattern?: RegExp; hint?: string; secret?: boolean } = {}): string | undefined {
    if (v === undefined && opts.optional) return undefined;
    if (typeof v !== 'string') this.fail(field, `must be a string, is ${kind(v)}`, opts.hint ?? 'give a string value');
    if (opts.pattern && !opts.pattern.test(v)) this.fail(field, opts.secret ? 'the value (not shown: it is a secret) is not valid' : `${JSON.stringify(v)} is not valid`, opts.hint ?? `match ${opts.pattern}`);
    return v;
  }
  oneOf<T extends string>(v: unknown, field: string, values: readonly T[], optional = false): T | undefined {
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string' || !values.includes(v as T)) this.fail(field, `is ${JSON.stringify(v)}`, `use one of: ${values.join(', ')}`);
    return v as T;
  }
  status(v: unknown, field: string): void {
    if (!Number.isInteger(v) || (v as number) < MIN_STATUS || (v as number) > MAX_STATUS) this.fail(field, `must be an HTTP status ${MIN_STATUS}-${MAX_STATUS}, is ${JSON.stringify(v)}`, 'give a three-digit integer such as 200, 204 or 699');
  }
  headerList(v: unknown, field: string): void {
    if (!Array.isArray(v)) this.fail(field, `must be an array of [name, value] pairs, is ${kind(v)}`, 'write [["Access-Control-Allow-Origin", "$ORIGIN"]]');
    v.forEach((pair, i) => this.check(() => {
      const f = `${field}[${i}]`;
      if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
        this.fail(f, `must be a [name, value] pair of strings, is ${JSON.stringify(pair)}`, 'write ["Header-Name", "value"]');
      }
      if (!TOKEN.test(pair[0])) this.note(`${f}[0]`, `${JSON.stringify(pair[0])} is not a header name (HTTP token)`, 'use letters, digits and - only');
      if (BAD_RESPONSE_VALUE.test(pair[1])) this.note(`${f}[1]`, 'contains CR or LF', 'remove them; they would split the response (every other byte, NUL included, is sent as written)');
    }));
  }
  headerMap(v: unknown, field: string): void {
    const o = this.object(v, field);
    for (const [n, val] of Object.entries(o)) {
      if (!TOKEN.test(n)) this.note(`${field}.${n}`, 'is not a header name (HTTP token)', 'use letters, digits and - only');
      if (typeof val !== 'string') this.note(`${field}.${n}`, `must be a string, is ${kind(val)}`, 'quote the value');
      else if (BAD_REQUEST_VALUE.test(val)) this.note(`${field}.${n}`, 'contains CR, LF or NUL, which no page can send (Fetch refuses them)', 'remove them; every other byte, \\v, \\f or \\x01 included, is allowed');
    }
  }
  array(v: unknown, field: string, opts: { optional?: boolean; nonEmpty?: boolean; example: string }): unknown[] {
    if (v === undefined && opts.optional) return [];
    if (!Array.isArray(v)) this.fail(field, v === undefined ? 'is missing' : `must be an array, is ${kind(v)}`, `write ${opts.example}`);
    if (opts.nonEmpty && v.length === 0) this.fail(field, 'is empty', `list at least one, e.g. ${opts.example}`);
    return v;
  }
  bool(v: unknown, field: string, fallback: boolean): boolean {
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') this.fail(field, `must be true or false, is ${JSON.stringify(v)}`, 'write true or false (no quotes)');
    return v;
  }
  /** Check each entry on its own; an entry with a problem stays in place as undefined, so indexes hold. */
  items<T>(list: unknown[], fn: (v: unknown, i: number) => T): (T | undefined)[] {
    return list.map((v, i) => this.check(() => fn(v, i)));
  }
  unique(values: readonly (string | undefined)[], field: string, fold: (s: string) => string = (s) => s): void {
    const seen = new Set<string>();
    values.forEach((v, i) => {
      if (v === undefined) return;
      const k = fold(v);
      if (seen.has(k)) this.note(`${field}[${i}]`, `${JSON.stringify(v)} is listed twice`, 'list it once');
      seen.add(k);
    });
  }
}

/** What a file-reading message calls an input file. */
export interface InputFile {
  /** e.g. "scenario file" */
  name: string;
  /** The variable that names it, e.g. CORS_SCENARIOS. */
  variable: string;
  /** What to give instead of a missing file or a directory. */
  fileFix: string;
  maxBytes?: number;
  tooBigFix?: string;
  /** How to find the syntax error, or what the file should have been. */
  jsonFix?: string;
}

/** How messages show a path: relative to where the run started, when that is shorter. */
export function shownPath(file: string): string {
  return path.relative(process.cwd(), file) || file;
}

/**
 * One answer for every input file given by path: missing, a directory, unreadable or too big
 * each say so, naming the path and the variable, instead of surfacing later as "not valid JSON".
 */
export function checkInputFile(file: string, input: InputFile): string {
  const shown = shownPath(file);
  const denied = () => new InputError(`${shown} cannot be read (permission denied), so it cannot be the ${input.name} (${input.variable}). Fix: let this user read it (chmod a+r ${shown}), or give another file`);
  let stat: fs.Stats;
  try { stat = fs.statSync(file); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EACCES') throw denied();
    throw new InputError(`${shown}: cannot read the ${input.name} (${input.variable}): no such file. Fix: ${input.fileFix}`);
  }
  if (stat.isDirectory()) throw new InputError(`${shown} is a directory, not the ${input.name} (${input.variable}). Fix: ${input.fileFix}`);
  try { fs.accessSync(file, fs.constants.R_OK); } catch { throw denied(); }
  if (input.maxBytes !== undefined && stat.size > input.maxBytes) {
    throw new InputError(`${shown}: the ${input.name} is ${stat.size} bytes, over the ${input.maxBytes}-byte limit. Fix: ${input.tooBigFix ?? 'split it into smaller files'}`);
  }
  return shown;
}

/** Read an input JSON file (after `checkInputFile`); returns how messages show it and its value. */
export function readInputJson(file: string, input: InputFile): { shown: string; data: unknown } {
  const shown = checkInputFile(file, input);
  const text = fs.readFileSync(file, 'utf8');
  try { return { shown, data: JSON.parse(text) }; } catch (e) {
    const at = jsonErrorAt(text, (e as Error).message);
    throw new InputError(`${shown}${at ? `:${at.line}:${at.column}` : ''}: not valid JSON: ${(e as Error).message.replace(/ in JSON at position \d+.*$/s, '')}. Fix: ${input.jsonFix ?? 'check commas and quotes (JSON has no comments or trailing commas)'}`);
  }
}

/** Where JSON.parse stopped, as an editor counts (1-based line and column), from the position V8 names. */
export function jsonErrorAt(text: string, message: string): { line: number; column: number } | null {
  const m = /at position (\d+)/.exec(message) ?? (/Unexpected end of JSON input/.test(message) ? [, String(text.length)] : null);
  if (!m) return null;
  const before = text.slice(0, Number(m[1]));
  const line = before.split('\n').length;
  return { line, column: before.length - before.lastIndexOf('\n') };
}

const COOKIE_VALUE = /^"?[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*"?$/;

/**
 * A list of cookies as a site sets them: `field` names the list in messages; `secret` keeps values
 * out of them (a policy's session cookies are the user's credentials).
 */
export function checkCookies(c: Checker, v: unknown, field = 'cookies', secret = false): void {
  if (!Array.isArray(v)) c.fail(field, `must be an array, is ${kind(v)}`, 'write [{ "name": "sid", "value": "s1", "attributes": "SameSite=None; Secure; Path=/" }]');
  const names = new Set<string>();
  v.forEach((x, i) => c.check(() => {
    const f = `${field}[${i}]`;
    const o = c.object(x, f);
    c.known(o, f, ['name', 'value', 'attributes']);
    // RFC 6265bis section 4.1.1: a cookie-name is a token, a cookie-value cookie-octets.
    const name = c.check(() => c.string(o.name, `${f}.name`, { pattern: TOKEN, hint: 'a token such as "sid" (no spaces, = or ;)' }));
    c.check(() => c.string(o.value, `${f}.value`, { pattern: COOKIE_VALUE, secret, hint: 'cookie-octets: no spaces, quotes inside, commas, semicolons or backslashes' }));
    c.check(() => c.string(o.attributes, `${f}.attributes`, { pattern: /^[^\0\r\n]*$/, hint: 'what follows "name=value; " in Set-Cookie, e.g. "SameSite=None; Secure; Path=/" (no CR, LF or NUL)' }));
    if (typeof name === 'string') {
      if (names.has(name)) c.note(`${f}.name`, `${JSON.stringify(name)} appears twice`, 'give each cookie its own name');
      names.add(name);
    }
  }));
}
