// Policy mode's inputs, prepared once: the runner writes the plan (session values included, which
// the workers' requests send) to a file only its owner reads, and hands the reporter the same plan
// with every secret masked, through the config's metadata.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { PLAN_FILE, planFromMetadata, policyMetadata, preparePolicyRun, readPolicyRun } from '../../harness/policy/run-inputs.ts';
import { runMetadata } from '../../harness/runner/setup.ts';

const SECRET = 'sekrit-value-2';
let dir: string;
let server: net.Server;
let policyFile: string;

test.beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-run-inputs-'));
  server = net.createServer((s) => s.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  policyFile = path.join(dir, 'cors-policy.json');
  fs.writeFileSync(policyFile, JSON.stringify({
    target: `http://127.0.0.1:${port}`,
    allowedOrigins: ['https://app.example.test'],
    endpoints: [{ path: '/me', methods: ['GET'], requestHeaders: ['Authorization'], credentials: true }],
    session: { cookies: [{ name: 'sid', value: SECRET, attributes: 'SameSite=None; Secure; Path=/' }], headers: { Authorization: `Bearer ${SECRET}` } },
  }));
});

test.afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the runner plans once; workers read that plan, session values included, from a file only its owner reads', async () => {
  const plan = await preparePolicyRun(policyFile, dir);
  const file = path.join(dir, PLAN_FILE);
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  expect(readPolicyRun(dir)).toEqual(JSON.parse(JSON.stringify(plan)));
  expect(readPolicyRun(dir)!.policy.session!.headers.Authorization).toBe(`Bearer ${SECRET}`);
  expect(readPolicyRun(path.join(dir, 'nowhere'))).toBeNull();
});

test('the reporter gets the same plan through the config metadata, with no secret in it', async () => {
  const plan = await preparePolicyRun(policyFile, dir);
  const metadata = runMetadata({ CORS_POLICY: policyFile, CORS_RUN_TMPDIR: dir });
  expect(metadata).toEqual(policyMetadata(plan));
  expect(JSON.stringify(metadata)).not.toContain(SECRET);
  const masked = planFromMetadata(JSON.parse(JSON.stringify(metadata)))!;
  expect(masked.groups.flatMap((g) => g.checks.map((c) => c.id))).toEqual(plan.groups.flatMap((g) => g.checks.map((c) => c.id)));
  expect(masked.policy.session!.cookies.map((c) => c.name)).toEqual(['sid']);
  expect(planFromMetadata({})).toBeNull();
  // Not a policy run: no plan (a catalogue run's metadata carries the catalogue's size instead).
  expect(planFromMetadata(runMetadata({ CORS_RUN_TMPDIR: dir }))).toBeNull();
});
