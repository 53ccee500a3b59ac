// Each engine launched directly, the way a user starts it: its own binary on one URL, a fresh profile
// in a temporary directory, no Playwright, WebDriver, CDP, Marionette or proxy. The `.test` names
// resolve to 127.0.0.1 without DNS and without a proxy, the throwaway CA is trusted where the
// browser keeps its trust (never system-wide), and the whole process group is killed at the end.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { startManaged } from '../../../harness/engines/processes.ts';
import { startXvfb, type Display } from '../../../harness/engines/xvfb.ts';
import { locate } from '../../../harness/engines/locate.mjs';
import type { CookieSpec, EngineId, Regime } from '../../../harness/model/types.ts';
import { leftovers } from '../helpers.ts';
import { HOSTS, startCookieSites, type Visit } from './cookie-sites.ts';

/** Every wait is bounded by this: the visit from the first URL to /done (MiniBrowser alone took 15 s to its first request at load 25). */
export const VISIT_TIMEOUT_MS = 60_000;

interface Prepared { command: string; args: string[]; env: Record<string, string>; display?: Display }
interface Setup { dir: string; home: string; port: number; caFile: string; url: string }

/** One engine in one regime, started directly. */
export interface DirectLaunch {
  engine: EngineId;
  regime: Regime;
  /** How the regime is set, for the test's name. */
  regimeSetting: string;
  /** The binary, or why this machine has none to launch directly. */
  binary(): { path: string } | { missing: string };
  prepare(binary: string, s: Setup): Promise<Prepared>;
}

/** An NSS database (Chromium's `~/.pki/nssdb`, Firefox's profile) that trusts the throwaway CA as a web CA. */
function trustInNss(dbDir: string, caFile: string): void {
  fs.mkdirSync(dbDir, { recursive: true });
  execFileSync('certutil', ['-N', '-d', `sql:${dbDir}`, '--empty-password'], { timeout: 15_000 });
  execFileSync('certutil', ['-A', '-d', `sql:${dbDir}`, '-n', 'cors-matrix direct-launch CA', '-t', 'C,,', '-i', caFile], { timeout: 15_000 });
}

/** HOME and the XDG folders inside the run's directory: nothing of the machine's user profile is read or written. */
function privateHome(s: Setup): Record<string, string> {
  return { HOME: s.home, XDG_CONFIG_HOME: path.join(s.home, '.config'), XDG_CACHE_HOME: path.join(s.home, '.cache'), XDG_DATA_HOME: path.join(s.home, '.local', 'share') };
}

/** The engine's binary as the harness finds it on this machine (Debian's package). */
function fromLocator(id: EngineId, field: 'executablePath' | 'browserPath'): { path: string } | { missing: string } {
  const loc = locate(id);
  const p = loc[field];
  return p && fs.existsSync(p) ? { path: p } : { missing: `no local ${id} binary to launch directly (${(loc.missing ?? []).join(', ') || loc.browser})` };
}

const chromium = (regime: Regime, regimeSetting: string, preferences: object | null): DirectLaunch => ({
  engine: 'chromium', regime, regimeSetting,
  binary: () => fromLocator('chromium', 'executablePath'),
  async prepare(binary, s) {
    const profile = path.join(s.dir, 'profile');
    // Written before the first start, as a user's setting would be found in the profile.
    if (preferences) {
      fs.mkdirSync(path.join(profile, 'Default'), { recursive: true });
      fs.writeFileSync(path.join(profile, 'Default', 'Preferences'), JSON.stringify(preferences));
    }
    // Certificates: the CA is trusted in the user's NSS database ($HOME/.pki/nssdb), where Chromium
    // on Linux reads locally added roots; no --ignore-certificate-errors.
    trustInNss(path.join(s.home, '.pki', 'nssdb'), s.caFile);
    return {
      command: binary,
      args: [
        '--headless',
        // As root Chromium refuses to start sandboxed.
        '--no-sandbox',
        `--user-data-dir=${profile}`,
        // A resolver switch, not a proxy: every .test name is 127.0.0.1 at the server's port.
        `--host-resolver-rules=MAP *.test 127.0.0.1:${s.port}`,
        // A closed network (SPEC section 4): background fetches to Google hosts fail and slow every start.
        '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
        s.url,
      ],
      env: privateHome(s),
    };
  },
});

const firefox = (regime: Regime, regimeSetting: string, prefs: Record<string, string | number | boolean>): DirectLaunch => ({
  engine: 'firefox', regime, regimeSetting,
  binary: () => fromLocator('firefox', 'executablePath'),
  async prepare(binary, s) {
    const profile = path.join(s.dir, 'profile');
    // Certificates: the CA is trusted in the profile's own NSS database (cert9.db).
    trustInNss(profile, s.caFile);
    const all = {
      // Names Firefox answers with the loopback address itself, before any resolver: no DNS, no proxy.
      'network.dns.localDomains': Object.values(HOSTS).join(','),
      ...prefs,
    };
    fs.writeFileSync(path.join(profile, 'user.js'), Object.entries(all).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});\n`).join(''));
    return { command: binary, args: ['--headless', '--no-remote', '--profile', profile, s.url], env: privateHome(s) };
  },
});

/**
 * MiniBrowser in a private mount namespace (we are root): a hosts file naming the three hosts is
 * bound over /etc/hosts, and the system CA bundle with the throwaway CA appended over
 * /etc/ssl/certs/ca-certificates.crt (the trust GnuTLS reads), for MiniBrowser and its web and
 * network processes only; no --ignore-tls-errors. The bind mounts end with the namespace.
 */
const NAMESPACE_SCRIPT = 'mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/ssl/certs/ca-certificates.crt && shift 2 && exec "$@"';
const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

const webkit = (regime: Regime, regimeSetting: string, switches: string[]): DirectLaunch => ({
  engine: 'webkit', regime, regimeSetting,
  // The private hosts file needs a mount namespace, which only root may make without a user namespace.
  binary: () => process.getuid?.() === 0 ? fromLocator('webkit', 'browserPath') : { missing: 'MiniBrowser\'s private hosts file needs a mount namespace: run as root' },
  async prepare(binary, s) {
    const hosts = path.join(s.dir, 'hosts');
    fs.writeFileSync(hosts, `127.0.0.1 localhost\n::1 localhost\n127.0.0.1 ${Object.values(HOSTS).join(' ')}\n`);
    const bundle = path.join(s.dir, 'ca-certificates.crt');
    fs.writeFileSync(bundle, fs.readFileSync(SYSTEM_CA_BUNDLE, 'utf8') + '\n' + fs.readFileSync(s.caFile, 'utf8'));
    // MiniBrowser has no headless mode: a private Xvfb display, the harness's one way to start one.
    const display = await startXvfb(locate('webkit').xvfbPath ?? '/usr/bin/Xvfb');
    return {
      command: 'unshare',
      args: ['--mount', 'sh', '-c', NAMESPACE_SCRIPT, 'sh', hosts, bundle, binary, ...switches, s.url],
      env: { ...privateHome(s), DISPLAY: display.display },
      display,
    };
  },
});

/** The engines and regimes the catalogue records, each as a user runs it. */
export const DIRECT_LAUNCHES: DirectLaunch[] = [
  chromium('installed', 'as Debian ships it', null),
  // 2 = "Block third-party cookies in Incognito", upstream Chromium's registered default and Chrome's.
  chromium('users', 'cookie_controls_mode 2', { profile: { cookie_controls_mode: 2 } }),
  firefox('installed', 'fresh profile', {}),
  // Firefox's release default (Total Cookie Protection), stated as the harness's users regime states it.
  firefox('users', 'cookieBehavior 5', { 'network.cookie.cookieBehavior': 5 }),
  webkit('installed', 'MiniBrowser default', []),
  webkit('users', '--enable-itp', ['--enable-itp']),
];

export interface DirectVisit extends Visit {
  /** The command line as launched. */
  commandLine: string;
  /** Whether the last page reached /done within VISIT_TIMEOUT_MS. */
  finished: boolean;
  /** How the wait ended, and the browser's stderr tail, for a failure message. */
  stderr: string;
}

/** The command line as a shell would take it back: what the report shows and a reader can paste. */
function commandLine(command: string, args: string[]): string {
  return [command, ...args].map((a) => /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
}

/** Start the sites, launch the browser on the API's /set, wait (bounded) for /done, and stop everything. */
export async function visitDirectly(launch: DirectLaunch, binary: string, cookies: CookieSpec[]): Promise<DirectVisit> {
  const sites = await startCookieSites(cookies);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cors-direct-${launch.engine}-`));
  const marker = crypto.randomUUID();
  let prepared: Prepared | undefined;
  let stop = async () => {};
  const stderr: string[] = [];
  try {
    const home = path.join(dir, 'home');
    fs.mkdirSync(home);
    const caFile = path.join(dir, 'ca.crt');
    fs.writeFileSync(caFile, sites.ca.caCertPem);
    prepared = await launch.prepare(binary, { dir, home, port: sites.port, caFile, url: sites.startUrl });
    // The marker in the environment finds every process of this launch afterwards (tests/runs/helpers.ts).
    const browser = startManaged(prepared.command, prepared.args, {
      env: { ...process.env, ...prepared.env, CORS_RUN_MARKER: marker },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    stop = () => browser.stop();
    browser.child.stderr?.on('data', (d) => { stderr.push(String(d)); if (stderr.length > 200) stderr.shift(); });
    const exited = new Promise<string>((resolve) => browser.child.once('exit', (code, signal) => resolve(`exited early (${signal ?? code})`)));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<string>((resolve) => { timer = setTimeout(() => resolve('timed out'), VISIT_TIMEOUT_MS); });
    const end = await Promise.race([sites.done.then(() => 'done'), exited, timedOut]);
    clearTimeout(timer);
    return { ...sites.visit, commandLine: commandLine(prepared.command, prepared.args), finished: end === 'done', stderr: `${end}\n${stderr.join('').slice(-2000)}` };
  } finally {
    await stop();
    await prepared?.display?.stop();
    await sites.close();
    // The group is gone; anything still carrying the marker left it (a daemonised helper): a failure.
    const left = await leftovers(marker, 10_000);
    for (const p of left) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } }
    fs.rmSync(dir, { recursive: true, force: true });
    if (left.length) throw new Error(`processes left behind by ${launch.engine}: ${left.map((p) => `${p.pid} ${p.cmd}`).join('; ')}`);
  }
}
