// A big API's policy report stays readable and small: endpoints that share one mistake print one
// line with the endpoints counted; in policy.json the same check on many endpoints, with the same
// results, is one entry listing them, so the file grows per endpoint by its finding and its name
// (200 endpoints in three engines: 88 MB at first, 3.9 MB with slim results, 0.5 MB grouped), and
// the run leaves no empty test-results/ folder behind. A real Express API in one engine: the bound is
// per endpoint and per engine, so it scales to 200 endpoints in three engines unrun.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { startRun, tempDir } from './helpers.ts';
import { startManyEndpointsApi } from '../fixtures/policy/express-api.ts';

const ENDPOINTS = 8;
/**
 * policy.json grows per endpoint (its finding, and its name in each grouped check) and per engine (a
 * result in each grouped check). The bound for 200 endpoints in three engines is
 * 40 kB + 200 x 4 kB + 3 x 20 kB = 0.9 MB (the limit: 2 MB); here, for 8 in one engine, 92 kB.
 */
const FIXED_BYTES = 40_000;
const BYTES_PER_ENDPOINT = 4_000;
const BYTES_PER_ENGINE = 20_000;

test('endpoints sharing a mistake: one line per kind, a bounded policy.json, no empty test-results/', async () => {
  const api = await startManyEndpointsApi(ENDPOINTS);
  try {
    const dir = tempDir('cors-policy-size-');
    const file = path.join(dir, 'cors-policy.json');
    fs.writeFileSync(file, JSON.stringify(api.policy, null, 2));
    const output = path.join(dir, 'test-results');
    const run = await startRun(['--project=chromium', `--output=${output}`], { CORS_POLICY: file, CORS_REPORT_DIR: dir });
    // Origin reflection without credentials is low, below the default --fail-on medium: reported, not failing.
    expect(run.code, run.stdout.slice(-3000)).toBe(0);
    expect(run.stdout).toMatch(/exit 0: no check fails at --fail-on medium; 8 findings below it \(low origin-reflection\)/);
    const lines = run.stdout.split('\n').filter((l) => /^\s+(HIGH|MEDIUM|LOW|INFO)\s/.test(l));
    expect(lines).toEqual([expect.stringMatching(new RegExp(`LOW\\s+origin-reflection\\s+${ENDPOINTS} endpoints \\(/api/items/0, /api/items/1, /api/items/2, …\\)\\s+https://attacker\\.test`))]);
    const bytes = fs.statSync(path.join(dir, 'policy.json')).size;
    expect(bytes, `policy.json for ${ENDPOINTS} endpoints in one engine`).toBeLessThan(FIXED_BYTES + ENDPOINTS * BYTES_PER_ENDPOINT + BYTES_PER_ENGINE);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'policy.json'), 'utf8'));
    expect(report.findings).toHaveLength(ENDPOINTS);
    // Every endpoint's checks came out the same: one entry per check, naming all eight endpoints,
    // while the summary counts every check made; each finding points at the entries it stands on.
    const names = Array.from({ length: ENDPOINTS }, (_, i) => `/api/items/${i}`);
    expect(report.summary.checks).toBe(report.checks.length * ENDPOINTS);
    for (const c of report.checks) expect(c.endpoints).toEqual(names);
    for (const f of report.findings) expect(f.checks.every((i: number) => report.checks[i].endpoints.includes(f.endpoint))).toBe(true);
    // Nothing printed as a placeholder where the engine got a real value.
    const html = fs.readFileSync(path.join(dir, 'policy.html'), 'utf8');
    expect(html).not.toMatch(/\$ORIGIN|\$TARGET/);
    // The HTML's checks: one table for the eight endpoints that read the same.
    expect(html.match(/<table class="checks">/g)).toHaveLength(1);
    expect(html).toContain(`${ENDPOINTS} endpoints, the same in every check: <code>/api/items/0</code>`);
    // Playwright keeps its .last-run.json there; what must not be there is a folder per origin test.
    const folders = fs.existsSync(output) ? fs.readdirSync(output, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name) : [];
    expect(folders, 'folders in the Playwright output folder').toEqual([]);
    test.info().annotations.push({ type: 'policy.json', description: `${bytes} bytes for ${ENDPOINTS} endpoints in chromium` });
  } finally {
    await api.close();
  }
});
