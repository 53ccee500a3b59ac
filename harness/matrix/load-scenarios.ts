// The scenarios a run uses: the built-in catalogue plus CORS_SCENARIOS (docs/scenarios.md), or that
// file alone with CORS_SCENARIOS_ONLY=1. A bad file stops the run with one message listing every
// problem, each naming the file, the scenario (index and id), the field and the fix.
import { REFERRER_POLICIES } from '../oracle/referrer.ts';
import path from 'node:path';
import type { Scenario } from '../model/types.ts';
import { COLUMN_IDS, FAULTS, REGIMES } from '../model/types.ts';
import { builtinScenarios } from '../catalogue/categories.ts';
import { readSettings } from '../settings.ts';
import { Checker, InputError, Problems, TOKEN, checkCookies, kind, readInputJson, shownPath, type Obj } from '../input/validate.ts';

export { InputError };

const MAX_FILE_BYTES = 5 * 1024 * 1024;


function checkResponse(c: Checker, v: unknown, field: string, extra: string[] = []): void {
  const o = c.object(v, field);
  c.known(o, field, ['status', 'headers', 'body', 'fault', ...extra]);
  c.check(() => c.status(o.status, `${field}.status`));
  c.check(() => c.headerList(o.headers, `${field}.headers`));
  c.check(() => c.string(o.body, `${field}.body`, { optional: true }));
  c.check(() => c.oneOf(o.fault, `${field}.fault`, FAULTS, true));
}

function checkExpect(c: Checker, v: unknown, field: string, engines: boolean): void {
  const o = c.object(v, field);
  c.known(o, field, engines ? ['outcome', 'preflight', 'exposed', 'error', 'cookiesReceived', 'referer', 'engines'] : ['outcome', 'preflight', 'exposed', 'cookiesReceived', 'referer', 'source', 'note', 'regimes']);
  if (o.referer !== undefined && o.referer !== null && typeof o.referer !== 'string') c.note(`${field}.referer`, `must be a URL string or null, is ${kind(o.referer)}`, 'write the Referer value, or null for none');
  if (o.cookiesReceived !== undefined && (!Array.isArray(o.cookiesReceived) || o.cookiesReceived.some((x) => typeof x !== 'string' || !TOKEN.test(x)))) {
    c.note(`${field}.cookiesReceived`, 'must be an array of cookie names', 'write ["sid"], or [] for none');
  }
  if (o.error !== undefined && typeof o.error !== 'boolean') c.note(`${field}.error`, `must be true or false, is ${kind(o.error)}`, 'write true for a transport-fault scenario');
  // An engine's recorded behaviour may be `error`: it stalls or fails where the standard decides.
  const outcomes = engines ? ['allowed', 'blocked'] as const : ['allowed', 'blocked', 'error'] as const;
  c.check(() => c.oneOf(o.outcome, `${field}.outcome`, outcomes, engines && (o.engines !== undefined || o.error === true)));
  if (o.preflight !== undefined && typeof o.preflight !== 'boolean') c.note(`${field}.preflight`, `must be true or false, is ${kind(o.preflight)}`, 'write true or false');
  if (o.exposed !== undefined && (!Array.isArray(o.exposed) || o.exposed.some((x) => typeof x !== 'string'))) c.note(`${field}.exposed`, 'must be an array of header names', 'write ["x-request-id"]');
  if (!engines && o.regimes !== undefined && (!Array.isArray(o.regimes) || !o.regimes.length || o.regimes.some((r) => !(REGIMES as readonly unknown[]).includes(r)))) {
    c.note(`${field}.regimes`, 'must be a non-empty array of regimes', `write e.g. ["installed"] (regimes: ${REGIMES.join(', ')}); leave it out for every regime`);
  }
  if (!engines) { c.check(() => c.string(o.source, `${field}.source`, { hint: 'name the evidence: a WPT path, a bug URL, or the engine message' })); return; }
  if (o.engines !== undefined) {
    c.check(() => {
      const e = c.object(o.engines, `${field}.engines`);
      c.known(e, `${field}.engines`, [...COLUMN_IDS]);
      for (const [id, x] of Object.entries(e)) c.check(() => checkExpect(c, x, `${field}.engines.${id}`, false));
    });
  }
}

/** What a request leaves out is the plain case: no headers, no credentials, no body. */
function requestDefaults(): Pick<Scenario['request'], 'headers' | 'credentials' | 'body'> {
  return { headers: {}, credentials: 'omit', body: null };
}

function checkRequest(c: Checker, v: unknown): void {
  const r = c.object(v, 'request');
  c.known(r, 'request', ['api', 'method', 'headers', 'credentials', 'body', 'mode', 'uploadListener', 'readHeaders', 'referrerPolicy']);
  const api = c.check(() => c.oneOf(r.api, 'request.api', ['fetch', 'xhr', 'img', 'script'] as const));
  c.check(() => c.string(r.method, 'request.method', { pattern: TOKEN, hint: 'an HTTP method token such as GET, PUT or PATCH (no spaces)' }));
  if (r.headers !== undefined) c.check(() => c.headerMap(r.headers, 'request.headers'));
  c.check(() => c.oneOf(r.credentials, 'request.credentials', ['omit', 'same-origin', 'include'] as const, true));
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') c.note('request.body', `must be a string or null, is ${kind(r.body)}`, 'write null or a string');
  c.check(() => c.oneOf(r.mode, 'request.mode', ['cors', 'no-cors'] as const, true));
  if (r.mode !== undefined && api !== undefined && api !== 'fetch') c.note('request.mode', `applies to fetch only, api is ${api}`, 'remove mode or use api "fetch"');
  c.check(() => c.oneOf(r.referrerPolicy, 'request.referrerPolicy', REFERRER_POLICIES, true));
  if (r.referrerPolicy !== undefined && api !== undefined && api !== 'fetch') c.note('request.referrerPolicy', `applies to fetch only, api is ${api}`, 'remove referrerPolicy or use api "fetch"');
  if (r.uploadListener !== undefined && typeof r.uploadListener !== 'boolean') c.note('request.uploadListener', 'must be true or false', 'write true or false');
  if (r.readHeaders !== undefined && (!Array.isArray(r.readHeaders) || r.readHeaders.some((x) => typeof x !== 'string' || !TOKEN.test(x)))) {
    c.note('request.readHeaders', 'must be an array of header names', 'write ["x-request-id"]');
  }
}

/** A named site: an http(s) origin on the reserved `.test` domain (RFC 6761), served on loopback by the harness. */
function checkSiteOrigin(c: Checker, v: unknown, field: string): void {
  const text = c.string(v, field, { hint: 'an origin such as "https://api.example.test"' }) as string;
  let u: URL | undefined;
  try { u = new URL(text); } catch { /* reported below */ }
  if (!u || !['http:', 'https:'].includes(u.protocol) || u.origin !== text.replace(/\/$/, '') || u.pathname !== '/') {
    c.fail(field, `${JSON.stringify(text)} is not an http or https origin (scheme, host, optional port; no path)`, 'write e.g. "https://api.example.test"');
  }
  if (!/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+test$/.test(u.hostname)) {
    c.fail(field, `host ${JSON.stringify(u.hostname)} is not under the reserved .test domain`, 'use a name such as app.example.test: named sites are served on this machine by the harness, never by DNS');
  }
}

function checkSites(c: Checker, v: unknown, page: unknown): void {
  const o = c.object(v, 'sites');
  c.known(o, 'sites', ['page', 'target']);
  c.check(() => checkSiteOrigin(c, o.page, 'sites.page'));
  c.check(() => checkSiteOrigin(c, o.target, 'sites.target'));
  if (page !== undefined) c.note('sites', 'cannot be combined with page (the page lives on sites.page)', 'remove page, or remove sites');
}

function checkScenarioFields(c: Checker, raw: unknown): Scenario {
  const o = c.object(raw, '(scenario)');
  c.known(o, '', ['id', 'title', 'category', 'request', 'preflight', 'response', 'redirects', 'page', 'followUp', 'sites', 'cookies', 'expect']);
  c.check(() => c.string(o.id, 'id', { pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, hint: 'use letters, digits, . _ - (up to 100 characters), e.g. "acao-two-values"' }));
  c.check(() => c.string(o.title, 'title'));
  c.check(() => c.string(o.category, 'category', { pattern: /^[a-z0-9][a-z0-9-]{0,49}$/, hint: 'use lowercase letters, digits and -, e.g. "acao-format"' }));
  c.check(() => checkRequest(c, o.request));
  if (o.preflight !== undefined) c.check(() => checkResponse(c, o.preflight, 'preflight'));
  c.check(() => checkResponse(c, o.response, 'response'));
  if (o.redirects !== undefined) {
    c.check(() => {
      if (!Array.isArray(o.redirects)) c.fail('redirects', `must be an array, is ${kind(o.redirects)}`, 'write [{ "status": 302, "headers": [], "to": "same" }]');
      o.redirects.forEach((h, i) => c.check(() => {
        checkResponse(c, h, `redirects[${i}]`, ['to', 'userinfo']);
        c.check(() => c.oneOf((h as Obj).to, `redirects[${i}].to`, ['same', 'other'] as const));
        const s = (h as Obj).status as number;
        if (Number.isInteger(s) && (s < 300 || s > 399)) c.note(`redirects[${i}].status`, `${s} is not a redirect`, 'use 301, 302, 303, 307 or 308');
        // A redirect is followed on its headers; a body that never ends there tests nothing new.
        if ((h as Obj).fault === 'endless-body') c.note(`redirects[${i}].fault`, '"endless-body" applies to preflight and response only', 'move it to preflight or response, or use another fault');
      }));
    });
  }
  if (o.page !== undefined) {
    c.check(() => {
      const p = c.object(o.page, 'page');
      c.known(p, 'page', ['origin', 'localNetworkAccess', 'site']);
      c.check(() => c.oneOf(p.origin, 'page.origin', ['default', 'sandboxed', 'public'] as const));
      c.check(() => c.oneOf(p.localNetworkAccess, 'page.localNetworkAccess', ['grant', 'deny'] as const, true));
      if (p.site !== undefined) {
        c.check(() => checkSiteOrigin(c, p.site, 'page.site'));
        if (p.origin !== 'public') c.note('page.site', 'applies to a public page only', 'set page.origin to "public", or remove page.site (named sites for other pages go in sites)');
      }
    });
  }
  if (o.followUp !== undefined) {
    c.check(() => {
      const f = c.object(o.followUp, 'followUp');
      c.known(f, 'followUp', ['request', 'url', 'fromSecondOrigin']);
      c.check(() => c.oneOf(f.url, 'followUp.url', ['same', 'fresh'] as const, true));
      if (f.request !== undefined) c.check(() => c.object(f.request, 'followUp.request'));
    });
  }
  if (o.sites !== undefined) c.check(() => checkSites(c, o.sites, o.page));
  if (o.cookies !== undefined) c.check(() => checkCookies(c, o.cookies));
  if (o.expect !== undefined) c.check(() => checkExpect(c, o.expect, 'expect', true));
  const request = { ...requestDefaults(), ...(o.request as Obj) };
  return { ...o, request } as unknown as Scenario;
}

/**
 * Validate one scenario object, filling the request's defaults; throws one InputError listing every
 * problem, each naming the field.
 */
export function checkScenario(raw: unknown, where: string): Scenario {
  const c = new Checker(where);
  return c.validate(() => checkScenarioFields(c, raw));
}

/** Read and validate a custom scenario file: every problem of every scenario in one InputError. */
export function readScenarioFile(file: string): Scenario[] {
  const shown = shownPath(file);
  const { data } = readInputJson(file, {
    name: 'scenario file', variable: 'CORS_SCENARIOS', fileFix: 'give the path of a JSON file',
    maxBytes: MAX_FILE_BYTES, tooBigFix: 'split it into smaller files',
    jsonFix: `check the syntax, e.g. with node -e "JSON.parse(require('fs').readFileSync('${shown}','utf8'))"`,
  });
  if (!Array.isArray(data)) throw new InputError(`${shown}: the top level must be a JSON array of scenarios, is ${kind(data)}. Fix: wrap the scenarios in [ ... ]`);
  const problems = new Problems();
  const ids = new Set<string>();
  const scenarios = data.map((raw, i) => {
    const id = typeof (raw as Obj)?.id === 'string' ? ` (id "${(raw as Obj).id}")` : '';
    const c = new Checker(`${shown}: scenario [${i}]${id}`, problems);
    const s = c.check(() => checkScenarioFields(c, raw));
    if (s && typeof s.id === 'string') {
      if (ids.has(s.id)) c.note('id', 'duplicate id', 'give every scenario its own id');
      ids.add(s.id);
    }
    return { ...s, source: shown } as Scenario;
  });
  problems.throwIfAny();
  return scenarios;
}

/** CORS_SCENARIOS_ONLY: the custom file alone, without the built-in catalogue. */
/** How many scenarios the built-in catalogue holds (the command's help says it). */
export function builtinScenarioCount(): number {
  return builtinScenarios.length;
}

export function customOnly(env: NodeJS.ProcessEnv = process.env): boolean {
  return readSettings(env).scenariosOnly;
}

/** The run's scenarios from its settings (CORS_SCENARIOS_ONLY's value was checked with the environment). */
export function loadScenarios(env: NodeJS.ProcessEnv = process.env): Scenario[] {
  const { scenariosFile: file, scenariosOnly: only } = readSettings(env);
  if (only && !file) throw new InputError('CORS_SCENARIOS_ONLY is set but CORS_SCENARIOS is not. Fix: set CORS_SCENARIOS=path/to/scenarios.json');
  const custom = file ? readScenarioFile(path.resolve(file)) : [];
  if (only) return custom;
  const builtinIds = new Set(builtinScenarios.map((s) => s.id));
  const shadowing = custom.filter((s) => builtinIds.has(s.id));
  if (shadowing.length) {
    throw new InputError(shadowing.map((s) => `${s.source}: scenario id "${s.id}" is already a built-in scenario. Fix: rename it, or set CORS_SCENARIOS_ONLY=1`));
  }
  return [...builtinScenarios, ...custom];
}
