// The scenarios a run uses: the built-in catalogue plus CORS_SCENARIOS (SPEC.md section 5), or that
// file alone with CORS_SCENARIOS_ONLY=1. A bad file stops the run with one message that names the
// file, the scenario (index and id), the field and the fix.
import fs from 'node:fs';
import path from 'node:path';
import type { Scenario } from './types.ts';
import { ENGINE_IDS, FAULTS } from './types.ts';
import { builtinScenarios } from './catalogue/index.ts';
import { Checker, InputError, TOKEN, kind, type Obj } from './validate.ts';

export { InputError };

const MAX_FILE_BYTES = 5 * 1024 * 1024;


function checkResponse(c: Checker, v: unknown, field: string, extra: string[] = []): void {
  const o = c.object(v, field);
  c.known(o, field, ['status', 'headers', 'body', 'fault', ...extra]);
  c.status(o.status, `${field}.status`);
  c.headerList(o.headers, `${field}.headers`);
  c.string(o.body, `${field}.body`, { optional: true });
  c.oneOf(o.fault, `${field}.fault`, FAULTS, true);
}

function checkExpect(c: Checker, v: unknown, field: string, engines: boolean): void {
  const o = c.object(v, field);
  c.known(o, field, engines ? ['outcome', 'preflight', 'exposed', 'error', 'engines'] : ['outcome', 'preflight', 'exposed', 'source', 'note']);
  if (o.error !== undefined && typeof o.error !== 'boolean') c.fail(`${field}.error`, `must be true or false, is ${kind(o.error)}`, 'write true for a transport-fault scenario');
  c.oneOf(o.outcome, `${field}.outcome`, ['allowed', 'blocked'] as const, engines && (o.engines !== undefined || o.error === true));
  if (o.preflight !== undefined && typeof o.preflight !== 'boolean') c.fail(`${field}.preflight`, `must be true or false, is ${kind(o.preflight)}`, 'write true or false');
  if (o.exposed !== undefined && (!Array.isArray(o.exposed) || o.exposed.some((x) => typeof x !== 'string'))) c.fail(`${field}.exposed`, 'must be an array of header names', 'write ["x-request-id"]');
  if (!engines) { c.string(o.source, `${field}.source`, { hint: 'name the evidence: a WPT path, a bug URL, or the engine message' }); return; }
  if (o.engines !== undefined) {
    const e = c.object(o.engines, `${field}.engines`);
    c.known(e, `${field}.engines`, [...ENGINE_IDS]);
    for (const [id, x] of Object.entries(e)) checkExpect(c, x, `${field}.engines.${id}`, false);
  }
}

/** Validate one scenario object; throws InputError naming the field. */
export function checkScenario(raw: unknown, where: string): Scenario {
  const c: Checker = new Checker(where);
  const o = c.object(raw, '(scenario)');
  c.known(o, '', ['id', 'title', 'category', 'request', 'preflight', 'response', 'redirects', 'page', 'followUp', 'expect']);
  c.string(o.id, 'id', { pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, hint: 'use letters, digits, . _ - (up to 100 characters), e.g. "acao-two-values"' });
  c.string(o.title, 'title');
  c.string(o.category, 'category', { pattern: /^[a-z0-9][a-z0-9-]{0,49}$/, hint: 'use lowercase letters, digits and -, e.g. "acao-format"' });
  const r = c.object(o.request, 'request');
  c.known(r, 'request', ['api', 'method', 'headers', 'credentials', 'body', 'mode', 'uploadListener', 'readHeaders']);
  const api = c.oneOf(r.api, 'request.api', ['fetch', 'xhr', 'img', 'script'] as const);
  c.string(r.method, 'request.method', { pattern: TOKEN, hint: 'an HTTP method token such as GET, PUT or PATCH (no spaces)' });
  c.headerMap(r.headers, 'request.headers');
  c.oneOf(r.credentials, 'request.credentials', ['omit', 'same-origin', 'include'] as const);
  if (r.body !== null && typeof r.body !== 'string') c.fail('request.body', `must be a string or null, is ${kind(r.body)}`, 'write null or a string');
  c.oneOf(r.mode, 'request.mode', ['cors', 'no-cors'] as const, true);
  if (r.mode !== undefined && api !== 'fetch') c.fail('request.mode', `applies to fetch only, api is ${api}`, 'remove mode or use api "fetch"');
  if (r.uploadListener !== undefined && typeof r.uploadListener !== 'boolean') c.fail('request.uploadListener', 'must be true or false', 'write true or false');
  if (r.readHeaders !== undefined && (!Array.isArray(r.readHeaders) || r.readHeaders.some((x) => typeof x !== 'string' || !TOKEN.test(x)))) {
    c.fail('request.readHeaders', 'must be an array of header names', 'write ["x-request-id"]');
  }
  if (o.preflight !== undefined) checkResponse(c, o.preflight, 'preflight');
  checkResponse(c, o.response, 'response');
  if (o.redirects !== undefined) {
    if (!Array.isArray(o.redirects)) c.fail('redirects', `must be an array, is ${kind(o.redirects)}`, 'write [{ "status": 302, "headers": [], "to": "same" }]');
    o.redirects.forEach((h, i) => {
      checkResponse(c, h, `redirects[${i}]`, ['to', 'userinfo']);
      c.oneOf((h as Obj).to, `redirects[${i}].to`, ['same', 'other'] as const);
      const s = (h as Obj).status as number;
      if (s < 300 || s > 399) c.fail(`redirects[${i}].status`, `${s} is not a redirect`, 'use 301, 302, 303, 307 or 308');
    });
  }
  if (o.page !== undefined) {
    const p = c.object(o.page, 'page');
    c.known(p, 'page', ['origin', 'localNetworkAccess']);
    c.oneOf(p.origin, 'page.origin', ['default', 'sandboxed', 'public'] as const);
    c.oneOf(p.localNetworkAccess, 'page.localNetworkAccess', ['grant', 'deny'] as const, true);
  }
  if (o.followUp !== undefined) {
    const f = c.object(o.followUp, 'followUp');
    c.known(f, 'followUp', ['request', 'url', 'fromSecondOrigin']);
    c.oneOf(f.url, 'followUp.url', ['same', 'fresh'] as const, true);
    if (f.request !== undefined) c.object(f.request, 'followUp.request');
  }
  if (o.expect !== undefined) checkExpect(c, o.expect, 'expect', true);
  return o as unknown as Scenario;
}

/** Read and validate a custom scenario file. */
export function readScenarioFile(file: string): Scenario[] {
  const shown = path.relative(process.cwd(), file) || file;
  let stat: fs.Stats;
  try { stat = fs.statSync(file); } catch { throw new InputError(`${shown}: cannot read the scenario file (CORS_SCENARIOS): no such file. Fix: give the path of a JSON file`); }
  if (stat.size > MAX_FILE_BYTES) throw new InputError(`${shown}: the scenario file is ${stat.size} bytes, over the ${MAX_FILE_BYTES}-byte limit. Fix: split it into smaller files`);
  let data: unknown;
  try { data = JSON.parse(fs.readFileSync(file, 'utf8')); } catch (e) {
    throw new InputError(`${shown}: not valid JSON (${(e as Error).message}). Fix: check the syntax, e.g. with node -e "JSON.parse(require('fs').readFileSync('${shown}','utf8'))"`);
  }
  if (!Array.isArray(data)) throw new InputError(`${shown}: the top level must be a JSON array of scenarios, is ${kind(data)}. Fix: wrap the scenarios in [ ... ]`);
  const ids = new Set<string>();
  return data.map((raw, i) => {
    const id = typeof (raw as Obj)?.id === 'string' ? ` (id "${(raw as Obj).id}")` : '';
    const s = checkScenario(raw, `${shown}: scenario [${i}]${id}`);
    if (ids.has(s.id)) throw new InputError(`${shown}: scenario [${i}] (id "${s.id}"), field "id": duplicate id. Fix: give every scenario its own id`);
    ids.add(s.id);
    return { ...s, source: shown };
  });
}

/** The run's scenarios from the environment. */
export function loadScenarios(env: NodeJS.ProcessEnv = process.env): Scenario[] {
  const file = env.CORS_SCENARIOS;
  const only = env.CORS_SCENARIOS_ONLY === '1' || env.CORS_SCENARIOS_ONLY === 'true';
  if (only && !file) throw new InputError('CORS_SCENARIOS_ONLY is set but CORS_SCENARIOS is not. Fix: set CORS_SCENARIOS=path/to/scenarios.json');
  if (env.CORS_SCENARIOS_ONLY !== undefined && !['0', '1', 'true', 'false', ''].includes(env.CORS_SCENARIOS_ONLY)) {
    throw new InputError(`CORS_SCENARIOS_ONLY=${JSON.stringify(env.CORS_SCENARIOS_ONLY)} is not understood. Fix: use 1 or 0`);
  }
  const custom = file ? readScenarioFile(path.resolve(file)) : [];
  if (only) return custom;
  const builtinIds = new Set(builtinScenarios.map((s) => s.id));
  for (const s of custom) {
    if (builtinIds.has(s.id)) throw new InputError(`${s.source}: scenario id "${s.id}" is already a built-in scenario. Fix: rename it, or set CORS_SCENARIOS_ONLY=1`);
  }
  return [...builtinScenarios, ...custom];
}
