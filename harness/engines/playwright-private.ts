// The private Playwright APIs the harness uses, all in this file. tests/unit/playwright-private.test.ts
// fails when Playwright renames or reshapes one of them.
import { createRequire } from 'node:module';

/** The fixture's options as Playwright declares them (a test fixture: no `scope`). */
export const SETUP_ARTIFACTS_OPTIONS = { auto: 'all-hooks-included', box: true, timeout: 0 } as const;

/**
 * The engines are not Playwright test pages: their Playwright calls (an evaluate per probe, a context
 * per isolated scenario) are the harness's plumbing. @playwright/test's per-test artifact recorder
 * (`_setupArtifacts`, 1.64.1) turns each call into a reported test step, with a stack trace and a
 * message to the runner, and would trace or screenshot pages no test looks at; measured with
 * npm run bench, that was about 13% of a catalogue run. The harness's tests replace it with nothing.
 * Spread into `test.extend`.
 */
export const withoutApiCallSteps = {
  _setupArtifacts: [async ({}, use: () => Promise<void>) => { await use(); }, SETUP_ARTIFACTS_OPTIONS],
} as unknown as {};

/**
 * Loads a user's file the way Playwright loads their `playwright.config.*` in the same project:
 * TypeScript through Playwright's transform, `import` syntax in a CommonJS project turned into
 * `require`, ES modules imported. Node's own `import()` does none of that in npm's default CommonJS
 * project. Playwright has no public loader: this is `requireOrImport` from `playwright/lib/common`
 * (1.64 and 1.65; tests/unit/playwright-private.test.ts fails when it moves). Resolved from the
 * project's own `playwright`, the copy whose runner has already installed its hooks.
 */
export async function requireOrImportLikePlaywright(file: string): Promise<unknown> {
  const common = createRequire(import.meta.url)('playwright/lib/common') as { transform?: { requireOrImport?: (file: string) => Promise<unknown> } };
  const load = common.transform?.requireOrImport;
  if (typeof load !== 'function') throw new Error('playwright/lib/common no longer exports transform.requireOrImport: cors-matrix cannot load a policy module with this Playwright');
  return load(file);
}
