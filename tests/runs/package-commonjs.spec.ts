// The package in the projects a user may have besides package.spec.ts's: npm's default CommonJS
// project on the newest tested Playwright, and a project whose Playwright is older than the range.
// Each a fresh folder outside the repository with the packed tarball installed.
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { test, expect } from '@playwright/test';
import { listen, type Listening } from '../../servers/listen.ts';
import { startReflectingApi } from '../fixtures/policy/reflecting-api.ts';
import { PLAYWRIGHT_PIN } from '../../harness/engines/playwright-pin.ts';
import { freshProject, packOnce, playwrightIn, run, show, type Ran } from './package-project.ts';

test.describe.configure({ mode: 'serial' });

/** npm's default CommonJS project (`npm init -y`) on the newest tested Playwright. */
let cjs: string;
/** A project whose Playwright is older than the range. */
let older: string;
let api: Listening;

test.beforeAll(async () => {
  test.setTimeout(420_000);
  api = await startReflectingApi();
  const tarball = await packOnce();
  const newest = PLAYWRIGHT_PIN.tested.at(-1)!;
  // One below the range, which npm only installs past the peer range, as a user with --legacy-peer-deps would.
  [cjs, older] = await Promise.all([
    freshProject('cors-cjs-', tarball, 'npm init -y', [`@playwright/test@${newest}`]),
    freshProject('cors-older-', tarball, { name: 'older-app', private: true, type: 'module' }, ['@playwright/test@1.63.0', '--legacy-peer-deps']),
  ]);
  expect(playwrightIn(cjs)).toBe(newest);
});

test.afterAll(async () => {
  await api?.close();
  for (const dir of [cjs, older]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const onlyLine = (r: Ran) => r.stderr.trim().split('\n').filter((l) => l.trim());

test(`Playwright ${PLAYWRIGHT_PIN.tested.at(-1)} in a CommonJS project: doctor accepts it, Firefox ESR is refused in one line before any engine starts`, async () => {
  const doctor = await run('npx', ['cors-matrix', 'doctor'], cjs);
  expect(doctor.code, show(doctor)).toBe(0);
  expect(doctor.stdout).toContain(`@playwright/test ${PLAYWRIGHT_PIN.tested.at(-1)}`);
  expect(doctor.stdout).toMatch(/refused, left out of check and matrix: .*emulation\.setMediaFeaturesOverride/);
  fs.writeFileSync(path.join(cjs, 'cors-policy.json'), JSON.stringify({ target: api.origin, allowedOrigins: ['https://app.example.com'], endpoints: [{ path: '/api/me', methods: ['GET'] }] }));
  const refused = await run('npx', ['cors-matrix', 'check', '--engines', 'firefox'], cjs);
  expect(refused.code, show(refused)).toBe(2);
  const esc = (v: string) => v.replace(/\./g, '\\.');
  expect(onlyLine(refused), show(refused)).toEqual([expect.stringMatching(new RegExp(`^cors-matrix: --engines firefox: @playwright/test ${esc(PLAYWRIGHT_PIN.tested.at(-1)!)} cannot drive Firefox ESR .*Fix: npm i -D @playwright/test@${esc(PLAYWRIGHT_PIN.version)}`))]);
  expect(refused.ms).toBeLessThan(15_000);
  expect(fs.existsSync(path.join(cjs, 'reports'))).toBe(false);
  fs.rmSync(path.join(cjs, 'cors-policy.json'));
});

test('Playwright below the range: doctor exits 1 and check refuses in one line with the install command', async () => {
  const doctor = await run('npx', ['cors-matrix', 'doctor'], older);
  expect(doctor.code, show(doctor)).toBe(1);
  expect(doctor.stdout).toMatch(/@playwright\/test 1\.63\.0 - outside >=1\.64\.1 <1\.66\.0/);
  const r = await run('npx', ['cors-matrix', 'check', 'cors-policy.json'], older);
  expect(r.code, show(r)).toBe(2);
  expect(onlyLine(r)).toEqual([`cors-matrix: @playwright/test 1.63.0 is outside ${PLAYWRIGHT_PIN.range}, the releases this package is tested with. Fix: npm i -D @playwright/test@${PLAYWRIGHT_PIN.version}`]);
  expect(r.ms).toBeLessThan(15_000);
});

test('a CommonJS project loads typed policy files written with import (.js, .ts) as Playwright loads its config', async () => {
  // A target nobody answers on: the run stops at it, after the policy file was loaded and validated.
  const closed = await listen(http.createServer());
  const deadTarget = closed.origin;
  await closed.close();
  const body = `definePolicy({ target: '${deadTarget}', allowedOrigins: ['https://app.example.com'], endpoints: [{ path: '/api/me', methods: ['GET'] }] })`;
  fs.writeFileSync(path.join(cjs, 'imports.config.js'), `import { definePolicy } from 'cors-matrix';\nexport default ${body};\n`);
  fs.writeFileSync(path.join(cjs, 'typed.config.ts'), `import { definePolicy, type PolicyInput } from 'cors-matrix';\nconst policy: PolicyInput = ${body};\nexport default definePolicy(policy);\n`);
  for (const file of ['imports.config.js', 'typed.config.ts']) {
    const r = await run('npx', ['cors-matrix', 'check', file, '--engines', 'chromium'], cjs);
    expect(r.code, `${file}\n${show(r)}`).toBe(2);
    expect(r.stderr, file).toContain(`${file}, field "target": cannot connect to ${deadTarget}`);
  }
});

test(`a CommonJS policy (module.exports = definePolicy(...)) runs in Chromium and WebKitGTK under Playwright ${PLAYWRIGHT_PIN.tested.at(-1)}`, async () => {
  test.setTimeout(300_000);
  fs.writeFileSync(path.join(cjs, 'cors-policy.config.js'), `const { definePolicy } = require('cors-matrix');
module.exports = definePolicy({
  target: '${api.origin}',
  allowedOrigins: ['https://app.example.com'],
  endpoints: [{ path: '/api/me', methods: ['GET'], credentials: true }],
});
`);
  const r = await run('npx', ['cors-matrix', 'check', '--engines', 'chromium,webkit'], cjs);
  test.info().annotations.push({ type: 'check', description: `${r.ms} ms in chromium and webkit` });
  expect(r.code, show(r)).toBe(1);
  const report = JSON.parse(fs.readFileSync(path.join(cjs, 'reports', 'out', 'policy.json'), 'utf8')) as { engines?: unknown; findings: Array<{ kind: string; endpoint: string; severity: string; engines?: string[] }> };
  expect(report.findings.filter((f) => f.severity === 'high').map((f) => `${f.endpoint} ${f.kind}`)).toEqual(['/api/me credentials-reflection']);
  expect(JSON.stringify(report)).toMatch(/WebKitGTK/);
  expect(JSON.stringify(report)).toMatch(/Chromium/);
});
