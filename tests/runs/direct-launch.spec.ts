// No claim without evidence outside automation (issue 22): each engine in each regime, launched
// directly on one URL with a fresh profile (no Playwright, WebDriver, CDP, Marionette or proxy), sets
// the catalogue's cookies in a first-party top-level visit to api.site-b.test, then a page on
// app.site-a.test calls the API with credentials (fetch and XHR) and a page on www.site-b.test does
// the same as the control. What the API received must be what the catalogue records for that column.
import { test, expect } from '@playwright/test';
import { DIRECT_LAUNCHES, visitDirectly, type DirectLaunch } from './direct-launch/launch.ts';
import { PROBE_COOKIES, catalogueSends } from './direct-launch/catalogue-cookies.ts';
import { columnId, type ColumnId } from '../../harness/model/types.ts';

test.describe.configure({ mode: 'serial' });

/**
 * The cookies each column sends cross-site, as checked by hand on this machine
 * (docs/environment.md, "Regimes"); the catalogue must say the same.
 */
const SENT_CROSS_SITE: Record<ColumnId, string[]> = {
  // cookie_controls_mode 1, "Block third-party cookies", the Debian build's default.
  chromium: [],
  // 2, "Block third-party cookies in Incognito": SameSite=None; Secure goes; no SameSite is Lax by default.
  'chromium-users': ['sid'],
  // Total Cookie Protection: the request from another site uses another jar.
  firefox: [],
  'firefox-users': [],
  // libsoup's no-third-party refuses to store third-party cookies, not to send first-party ones.
  webkit: ['sid', 'unset', 'sid-insecure'],
  // Intelligent Tracking Prevention.
  'webkit-users': [],
};

/** The cookies every control must receive: the ones every engine stores (SameSite=None alone is refused by some). */
const STORED_EVERYWHERE = ['sid', 'unset'];

const sorted = (names: string[] | undefined) => names === undefined ? undefined : [...names].sort();

function title(launch: DirectLaunch, sent: string[]): string {
  const labels = PROBE_COOKIES.filter((p) => sent.includes(p.cookie.name)).map((p) => p.label);
  return `${launch.engine} (${launch.regime} regime: ${launch.regimeSetting}) sends ${labels.length ? labels.join(', ') : 'no cookie'} cross-site`;
}

test.describe('direct launch', () => {
  for (const launch of DIRECT_LAUNCHES) {
    const column = columnId(launch.engine, launch.regime);
    const sent = SENT_CROSS_SITE[column];
    test(title(launch, sent), async () => {
      const binary = launch.binary();
      if ('missing' in binary) { test.skip(true, binary.missing); return; }
      const visit = await visitDirectly(launch, binary.path, PROBE_COOKIES.map((p) => p.cookie));
      const evidence = `${column}: ${visit.commandLine}\nreceived ${JSON.stringify(visit.received)}\npages saw ${JSON.stringify(visit.pageSaw)}\nrequests ${visit.log.join(', ')}\n${visit.stderr}`;
      test.info().annotations.push({ type: 'launched', description: visit.commandLine }, { type: 'received', description: JSON.stringify(visit.received) });
      expect(visit.finished, `the pages reached /done\n${evidence}`).toBe(true);

      // The control: a page on the API's own site got the cookies, so the set-up works.
      for (const api of ['fetch', 'xhr'] as const) {
        expect(visit.received.same[api], `same-site ${api}\n${evidence}`).toEqual(expect.arrayContaining([...STORED_EVERYWHERE, ...sent]));
      }
      // Every call was a CORS success the page could read (ACAO the page's origin, ACAC true).
      expect(visit.pageSaw, `what the pages read\n${evidence}`).toEqual({ 'cross-fetch': '200 ok', 'cross-xhr': '200 ok', 'same-fetch': '200 ok', 'same-xhr': '200 ok' });
      // The claim: what reached the API from the page on another site.
      for (const api of ['fetch', 'xhr'] as const) {
        expect(sorted(visit.received.cross[api]), `cross-site ${api}\n${evidence}`).toEqual(sorted(sent));
      }
      // The catalogue holds this column to the same, cookie by cookie (expected: the catalogue's cells).
      const observed = Object.fromEntries(PROBE_COOKIES.map((p) => [p.cookie.name, visit.received.cross.fetch!.includes(p.cookie.name)]));
      expect(observed, `this launch against the catalogue's ${column} cells of ${PROBE_COOKIES.map((p) => p.scenarioId).join(', ')}\n${evidence}`).toEqual(catalogueSends(column));
    });
  }
});
