// This repository stays pinned at exactly 1.64.1 (users get the peer range): 1.65 breaks Firefox ESR 153 over WebDriver BiDi
// (`emulation.setMediaFeaturesOverride: unknown command` on every new context).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { test, expect } from '@playwright/test';
import { launchEngine } from '../../harness/engines/launch.ts';
import { ROOT } from './helpers.ts';
import { PLAYWRIGHT_PIN } from '../../harness/engines/playwright-pin.ts';

const require = createRequire(import.meta.url);

test('package.json and the installed packages pin playwright and @playwright/test to exactly 1.64.1', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  // This repository's own install is exact; a package user's is the peer range, which stops before 1.65.
  for (const name of ['playwright', '@playwright/test']) {
    expect(pkg.devDependencies[name], `devDependencies.${name}`).toBe(PLAYWRIGHT_PIN.version);
    expect(pkg.peerDependencies[name], `peerDependencies.${name}`).toBe(PLAYWRIGHT_PIN.peerRange);
  }
  for (const name of ['playwright', '@playwright/test', 'playwright-core']) {
    const installed = JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), 'utf8'));
    expect(installed.version, name).toBe(PLAYWRIGHT_PIN.version);
  }
});

test('Firefox ESR opens a new context and runs script over BiDi with this Playwright', async () => {
  const engine = await launchEngine('firefox');
  try {
    const page = await engine.newPage();
    expect(await page.evaluate<number>('Promise.resolve(arg + 1)', 41, 10_000)).toBe(42);
    await page.close();
    expect(engine.info.driver).toMatch(/bidi|juggler/);
  } finally {
    await engine.close();
  }
});
