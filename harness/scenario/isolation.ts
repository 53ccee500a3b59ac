// Which scenarios cannot run in the worker's shared probe page. The run opens them a context of
// their own; the batch counts them against its limit on scenarios that start browser processes.
import type { Scenario } from '../types.ts';

export type OwnContext = 'public-origin' | 'fresh-caches' | 'named-sites';

/** Why a scenario needs a browser context of its own, or null when the shared page will do. */
export function ownContext(scenario: Scenario): OwnContext | null {
  // Local Network Access: a page on a public address, with the permission granted or not.
  if (scenario.page?.origin === 'public') return 'public-origin';
  // Named sites load their page through the harness's proxy, and cookies need a jar of their own
  // (set in a first-party visit, which navigates the page). Checked before follow-ups: a context of
  // its own has fresh caches too.
  if (scenario.sites || scenario.cookies?.length) return 'named-sites';
  // Preflight-cache and HTTP-cache checks need caches nobody else has touched.
  if (scenario.followUp) return 'fresh-caches';
  return null;
}
