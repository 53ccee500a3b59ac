#!/usr/bin/env node
// The `cors-matrix` command, for a user's own repository: `check` and `matrix` run Playwright with the
// config that ships in this package (the user's files are found from the working directory),
// `init` writes a starter policy (from an OpenAPI document too), `doctor` says which engines are
// installed and how to install the others. Exit codes: 0 pass, 1 a check failed, 2 bad input.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { locateEngines, describe, ENGINE_IDS } from '../harness/engines/locate.mjs';
import { webDriverEnvProblems } from '../harness/engines/webkitgtk/webdriver-env.mjs';
import { InputError, checkInputFile, closest } from '../harness/input/validate.ts';
import { POLICY_FILE } from '../harness/policy/load.ts';
import { builtinScenarioCount } from '../harness/runner/setup.ts';
import { FAIL_ON_LEVELS, readSettings } from '../harness/settings.ts';
import { DEFAULT_FAIL_ON } from '../harness/policy/threshold.ts';
import { PLAYWRIGHT_INSTALL, PLAYWRIGHT_PIN, firefoxRefusal, installedPlaywright, playwrightInRange } from '../harness/engines/playwright-pin.ts';
import { keepPolicyReporter } from './reporter-args.ts';
import { readOpenApiFile, starterPolicy, type OpenApiPolicy } from '../harness/policy/openapi.ts';
import { launchEngine } from '../harness/engines/launch.ts';
import { configurationDetail } from '../harness/model/engine-configuration.ts';
import type { EngineId, Regime } from '../harness/model/types.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
// Compiled, this file is dist/cli/main.js and the config dist/playwright.config.js.
const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const CONFIG = path.resolve(here, '..', `playwright.config${ext}`);
const require = createRequire(import.meta.url);
const PLAYWRIGHT_RANGE = PLAYWRIGHT_PIN.range;
const DEFAULT_POLICIES = ['cors-policy.json', 'cors-policy.config.ts', 'cors-policy.config.mts', 'cors-policy.config.js', 'cors-policy.config.mjs'];

class UsageError extends Error {}

const COMMANDS = ['check', 'matrix', 'init', 'doctor'];

const GRID_HELP = `  --grid URL         run WebKitGTK in a Selenium Grid (sets CORS_GRID): as many sessions as its
                     free MiniBrowser slots (at least 2); \`npm run grid\` in cors-matrix's own
                     repository starts one (docs/ci.md, "Selenium Grid")`;

/**
 * --grid URL: checked here so the message names the option, and set before the engines are looked
 * for (a Grid needs no WebKitWebDriver here).
 */
function gridOption(value: string | undefined): NodeJS.ProcessEnv {
  if (value === undefined) return {};
  const problem = webDriverEnvProblems({ CORS_GRID: value })[0];
  if (problem) throw new UsageError(`--grid ${problem.problem}. Fix: ${problem.fix.replace('CORS_GRID=', '--grid ')}`);
  process.env.CORS_GRID = value;
  return { CORS_GRID: value };
}

const HELP: Record<string, string> = {
  main: `cors-matrix: what real Chromium, Firefox and WebKitGTK pages may read from your API.

Usage: cors-matrix <command> [options]

Commands:
  check [POLICY]   run the policy checks against your API (default: cors-policy.json)
  matrix           run the conformance catalogue (and your own scenarios)
  init             write a starter cors-policy.json (from an OpenAPI document with --openapi)
  doctor           show the engines found here and how to install the missing ones

Every command takes --help. Exit codes: 0 pass, 1 a check failed, 2 bad input.`,
  check: `Usage: cors-matrix check [POLICY] [--engines LIST] [--report-dir DIR] [--fail-on LEVEL] [--grid URL]
                        [-- PLAYWRIGHT OPTIONS]

Runs the policy checks: a page on each allowed origin, and on attacker origins derived from them,
makes your API's real requests in every engine installed here. Start your API first.

  POLICY             cors-policy.json (default), or cors-policy.config.ts/.mts/.js/.mjs
  --engines LIST     comma-separated: ${ENGINE_IDS.join(',')} (default: every engine found)
  --report-dir DIR   where policy.html, policy.json, policy.sarif and junit.xml go (default: reports/out)
  --fail-on LEVEL    ${FAIL_ON_LEVELS.join('|')}: the lowest finding severity that fails a check
                     and the run (default: the policy's failOn, else ${DEFAULT_FAIL_ON})
${GRID_HELP}
  -- ...             passed to Playwright, e.g. -- --workers=1; a --reporter there runs beside
                     cors-matrix's own, which writes the reports and keeps the exit code

Exit: 0 every check passes, 1 a check failed at or above --fail-on, 2 the policy or an option is wrong.`,
  matrix: `Usage: cors-matrix matrix [--scenarios FILE] [--only] [--engines LIST] [--report-dir DIR]
                         [--baseline FILE] [--update-baseline] [--grid URL] [-- PLAYWRIGHT OPTIONS]

Runs the conformance catalogue (${builtinScenarioCount()} scenarios) in every engine installed here and writes
matrix.html, matrix.json and junit.xml.

  --scenarios FILE   add your scenarios (a JSON array)
  --only             run your scenarios alone (needs --scenarios)
  --engines LIST     comma-separated: ${ENGINE_IDS.join(',')} (default: every engine found)
  --report-dir DIR   default: reports/out
  --baseline FILE    compare with an earlier matrix.json; a changed cell fails the run
  --update-baseline  write (or accept) the baseline instead
${GRID_HELP}
  -- ...             passed to Playwright, e.g. -- --grep acao --shard=1/3

Exit: 0 every cell matches its expectation, 1 one does not, 2 bad input.`,
  init: `Usage: cors-matrix init [--openapi FILE] [--target URL] [--origin ORIGIN]... [--out FILE] [--force]

Writes a starter policy. From an OpenAPI 3.0 or 3.1 document (JSON or YAML): paths and methods
become endpoints, header parameters and API-key headers become requestHeaders, bearer/basic/OAuth
schemes mean an Authorization header, and a cookie parameter, cookie API key or mutual TLS means
credentials.

  --openapi FILE     the OpenAPI document
  --target URL       your API's test instance (default: the document's servers[0].url)
  --origin ORIGIN    an origin your front end runs on; repeat for several (also read from
                     x-amazon-apigateway-cors.allowOrigins)
  --out FILE         default: cors-policy.json
  --force            overwrite an existing file

Exit: 0 written, 2 bad input (the message names the file, the JSON pointer and the fix).`,
  doctor: `Usage: cors-matrix doctor

Shows the engines found here (your Playwright browsers first, else the system's), with browser,
version and driver, and the exact command that installs what is missing. Downloads nothing.

Exit: 0 every engine found, 1 one is missing, 2 @playwright/test is missing.`,
};

type OptionKind = 'string' | 'boolean' | 'list';

interface Parsed { values: Record<string, string | boolean | string[] | undefined>; positionals: string[]; rest: string[] }

function parse(command: string, argv: string[], spec: Record<string, OptionKind>, maxPositionals: number): Parsed {
  const values: Parsed['values'] = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') return { values, positionals, rest: argv.slice(i + 1) };
    if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
      const kind = spec[name];
      if (!kind) {
        const guess = closest(name, Object.keys(spec));
        throw new UsageError(`unknown option --${name} for "cors-matrix ${command}"${guess ? ` (did you mean --${guess}?)` : ''}. Fix: see cors-matrix ${command} --help${command !== 'init' && command !== 'doctor' ? ' (Playwright options go after --)' : ''}`);
      }
      if (kind === 'boolean') { values[name] = true; continue; }
      const value = inline ?? argv[++i];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`--${name} needs a value. Fix: see cors-matrix ${command} --help`);
      if (kind === 'list') values[name] = [...((values[name] as string[] | undefined) ?? []), value];
      else values[name] = value;
      continue;
    }
    positionals.push(arg);
  }
  if (positionals.length > maxPositionals) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[maxPositionals])} for "cors-matrix ${command}". Fix: see cors-matrix ${command} --help`);
  return { values, positionals, rest: [] };
}

function playwrightCli(): string {
  try { return require.resolve('@playwright/test/cli'); } catch {
    throw new UsageError(`@playwright/test is not installed; cors-matrix runs the one in your project. Fix: ${PLAYWRIGHT_INSTALL}`);
  }
}

const playwrightVersion = installedPlaywright;
const inRange = playwrightInRange;

/** `--engines a,b`: known ids, each installed here; Playwright runs only their projects. */
function projectArgs(list: string | undefined): string[] {
  if (!list) return [];
  const ids = list.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = ids.filter((id) => !(ENGINE_IDS as string[]).includes(id));
  if (unknown.length || !ids.length) throw new UsageError(`--engines ${JSON.stringify(list)}: ${unknown.length ? `unknown engine ${unknown.join(', ')}` : 'empty'}. Fix: use ${ENGINE_IDS.join(', ')}`);
  const missing = locateEngines().filter((l) => ids.includes(l.id) && !l.available);
  if (missing.length) throw new UsageError(`--engines: ${missing.map((m) => m.id).join(', ')} not installed here. Fix: ${installCommands(missing).join('; or ')} (cors-matrix doctor shows what is found)`);
  // Asked for by name, a Firefox this Playwright cannot drive ends the run before any engine starts.
  const refused = ids.includes('firefox') ? firefoxRefusal(locateEngines().find((l) => l.id === 'firefox')!) : null;
  if (refused) throw new UsageError(`--engines firefox: ${refused}`);
  return ids.map((id) => `--project=${id}`);
}

function reportDir(value: string | undefined): string {
  return path.resolve(value ?? readSettings().reportDir);
}

/** Run Playwright with the packaged config; the child's exit code is ours. */
/** Refused, not warned: an untested Playwright fails mid-run in ways that look like CORS results. True when refused (said on stderr). */
function refusedPlaywright(): boolean {
  const version = playwrightVersion();
  if (!version || inRange(version)) return false;
  process.stderr.write(`cors-matrix: @playwright/test ${version} is outside ${PLAYWRIGHT_RANGE}, the releases this package is tested with. Fix: ${PLAYWRIGHT_INSTALL}\n`);
  return true;
}

function runPlaywright(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const cli = playwrightCli();
  if (refusedPlaywright()) return Promise.resolve(2);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'test', '-c', CONFIG, ...args], { stdio: 'inherit', env, cwd: process.cwd() });
    // Ctrl-C reaches the child through the terminal; a SIGTERM (a cancelled CI job) is passed on.
    const onTerm = () => child.kill('SIGTERM');
    process.on('SIGTERM', onTerm);
    child.on('exit', (code, signal) => { process.off('SIGTERM', onTerm); resolve(code ?? (signal ? 1 : 0)); });
    child.on('error', (e) => { process.stderr.write(`cors-matrix: cannot start Playwright: ${e.message}\n`); resolve(2); });
  });
}

async function check(argv: string[]): Promise<number> {
  const { values, positionals, rest } = parse('check', argv, { engines: 'string', 'report-dir': 'string', 'fail-on': 'string', grid: 'string', help: 'boolean' }, 1);
  if (values.help) return help('check');
  // Before the policy: no message about the file matters while Playwright itself cannot run.
  if (refusedPlaywright()) return 2;
  const policy = positionals[0] ?? DEFAULT_POLICIES.find((f) => fs.existsSync(f));
  if (!policy) throw new UsageError(`no cors-policy.json (or cors-policy.config.ts) in ${process.cwd()}. Fix: npx cors-matrix init (from an OpenAPI document: npx cors-matrix init --openapi openapi.yaml), or give the file: cors-matrix check path/to/policy.json`);
  // Checked here, so a missing or unreadable file is named as this command's argument: the run's
  // own messages would name CORS_POLICY, which a user of the command never set.
  checkInputFile(policy, { ...POLICY_FILE, variable: 'cors-matrix check POLICY' });
  const grid = gridOption(values.grid as string | undefined);
  const projects = projectArgs(values.engines as string | undefined);
  const dir = reportDir(values['report-dir'] as string | undefined);
  const failOn = values['fail-on'] as string | undefined;
  if (failOn !== undefined && !(FAIL_ON_LEVELS as readonly string[]).includes(failOn)) throw new UsageError(`--fail-on ${JSON.stringify(failOn)} is not a level. Fix: use one of ${FAIL_ON_LEVELS.join(', ')}`);
  const env = { ...process.env, ...grid, CORS_POLICY: policy, CORS_REPORT_DIR: dir, ...(failOn ? { CORS_FAIL_ON: failOn } : {}) };
  return runPlaywright([...projects, `--output=${path.join(dir, 'test-results')}`, ...keepPolicyReporter(rest, path.join(path.dirname(CONFIG), 'reports', `policy-reporter${path.extname(CONFIG)}`))], env);
}


async function matrix(argv: string[]): Promise<number> {
  const { values, rest } = parse('matrix', argv, {
    scenarios: 'string', only: 'boolean', engines: 'string', 'report-dir': 'string', baseline: 'string', 'update-baseline': 'boolean', grid: 'string', help: 'boolean',
  }, 0);
  if (values.help) return help('matrix');
  if (values.only && !values.scenarios) throw new UsageError('--only runs your scenarios alone, but no --scenarios FILE was given. Fix: cors-matrix matrix --scenarios cors-scenarios.json --only');
  if (values['update-baseline'] && !values.baseline) throw new UsageError('--update-baseline needs --baseline FILE. Fix: cors-matrix matrix --baseline cors-baseline.json --update-baseline');
  const grid = gridOption(values.grid as string | undefined);
  const projects = projectArgs(values.engines as string | undefined);
  const dir = reportDir(values['report-dir'] as string | undefined);
  const env: NodeJS.ProcessEnv = { ...process.env, ...grid, CORS_REPORT_DIR: dir };
  delete env.CORS_POLICY;
  if (values.scenarios) env.CORS_SCENARIOS = values.scenarios as string;
  if (values.only) env.CORS_SCENARIOS_ONLY = '1';
  if (values.baseline) env.CORS_BASELINE = values.baseline as string;
  if (values['update-baseline']) env.CORS_UPDATE_BASELINE = '1';
  return runPlaywright([...projects, `--output=${path.join(dir, 'test-results')}`, ...rest], env);
}

function init(argv: string[]): number {
  const { values } = parse('init', argv, { openapi: 'string', target: 'string', origin: 'list', out: 'string', force: 'boolean', help: 'boolean' }, 0);
  if (values.help) return help('init');
  const out = (values.out as string | undefined) ?? 'cors-policy.json';
  if (fs.existsSync(out) && !values.force) throw new UsageError(`${out} exists and is kept. Fix: pass --force to overwrite it, or --out another-file.json`);
  const options = { target: values.target as string | undefined, origins: values.origin as string[] | undefined };
  const result: OpenApiPolicy = values.openapi ? readOpenApiFile(values.openapi as string, options) : starterPolicy(options);
  fs.writeFileSync(out, JSON.stringify(result.policy, null, 2) + '\n');
  const endpoints = result.policy.endpoints;
  const lines = [`cors-matrix: wrote ${out}: target ${result.policy.target}, ${result.policy.allowedOrigins.length} allowed origin(s), ${endpoints.length} endpoint(s), ${endpoints.reduce((n, e) => n + e.methods.length, 0)} method(s)`];
  for (const n of result.notes) lines.push(`  note: ${n}`);
  lines.push(`  next: start a test instance of your API, then npx cors-matrix check${out === 'cors-policy.json' ? '' : ` ${out}`}`);
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

type Location = ReturnType<typeof locateEngines>[number];

function installCommands(missing: Location[]): string[] {
  const packages = [...new Set(missing.flatMap((m) => (m.missing ?? []).filter((p) => !p.startsWith('/'))))];
  const overrides = missing.flatMap((m) => (m.missing ?? []).filter((p) => p.startsWith('/')));
  const out: string[] = [];
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  if (packages.length) out.push(`${sudo}apt-get update && ${sudo}apt-get install -y ${packages.join(' ')}`);
  // Playwright's own builds are found first; they need the project's Playwright version.
  const pw = missing.filter((m) => (m.missing ?? []).some((p) => !p.startsWith('/'))).map((m) => m.id);
  if (pw.length) out.push(`npx playwright install --with-deps ${pw.join(' ')}`);
  for (const o of overrides) out.push(`point the CORS_*_PATH variable at an existing binary (${o} does not exist)`);
  return out;
}

/** Launch the engine once, read what it runs with, close it. */
async function readConfiguration(id: EngineId, regime: Regime): Promise<string[]> {
  try {
    const engine = await launchEngine(id, { regime });
    try {
      // WebKitGTK starts a MiniBrowser per page: its configuration is read with the first one.
      if (!engine.info.configuration) await (await engine.newPage()).close();
      const why = /configuration not read: .*/.exec(engine.info.notes ?? '')?.[0];
      return why ? [why] : configurationDetail(engine.info.configuration);
    } finally {
      await engine.close();
    }
  } catch (e) {
    return [`not launched: ${String((e as Error).message ?? e).split('\n')[0]}`];
  }
}

async function doctor(argv: string[]): Promise<number> {
  const { values } = parse('doctor', argv, { help: 'boolean' }, 0);
  if (values.help) return help('doctor');
  const version = playwrightVersion();
  const lines = [`cors-matrix doctor`, `  node        ${process.version}`];
  lines.push(`  playwright  ${version ? `@playwright/test ${version}${inRange(version) ? '' : ` - outside ${PLAYWRIGHT_RANGE}; install ${PLAYWRIGHT_PIN.version} (${PLAYWRIGHT_INSTALL})`}` : `MISSING: ${PLAYWRIGHT_INSTALL}`}`);
  const engines = locateEngines();
  const regimes = readSettings().regimes;
  // What each engine runs with in each regime, read back from it: launched once per regime, all the
  // launches at once (18 s for six here, 21 s one after another); printed in the engines' order.
  // readConfiguration() never throws: a launch that fails is its line.
  const readBack = engines.map(async (e) => {
    if (!e.available || firefoxRefusal(e, version)) return [];
    const read = await Promise.all(regimes.map((regime) => readConfiguration(e.id as EngineId, regime)));
    return regimes.flatMap((regime, i) => [`              regime ${regime} (CORS_REGIME), as read back from the engine:`, ...read[i].map((l) => `                ${l}`)]);
  });
  for (const [i, e] of engines.entries()) {
    const where = e.kind === 'webdriver' ? e.driverPath ?? e.browserPath : e.executablePath ?? "Playwright's browser cache";
    lines.push(`  ${e.id.padEnd(10)}  ${e.available ? 'found  ' : 'MISSING'}  ${e.browser}, driver ${e.driver}: ${describe(e)}${e.available && where ? ` (${where})` : ''}`);
    const refused = e.available ? firefoxRefusal(e, version) : null;
    if (refused) lines.push(`              refused, left out of check and matrix: ${refused}`);
    lines.push(...await readBack[i]);
  }
  const missing = engines.filter((e) => !e.available);
  if (missing.length) {
    lines.push(`  missing: ${missing.map((m) => m.id).join(', ')}. Install with one of:`);
    for (const c of installCommands(missing)) lines.push(`    ${c}`);
  } else lines.push('  every engine found');
  process.stdout.write(lines.join('\n') + '\n');
  if (!version) return 2;
  return missing.length || !inRange(version) ? 1 : 0;
}

function help(topic: string): number {
  process.stdout.write(HELP[topic] + '\n');
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check': return check(rest);
    case 'matrix': return matrix(rest);
    case 'init': return init(rest);
    case 'doctor': return await doctor(rest);
    case undefined: case 'help': case '--help': case '-h':
      return rest[0] && HELP[rest[0]] ? help(rest[0]) : help('main');
    case '--version': case '-v': {
      const pkg = JSON.parse(fs.readFileSync(path.resolve(here, '..', ext === '.js' ? '../package.json' : 'package.json'), 'utf8')) as { version: string };
      process.stdout.write(pkg.version + '\n');
      return 0;
    }
    default:
    {
      const guess = closest(command, COMMANDS);
      throw new UsageError(`unknown command ${JSON.stringify(command)}${guess ? ` (did you mean "${guess}"?)` : ''}. Fix: one of ${COMMANDS.join(', ')} (cors-matrix --help)`);
    }
  }
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: unknown) => {
  if (e instanceof UsageError || e instanceof InputError) {
    process.stderr.write(`cors-matrix: ${(e as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`cors-matrix: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exitCode = 2;
});
