// The variables that send the webkit engine to remote WebDriver endpoints or a Selenium Grid, read here only:
// the locator, the engine and the run's environment check all ask this module. Dependency-free.

/**
 * `CORS_WEBDRIVER_URL`: one URL or several, comma-separated.
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {string[]}
 */
export function remoteWebDriverUrls(env = process.env) {
  return (env.CORS_WEBDRIVER_URL ?? '').split(',').map((u) => u.trim().replace(/\/+$/, '')).filter(Boolean);
}

/**
 * `CORS_GRID`: a Selenium Grid's URL (its hub or router), or null.
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {string | null}
 */
export function gridUrl(env = process.env) {
  return env.CORS_GRID?.trim().replace(/\/+$/, '') || null;
}

/**
 * Whether the webkit engine runs elsewhere (endpoints or a Grid): no WebKitWebDriver or Xvfb here.
 * @param {NodeJS.ProcessEnv} [env]
 */
export function webkitIsRemote(env = process.env) {
  return remoteWebDriverUrls(env).length > 0 || gridUrl(env) !== null;
}

/** @param {string} raw */
function isHttpUrl(raw) {
  try { return ['http:', 'https:'].includes(new URL(raw.trim()).protocol); } catch { return false; }
}

/**
 * @param {string} raw
 * @returns {Record<string, unknown> | null}
 */
function capabilitiesObject(raw) {
  try {
    const v = JSON.parse(raw);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v;
  } catch { /* not JSON: not an object either */ }
  return null;
}

/**
 * `CORS_WEBDRIVER_CAPABILITIES`: merged into every remote session's `alwaysMatch`.
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {Record<string, unknown>}
 */
export function extraCapabilities(env = process.env) {
  const raw = env.CORS_WEBDRIVER_CAPABILITIES;
  if (!raw) return {};
  const v = capabilitiesObject(raw);
  if (v) return v;
  throw new Error(`CORS_WEBDRIVER_CAPABILITIES must be a JSON object (merged into alwaysMatch), is ${JSON.stringify(raw.slice(0, 80))}`);
}

/**
 * What is wrong with these variables, in the order found, for the run's environment check.
 * @param {NodeJS.ProcessEnv} env
 * @returns {Array<{ name: string, problem: string, fix: string }>}
 */
export function webDriverEnvProblems(env) {
  const problems = [];
  const wd = env.CORS_WEBDRIVER_URL;
  if (wd !== undefined) {
    for (const one of wd.split(',')) {
      if (!isHttpUrl(one)) problems.push({ name: 'CORS_WEBDRIVER_URL', problem: `${JSON.stringify(one)} is not an http(s) URL`, fix: 'e.g. CORS_WEBDRIVER_URL=http://127.0.0.1:4444 (several: comma-separated)' });
    }
  }
  const grid = env.CORS_GRID;
  if (grid !== undefined) {
    if (!isHttpUrl(grid) || grid.includes(',')) problems.push({ name: 'CORS_GRID', problem: `${JSON.stringify(grid)} is not one http(s) URL`, fix: 'the Grid\'s own URL, e.g. CORS_GRID=http://127.0.0.1:4444 (npm run grid prints it); its free slots give the sessions' });
    else if (wd !== undefined) problems.push({ name: 'CORS_GRID', problem: 'is set together with CORS_WEBDRIVER_URL', fix: 'set one of them: CORS_GRID for a Selenium Grid, CORS_WEBDRIVER_URL for WebDriver endpoints' });
  }
  const caps = env.CORS_WEBDRIVER_CAPABILITIES;
  if (caps !== undefined && !capabilitiesObject(caps)) {
    problems.push({ name: 'CORS_WEBDRIVER_CAPABILITIES', problem: 'is not a JSON object', fix: `e.g. CORS_WEBDRIVER_CAPABILITIES='{"browserName":"MiniBrowser"}'` });
  }
  return problems;
}
