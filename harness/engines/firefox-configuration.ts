// What a Firefox runs with, read back from its own process and profile: its command line from /proc
// (the Firefox this process launched), the preferences the driver wrote to the profile's user.js,
// and where a preference is not set there, the build's default from omni.ja's firefox.js.
// Firefox offers no page or BiDi command that reads preferences (about:config does not load under
// Playwright), so these files are what the engine reads at start.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { EngineConfiguration, Regime } from '../model/types.ts';

/** The command lines of this process's children whose program matches `program`. */
export function childCommandLines(program: RegExp, parent = process.pid): string[][] {
  const out: string[][] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const ppid = /^PPid:\s+(\d+)$/m.exec(fs.readFileSync(`/proc/${d}/status`, 'latin1'))?.[1];
      if (Number(ppid) !== parent) continue;
      const argv = fs.readFileSync(`/proc/${d}/cmdline`, 'latin1').split('\0').filter(Boolean);
      if (argv.length && program.test(argv[0])) out.push(argv);
    } catch { /* gone */ }
  }
  return out;
}

/** `user_pref("name", value);` lines (user.js, prefs.js) as a map. */
export function parsePrefs(text: string, call = 'user_pref'): Map<string, string | number | boolean> {
  const prefs = new Map<string, string | number | boolean>();
  const re = new RegExp(`^\\s*${call}\\(\\s*"([^"]+)"\\s*,\\s*(.+?)\\s*\\);`, 'gm');
  for (const m of text.matchAll(re)) {
    const raw = m[2];
    prefs.set(m[1], raw === 'true' ? true : raw === 'false' ? false : /^-?\d+$/.test(raw) ? Number(raw) : raw.replace(/^"|"$/g, ''));
  }
  return prefs;
}

/** The build's default preferences (omni.ja's defaults/preferences/firefox.js), through Python's zipfile. */
function buildDefaults(executable: string): Map<string, string | number | boolean> {
  const omni = path.join(path.dirname(fs.realpathSync(executable)), 'browser', 'omni.ja');
  if (!fs.existsSync(omni)) return new Map();
  const r = spawnSync('python3', ['-c', 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("defaults/preferences/firefox.js").decode())', omni], { encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 ? parsePrefs(r.stdout, 'pref') : new Map();
}

// modules/libpref/init/StaticPrefList.yaml, network.cookie.cookieBehavior (nsICookieService).
const COOKIE_BEHAVIOR: Record<number, string> = {
  0: 'sent (network.cookie.cookieBehavior 0: all cookies)',
  1: 'blocked (network.cookie.cookieBehavior 1: no third-party cookies)',
  2: 'blocked (network.cookie.cookieBehavior 2: no cookies)',
  3: 'blocked unless visited first-party (network.cookie.cookieBehavior 3)',
  4: 'sent (network.cookie.cookieBehavior 4: trackers blocked, no partitioning)',
  5: 'blocked: Total Cookie Protection partitions them by top-level site (network.cookie.cookieBehavior 5)',
};
const COOKIE_BEHAVIOR_BRIEF: Record<number, string> = {
  0: 'sent', 1: 'blocked', 2: 'blocked (no cookies at all)', 3: 'blocked unless visited first-party', 4: 'sent', 5: 'blocked by Total Cookie Protection',
};

/** `launcherPid`: the process that launched the browser (this one, or a shared engine's host). */
export function readFirefoxConfiguration(executable: string, regime: Regime, launcherPid = process.pid): EngineConfiguration {
  const argv = childCommandLines(/firefox/, launcherPid).find((a) => a.includes('--profile') || a.includes('-profile'));
  if (!argv) throw new Error('no Firefox process of this run found to read its profile (a remote browser?)');
  const at = Math.max(argv.indexOf('--profile'), argv.indexOf('-profile'));
  const profile = argv[at + 1];
  const user = parsePrefs(fs.readFileSync(path.join(profile, 'user.js'), 'utf8'));
  const defaults = buildDefaults(executable);
  const pref = (name: string) => (user.has(name)
    ? { value: user.get(name), from: `${name} = ${JSON.stringify(user.get(name))} in the profile's user.js, set by ${regime === 'users' ? 'the harness (users regime) or ' : ''}the driver`, by: 'in the profile' }
    : { value: defaults.get(name), from: `${name} = ${JSON.stringify(defaults.get(name))}, the build's default (omni.ja firefox.js)`, by: 'the build\'s default' });
  const cookies = pref('network.cookie.cookieBehavior');
  const httpsFirst = user.get('dom.security.https_first');
  return {
    thirdPartyCookies: {
      value: COOKIE_BEHAVIOR[Number(cookies.value)] ?? `unknown (network.cookie.cookieBehavior ${JSON.stringify(cookies.value)})`,
      from: cookies.from,
      brief: `${COOKIE_BEHAVIOR_BRIEF[Number(cookies.value)] ?? 'unknown'} (network.cookie.cookieBehavior ${JSON.stringify(cookies.value)}, ${cookies.by})`,
    },
    ...(httpsFirst !== undefined ? { httpsUpgrades: { value: httpsFirst ? 'on' : 'off', from: `dom.security.https_first = ${httpsFirst} in the profile's user.js, set by the driver` } } : {}),
    automation: [...argv.slice(1).filter((a) => a !== profile), ...[...user].map(([k, v]) => `${k}=${JSON.stringify(v)}`)],
  };
}
