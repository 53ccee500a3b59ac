// CORS_PLAYWRIGHT_SERVER: the engines that run on a Playwright server (`npx playwright run-server`)
// instead of launching here, read here only: the locators, the launch and the run's environment
// check all ask this module. Dependency-free (the locators run before `npm install`).
import http from 'node:http';
import { createRequire } from 'node:module';

/** This project's Playwright (the client's), which a server must match in its minor version. Read when asked: before `npm install` there is none. */
export function projectPlaywrightVersion() {
  return /** @type {string} */ (createRequire(import.meta.url)('playwright-core/package.json').version);
}

/** The engines Playwright drives here; webkit is WebKitGTK over WebDriver (CORS_WEBDRIVER_URL). */
export const PLAYWRIGHT_SERVER_ENGINES = ['chromium', 'firefox'];

const EXAMPLE = 'e.g. CORS_PLAYWRIGHT_SERVER=chromium=ws://127.0.0.1:3000/,firefox=ws://127.0.0.1:3001/ (or one ws://... for both); npm run playwright-servers prints one';

/**
 * The variable's servers by engine, and what is wrong with it (each a problem and its fix).
 * @param {string | undefined} value
 * @returns {{ servers: Record<string, string>, problems: Array<{ problem: string, fix: string }> }}
 */
export function parsePlaywrightServers(value) {
  /** @type {Record<string, string>} */
  const servers = {};
  const problems = [];
  if (value === undefined || value.trim() === '') return { servers, problems };
  for (const raw of value.split(',')) {
    const part = raw.trim();
    if (!part) continue;
    const named = /^([A-Za-z][\w-]*)=(.*)$/.exec(part);
    const engines = named ? [named[1].toLowerCase()] : PLAYWRIGHT_SERVER_ENGINES;
    const url = named ? named[2].trim() : part;
    if (named && !PLAYWRIGHT_SERVER_ENGINES.includes(engines[0])) {
      problems.push(engines[0] === 'webkit'
        ? { problem: 'webkit is not driven by Playwright here (it is WebKitGTK over WebDriver)', fix: 'send it to remote WebDriver with CORS_WEBDRIVER_URL (or CORS_GRID), and name only chromium and firefox here' }
        : { problem: `${JSON.stringify(engines[0])} is not an engine`, fix: `name ${PLAYWRIGHT_SERVER_ENGINES.join(' or ')}: ${EXAMPLE}` });
      continue;
    }
    let u;
    try { u = new URL(url); } catch { /* reported below */ }
    if (!u || !['ws:', 'wss:'].includes(u.protocol) || !u.hostname) {
      problems.push({ problem: `${JSON.stringify(url)} is not a ws:// or wss:// URL`, fix: EXAMPLE });
      continue;
    }
    for (const id of engines) {
      if (servers[id]) problems.push({ problem: `${id} is named twice`, fix: 'name each engine once' });
      else servers[id] = u.href;
    }
  }
  return { servers, problems };
}

/**
 * The Playwright server engine `id` runs on, or undefined: it launches here.
 * @param {string} id
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {string | undefined}
 */
export function playwrightServerFor(id, env = process.env) {
  return parsePlaywrightServers(env.CORS_PLAYWRIGHT_SERVER).servers[id];
}

/**
 * For the run's environment check.
 * @param {NodeJS.ProcessEnv} env
 * @returns {Array<{ name: string, problem: string, fix: string }>}
 */
export function playwrightServerEnvProblems(env) {
  return parsePlaywrightServers(env.CORS_PLAYWRIGHT_SERVER).problems.map((p) => ({ name: 'CORS_PLAYWRIGHT_SERVER', ...p }));
}

/**
 * The Playwright version (major.minor) a server runs, asked without connecting: a WebSocket upgrade
 * whose User-Agent names Playwright 0.0 is refused by every run-server with 428 and the text
 * "Playwright version mismatch: - server version: vX.Y" (playwright-core, remote/playwrightServer.ts,
 * userAgentVersionMatchesErrorMessage). Null `version` with an `error` when the server did not say.
 * @param {string} wsEndpoint
 * @param {number} [timeoutMs]
 * @returns {Promise<{ version: string | null, error?: string }>}
 */
export function askServerVersion(wsEndpoint, timeoutMs = 10_000) {
  return new Promise((resolve) => {
    const u = new URL(wsEndpoint);
    if (u.protocol === 'wss:') { resolve({ version: null, error: 'wss: not asked before connecting' }); return; }
    const req = http.request({
      host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port || 80, path: u.pathname + u.search, timeout: timeoutMs,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Key': 'Y29ycy1tYXRyaXgtcHJvYmU=', 'Sec-WebSocket-Version': '13', 'User-Agent': 'Playwright/0.0.0 (cors-matrix version probe)' },
    });
    const done = (/** @type {{ version: string | null, error?: string }} */ r) => { req.destroy(); resolve(r); };
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => done(res.statusCode === 428 && serverVersionIn(body) ? { version: serverVersionIn(body) } : { version: null, error: `answered ${res.statusCode} ${body.trim().slice(0, 120)}` }));
    });
    req.on('upgrade', (_res, socket) => { socket.destroy(); done({ version: null, error: 'accepted a client of Playwright 0.0: not a version-checking Playwright server' }); });
    req.on('timeout', () => done({ version: null, error: `no answer within ${timeoutMs / 1000} s` }));
    req.on('error', (e) => done({ version: null, error: /** @type {NodeJS.ErrnoException} */ (e).code === 'ECONNREFUSED' ? 'connection refused (nothing listens there)' : e.message }));
    req.end();
  });
}

/**
 * The server's version in Playwright's 428 text (the probe's, or a refused connect's error).
 * @param {string} text
 * @returns {string | null}
 */
export function serverVersionIn(text) {
  return /server version: v(\d+\.\d+(?:\.\d+)?)/.exec(text)?.[1] ?? null;
}

/** @param {string} a @param {string} b */
const sameMinor = (a, b) => a.split('.').slice(0, 2).join('.') === b.split('.').slice(0, 2).join('.');

/**
 * The message for a server of another Playwright version (Playwright refuses client and server of
 * different minor versions), or null when they agree.
 * @param {string} id
 * @param {string} wsEndpoint
 * @param {string} serverVersion
 * @param {string} ourVersion
 */
export function versionMismatch(id, wsEndpoint, serverVersion, ourVersion) {
  if (sameMinor(serverVersion, ourVersion)) return null;
  return `CORS_PLAYWRIGHT_SERVER ${id}=${wsEndpoint}: the server runs Playwright ${serverVersion}, this project ${ourVersion}; a client and server of different Playwright versions refuse each other. Fix: start it with the same version: npx playwright@${ourVersion} run-server --port ${new URL(wsEndpoint).port || 80} --host 0.0.0.0 --unsafe (or npm run playwright-servers here)`;
}

/**
 * Every server of the variable asked for its version before the run's engines connect: what is
 * wrong, one line each (unreachable, or another Playwright version).
 * @param {NodeJS.ProcessEnv} env
 * @param {string} [ourVersion]
 * @returns {Promise<string[]>}
 */
export async function playwrightServerVersionProblems(env, ourVersion = projectPlaywrightVersion()) {
  const { servers } = parsePlaywrightServers(env.CORS_PLAYWRIGHT_SERVER);
  const byUrl = new Map();
  for (const [id, url] of Object.entries(servers)) byUrl.set(url, [...(byUrl.get(url) ?? []), id]);
  const problems = [];
  await Promise.all([...byUrl].map(async ([url, ids]) => {
    const { version, error } = await askServerVersion(url);
    const named = ids.map((/** @type {string} */ id) => `${id}=${url}`).join(',');
    if (version) {
      const m = versionMismatch(ids.join('+'), url, version, ourVersion);
      if (m) problems.push(m);
    } else if (/refused|no answer|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH/.test(error ?? '')) {
      problems.push(`CORS_PLAYWRIGHT_SERVER ${named}: cannot reach the server (${error}). Fix: start it (npx playwright@${ourVersion} run-server --port ${new URL(url).port || 80} --host 0.0.0.0 --unsafe, or npm run playwright-servers) or correct the URL`);
    }
    // Otherwise (a wss: server, a proxy in front): the connect itself says what is wrong.
  }));
  return problems;
}
