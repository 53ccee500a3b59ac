// What a Firefox runs with, read back from its own process and profile: its command line from /proc
// (the Firefox this process launched), the preferences the driver wrote to the profile's user.js,
// and where a preference is not set there, the build's default from omni.ja's firefox.js.
// Firefox offers no page or BiDi command that reads preferences (about:config does not load under
// Playwright), so these files are what the engine reads at start.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
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

/** The build's default preferences (omni.ja's defaults/preferences/firefox.js). */
function buildDefaults(executable: string): Map<string, string | number | boolean> {
  const omni = path.join(path.dirname(fs.realpathSync(executable)), 'browser', 'omni.ja');
  const text = fs.existsSync(omni) ? zipEntry(omni, 'defaults/preferences/firefox.js') : null;
  return text ? parsePrefs(text.toString('utf8'), 'pref') : new Map();
}

/**
 * One file of a zip archive (APPNOTE.TXT 4.3: the end record, the central directory, the local
 * header), read in place: about 20 ms for omni.ja's 97 kB, where a python3 zipfile run took 0.35 s
 * on a quiet machine and blocked this process's event loop (its proxy too) while it ran. Offsets are
 * taken relative to where the central directory is found, as Python's zipfile does, so an archive
 * with data before it (Mozilla's optimised jars) reads too. Null when the archive or entry is not
 * as expected.
 */
export function zipEntry(file: string, name: string): Buffer | null {
  const fd = fs.openSync(file, 'r');
  try {
    const read = (length: number, at: number) => {
      const b = Buffer.alloc(length);
      return fs.readSync(fd, b, 0, length, at) === length ? b : null;
    };
    const size = fs.fstatSync(fd).size;
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = read(tailLength, size - tailLength);
    if (!tail) return null;
    let end = -1;
    for (let i = tailLength - 22; i >= 0 && end < 0; i--) if (tail.readUInt32LE(i) === 0x06054b50) end = i;
    if (end < 0) return null;
    const entries = tail.readUInt16LE(end + 10), cdSize = tail.readUInt32LE(end + 12), cdOffset = tail.readUInt32LE(end + 16);
    const cdAt = size - tailLength + end - cdSize;
    const shift = cdAt - cdOffset;
    const cd = cdAt >= 0 ? read(cdSize, cdAt) : null;
    if (!cd) return null;
    for (let p = 0, k = 0; k < entries && p + 46 <= cd.length && cd.readUInt32LE(p) === 0x02014b50; k++) {
      const nameLength = cd.readUInt16LE(p + 28);
      if (cd.toString('utf8', p + 46, p + 46 + nameLength) === name) {
        const method = cd.readUInt16LE(p + 10), compressed = cd.readUInt32LE(p + 20), local = cd.readUInt32LE(p + 42) + shift;
        const header = read(30, local);
        if (!header || header.readUInt32LE(0) !== 0x04034b50) return null;
        const data = read(compressed, local + 30 + header.readUInt16LE(26) + header.readUInt16LE(28));
        if (!data) return null;
        return method === 0 ? data : method === 8 ? zlib.inflateRawSync(data) : null;
      }
      p += 46 + nameLength + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
    }
    return null;
  } finally {
    fs.closeSync(fd);
  }
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
