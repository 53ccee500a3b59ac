// WebKitGTK through a real Selenium Grid (scripts/grid.mjs: a hub and two relay nodes, each to its
// own WebKitWebDriver under its own Xvfb), Chromium and Firefox on a real Playwright server
// (scripts/playwright-servers.mjs), all on loopback: three shards at once, merged, give the same
// cells as a local run, the report naming where each engine ran; and a node whose driver dies mid-run costs the probes it
// held (errors naming it), never a verdict, while the run goes on at the other node.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { cells, leftovers, leftoverTemp, mergeReports, readMatrix, startRun, tempDir } from './helpers.ts';
import { startGrid } from '../../scripts/grid.mjs';
import { startPlaywrightServers } from '../../scripts/playwright-servers.mjs';

test.describe.configure({ mode: 'serial' });

type Grid = Awaited<ReturnType<typeof startGrid>>;

/** Every process of the Grid is gone once it stopped. */
function gridProcessesLeft(grid: Grid): number[] {
  return grid.nodes.flatMap((n) => Object.values(n.pids) as number[]).filter((pid) => {
    try { process.kill(pid, 0); return true; } catch { return false; }
  });
}

/**
 * The node holding the oldest session now (the worker's shared page, not a lane page that comes and
 * goes), by index, from the hub's /status; -1 while none holds one.
 */
async function sharedPageNode(grid: Grid): Promise<number> {
  const status = await (await fetch(`${grid.url}/status`)).json() as { value: { nodes: Array<{ uri: string; slots: Array<{ session: { sessionId: string; start: string } | null }> }> } };
  // A slot being filled shows the session id "reserved" until the session exists.
  const held = grid.nodes.flatMap((n, i) => (status.value.nodes.find((s) => s.uri === n.uri)?.slots ?? [])
    .filter((s) => s.session && s.session.sessionId !== 'reserved').map((s) => ({ i, start: Date.parse(s.session!.start) })));
  return held.sort((a, b) => a.start - b.start)[0]?.i ?? -1;
}

// Plain, preflighted and credentialed probes in the shared page, and a preflight-cache follow-up
// in a session of its own (the Grid's second slot).
const SELECTION = ['-g', ' acao-star:| acao-mismatch:| cred-star:| preflight-put:| preflight-404:| cache-max-age-600:'];
const ENGINES = ['--project=chromium', '--project=firefox', '--project=webkit'];
const SHARDS = 3;

test('three shards at once, webkit on a Selenium Grid of two nodes and chromium and firefox on a Playwright server, merged: the cells of a local run, each engine named where it ran', async () => {
  test.setTimeout(420_000); // a Grid's start, three shard runs at once, a merge and a local run on a shared two-core machine
  const work = tempDir('cors-grid-shards-');
  const [grid, servers] = await Promise.all([startGrid({ nodes: 2 }), startPlaywrightServers()]);
  try {
    const env = { CORS_GRID: grid.url, CORS_PLAYWRIGHT_SERVER: servers.env };
    // Each shard as another machine would run it: its own blob folder, all of them at once.
    const shards = await Promise.all(Array.from({ length: SHARDS }, (_, i) => startRun([...SELECTION, ...ENGINES, `--shard=${i + 1}/${SHARDS}`, '--reporter=blob'], {
      ...env, PLAYWRIGHT_BLOB_OUTPUT_DIR: path.join(work, `blob-${i + 1}`), CORS_REPORT_DIR: path.join(work, `shard-${i + 1}`),
    })));
    for (const r of shards) expect(r.code, r.stdout + r.stderr).toBe(0);
    const all = path.join(work, 'all-blobs');
    fs.mkdirSync(all);
    for (let i = 1; i <= SHARDS; i++) for (const f of fs.readdirSync(path.join(work, `blob-${i}`))) fs.copyFileSync(path.join(work, `blob-${i}`, f), path.join(all, f));
    expect(fs.readdirSync(all).filter((f) => f.endsWith('.zip')), 'one blob per shard').toHaveLength(SHARDS);
    const merged = await mergeReports(['--config=playwright.config.ts', all], { CORS_REPORT_DIR: path.join(work, 'merged') });
    expect(merged.code, merged.stdout + merged.stderr).toBe(0);
    const local = await startRun([...SELECTION, ...ENGINES], { CORS_REPORT_DIR: path.join(work, 'local') });
    expect(local.code, local.stdout + local.stderr).toBe(0);

    const r = readMatrix(path.join(work, 'merged'));
    const l = readMatrix(path.join(work, 'local'));
    const where = Object.fromEntries(r.engines.map((e) => [e.id, { driver: e.driver, notes: e.notes }]));
    expect(where.webkit).toEqual({ driver: 'webdriver-classic (Selenium Grid)', notes: `Selenium Grid ${grid.url}, 2 nodes: webkit-1, webkit-2` });
    for (const id of ['chromium', 'firefox']) {
      expect(where[id]?.driver, id).toMatch(/via playwright run-server$/);
      expect(where[id]?.notes, id).toContain(servers.servers[0].wsEndpoint);
    }
    expect(merged.stdout, 'the terminal summary says where webkit ran').toContain(`Selenium Grid ${grid.url}, 2 nodes: webkit-1, webkit-2`);
    expect(r.engines.map((e) => [e.id, e.version])).toEqual(l.engines.map((e) => [e.id, e.version]));
    expect(Object.keys(cells(l))).toHaveLength(6 * 3);
    expect(cells(r)).toEqual(cells(l));
  } finally {
    await Promise.all([grid.stop(), servers.stop()]);
  }
  expect(gridProcessesLeft(grid)).toEqual([]);
});

test('a Grid node whose driver dies mid-run: its probes end as errors naming it, the run goes on at the other node and says which failed', async () => {
  test.setTimeout(480_000); // a Grid's start and a run through it: over 5 min once at load 15 with the fix loop running beside it
  const grid = await startGrid({ nodes: 2 });
  let killed = -1;
  try {
    // One category in the shared page, one probe at a time: the kill lands while probes remain. The
    // line reporter names a test as it begins: the second one begins once the shared page probes.
    let started = false;
    const run = startRun(['-g', 'acao-format ›', '--project=webkit'], { CORS_GRID: grid.url, CORS_BATCH: '0' }, (out) => { started ||= /\[([2-9]|\d\d+)\/\d+\]/.test(out); });
    const killer = (async () => {
      const deadline = Date.now() + 120_000;
      while (killed < 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        const node = started ? await sharedPageNode(grid).catch(() => -1) : -1;
        if (node >= 0) { killed = node; await grid.stopDriver(killed); }
      }
    })();
    const result = await run;
    await killer;
    expect(killed, 'a node held a session while the run probed').toBeGreaterThanOrEqual(0);
    const name = grid.nodes[killed].name;
    const uri = grid.nodes[killed].uri;

    expect([0, 1], result.stdout + result.stderr).toContain(result.code);
    const m = readMatrix(result.reportDir);
    const all = m.scenarios.flatMap((s) => Object.values(s.results).map((c) => ({ id: s.id, ...c! })));
    const errors = all.filter((c) => c.outcome === 'error');
    expect(errors.length, `the probes on the dead node ${name}: ${result.stdout.slice(-3000)}`).toBeGreaterThan(0);
    for (const c of errors) expect(c.cause, c.id).toContain(`Selenium Grid node ${name} (${uri}) failed: `);
    // The dead node never turns into a verdict: every cell that is not its error is as expected.
    expect(all.filter((c) => c.outcome !== 'error' && !c.matchesExpected).map((c) => c.id)).toEqual([]);
    expect(all.length - errors.length, 'cells that ran at the other node after the failure').toBeGreaterThan(0);
    expect(m.engines[0].notes).toMatch(new RegExp(`node ${name} (failed at \\d\\d:\\d\\d:\\d\\d: |\\(.*\\) not UP)`));
    expect(result.stdout, 'the terminal summary names the failed node').toContain(`node ${name}`);
    expect(await leftovers(result.marker)).toEqual([]);
    expect(await leftoverTemp(result), 'the record of failed nodes goes with the run').toEqual([]);
  } finally {
    await grid.stop();
  }
  expect(gridProcessesLeft(grid)).toEqual([]);
});
