// The policy file (CORS_POLICY): JSON, or a typed `cors-policy.config.ts` whose default export is
// `definePolicy({...})`. A bad policy ends the run before any engine starts with one message that
// lists every problem, each naming the file, the field, the problem and the fix, never a wall of
// failed checks.
import net from 'node:net';
import path from 'node:path';
import { Checker, InputError, TOKEN, checkCookies, checkInputFile, closest, kind, readInputJson, type Obj } from '../input/validate.ts';
import { FORBIDDEN_METHODS, NORMALIZED_METHODS, isForbiddenRequestHeader } from '../oracle/safelist.ts';
import { FAIL_ON_LEVELS } from '../settings.ts';
import { DEFAULT_FAIL_ON } from './threshold.ts';
import { STACK_IDS, type StackId } from './fixes/stack-fix.ts';
import { requireOrImportLikePlaywright } from '../engines/playwright-private.ts';
import type { LocalNetworkAccessMode, Policy, PolicyEndpoint, PolicySession, SessionCookie } from './policy-types.ts';

export { InputError };

const MAX_FILE_BYTES = 1024 * 1024;
export const POLICY_FILE = { name: 'policy file', variable: 'CORS_POLICY', fileFix: 'give the path of a cors-policy.json or cors-policy.config.ts' };
const TOP_FIELDS = ['$schema', 'target', 'allowedOrigins', 'endpoints', 'blockedOrigins', 'allowSubdomains', 'localNetworkAccess', 'servedAs', 'session', 'failOn', 'stack'];
const ENDPOINT_FIELDS = ['path', 'methods', 'requestHeaders', 'credentials', 'exposedHeaders', 'body'];

/**
 * An origin exactly as a browser sends it in `Origin`: scheme://host[:port], lower case, no default
 * port, no path, no trailing slash. Anything else can never match, so it is a mistake in the file.
 */
export function originProblem(value: string): { problem: string; fix: string } | null {
  if (value === '*') return { problem: '"*" is not an origin', fix: 'list the origins your front ends run on, e.g. "https://app.example.com"' };
  if (value === 'null') return { problem: '"null" is the opaque origin every sandboxed frame and file:// page shares, not a site', fix: 'remove it; the harness always tests null as an attacker origin' };
  if (/\s/.test(value)) return { problem: `${JSON.stringify(value)} contains whitespace`, fix: 'write one origin per entry, without spaces' };
  let url: URL;
  try { url = new URL(value); } catch { return { problem: `${JSON.stringify(value)} is not an origin (scheme://host[:port])`, fix: 'write it like "https://example.com" or "http://localhost:5173"' }; }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { problem: `${JSON.stringify(value)} has scheme ${url.protocol.slice(0, -1)}; pages that call an API are http or https`, fix: 'use an http:// or https:// origin' };
  const origin = url.origin;
  if (value === origin) return null;
  if (url.username || url.password) return { problem: `${JSON.stringify(value)} contains user:password@`, fix: `write "${origin}"` };
  if (value === `${origin}/`) return { problem: `${JSON.stringify(value)} has a trailing slash; the Origin header never has one, so it can never match`, fix: `write "${origin}"` };
  if (url.pathname !== '/' || url.search || url.hash) return { problem: `${JSON.stringify(value)} has a path, query or fragment; an origin is scheme://host[:port] only`, fix: `write "${origin}"` };
  if (value.toLowerCase() === origin.toLowerCase() || value.replace(/:(80|443)$/, '').toLowerCase() === origin) {
    return { problem: `${JSON.stringify(value)} is not how a browser serializes it (lower-case host, no default port)`, fix: `write "${origin}"` };
  }
  return { problem: `${JSON.stringify(value)} is not a serialized origin`, fix: `write "${origin}"` };
}

function checkOrigins(c: Checker, v: unknown, field: string, optional: boolean): (string | undefined)[] {
  const list = c.check(() => c.array(v, field, { optional, nonEmpty: !optional, example: '["https://example.com"]' })) ?? [];
  return c.items(list, (o, i) => {
    if (typeof o !== 'string') c.fail(`${field}[${i}]`, `must be a string, is ${kind(o)}`, 'write "https://example.com"');
    const p = originProblem(o);
    if (p) c.fail(`${field}[${i}]`, p.problem, p.fix);
    return o;
  });
}

function checkMethod(c: Checker, m: unknown, field: string): string {
  if (typeof m !== 'string') c.fail(field, `must be a string, is ${kind(m)}`, 'write "GET"');
  if (/\s/.test(m)) c.fail(field, `${JSON.stringify(m)} contains whitespace`, 'write one method per entry, e.g. ["GET", "POST"]');
  if (!TOKEN.test(m)) c.fail(field, `${JSON.stringify(m)} is not an HTTP method token`, 'use letters such as GET, POST, PATCH');
  if (FORBIDDEN_METHODS.includes(m.toUpperCase())) c.fail(field, `browsers never send ${m.toUpperCase()}`, 'remove it');
  if (m !== m.toUpperCase() && (NORMALIZED_METHODS.includes(m.toUpperCase()) || m.toUpperCase() === 'PATCH')) {
    c.fail(field, `${JSON.stringify(m)} is lower case; fetch() sends "patch" as written and servers compare methods case-sensitively`, `write "${m.toUpperCase()}"`);
  }
  return m;
}

function checkHeaderNames(c: Checker, v: unknown, field: string, request: boolean): (string | undefined)[] {
  const list = c.check(() => c.array(v, field, { optional: true, example: request ? '["Content-Type", "Authorization"]' : '["X-Request-Id"]' })) ?? [];
  const names = c.items(list, (h, i) => {
    if (typeof h !== 'string') c.fail(`${field}[${i}]`, `must be a string, is ${kind(h)}`, 'write a header name such as "Content-Type"');
    if (!TOKEN.test(h)) c.fail(`${field}[${i}]`, `${JSON.stringify(h)} is not a header name`, 'use letters, digits and - only, e.g. "X-Request-Id"');
    if (request && isForbiddenRequestHeader(h, 'x')) c.fail(`${field}[${i}]`, `a page can never set ${h} (a forbidden request header); the browser controls it`, 'remove it');
    return h;
  });
  c.unique(names, field, (s) => s.toLowerCase());
  return names;
}

function checkPath(c: Checker, p: unknown, field: string): string {
  if (typeof p !== 'string') c.fail(field, p === undefined ? 'is missing' : `must be a string, is ${kind(p)}`, 'write "/api/data"');
  if (!p.startsWith('/')) c.fail(field, `${JSON.stringify(p)} does not start with /`, `write a path on the target, e.g. "/${p.replace(/^[a-z]+:\/\/[^/]*\/?/i, '')}"`);
  if (/[\s#]/.test(p)) c.fail(field, `${JSON.stringify(p)} contains whitespace or #`, 'percent-encode it');
  return p;
}

function checkEndpoint(c: Checker, raw: unknown, field: string): PolicyEndpoint {
  const o = c.object(raw, field);
  c.known(o, field, ENDPOINT_FIELDS);
  const path = c.check(() => checkPath(c, o.path, `${field}.path`));
  const methodList = c.check(() => c.array(o.methods, `${field}.methods`, { nonEmpty: true, example: '["GET", "POST"]' })) ?? [];
  const methods = c.items(methodList, (m, i) => checkMethod(c, m, `${field}.methods[${i}]`));
  c.unique(methods, `${field}.methods`);
  if (o.body !== undefined && o.body !== null && typeof o.body !== 'string') c.note(`${field}.body`, `must be a string or null, is ${kind(o.body)}`, 'write "{\\"name\\": \\"x\\"}" or null');
  // Entries with a problem are undefined here; validatePolicy throws before anyone sees them.
  return {
    path: path as string,
    methods: methods as string[],
    requestHeaders: checkHeaderNames(c, o.requestHeaders, `${field}.requestHeaders`, true) as string[],
    credentials: c.check(() => c.bool(o.credentials, `${field}.credentials`, false)) ?? false,
    exposedHeaders: checkHeaderNames(c, o.exposedHeaders, `${field}.exposedHeaders`, false) as string[],
    ...(o.body !== undefined ? { body: o.body as string | null } : {}),
  };
}

function checkTarget(c: Checker, t: unknown): string {
  if (typeof t !== 'string') c.fail('target', t === undefined ? 'is missing' : `must be a string, is ${kind(t)}`, 'write the origin of your API, e.g. "http://127.0.0.1:8080"');
  const tp = originProblem(t);
  if (tp) c.fail('target', tp.problem.replace('is not an origin', 'is not an API origin'), tp.fix.replace(/"https:\/\/app\.example\.com"/, '"http://127.0.0.1:8080"'));
  return t;
}

function checkServedAs(c: Checker, v: unknown, target: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') c.fail('servedAs', `must be a string, is ${kind(v)}`, 'write the origin browsers call in production, e.g. "https://api.example.com"');
  const p = originProblem(v);
  if (p) c.fail('servedAs', p.problem.replace('is not an origin', 'is not an API origin'), p.fix.replace(/"https:\/\/app\.example\.com"/, '"https://api.example.com"'));
  if (v === target) c.fail('servedAs', `${v} is the target itself`, 'remove servedAs, or give the production origin of the API');
  return v;
}

// Values are the user's credentials: no message below repeats one.
function checkSession(c: Checker, v: unknown): PolicySession | undefined {
  if (v === undefined) return undefined;
  const o = c.object(v, 'session');
  c.known(o, 'session', ['cookies', 'headers']);
  if (o.cookies !== undefined) c.check(() => checkCookies(c, o.cookies, 'session.cookies', true));
  const headers: Record<string, string> = {};
  if (o.headers !== undefined) {
    c.check(() => {
      const h = c.object(o.headers, 'session.headers');
      const seen = new Set<string>();
      for (const [name, value] of Object.entries(h)) {
        const f = `session.headers.${name}`;
        if (!TOKEN.test(name)) { c.note('session.headers', `${JSON.stringify(name)} is not a header name (an HTTP token)`, 'use letters, digits and - only, e.g. "Authorization"'); continue; }
        if (isForbiddenRequestHeader(name, 'x')) { c.note(f, `a page can never set ${name} (a forbidden request header)`, name.toLowerCase() === 'cookie' ? 'put the cookie in session.cookies' : 'remove it'); continue; }
        if (seen.has(name.toLowerCase())) c.note(f, 'is given twice (header names ignore case)', 'give it once');
        seen.add(name.toLowerCase());
        if (typeof value !== 'string') c.note(f, `must be a string, is ${kind(value)}`, 'quote the value');
        else if (/[\0\r\n]/.test(value)) c.note(f, 'the value (not shown: it is a secret) contains CR, LF or NUL', 'remove the control characters');
        else headers[name] = value;
      }
    });
  }
  return { cookies: (Array.isArray(o.cookies) ? o.cookies : []) as SessionCookie[], headers };
}

/** The stack whose fix table the reports quote; a near miss ("flsk", "express.js") gets a did-you-mean. */
function checkStack(c: Checker, v: unknown): StackId | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') c.fail('stack', `must be a string, is ${kind(v)}`, `write one of: ${STACK_IDS.join(', ')}`);
  if ((STACK_IDS as readonly string[]).includes(v)) return v as StackId;
  const guess = closest(v.replace(/\.js$/i, ''), STACK_IDS);
  c.fail('stack', `${JSON.stringify(v)} has no fix table${guess ? ` (did you mean "${guess}"?)` : ''}`, `${guess ? `write "${guess}", ` : ''}use one of: ${STACK_IDS.join(', ')}, or remove it to let the run recognise the stack`);
}

/** Validate a policy object; `file` is how messages name it. Pure: throws one InputError listing every problem. */
export function validatePolicy(raw: unknown, file: string): Policy {
  const c: Checker = new Checker(file);
  return c.validate(() => policyFields(c, raw, file));
}

function policyFields(c: Checker, raw: unknown, file: string): Policy {
  const o = c.object(raw, '(policy)');
  c.known(o, '', TOP_FIELDS);
  const target = c.check(() => checkTarget(c, o.target));
  const allowedOrigins = checkOrigins(c, o.allowedOrigins, 'allowedOrigins', false);
  c.unique(allowedOrigins, 'allowedOrigins');
  allowedOrigins.forEach((a, i) => {
    if (a !== undefined && a === target) c.note(`allowedOrigins[${i}]`, `${a} is the target itself; a same-origin page needs no CORS`, 'list the origins of the pages that call the API');
  });
  const blockedOrigins = checkOrigins(c, o.blockedOrigins, 'blockedOrigins', true);
  c.unique(blockedOrigins, 'blockedOrigins');
  blockedOrigins.forEach((b, i) => {
    if (b !== undefined && allowedOrigins.includes(b)) c.note(`blockedOrigins[${i}]`, `${b} is also in allowedOrigins`, 'keep it in one of the two lists');
  });
  const endpointList = c.check(() => c.array(o.endpoints, 'endpoints', { nonEmpty: true, example: '[{ "path": "/api/data", "methods": ["GET"] }]' })) ?? [];
  const endpoints = c.items(endpointList, (e, i) => checkEndpoint(c, e, `endpoints[${i}]`));
  c.unique(endpoints.map((e) => e?.path), 'endpoints', (p) => p);
  const lna = o.localNetworkAccess;
  if (lna !== undefined && lna !== 'grant' && lna !== 'deny') c.note('localNetworkAccess', `is ${JSON.stringify(lna)}`, 'use "grant" (default) or "deny"');
  const failOn = c.check(() => c.oneOf(o.failOn, 'failOn', FAIL_ON_LEVELS, true));
  const servedAs = c.check(() => checkServedAs(c, o.servedAs, target));
  const stack = c.check(() => checkStack(c, o.stack));
  const session = c.check(() => checkSession(c, o.session));
  allowedOrigins.forEach((a, i) => {
    if (servedAs !== undefined && a === servedAs) c.note(`allowedOrigins[${i}]`, `${a} is the API's own origin (servedAs); a same-origin page needs no CORS`, 'list the origins of the pages that call the API');
  });
  // Entries with a problem are undefined here; validatePolicy throws before anyone sees them.
  return {
    target: target as string,
    allowedOrigins: allowedOrigins as string[],
    endpoints: endpoints as PolicyEndpoint[],
    blockedOrigins: blockedOrigins as string[],
    allowSubdomains: c.check(() => c.bool(o.allowSubdomains, 'allowSubdomains', false)) ?? false,
    localNetworkAccess: (lna ?? 'grant') as LocalNetworkAccessMode,
    failOn: failOn ?? DEFAULT_FAIL_ON,
    ...(servedAs !== undefined ? { servedAs } : {}),
    ...(session ? { session } : {}),
    ...(stack !== undefined ? { stack } : {}),
    source: file,
  };
}

/** Read and validate CORS_POLICY: a JSON file, or a module (.ts/.mts/.js/.mjs) exporting definePolicy(...). */
export async function readPolicyFile(file: string): Promise<Policy> {
  if (/\.(c|m)?[jt]s$/.test(file)) {
    const shown = checkInputFile(file, POLICY_FILE);
    let mod: unknown;
    // Loaded as Playwright loads the project's own config, so the file may be written however that
    // config may: TypeScript, `import` or `require` in a CommonJS project, an ES module.
    try { mod = await requireOrImportLikePlaywright(path.resolve(file)); } catch (e) {
      const text = String((e as Error).message).split('\n')[0];
      throw new InputError(`${shown}: cannot load the policy module: ${text}. Fix: export default definePolicy({ ... }) (or module.exports = definePolicy({ ... }) in CommonJS)`);
    }
    // `export default` (an ES module, or one Playwright turned into CommonJS) or `module.exports = ...`.
    const m = mod as { default?: unknown; __esModule?: boolean; [Symbol.toStringTag]?: string } | null;
    const isModule = !!m && typeof m === 'object' && (m[Symbol.toStringTag] === 'Module' || m.__esModule === true);
    const policy = isModule ? m!.default : mod;
    const empty = !!policy && typeof policy === 'object' && !Object.keys(policy).length;
    if (policy === undefined || empty) throw new InputError(`${shown}: the policy module exports nothing. Fix: export default definePolicy({ ... }) (or module.exports = definePolicy({ ... }) in CommonJS)`);
    return validatePolicy(policy, shown);
  }
  const { shown, data } = readInputJson(file, {
    ...POLICY_FILE, maxBytes: MAX_FILE_BYTES, tooBigFix: 'a policy lists origins and endpoints; split very large ones',
  });
  return validatePolicy(data, shown);
}

/** A target nobody answers on would fail every check: say so once, before the engines start. */
export async function checkTargetReachable(policy: Policy, timeoutMs = 3000): Promise<void> {
  const url = new URL(policy.target);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const error = await new Promise<string | null>((resolve) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => { socket.destroy(); resolve(`no answer within ${timeoutMs} ms`); }, timeoutMs);
    socket.once('connect', () => { clearTimeout(timer); socket.end(); resolve(null); });
    socket.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(e.code === 'ECONNREFUSED' ? 'connection refused' : e.code === 'ENOTFOUND' ? 'host not found' : `${e.code ?? ''} ${e.message}`.trim());
    });
  });
  if (error) {
    throw new InputError(`${policy.source}, field "target": cannot connect to ${policy.target} (${error}). Fix: start your API first, or correct "target"`);
  }
}
