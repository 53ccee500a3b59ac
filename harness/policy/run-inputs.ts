// Policy mode's inputs, prepared once per run: the runner's set-up (harness/runner/setup.ts) reads,
// validates and reaches the policy and plans its checks here. Workers read that plan from one file
// in the run's private directory; the reporter gets it masked through the config's metadata, which
// blob reports carry, so merge-reports has it too.
import fs from 'node:fs';
import path from 'node:path';
import { checkTargetReachable, readPolicyFile } from './load.ts';
import { planPolicy } from './check-plan.ts';
import { maskedPlan } from './secrets.ts';
import { readSettings } from '../settings.ts';
import type { PolicyPlan } from './policy-types.ts';

/**
 * The plan as workers read it, in the run's private directory (CORS_RUN_TMPDIR, mode 0700). It holds
 * the session's values, which the workers' requests send, so only its owner may read it.
 */
export const PLAN_FILE = 'policy-plan.json';

/** The config metadata key under which the reporter finds the masked plan. */
export const PLAN_METADATA_KEY = 'corsPolicyPlan';

function planPath(dir: string | undefined): string {
  if (!dir) throw new Error('policy mode keeps its plan in the run\'s private directory: call usePrivateTmpDir() before checking the inputs');
  return path.join(dir, PLAN_FILE);
}

/** One read of the plan file per process: the set-up, the fixtures and the spec all ask for it. */
const read = new Map<string, PolicyPlan>();

/**
 * In the runner: read, validate and reach the policy, plan it, and write the plan for the workers.
 * A worker (the config runs again in each) takes the runner's.
 */
export async function preparePolicyRun(file: string, dir: string | undefined = readSettings().runTmpDir): Promise<PolicyPlan> {
  const prepared = process.env.TEST_WORKER_INDEX ? readPolicyRun(dir) : null;
  if (prepared) return prepared;
  const policy = await readPolicyFile(file);
  // `--fail-on` (CORS_FAIL_ON) wins over the file's failOn; the plan carries the one in force.
  policy.failOn = readSettings().failOn ?? policy.failOn;
  await checkTargetReachable(policy);
  const text = JSON.stringify(planPolicy(policy));
  fs.writeFileSync(planPath(dir), text, { mode: 0o600 });
  // What the workers will read, so the runner's own later reads (its metadata) match them exactly.
  const plan = JSON.parse(text) as PolicyPlan;
  read.set(dir!, plan);
  return plan;
}

/** In a worker (or a spec file): the plan the runner prepared, session values included; null when none was. */
export function readPolicyRun(dir: string | undefined = readSettings().runTmpDir): PolicyPlan | null {
  if (!dir) return null;
  const known = read.get(dir);
  if (known) return known;
  let text: string;
  try { text = fs.readFileSync(planPath(dir), 'utf8'); } catch { return null; }
  const plan = JSON.parse(text) as PolicyPlan;
  read.set(dir, plan);
  return plan;
}

/** The config's `metadata` for a policy run: what the reporter needs, masked. */
export function policyMetadata(plan: PolicyPlan): Record<string, unknown> {
  return { [PLAN_METADATA_KEY]: maskedPlan(plan) };
}

/** In the reporter: the masked plan from the config's metadata, or null (not a policy run). */
export function planFromMetadata(metadata: Record<string, unknown> | undefined): PolicyPlan | null {
  return (metadata?.[PLAN_METADATA_KEY] as PolicyPlan | undefined) ?? null;
}
