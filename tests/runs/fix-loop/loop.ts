// The fix loop, as a user walks it, for any stack: a real server of that stack with a CORS mistake,
// a one-endpoint policy check, then the server again with the configuration the report printed for
// that stack pasted in as printed, and a second check: every finding gone, nothing new, no check
// failed or errored. A stack supplies how to start its server from a CORS configuration (its
// `variants`, each a mistake and the findings it must produce) and where a printed configuration
// goes (`start(config)`); the loop does the rest, the same way for every stack.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { test, expect } from '@playwright/test';
import getPort from 'get-port';
import { ROOT, startRun, tempDir } from '../helpers.ts';
import type { PolicyReport } from '../../../harness/policy/policy-types.ts';
import type { StackId } from '../../../harness/policy/fixes/stacks.ts';
import { CONTEXT_LINE } from '../../../harness/policy/fixes/stack-fix.ts';

/** A server the loop checks: where it answers, and how to stop it. */
export interface Served { origin: string; close(): Promise<void> }

/** The policy every loop checks against: one credentialed endpoint with one exposed header. */
export const LOOP_PATH = '/fixloop/data';
export const LOOP_ORIGIN = 'https://example.com';
export const LOOP_EXPOSED = 'X-Request-Id';
/** The answer every loop server gives on LOOP_PATH (its body, and the exposed header's value). */
export const LOOP_BODY = '{"data":"secret of the signed-in user"}';

export function loopPolicy(target: string, extra: Record<string, unknown> = {}) {
  return {
    target,
    allowedOrigins: [LOOP_ORIGIN],
    endpoints: [{ path: LOOP_PATH, methods: ['GET'], credentials: true, exposedHeaders: [LOOP_EXPOSED] }],
    ...extra,
  };
}

export interface Variant {
  /** The mistake, in the stack's own words (the test step's title). */
  name: string;
  /** The server with this mistake. */
  start(): Promise<Served>;
  /** The findings it must produce, as "severity kind", in report order. */
  findings: string[];
}

export interface StackLoop {
  /** The stack whose fix table the report must quote. */
  stack: StackId;
  /** How the report knows the stack: recognised from the responses, or named in the policy. */
  named?: boolean;
  /** The app a front server shows behind it, when the report must name it. */
  app?: StackId;
  variants: Variant[];
  /** The server with the printed configuration in place of its CORS set-up. */
  fixed(config: string): Promise<Served>;
  /** Engines (Playwright project names); Chromium alone unless a loop asks for more. */
  engines?: string[];
  /** Walked by `npm test` too (its first mistake, in Chromium); the others by `npm run test:fix-loop` only. */
  quick?: boolean;
  /** More policy fields for every check of the loop (e.g. blockedOrigins, which blocked-origin-allowed needs). */
  policy?: Record<string, unknown>;
}

export interface Checked { report: PolicyReport; stdout: string }

/** `cors-matrix check` as the package runs it: one policy file, a report directory, the engines asked for. */
export async function check(target: string, engines: string[], extra: Record<string, unknown> = {}): Promise<Checked> {
  const dir = tempDir('cors-fix-loop-');
  const file = path.join(dir, 'cors-policy.json');
  fs.writeFileSync(file, JSON.stringify(loopPolicy(target, extra)));
  const run = await startRun(engines.map((e) => `--project=${e}`), { CORS_POLICY: file, CORS_REPORT_DIR: dir });
  const json = path.join(dir, 'policy.json');
  expect(fs.existsSync(json), `no policy.json\n${run.stdout}\n${run.stderr}`).toBe(true);
  const report = JSON.parse(fs.readFileSync(json, 'utf8')) as PolicyReport;
  fs.rmSync(dir, { recursive: true, force: true });
  return { report, stdout: run.stdout };
}

const summary = (r: PolicyReport) => r.findings.map((f) => `${f.severity} ${f.kind}`);

/**
 * The variants a run checks: every one with FIX_LOOP=all (`npm run test:fix-loop`, which CI runs
 * after `npm test`); otherwise the first, the stack's classic mistake. `npm test` walks the quick
 * loop alone (Express): thirteen stacks at one to two minutes each would take most of its
 * 15-minute budget, and CI walks every stack's every mistake anyway.
 */
export function variantsOf(loop: StackLoop): Variant[] {
  return process.env.FIX_LOOP === 'all' ? loop.variants : loop.variants.slice(0, 1);
}

/** The engines: a loop's own list with FIX_LOOP=all (Express's three), Chromium alone in `npm test`. */
export function enginesOf(loop: StackLoop): string[] {
  return process.env.FIX_LOOP === 'all' ? loop.engines ?? ['chromium'] : ['chromium'];
}

/**
 * One test per stack: each variant checked (its findings, the stack's fix quoted for each, one
 * configuration for all), then the printed configuration started and checked clean.
 */
export function fixLoop(title: string, loop: StackLoop): void {
  const walked = process.env.FIX_LOOP === 'all' || loop.quick;
  (walked ? test : test.skip)(title + (walked ? '' : ' (npm run test:fix-loop)'), async () => {
    // Each check is a child run of about ten origins: 10-20 s per engine on an idle two-core
    // machine, several times that while other runs share the cores; a bound per check and engine.
    const engines = enginesOf(loop);
    test.setTimeout(240_000 + 120_000 * (variantsOf(loop).length + 1) * engines.length);
    const extra = { ...loop.policy, ...(loop.named ? { stack: loop.stack } : {}) };
    const printed = new Set<string>();
    for (const variant of variantsOf(loop)) {
      await test.step(variant.name, async () => {
        const served = await variant.start();
        try {
          const { report, stdout } = await check(served.origin, engines, extra);
          expect(summary(report), stdout).toEqual(variant.findings);
          expect(report.stack, stdout).toMatchObject({ stack: loop.stack, source: loop.named ? 'policy' : 'responses', ...(loop.app ? { app: loop.app } : {}) });
          for (const f of report.findings) {
            if (f.kind === 'inconclusive-endpoint') continue;
            const [fix] = f.examples;
            expect(fix?.stack, `${f.kind}: the ${loop.stack} fix\n${stdout}`).toBe(loop.stack);
            // The terminal shows the change the JSON holds.
            expect(stdout).toContain(fix.change.split('\n')[0]);
            printed.add(fix.config);
          }
        } finally {
          await served.close();
        }
      });
    }
    // The whole configuration depends on the policy and the endpoint, not on the mistake: one for all.
    expect([...printed].length, [...printed].join('\n----\n')).toBe(1);
    const [config] = printed;
    await test.step('the printed configuration, applied as printed', async () => {
      const served = await loop.fixed(config);
      try {
        const { report, stdout } = await check(served.origin, engines, extra);
        expect(summary(report), stdout).toEqual([]);
        expect(report.summary.failed, stdout).toBe(0);
        expect(report.summary.errors, stdout).toBe(0);
      } finally {
        await served.close();
      }
    });
  });
}

// ---- starting a real server as a child process -------------------------------------------------

/** A free 127.0.0.1 port, for servers that need the number in a configuration file. */
export const freePort = () => getPort({ host: '127.0.0.1' });

export interface ProcessSpec {
  command: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** The port it listens on (known in advance), or a pattern whose first group on stdout/stderr is the port. */
  port: number | RegExp;
  /** Bound on the start; default 20 s. */
  within?: number;
}

/** Start a server process and wait (bounded) until it answers HTTP; close() stops it (SIGTERM, then SIGKILL after 5 s). */
export async function startProcess(spec: ProcessSpec): Promise<Served> {
  const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: { ...process.env, ...spec.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* gone */ }
    const killer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 5000);
    await exited;
    clearTimeout(killer);
  };
  const deadline = Date.now() + (spec.within ?? 20_000);
  let port = typeof spec.port === 'number' ? spec.port : null;
  while (Date.now() < deadline && child.exitCode === null) {
    if (port === null) port = Number((spec.port as RegExp).exec(out)?.[1] ?? NaN) || null;
    if (port !== null && await answers(port)) return { origin: `http://127.0.0.1:${port}`, close: stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`${spec.command} ${spec.args.join(' ')} did not start within ${spec.within ?? 20_000} ms (exit ${child.exitCode}):\n${out}`);
}

async function answers(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

/** A scratch directory for an app's files; `node_modules` is the repository's, so imports resolve as in a project. */
export function appDir(prefix: string): string {
  const dir = tempDir(prefix);
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

/** A template with `marker` on a line of its own, that line replaced by `config`. */
export function fill(template: string, marker: string, config: string): string {
  const lines = template.split('\n');
  const at = lines.findIndex((l) => l.trim() === marker);
  if (at < 0) throw new Error(`template has no ${marker} line`);
  return [...lines.slice(0, at), config, ...lines.slice(at + 1)].join('\n');
}

/**
 * A configuration in parts, each opened by the line that says where it goes (`# in http { }`, as the
 * fix tables print them), each part put in the template at the line equal to its opening line.
 */
export function fillParts(template: string, config: string): string {
  const parts: string[][] = [];
  for (const line of config.split('\n')) {
    if (CONTEXT_LINE.test(line)) parts.push([line]);
    else if (parts.length) parts[parts.length - 1].push(line);
    else throw new Error(`the configuration does not open with a "# in ..." line: ${line}`);
  }
  return parts.reduce((t, part) => fill(t, part[0], part.join('\n')), template);
}
