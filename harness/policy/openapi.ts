// A starter policy from an OpenAPI 3.0 or 3.1 document (JSON or YAML), for `cors-matrix init
// --openapi`. Paths and methods become endpoints; what makes a browser's request need CORS
// permission comes from the document: header parameters and API-key headers are request headers,
// bearer, basic and OAuth tokens travel in Authorization, and a cookie parameter, a cookie API key or
// mutual TLS means the page sends credentials. A bad document ends with one line: the file, the
// JSON pointer of the value and the fix. Pure apart from reading the file.
import fs from 'node:fs';
import { parseDocument } from 'yaml';
import { InputError } from '../input/validate.ts';
import { originProblem, validatePolicy } from './load.ts';
import { isForbiddenRequestHeader } from '../oracle/safelist.ts';
import type { PolicyInput } from './policy-types.ts';

export interface OpenApiOptions {
  /** Overrides `servers[0].url`: the API's origin (a path in it is prefixed to every path). */
  target?: string;
  /** Origins the front ends run on (`--origin`), before the document's own CORS extension. */
  origins?: string[];
}

export interface OpenApiPolicy {
  policy: PolicyInput;
  /** What the user should know about the mapping (printed by `init`). */
  notes: string[];
}

type Obj = Record<string, unknown>;
/** Methods a page can send; OPTIONS is the preflight's own, TRACE browsers never send. */
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head'];
/** OpenAPI says header parameters with these names are ignored (the document describes them elsewhere). */
const IGNORED_HEADER_PARAMS = ['accept', 'content-type', 'authorization'];
/** Request body types a form can send: no preflight for these. */
const SAFELISTED_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
/** Where the starter's allowed origin is a placeholder, this is it. */
export const PLACEHOLDER_ORIGIN = 'https://app.example.com';

/** RFC 6901: `~` and `/` escaped in a pointer token. */
function token(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

function isObj(v: unknown): v is Obj {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

class Doc {
  constructor(readonly file: string, readonly root: Obj) {}

  fail(pointer: string, problem: string, fix: string): never {
    throw new InputError(`${this.file}, at JSON pointer "${pointer}": ${problem}. Fix: ${fix}`);
  }

  /** Follow local `$ref`s (cycles end with a message); returns the value and where it really is. */
  deref(value: unknown, pointer: string, seen: string[] = []): { value: unknown; pointer: string } {
    if (!isObj(value) || typeof value.$ref !== 'string') return { value, pointer };
    const ref = value.$ref;
    if (!ref.startsWith('#')) {
      this.fail(`${pointer}/$ref`, `${JSON.stringify(ref)} points into another file, which init does not read`, 'bundle the document into one file first (e.g. npx @redocly/cli bundle api.yaml -o bundled.yaml)');
    }
    const target = decodeURIComponent(ref.slice(1));
    if (seen.includes(target)) this.fail(`${pointer}/$ref`, `${JSON.stringify(ref)} refers to itself in a cycle`, 'point the $ref at a definition');
    let v: unknown = this.root;
    for (const part of target.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))) {
      v = isObj(v) || Array.isArray(v) ? (v as Obj)[part] : undefined;
      if (v === undefined) this.fail(`${pointer}/$ref`, `${JSON.stringify(ref)} points at nothing in this document`, 'correct the $ref or add the definition it names');
    }
    return this.deref(v, target, [...seen, target]);
  }
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

/** Parse JSON or YAML; a syntax error names the line and column (no pointer exists yet). */
export function parseOpenApiText(text: string, file: string): unknown {
  const json = /\.json$/i.test(file) || /^\s*\{/.test(text);
  if (json) {
    try { return JSON.parse(text); } catch (e) {
      const msg = (e as Error).message;
      // Node's message has the offset only for some errors; JSON is YAML, whose parser always has one.
      const pos = /position (\d+)/.exec(msg)?.[1] ?? parseDocument(text).errors[0]?.pos[0];
      const at = pos !== undefined ? lineColumn(text, Number(pos)) : 'JSON pointer ""';
      throw new InputError(`${file}, at ${at}: not valid JSON (${msg}). Fix: correct the syntax there (a YAML document should be named .yaml)`);
    }
  }
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    const at = lineColumn(text, err.pos[0]);
    throw new InputError(`${file}, at ${at}: not valid YAML (${err.message.split('\n')[0]}). Fix: correct the syntax there`);
  }
  return doc.toJS({ maxAliasCount: 1000 });
}

export function readOpenApiFile(file: string, options: OpenApiOptions = {}): OpenApiPolicy {
  let text: string;
  try { text = fs.readFileSync(file, 'utf8'); } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? (e as Error).message})`;
    throw new InputError(`${file}: ${problem}. Fix: give the path of your OpenAPI document (JSON or YAML), e.g. --openapi openapi.yaml`);
  }
  return policyFromOpenApi(parseOpenApiText(text, file), file, options);
}

/** The API's origin and the path every OpenAPI path is relative to. */
function targetOf(d: Doc, options: OpenApiOptions): { origin: string; basePath: string; note?: string } {
  const split = (raw: string, where: string, fix: string) => {
    let url: URL;
    try { url = new URL(raw); } catch { return d.fail(where, `${JSON.stringify(raw)} is not an absolute URL, so it names no API to call`, fix); }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') d.fail(where, `${JSON.stringify(raw)} is not http or https`, fix);
    return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
  };
  if (options.target) {
    let url: URL;
    try { url = new URL(options.target); } catch { throw new InputError(`--target ${JSON.stringify(options.target)}: not an absolute URL. Fix: write your API's test instance, e.g. --target http://127.0.0.1:8080`); }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InputError(`--target ${JSON.stringify(options.target)}: not http or https. Fix: e.g. --target http://127.0.0.1:8080`);
    // A target without a path keeps the document's base path (servers[0].url: "/v1" or "https://api.example.com/v1").
    const own = url.pathname.replace(/\/+$/, '');
    return { origin: url.origin, basePath: own || serverPath(d.root, url.origin) };
  }
  const fix = 'pass the URL of a test instance with --target http://127.0.0.1:8080, or write an absolute servers[0].url';
  const servers = d.root.servers;
  if (servers === undefined || (Array.isArray(servers) && servers.length === 0)) d.fail('/servers', 'there is no server, so the document names no API to call', fix);
  if (!Array.isArray(servers)) d.fail('/servers', 'must be an array', fix);
  const first = servers[0];
  if (!isObj(first) || typeof first.url !== 'string') d.fail('/servers/0/url', 'is missing or not a string', fix);
  // Server variables ({port}, {basePath}) take their defaults, as a client does without input.
  const vars = isObj(first.variables) ? first.variables : {};
  const url = first.url.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const v = vars[name];
    if (!isObj(v) || v.default === undefined) d.fail(`/servers/0/variables/${token(name)}`, `the variable {${name}} in servers[0].url has no default`, `give it a "default", or pass --target`);
    return String(v.default);
  });
  const t = split(url, '/servers/0/url', fix);
  return { ...t, note: `target ${t.origin} from servers[0].url; use a test instance (--target) if that is production: the checks send every method listed` };
}

/** servers[0].url's path (variables at their defaults), or "" when it has none or cannot be read. */
function serverPath(root: Obj, origin: string): string {
  const first = Array.isArray(root.servers) ? root.servers[0] : undefined;
  if (!isObj(first) || typeof first.url !== 'string') return '';
  const vars = isObj(first.variables) ? first.variables : {};
  const url = first.url.replace(/\{([^}]+)\}/g, (_, n: string) => String((vars[n] as Obj | undefined)?.default ?? ''));
  try { return new URL(url, origin).pathname.replace(/\/+$/, ''); } catch { return ''; }
}

/** A concrete value for a path parameter: its example, else one of its schema's type. */
function sampleFor(param: Obj | undefined): string {
  if (!param) return '1';
  const schema = isObj(param.schema) ? param.schema : {};
  const examples = isObj(param.examples) ? Object.values(param.examples).find((e) => isObj(e) && e.value !== undefined) as Obj | undefined : undefined;
  const v = param.example ?? examples?.value ?? schema.example ?? (Array.isArray(schema.examples) ? schema.examples[0] : undefined) ?? schema.default ?? (Array.isArray(schema.enum) ? schema.enum[0] : undefined);
  if (v !== undefined && v !== null && typeof v !== 'object') return String(v);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'integer' || type === 'number') return '1';
  if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
  return 'cors-matrix';
}

interface Parameter { name: string; in: string; raw: Obj }

function parameters(d: Doc, list: unknown, pointer: string): Parameter[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) d.fail(pointer, 'must be an array of parameters', 'write parameters as a list: - name: X-Api-Key\\n  in: header');
  return list.map((p, i) => {
    const { value, pointer: at } = d.deref(p, `${pointer}/${i}`);
    if (!isObj(value)) d.fail(at, 'a parameter must be an object', 'give it "name" and "in"');
    if (typeof value.name !== 'string' || !value.name) d.fail(`${at}/name`, 'is missing or not a string', 'name the parameter');
    if (!['query', 'header', 'path', 'cookie'].includes(value.in as string)) d.fail(`${at}/in`, `is ${JSON.stringify(value.in)}`, 'use one of query, header, path, cookie');
    return { name: value.name, in: value.in as string, raw: value };
  });
}

interface Needs { headers: Set<string>; credentials: boolean }

/** What the operation's security requirements ask of the browser's request. */
function security(d: Doc, requirements: unknown, pointer: string, needs: Needs, notes: Set<string>): void {
  if (requirements === undefined) return;
  if (!Array.isArray(requirements)) d.fail(pointer, 'must be an array of security requirements', 'write e.g. security: [{ bearerAuth: [] }]');
  const schemes = isObj((d.root.components as Obj | undefined)?.securitySchemes) ? (d.root.components as Obj).securitySchemes as Obj : {};
  // Alternatives (one requirement or another) are all mapped: the policy tests the request that
  // needs the most permission, which the others then also get.
  requirements.forEach((req, i) => {
    if (!isObj(req)) d.fail(`${pointer}/${i}`, 'a security requirement must be an object', 'write e.g. { bearerAuth: [] }');
    for (const name of Object.keys(req)) {
      if (!(name in schemes)) d.fail(`${pointer}/${i}/${token(name)}`, `the security scheme "${name}" is not defined`, `define it under components.securitySchemes.${name}, or correct the name`);
      const { value: s, pointer: at } = d.deref(schemes[name], `/components/securitySchemes/${token(name)}`);
      if (!isObj(s)) d.fail(at, 'a security scheme must be an object', 'give it a "type"');
      switch (s.type) {
        case 'apiKey':
          if (typeof s.name !== 'string' || !s.name) d.fail(`${at}/name`, 'an apiKey scheme needs the name of its header, query parameter or cookie', 'add "name"');
          if (s.in === 'header') needs.headers.add(s.name);
          else if (s.in === 'cookie') needs.credentials = true;
          else if (s.in === 'query') notes.add(`security scheme "${name}" sends its key in the query string, which needs no CORS permission`);
          else d.fail(`${at}/in`, `is ${JSON.stringify(s.in)}`, 'use header, query or cookie');
          break;
        case 'http': case 'oauth2': case 'openIdConnect':
          needs.headers.add('Authorization');
          break;
        case 'mutualTLS':
          // A client certificate is a credential in fetch's terms: sent only with credentials "include".
          needs.credentials = true;
          break;
        default:
          d.fail(`${at}/type`, `is ${JSON.stringify(s.type)}`, 'use apiKey, http, oauth2, openIdConnect or mutualTLS');
      }
    }
  });
}

function contentTypes(d: Doc, body: unknown, pointer: string): string[] {
  if (body === undefined) return [];
  const { value, pointer: at } = d.deref(body, pointer);
  if (!isObj(value)) d.fail(at, 'requestBody must be an object', 'give it "content"');
  if (value.content === undefined) return [];
  if (!isObj(value.content)) d.fail(`${at}/content`, 'must map media types to their schemas', 'write e.g. content: { application/json: { schema: {...} } }');
  return Object.keys(value.content);
}

function originsOf(d: Doc, options: OpenApiOptions, notes: string[]): string[] {
  const out: string[] = [];
  for (const o of options.origins ?? []) {
    const p = originProblem(o);
    if (p) throw new InputError(`--origin ${JSON.stringify(o)}: ${p.problem}. Fix: ${p.fix}`);
    if (!out.includes(o)) out.push(o);
  }
  const ext = d.root['x-amazon-apigateway-cors'];
  if (ext !== undefined) {
    if (!isObj(ext)) d.fail('/x-amazon-apigateway-cors', 'must be an object', 'write e.g. { allowOrigins: ["https://app.example.com"] }');
    const list = ext.allowOrigins;
    if (list !== undefined && !Array.isArray(list)) d.fail('/x-amazon-apigateway-cors/allowOrigins', 'must be an array of origins', 'write e.g. ["https://app.example.com"]');
    (list ?? []).forEach((o: unknown, i: number) => {
      const at = `/x-amazon-apigateway-cors/allowOrigins/${i}`;
      if (typeof o !== 'string') d.fail(at, 'must be a string', 'write an origin such as "https://app.example.com"');
      if (o === '*') { notes.push(`${at} is "*": any origin may read; list the origins your front ends run on with --origin to test who else can`); return; }
      const p = originProblem(o);
      if (p) d.fail(at, p.problem, p.fix);
      if (!out.includes(o)) out.push(o);
    });
  }
  return out;
}

/** The mapping itself, for a parsed document (tests call it directly). */
export function policyFromOpenApi(raw: unknown, file: string, options: OpenApiOptions = {}): OpenApiPolicy {
  if (!isObj(raw)) throw new InputError(`${file}, at JSON pointer "": the document must be an object with "openapi", "servers" and "paths". Fix: give an OpenAPI 3.0 or 3.1 document`);
  // Annotated: the checks narrow through d.fail (never) only with an explicit type.
  const d: Doc = new Doc(file, raw);
  if (raw.swagger !== undefined) d.fail('/swagger', `Swagger ${String(raw.swagger)} (OpenAPI 2) is not read`, 'convert it to OpenAPI 3 first (e.g. npx swagger2openapi swagger.yaml -o openapi.yaml)');
  if (typeof raw.openapi !== 'string') d.fail('/openapi', raw.openapi === undefined ? 'is missing' : 'must be a string such as "3.1.0"', 'start the document with openapi: 3.1.0 (or 3.0.3)');
  if (!/^3\.[01]\.\d+/.test(raw.openapi)) d.fail('/openapi', `version ${raw.openapi} is not read (3.0.x and 3.1.x are)`, 'give an OpenAPI 3.0 or 3.1 document');
  const notes: string[] = [];
  const target = targetOf(d, options);
  if (target.note) notes.push(target.note);
  if (raw.paths === undefined || (isObj(raw.paths) && Object.keys(raw.paths).length === 0)) d.fail('/paths', 'there are no paths, so there is nothing to check', 'describe at least one path, e.g. paths: { /api/data: { get: {...} } }');
  if (!isObj(raw.paths)) d.fail('/paths', 'must be an object of paths', 'write e.g. paths: { /api/data: { get: {...} } }');
  const schemeNotes = new Set<string>();
  const endpoints = new Map<string, { path: string; methods: string[]; requestHeaders: string[]; credentials: boolean }>();
  for (const [template, item] of Object.entries(raw.paths)) {
    const base = `/paths/${token(template)}`;
    if (!template.startsWith('/')) d.fail(base, `the path ${JSON.stringify(template)} does not start with /`, `write "/${template}"`);
    const { value: pathItem, pointer: itemAt } = d.deref(item, base);
    if (!isObj(pathItem)) d.fail(itemAt, 'a path item must be an object of operations', 'write e.g. get: { responses: {...} }');
    const shared = parameters(d, pathItem.parameters, `${itemAt}/parameters`);
    const methods: string[] = [];
    const needs: Needs = { headers: new Set(), credentials: false };
    const pathParams = new Map<string, Obj>();
    for (const p of shared) if (p.in === 'path') pathParams.set(p.name, p.raw);
    for (const m of METHODS) {
      if (pathItem[m] === undefined) continue;
      const opAt = `${itemAt}/${m}`;
      const op = pathItem[m];
      if (!isObj(op)) d.fail(opAt, 'an operation must be an object', 'write e.g. { responses: { "200": { description: ok } } }');
      methods.push(m.toUpperCase());
      // An operation's parameter replaces a path-level one with the same name and location.
      const own = parameters(d, op.parameters, `${opAt}/parameters`);
      const all = [...shared.filter((s) => !own.some((o) => o.name === s.name && o.in === s.in)), ...own];
      for (const p of all) {
        if (p.in === 'path') pathParams.set(p.name, p.raw);
        if (p.in === 'cookie') needs.credentials = true;
        if (p.in !== 'header') continue;
        if (IGNORED_HEADER_PARAMS.includes(p.name.toLowerCase())) continue;
        if (isForbiddenRequestHeader(p.name, 'x')) { schemeNotes.add(`header parameter ${p.name} is one a page can never set (the browser controls it); left out`); continue; }
        needs.headers.add(p.name);
      }
      const types = contentTypes(d, op.requestBody, `${opAt}/requestBody`);
      if (types.length && types.every((t) => !SAFELISTED_CONTENT_TYPES.includes(t.split(';')[0].trim().toLowerCase()))) needs.headers.add('Content-Type');
      security(d, op.security ?? raw.security, op.security !== undefined ? `${opAt}/security` : '/security', needs, schemeNotes);
    }
    if (!methods.length) continue;
    // The policy calls concrete URLs: each {parameter} takes its example (or a value of its type).
    const path = target.basePath + template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(sampleFor(pathParams.get(name))));
    // One endpoint per path: the methods share the union of what they need, which is the request
    // that needs the most permission (a method that needs less is still covered by the server's answer).
    const prev = endpoints.get(path);
    const headers = [...needs.headers];
    if (prev) {
      for (const m of methods) if (!prev.methods.includes(m)) prev.methods.push(m);
      for (const h of headers) if (!prev.requestHeaders.some((x) => x.toLowerCase() === h.toLowerCase())) prev.requestHeaders.push(h);
      prev.credentials ||= needs.credentials;
    } else {
      const unique = headers.filter((h, i) => headers.findIndex((x) => x.toLowerCase() === h.toLowerCase()) === i);
      endpoints.set(path, { path, methods, requestHeaders: unique, credentials: needs.credentials });
    }
  }
  if (!endpoints.size) d.fail('/paths', 'no path has a GET, PUT, POST, DELETE, PATCH or HEAD operation', 'add the operations your front end calls');
  notes.push(...schemeNotes);
  const allowedOrigins = originsOf(d, options, notes);
  if (!allowedOrigins.length) {
    allowedOrigins.push(PLACEHOLDER_ORIGIN);
    notes.push(`no allowed origin given: ${PLACEHOLDER_ORIGIN} is a placeholder; write the origins your front ends run on (--origin, repeatable)`);
  }
  const policy: PolicyInput = {
    target: target.origin,
    allowedOrigins,
    endpoints: [...endpoints.values()].map((e) => ({
      path: e.path, methods: e.methods,
      ...(e.requestHeaders.length ? { requestHeaders: e.requestHeaders } : {}),
      ...(e.credentials ? { credentials: true } : {}),
    })),
  };
  // What init writes must pass the run's own checks; a failure here is a mapping the run would refuse.
  validatePolicy(policy, file);
  return { policy, notes };
}

/** The starter policy without a document: one endpoint to edit. */
export function starterPolicy(options: OpenApiOptions = {}): OpenApiPolicy {
  const notes: string[] = [];
  const origins = options.origins?.length ? options.origins : [PLACEHOLDER_ORIGIN];
  for (const o of options.origins ?? []) {
    const p = originProblem(o);
    if (p) throw new InputError(`--origin ${JSON.stringify(o)}: ${p.problem}. Fix: ${p.fix}`);
  }
  if (!options.origins?.length) notes.push(`${PLACEHOLDER_ORIGIN} is a placeholder: write the origins your front ends run on`);
  let target = 'http://127.0.0.1:8080';
  let endpointPath: string | undefined;
  if (options.target) {
    let url: URL;
    try { url = new URL(options.target); } catch { throw new InputError(`--target ${JSON.stringify(options.target)}: not an absolute URL. Fix: e.g. --target http://127.0.0.1:8080`); }
    target = url.origin;
    // A target is an origin; a path the user wrote is the endpoint they meant, not something to lose.
    if (url.pathname !== '/' || url.search) endpointPath = url.pathname + url.search;
    if (url.hash) notes.push(`--target ${options.target}: dropped the fragment ${url.hash} (a browser never sends it)`);
  } else notes.push(`target ${target} is a placeholder: write the origin of a test instance of your API`);
  if (endpointPath) notes.push(`endpoint ${endpointPath} from --target: check its methods and request headers`);
  else notes.push('endpoint /api/data is a placeholder: list the paths, methods and request headers your front end uses');
  const policy: PolicyInput = {
    target,
    allowedOrigins: [...new Set(origins)],
    endpoints: [{ path: endpointPath ?? '/api/data', methods: ['GET', 'POST'], requestHeaders: ['Content-Type'], credentials: false }],
  };
  validatePolicy(policy, 'cors-policy.json');
  return { policy, notes };
}
