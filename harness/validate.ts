// Validation of user input (scenario files, policy files): every problem is one InputError that
// names where the value came from, the field, what is wrong and the fix.

/** Bad input: the run ends with this message before any engine starts. */
export class InputError extends Error {
  constructor(message: string) { super(message); this.name = 'InputError'; }
}

export type Obj = Record<string, unknown>;

/** An HTTP token (RFC 9110): method and header names. */
export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Header values may hold anything a server can send except CR, LF and NUL (they would split or end the line).
const BAD_VALUE = /[\r\n\0]/;

export function kind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

export class Checker {
  /** `where`: the file (and the entry) the checked value comes from, as the message shows it. */
  constructor(private readonly where: string) {}
  fail(field: string, problem: string, fix: string): never {
    throw new InputError(`${this.where}, field "${field}": ${problem}. Fix: ${fix}`);
  }
  object(v: unknown, field: string): Obj {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(field, `must be an object, is ${kind(v)}`, 'write a JSON object { ... }');
    return v as Obj;
  }
  known(o: Obj, field: string, allowed: string[]): void {
    for (const k of Object.keys(o)) {
      if (!allowed.includes(k)) this.fail(field ? `${field}.${k}` : k, 'unknown field', `remove it, or use one of: ${allowed.filter((a) => a !== '$schema').join(', ')}`);
    }
  }
  string(v: unknown, field: string, opts: { optional?: boolean; pattern?: RegExp; hint?: string } = {}): string | undefined {
    if (v === undefined && opts.optional) return undefined;
    if (typeof v !== 'string') this.fail(field, `must be a string, is ${kind(v)}`, opts.hint ?? 'give a string value');
    if (opts.pattern && !opts.pattern.test(v)) this.fail(field, `${JSON.stringify(v)} is not valid`, opts.hint ?? `match ${opts.pattern}`);
    return v;
  }
  oneOf<T extends string>(v: unknown, field: string, values: readonly T[], optional = false): T | undefined {
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string' || !values.includes(v as T)) this.fail(field, `is ${JSON.stringify(v)}`, `use one of: ${values.join(', ')}`);
    return v as T;
  }
  status(v: unknown, field: string): void {
    if (!Number.isInteger(v) || (v as number) < 100 || (v as number) > 599) this.fail(field, `must be an HTTP status 100-599, is ${JSON.stringify(v)}`, 'give an integer such as 200 or 204');
  }
  headerList(v: unknown, field: string): void {
    if (!Array.isArray(v)) this.fail(field, `must be an array of [name, value] pairs, is ${kind(v)}`, 'write [["Access-Control-Allow-Origin", "$ORIGIN"]]');
    v.forEach((pair, i) => {
      const f = `${field}[${i}]`;
      if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
        this.fail(f, `must be a [name, value] pair of strings, is ${JSON.stringify(pair)}`, 'write ["Header-Name", "value"]');
      }
      if (!TOKEN.test(pair[0])) this.fail(`${f}[0]`, `${JSON.stringify(pair[0])} is not a header name (HTTP token)`, 'use letters, digits and - only');
      if (BAD_VALUE.test(pair[1])) this.fail(`${f}[1]`, 'contains CR, LF or NUL', 'remove the control characters; they would split the response');
    });
  }
  headerMap(v: unknown, field: string): void {
    const o = this.object(v, field);
    for (const [n, val] of Object.entries(o)) {
      if (!TOKEN.test(n)) this.fail(`${field}.${n}`, 'is not a header name (HTTP token)', 'use letters, digits and - only');
      if (typeof val !== 'string') this.fail(`${field}.${n}`, `must be a string, is ${kind(val)}`, 'quote the value');
      if (BAD_VALUE.test(val)) this.fail(`${field}.${n}`, 'contains CR, LF or NUL', 'remove the control characters');
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
  unique(values: string[], field: string, fold: (s: string) => string = (s) => s): void {
    const seen = new Set<string>();
    values.forEach((v, i) => {
      const k = fold(v);
      if (seen.has(k)) this.fail(`${field}[${i}]`, `${JSON.stringify(v)} is listed twice`, 'list it once');
      seen.add(k);
    });
  }
}
