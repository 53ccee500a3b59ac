// The one use of a private Playwright API. tests/unit/playwright-private.test.ts fails when
// Playwright renames or reshapes what this overrides.

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
