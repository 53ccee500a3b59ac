#!/usr/bin/env node
// Set-up run first by `npm run matrix` and `npm test`. Dependency-free and idempotent:
// 1. installs npm dependencies when node_modules is missing or older than the lockfile;
// 2. finds each engine (Playwright's browser where installed, else Debian's package);
// 3. as root on Debian, installs missing packages; otherwise prints the exact command.
// Seconds when everything is there. Prints what it found.
// `--packages` prints the engines' Debian packages and exits (CI installs them before anything else).
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { locateEngines, describe, DEBIAN_PACKAGES, INSTALL_COMMAND } from '../harness/engines/locate.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const log = (m) => process.stdout.write(`[setup] ${m}\n`);

function lockHash() {
  const lock = path.join(root, 'package-lock.json');
  const pkg = path.join(root, 'package.json');
  const h = crypto.createHash('sha256');
  for (const f of [pkg, lock]) if (fs.existsSync(f)) h.update(fs.readFileSync(f));
  return h.digest('hex');
}

function ensureNodeModules() {
  const stamp = path.join(root, 'node_modules', '.cors-matrix-installed');
  const want = lockHash();
  const have = fs.existsSync(stamp) ? fs.readFileSync(stamp, 'utf8').trim() : null;
  if (have === want && fs.existsSync(path.join(root, 'node_modules', '@playwright', 'test'))) {
    log('npm dependencies: up to date');
    return;
  }
  const cmd = fs.existsSync(path.join(root, 'package-lock.json')) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund'];
  log(`npm dependencies: ${have ? 'stale' : 'missing'}, running npm ${cmd[0]}`);
  // Playwright's own browser download cannot work on a closed network; the engines come from the system.
  const r = spawnSync('npm', cmd, { cwd: root, stdio: 'inherit', env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' } });
  if (r.status !== 0) { log(`npm ${cmd[0]} failed (exit ${r.status})`); process.exit(r.status ?? 1); }
  fs.writeFileSync(stamp, want + '\n');
}

function isRootOnDebian() {
  return process.getuid?.() === 0 && fs.existsSync('/etc/debian_version') && fs.existsSync('/usr/bin/apt-get');
}

function installPackages(packages) {
  log(`installing Debian packages: ${packages.join(' ')} (about a minute)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  if (update.status !== 0) return false;
  const install = spawnSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env });
  return install.status === 0;
}

function ensureEngines() {
  let engines = locateEngines();
  const missing = [...new Set(engines.flatMap((e) => e.missing ?? []))].filter((p) => DEBIAN_PACKAGES.includes(p));
  if (missing.length && isRootOnDebian()) {
    if (!installPackages(missing)) log(`apt-get failed; install by hand: ${INSTALL_COMMAND}`);
    engines = locateEngines();
  }
  for (const e of engines) {
    const where = e.kind === 'webdriver' ? e.driverPath : e.executablePath ?? 'Playwright build';
    log(`${e.id.padEnd(8)} ${e.available ? 'found  ' : 'MISSING'} ${e.browser} via ${e.driver}: ${describe(e)}${e.available ? ` (${where})` : ''}`);
  }
  const still = engines.filter((e) => !e.available);
  if (still.length) {
    log(`not available: ${still.map((e) => e.id).join(', ')}. Install with (as root): ${INSTALL_COMMAND}`);
    if (still.length === engines.length) process.exit(1);
  }
}

if (process.argv.includes('--packages')) {
  process.stdout.write(DEBIAN_PACKAGES.join(' ') + '\n');
  process.exit(0);
}

ensureNodeModules();
ensureEngines();
log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
