// The test fixture both modes' specs use to hand a worker's phase timings to the reporters
// (harness/model/timings.ts, reports/timings.ts), as the cells and policy records travel: attachments.
import { TIMINGS_CONTENT_TYPE, takeTimings } from '../model/timings.ts';

/**
 * Each test hands its worker's phase timings to the reporter (harness/model/timings.ts): the intervals
 * that ended since the previous test's, so the worker fixtures' reach the reporter with the first test.
 * Pushed, not attach()ed, as the policy spec does: no test output folder for a body held in memory.
 */
export const timingsFixture = {
  corsTimings: [async ({}, use: () => Promise<void>, testInfo: { attachments: Array<{ name: string; contentType: string; body?: Buffer }> }) => {
    try { await use(); } finally {
      testInfo.attachments.push({ name: 'cors-timings', contentType: TIMINGS_CONTENT_TYPE, body: Buffer.from(JSON.stringify(takeTimings())) });
    }
  }, { auto: true, box: true }],
} as unknown as {};

