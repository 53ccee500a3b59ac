// harness/engines/playwright-private.ts overrides Playwright's private `_setupArtifacts` fixture. A Playwright
// that renames or reshapes it would not fail anything: the override would just stop applying, and
// every catalogue run would be slower again. This reads the installed fixture and says so.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { test, expect } from '@playwright/test';
import { SETUP_ARTIFACTS_OPTIONS, withoutApiCallSteps } from '../../harness/engines/playwright-private.ts';

const require = createRequire(import.meta.url);
// The playwright package @playwright/test itself loads (its fixtures live there).
const fromTestPackage = createRequire(require.resolve('@playwright/test/package.json'));
const playwrightDir = path.dirname(fromTestPackage.resolve('playwright/package.json'));
const version = JSON.parse(fs.readFileSync(path.join(playwrightDir, 'package.json'), 'utf8')).version as string;
const source = fs.readFileSync(path.join(playwrightDir, 'lib', 'index.js'), 'utf8');

const WHAT_TO_DO = `Playwright ${version} changed its private _setupArtifacts fixture (${path.join(playwrightDir, 'lib', 'index.js')}), `
  + 'which harness/engines/playwright-private.ts overrides so that the engines\' Playwright calls are not recorded as test steps. '
  + 'Find the fixture that now installs the per-call step recorder, point the override at it with the same scope and auto '
  + 'mode (or delete the override), and compare npm run bench before and after.';

/** The fixture's declaration: `_setupArtifacts: [async (...) => { ... }, { options }]`, its options parsed. */
function declared(): { params: string; options: Record<string, unknown> } | null {
  const m = /\n {2}_setupArtifacts: \[async \(\{([^}]*)\}, use, testInfo\) => \{[\s\S]*?\n {2}\}, (\{[^{}\n]*\})\],?\n/.exec(source);
  if (!m) return null;
  return { params: m[1], options: new Function(`return (${m[2]});`)() as Record<string, unknown> };
}

test('Playwright still declares _setupArtifacts as an automatic test fixture, the shape the harness overrides', () => {
  const fixture = declared();
  expect(fixture, WHAT_TO_DO).not.toBeNull();
  expect(fixture!.options.scope ?? 'test', WHAT_TO_DO).toBe('test');
  expect(fixture!.options.auto, WHAT_TO_DO).toBe(SETUP_ARTIFACTS_OPTIONS.auto);
  // The recorder it installs is what turns every Playwright call into a step.
  expect(source, WHAT_TO_DO).toMatch(/_setupArtifacts: \[[\s\S]*?onApiCallBegin[\s\S]*?_addStep\(/);
});

test('the override has the declaration\'s scope and auto mode, so it replaces the fixture instead of adding one', () => {
  const [fn, options] = (withoutApiCallSteps as Record<string, [unknown, Record<string, unknown>]>)._setupArtifacts;
  expect(typeof fn).toBe('function');
  const fixture = declared();
  expect(fixture, WHAT_TO_DO).not.toBeNull();
  expect(options.scope ?? 'test', WHAT_TO_DO).toBe(fixture!.options.scope ?? 'test');
  expect(options.auto, WHAT_TO_DO).toBe(fixture!.options.auto);
});

test('Playwright still exports the loader it uses for its own config (playwright/lib/common transform.requireOrImport), which loads policy modules', async () => {
  const common = fromTestPackage('playwright/lib/common') as { transform?: { requireOrImport?: unknown } };
  expect(typeof common.transform?.requireOrImport, `Playwright ${version} moved requireOrImport: point requireOrImportLikePlaywright in harness/engines/playwright-private.ts at the loader its config loader now uses`).toBe('function');
  // And the harness's wrapper loads a TypeScript module through it.
  const { requireOrImportLikePlaywright } = await import('../../harness/engines/playwright-private.ts');
  const mod = await requireOrImportLikePlaywright(new URL('../../harness/policy/define.ts', import.meta.url).pathname) as { definePolicy?: unknown };
  expect(typeof mod.definePolicy).toBe('function');
});
