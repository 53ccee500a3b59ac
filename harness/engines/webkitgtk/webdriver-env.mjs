// The two variables that send the webkit engine to remote WebDriver endpoints, read here only:
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
 * What is wrong with the two variables, in the order found, for the run's environment check.
 * @param {NodeJS.ProcessEnv} env
 * @returns {Array<{ name: string, problem: string, fix: string }>}
 */
export function webDriverEnvProblems(env) {
  const problems = [];
  const wd = env.CORS_WEBDRIVER_URL;
  if (wd !== undefined) {
    for (const one of wd.split(',')) {
      let u;
      try { u = new URL(one.trim()); } catch { /* reported below */ }
      if (!u || !['http:', 'https:'].includes(u.protocol)) problems.push({ name: 'CORS_WEBDRIVER_URL', problem: `${JSON.stringify(one)} is not an http(s) URL`, fix: 'e.g. CORS_WEBDRIVER_URL=http://127.0.0.1:4444 (several: comma-separated)' });
    }
  }
  const caps = env.CORS_WEBDRIVER_CAPABILITIES;
  if (caps !== undefined && !capabilitiesObject(caps)) {
    problems.push({ name: 'CORS_WEBDRIVER_CAPABILITIES', problem: 'is not a JSON object', fix: `e.g. CORS_WEBDRIVER_CAPABILITIES='{"browserName":"MiniBrowser"}'` });
  }
  return problems;
}
