// What the package tests (package*.spec.ts) share: the tarball, packed once per run, and fresh
// projects outside the repository that install it, as a new user's would.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { expect } from '@playwright/test';
import { ROOT } from './helpers.ts';

export interface Ran { code: number | null; stdout: string; stderr: string; ms: number }

/** A child in `cwd` with the environment of a user's shell: nothing of this run's Playwright or harness. */
export function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Ran> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TEST_|CORS_|PW_|PLAYWRIGHT_(?!BROWSERS_PATH))/.test(k))) as Record<string, string>;
  const started = Date.now();
  const child = spawn(cmd, args, { cwd, env: { ...clean, CI: '', FORCE_COLOR: '0', PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started })));
}

export const show = (r: Ran) => `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

export interface Tarball { file: string; size: number; files: number; paths: string[] }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `npm pack` of this repository, once per run: the package files run in workers of their own, and
 * two packs at once would both rebuild `dist/` (prepack). The first worker to create the folder
 * packs; the others wait for its `packed.json` (bounded). The folder is in the run's own TMPDIR, so
 * the next run packs anew. A pack that fails removes the folder, so a waiter (or a retry) packs
 * again and reports its own error.
 */
export async function packOnce(): Promise<Tarball> {
  const dir = path.join(os.tmpdir(), 'cors-matrix-pack');
  const done = path.join(dir, 'packed.json');
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    try {
      fs.mkdirSync(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (fs.existsSync(done)) return JSON.parse(fs.readFileSync(done, 'utf8')) as Tarball;
      await sleep(500);
      continue;
    }
    try {
      // Builds first (prepack), as `npm publish` would.
      const packed = await run('npm', ['pack', '--json', '--pack-destination', dir], ROOT);
      expect(packed.code, show(packed)).toBe(0);
      const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{ filename: string; size: number; entryCount: number; files: Array<{ path: string }> }>;
      const tarball: Tarball = { file: path.join(dir, path.basename(info[0].filename)), size: info[0].size, files: info[0].entryCount, paths: info[0].files.map((f) => f.path) };
      fs.writeFileSync(`${done}.part`, JSON.stringify(tarball));
      fs.renameSync(`${done}.part`, done);
      return tarball;
    } catch (e) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }
  throw new Error(`no tarball in ${dir} within 300 s: the worker packing it is stuck`);
}

/**
 * A fresh project outside the repository (`package.json` as given, or npm's default CommonJS one
 * from `npm init -y`) with the tarball and `specs` installed as a user would.
 * `npm install` adds no second, newer `playwright` beside the user's @playwright/test (an optional peer).
 */
export async function freshProject(prefix: string, tarball: Tarball, packageJson: object | 'npm init -y', specs: string[]): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  expect(path.relative(ROOT, dir).startsWith('..')).toBe(true);
  if (packageJson === 'npm init -y') {
    const init = await run('npm', ['init', '-y'], dir);
    expect(init.code, show(init)).toBe(0);
  } else fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(packageJson, null, 2));
  const installed = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '-D', tarball.file, ...specs], dir);
  expect(installed.code, show(installed)).toBe(0);
  return dir;
}

/** The `playwright` release installed in a project. */
export const playwrightIn = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'playwright', 'package.json'), 'utf8')).version as string;
