// What both Playwright configs share: the engine projects, and input checks that end a run before
// any engine starts, with one message (file, field, fix) instead of a stack trace.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PlaywrightTestProject } from '@playwright/test';
import type { CatalogueSummary, EngineId, Regime } from '../model/types.ts';
import { CATALOGUE_METADATA_KEY, ENGINE_IDS, REGIME_TAG, columnId, dependsOnRegime } from '../model/types.ts';
import type { EngineOption } from '../engines/engine-option.ts';
import { locateEngines, INSTALL_COMMAND } from '../engines/locate.mjs';
import { handledElsewhere, killProcessesWithEnv, onSignal } from '../engines/processes.ts';
import { firefoxRefusal } from '../engines/playwright-pin.ts';
import { prelaunchEngine } from '../engines/launch.ts';
import { playwrightServerVersionProblems } from '../engines/playwright-server.mjs';
import { InputError } from '../input/validate.ts';
import { builtinScenarioCount, customOnly, loadScenarios } from '../matrix/load-scenarios.ts';

export { builtinScenarioCount };
import { policyMetadata, preparePolicyRun, readPolicyRun } from '../policy/run-inputs.ts';
import { checkEnv, fixtureRegimeOf, readSettings } from '../settings.ts';
import { checkCorsRegime } from '../policy/cors-regime.ts';

/**
 * How long the runner gives its workers to stop after Ctrl-C (or SIGTERM, which becomes one below)
 * before it kills them, so that the reporters write the report (marked incomplete) and the run ends
 * within 10 s of the signal, also on a loaded machine. Each step of a worker's teardown is bounded
 * (harness/engines/bounded.ts), but Playwright 1.64 waits 5 minutes for a worker that says nothing
 * after its stop, and a worker it forks while it is stopping never hears of the stop at all: its
 * stop() only sends one to a worker already forked (runner/index.js, ProcessHost.stop).
 */
const WORKERS_STOP_WITHIN_MS = 4000;

/**
 * Playwright keeps the TypeScript it compiles in a cache under os.tmpdir(), shared by every run of
 * the user (lib/transform/compilationCache). Under a run's private TMPDIR each worker found it empty
 * and compiled the harness again: measured, a run that ends at its input checks took 3.6 s (5 s of
 * CPU) with an empty cache and 1.7 s (2 s) with a warm one, and a policy run's three workers pay it
 * each. So the cache stays where Playwright put it, named by its variable for its own tests
 * (PWTEST_CACHE_DIR: unset by the user, it is this default). Files shipped as JavaScript (the npm
 * package's dist/) are not compiled at all; this is the repository's own runs.
 */
function keepTransformCache(): void {
  if (process.env.PWTEST_CACHE_DIR) return;
  const uid = process.geteuid?.();
  process.env.PWTEST_CACHE_DIR = path.join(os.tmpdir(), uid === undefined ? 'playwright-transform-cache' : `playwright-transform-cache-${uid}`);
}

/**
 * Give the run a private TMPDIR that the runner removes when it exits: browser profiles, the
 * run's certificate authority and every other temporary file of the run live there, so even an
 * interrupted run leaves no temporary directory behind, and two runs at once never share one.
 * Workers inherit it from the runner (the config is evaluated again in each worker). The runner
 * also bounds how long an interrupted run takes to end (WORKERS_STOP_WITHIN_MS).
 */
export function usePrivateTmpDir(): void {
  // A worker of this run: TMPDIR is already the run's. (A run started from inside another run gets its own.)
  const runTmpDir = readSettings().runTmpDir;
  if (runTmpDir && process.env.TMPDIR === runTmpDir) return;
  keepTransformCache();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-'));
  process.env.CORS_RUN_TMPDIR = dir;
  process.env.TMPDIR = dir;
  const remove = () => {
    sweepProcesses(dir);
    try { fs.rmSync(dir, { recursive: true, force: true }); } catch { /* best effort at exit */ }
  };
  process.on('exit', remove);
  // SIGTERM and SIGHUP end a process without 'exit' handlers: remove, then die of the same signal.
  const die = (sig: 'SIGTERM' | 'SIGHUP') => { remove(); process.kill(process.pid, sig); };
  process.once('SIGHUP', () => die('SIGHUP'));
  // A cancelled or timed-out CI job sends SIGTERM. While Playwright watches for SIGINT (the run is
  // under way) it becomes a Ctrl-C: the workers stop, the reporters write a report marked
  // incomplete (and no baseline), and the run exits non-zero through 'exit', which removes the
  // directory. Before that, or on a second SIGTERM, it ends the process as before. A second one
  // within a second is the same signal twice (to the process group, and forwarded by npx), as
  // Playwright's own SIGINT handling also assumes.
  let interruptedAt = 0;
  const onTerm = () => {
    if (interruptedAt && Date.now() - interruptedAt < 1000) return;
    if (!interruptedAt && handledElsewhere('SIGINT')) { interruptedAt = Date.now(); process.kill(process.pid, 'SIGINT'); return; }
    process.off('SIGTERM', onTerm);
    die('SIGTERM');
  };
  process.on('SIGTERM', onTerm);
  // While Playwright handles Ctrl-C it stops the workers; when the bound is up, whatever of the run
  // still runs (workers, their browsers and helpers) is killed, and the runner's stop ends with the
  // workers. Before and after that, Ctrl-C ends the runner at once, as it always did.
  let watchdog: NodeJS.Timeout | undefined;
  onSignal('SIGINT', {
    handled: () => {
      watchdog ??= setTimeout(() => {
        const killed = sweepProcesses(dir);
        if (killed) process.stderr.write(`\ncors-matrix: ${killed} process${killed === 1 ? '' : 'es'} of the run still running ${WORKERS_STOP_WITHIN_MS / 1000} s after the interrupt, killed.\n`);
      }, WORKERS_STOP_WITHIN_MS);
      watchdog.unref();
    },
  });
}

/**
 * The safety net behind every engine's own teardown: when the runner exits, or its workers do not
 * stop in time after an interrupt, any process carrying this run's CORS_RUN_TMPDIR in its
 * environment (a worker, a browser, Xvfb or WebKitWebDriver whose worker was killed before its
 * fixtures closed) is killed, and so is any of a run started inside this one (the project's own
 * tests start runs; theirs live below this directory), whose runner this sweep may have killed
 * before it could sweep. The directory is unique to the run, so another run's processes are never
 * touched. Linux /proc only; elsewhere a no-op. Returns how many were killed.
 */
function sweepProcesses(dir: string): number {
  return killProcessesWithEnv('CORS_RUN_TMPDIR', dir, true);
}

/**
 * Every input check, each only when the one before found nothing (a mistyped variable makes the
 * file it names meaningless): the environment (with the baseline it names), then the policy in
 * check-your-API mode (read, reached and planned once, for the whole run), else the scenario files.
 * Throws one InputError.
 */
export async function validateInputs(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  checkEnv(env);
  // The engines' Playwright servers, asked their version before any engine connects (one request
  // each, where the config is read: in the runner, and again in each worker).
  const servers = await playwrightServerVersionProblems(env);
  if (servers.length) throw new InputError(servers);
  const settings = readSettings(env);
  if (settings.policyFile) await preparePolicyRun(settings.policyFile, settings.runTmpDir ?? readSettings().runTmpDir);
  else {
    const scenarios = loadScenarios(env);
    catalogue = { scenarios: scenarios.length, regimeDependent: scenarios.filter(dependsOnRegime).length, customOnly: customOnly(env) };
  }
}

/** The catalogue the last input check read (catalogue mode). */
let catalogue: CatalogueSummary | undefined;

/**
 * The config's `metadata`, after checkInputs: what the reporters read instead of loading or planning
 * their inputs again (they run in the runner, or later in merge-reports, and read no file of the run):
 * the policy's masked plan in check-your-API mode, else the catalogue's size.
 */
export function runMetadata(env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const settings = readSettings(env);
  const plan = settings.policyFile ? readPolicyRun(settings.runTmpDir ?? readSettings().runTmpDir) : null;
  if (plan) return policyMetadata(plan);
  return catalogue ? { [CATALOGUE_METADATA_KEY]: catalogue } : {};
}

/** The input check both configs run: bad input ends the run (exit 2) before any engine starts. */
export async function checkInputs(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    await validateInputs(env);
  } catch (e) {
    if (e instanceof InputError) {
      process.stderr.write(`\ncors-matrix: ${e.message}\n\n`);
      process.exit(2);
    }
    throw e;
  }
}

/** One project per engine available here; missing ones are named once, with the install command. */
export function engineProjects(options: { testDir?: string; require?: boolean; prefix?: string } = {}): PlaywrightTestProject<{}, EngineOption>[] {
  const found = locateEngines();
  // Firefox ESR that this Playwright cannot drive is left out like a missing engine, with its reason.
  const refused = found.flatMap((l) => {
    const why = l.available ? firefoxRefusal(l) : null;
    return why ? [{ id: l.id, why }] : [];
  });
  const missing = found.filter((l) => !l.available);
  const runs = (id: EngineId) => !!found.find((l) => l.id === id)?.available && !refused.some((r) => r.id === id);
  if ((missing.length || refused.length) && !process.env.TEST_WORKER_INDEX) {
    const lines = refused.map((r) => `cors-matrix: ${r.id} refused: ${r.why}`);
    if (missing.length) lines.push(`cors-matrix: not installed: ${missing.map((m) => `${m.id} (${(m.missing ?? []).join(', ')})`).join('; ')}. Install with: ${INSTALL_COMMAND}`);
    if (options.require) { process.stderr.write(lines.join('\n') + '\n'); process.exit(2); }
    process.stderr.write(lines.map((l) => l + ' - running the other engines.').join('\n') + '\n');
  }
  return ENGINE_IDS.filter(runs).map((id: EngineId) => ({
    name: (options.prefix ?? '') + id,
    testDir: options.testDir,
    metadata: { engine: id },
    use: { engineId: id },
  }));
}

/** The projects the command line names (`--project NAME`, `--project=NAME`), or null when it names none. */
function projectsAsked(argv: readonly string[] = process.argv): string[] | null {
  const names = argv.flatMap((a, i) => a.startsWith('--project=') ? [a.slice('--project='.length)] : a === '--project' && argv[i + 1] ? [argv[i + 1]] : []);
  return names.length ? names : null;
}

/**
 * The cors fixture (corsProjects() in a user's config): the runner starts each project's engine in
 * the project's regime while its workers boot; the fixture's first launch in a worker then connects
 * to it. Nothing in a worker, nor for a run that only lists its tests. (Policy mode starts no engine
 * here: each of its workers keeps a browser of its own, docs/performance.md.)
 */
export function prelaunchFixtureEngines(projects: PlaywrightTestProject<{}, EngineOption & { corsRegime?: Regime }>[]): void {
  // Only a `playwright test` run: an editor's test server, UI mode or merge-reports also load the
  // config, and would keep browsers running for as long as they stay open.
  const command = process.argv.slice(2);
  if (inWorkerOrListing() || command[0] !== 'test' || command.includes('--ui')) return;
  // The fixture's own default where the project sets none: CORS_REGIME, else users.
  prelaunchProjects(projects, (p) => p.use?.corsRegime ?? checkCorsRegime(fixtureRegimeOf(), 'environment variable CORS_REGIME'));
}

const inWorkerOrListing = () => process.env.TEST_WORKER_INDEX !== undefined || process.argv.includes('--list');

function prelaunchProjects<P extends PlaywrightTestProject<{}, EngineOption>>(projects: P[], regimeOf: (p: P) => Regime): void {
  const asked = projectsAsked();
  for (const p of projects) {
    const id = p.use?.engineId;
    if (!id || (asked && !asked.includes(p.name!))) continue;
    // A regime that is not one is the worker's error to report, with its fix: nothing starts here.
    let regime: Regime;
    try { regime = regimeOf(p); } catch { continue; }
    void prelaunchEngine(id, { regime, shared: true });
  }
}

/**
 * The catalogue's projects: each engine in each regime of the run (CORS_REGIME). The first regime's
 * project runs every scenario; with both, the second's (`chromium-users`) runs the scenarios whose
 * result can depend on the regime, the ones the spec tags REGIME_TAG. A project's name is its column
 * (harness/model/types.ts, ColumnId); its metadata carries the column, so merge-reports knows it too.
 */
export function regimeProjects(engines: PlaywrightTestProject<{}, EngineOption>[], regimes: Regime[] = readSettings().regimes): PlaywrightTestProject<{}, EngineOption & { regime: Regime; regimeScenariosOnly: boolean }>[] {
  return regimes.flatMap((regime, i) => engines.map((p) => {
    const column = columnId(p.use!.engineId!, regime);
    const only = i > 0;
    return {
      ...p,
      name: p.name!.replace(p.use!.engineId!, column),
      // One worker per column: it launches its engine once and its batch sees the whole column in order.
      workers: 1,
      metadata: { ...p.metadata, engine: column, regime, regimeScenariosOnly: only },
      use: { ...p.use, regime, regimeScenariosOnly: only },
      ...(only && { grep: new RegExp(`${REGIME_TAG}\\b`) }),
    };
  }));
}
