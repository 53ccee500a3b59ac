// WebKitGTK through a real Selenium Grid (scripts/grid.mjs: a hub and two relay nodes, each to its
// own WebKitWebDriver under its own Xvfb), all on loopback: the same cells as a local run, the
// report naming the Grid and its nodes; and a node whose driver dies mid-run costs the probes it
// held (errors naming it), never a verdict, while the run goes on at the other node.
import { test, expect } from '@playwright/test';
import { cells, leftovers, leftoverTemp, readMatrix, startRun } from './helpers.ts';
import { startGrid } from '../../scripts/grid.mjs';

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

test('webkit through a Selenium Grid (CORS_GRID) gives the same cells as a local webkit, and the report names the Grid and its nodes', async () => {
  test.setTimeout(300_000); // a Grid's start, a Grid run and a local run on a shared two-core machine
  const grid = await startGrid({ nodes: 2 });
  try {
    const remote = await startRun([...SELECTION, '--project=webkit'], { CORS_GRID: grid.url });
    expect(remote.code, remote.stdout + remote.stderr).toBe(0);
    const local = await startRun([...SELECTION, '--project=webkit']);
    expect(local.code, local.stdout + local.stderr).toBe(0);

    const r = readMatrix(remote.reportDir);
    const l = readMatrix(local.reportDir);
    expect(r.engines.map((e) => e.driver)).toEqual(['webdriver-classic (Selenium Grid)']);
    expect(r.engines[0].notes).toBe(`Selenium Grid ${grid.url}, 2 nodes: webkit-1, webkit-2`);
    expect(r.engines[0].version).toBe(l.engines[0].version);
    expect(remote.stdout, 'the terminal summary says where webkit ran').toContain(`Selenium Grid ${grid.url}, 2 nodes: webkit-1, webkit-2`);
    expect(Object.keys(cells(l))).toHaveLength(6);
    expect(cells(r)).toEqual(cells(l));
  } finally {
    await grid.stop();
  }
  expect(gridProcessesLeft(grid)).toEqual([]);
});

test('a Grid node whose driver dies mid-run: its probes end as errors naming it, the run goes on at the other node and says which failed', async () => {
  test.setTimeout(300_000);
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
