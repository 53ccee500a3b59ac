// Cell records -> the typed matrix (schema cors-matrix/1, docs/scenarios.md). Pure.
import type { Cell, CellRecord, ColumnId, ColumnInfo, Matrix, MatrixChange, MatrixScenario, Outcome } from '../harness/model/types.ts';
import { COLUMN_IDS } from '../harness/model/types.ts';

export function buildMatrix(records: CellRecord[], order: string[], durationMs: number, generatedAt = new Date()): Matrix {
  const engines = new Map<string, ColumnInfo>();
  const scenarios = new Map<string, MatrixScenario>();
  for (const r of records) {
    const known = engines.get(r.engine.id);
    // A later record knows as much or more (a version read, a remote node that failed since).
    if (!known || r.engine.version !== 'unknown' || known.version === 'unknown') engines.set(r.engine.id, r.engine);
    let s = scenarios.get(r.scenario.id);
    if (!s) { s = { ...r.scenario, results: {} }; scenarios.set(s.id, s); }
    s.results[r.engine.id] = r.cell;
  }
  const rank = new Map(order.map((id, i) => [id, i]));
  const list = [...scenarios.values()].map(ranDeviations).sort((a, b) => (rank.get(a.id) ?? 1e9) - (rank.get(b.id) ?? 1e9) || a.id.localeCompare(b.id));
  return {
    schema: 'cors-matrix/1',
    generatedAt: generatedAt.toISOString(),
    engines: COLUMN_IDS.filter((id) => engines.has(id)).map((id) => engines.get(id)!),
    // What the records alone can say; the reporter, which knows the selection, corrects both.
    complete: true,
    subset: false,
    scenarios: list,
    summary: summarize(list, durationMs),
  };
}

/** A scenario's recorded deviations for the columns it has a cell in (the others ran elsewhere or not at all). */
function ranDeviations(s: MatrixScenario): MatrixScenario {
  if (!s.deviations) return s;
  const kept = Object.fromEntries(Object.entries(s.deviations).filter(([c]) => c in s.results));
  const { deviations: _, ...rest } = s;
  return Object.keys(kept).length ? { ...s, deviations: kept } : rest;
}

/** The counts of a matrix, from its cells: one function for a run's matrix and a merged baseline. */
export function summarize(scenarios: MatrixScenario[], durationMs: number, notRun = 0): Matrix['summary'] {
  const cells = scenarios.flatMap((s) => Object.values(s.results)).filter((c): c is Cell => !!c);
  const matching = cells.filter((c) => c.matchesExpected).length;
  return {
    scenarios: scenarios.length,
    cells: cells.length,
    matching,
    mismatching: cells.length - matching,
    errors: cells.filter((c) => c.outcome === 'error').length,
    deviations: cells.filter((c) => c.expectedBy === 'deviation').length,
    notRun,
    durationMs,
  };
}

/**
 * One scenario order from several partial orders. A plain run has one list per engine project;
 * `merge-reports` replays one project per project per shard, each holding a contiguous part of the
 * catalogue, in any order. Every list's neighbours keep their order (a topological sort); ties go
 * to the id seen first, so the merged order is the catalogue's whichever way the shards cut it.
 */
export function mergeOrder(lists: string[][]): string[] {
  const firstSeen = new Map<string, number>();
  const next = new Map<string, Set<string>>();
  const incoming = new Map<string, number>();
  for (const list of lists) {
    list.forEach((id, i) => {
      if (!firstSeen.has(id)) { firstSeen.set(id, firstSeen.size); next.set(id, new Set()); incoming.set(id, 0); }
      const prev = list[i - 1];
      if (i > 0 && prev !== id && !next.get(prev)!.has(id)) { next.get(prev)!.add(id); incoming.set(id, incoming.get(id)! + 1); }
    });
  }
  const out: string[] = [];
  const ready = [...firstSeen.keys()].filter((id) => incoming.get(id) === 0);
  while (out.length < firstSeen.size) {
    // A cycle (lists that contradict each other) cannot come from one catalogue; break it by first sight.
    if (!ready.length) ready.push([...firstSeen.keys()].find((id) => !out.includes(id) && !ready.includes(id))!);
    ready.sort((a, b) => firstSeen.get(a)! - firstSeen.get(b)!);
    const id = ready.shift()!;
    if (out.includes(id)) continue;
    out.push(id);
    for (const n of next.get(id)!) {
      incoming.set(n, incoming.get(n)! - 1);
      if (incoming.get(n) === 0 && !out.includes(n)) ready.push(n);
    }
  }
  return out;
}

/** The outcome a cell should show: a `faults` scenario expects `error` (with a cause), never a CORS decision. */
export function expectedOutcome(s: MatrixScenario): Outcome {
  return s.expected.error ? 'error' : s.expected.outcome;
}

/** The engines' outcomes for one scenario differ (cells that did not run are left out). */
export function enginesDisagree(s: MatrixScenario): boolean {
  return new Set(Object.values(s.results).map((c) => c!.outcome)).size > 1;
}

/** One cell's key: scenario id and engine id (an id may hold any character but NUL). */
export function cellKey(scenario: string, engine: string): string {
  return `${scenario}\u0000${engine}`;
}

function outcomes(m: Matrix): Map<string, Outcome> {
  const map = new Map<string, Outcome>();
  for (const s of m.scenarios) for (const [e, c] of Object.entries(s.results)) if (c) map.set(cellKey(s.id, e), c.outcome);
  return map;
}

/** The selected cells (keys) the matrix holds no cell for. */
export function cellsNotRun(selected: ReadonlySet<string>, m: Matrix): string[] {
  const ran = outcomes(m);
  return [...selected].filter((k) => !ran.has(k));
}

/**
 * Every cell whose outcome differs from the baseline's, including cells new or gone. With a
 * selection, only selected cells count: a run of one project, one grep or one shard says nothing
 * about the cells it did not select, and a selected cell the run ended without is "not run" (the
 * summary counts it), not "gone". A selected cell the baseline lacks is still new.
 */
export function diffBaseline(baseline: Matrix, current: Matrix, selected?: ReadonlySet<string>): MatrixChange[] {
  const before = outcomes(baseline);
  const after = outcomes(current);
  const changes: MatrixChange[] = [];
  for (const key of selected ?? new Set([...before.keys(), ...after.keys()])) {
    const from = before.get(key) ?? null;
    const to = after.get(key) ?? null;
    if (from === to || (selected && to === null)) continue;
    const [scenario, engine] = key.split('\u0000');
    changes.push({ scenario, engine, from, to });
  }
  return changes.sort((a, b) => a.scenario.localeCompare(b.scenario) || a.engine.localeCompare(b.engine));
}

/**
 * A complete subset run folded into the baseline: its selected cells replace the baseline's (or are
 * added), every other cell and scenario stays as it was. A scenario this run ran takes this run's
 * definition (title, expectation), so what the report shows for it is what was just checked. The
 * engines are the baseline's plus this run's, this run's description winning (a newer version).
 */
export function mergeIntoBaseline(baseline: Matrix, current: Matrix, selected: ReadonlySet<string>): Matrix {
  const ran = new Map(current.scenarios.map((s) => [s.id, s]));
  const merged = new Map<string, MatrixScenario>();
  for (const s of baseline.scenarios) {
    const results = Object.fromEntries(Object.entries(s.results).filter(([e]) => !selected.has(cellKey(s.id, e))));
    // The baseline's deviations stay for its own columns (this run's pruned them to the columns it ran).
    merged.set(s.id, { ...(ran.get(s.id) ?? s), deviations: { ...s.deviations, ...ran.get(s.id)?.deviations }, results });
  }
  for (const s of current.scenarios) {
    const m = merged.get(s.id) ?? { ...s, results: {} };
    for (const [e, c] of Object.entries(s.results)) if (selected.has(cellKey(s.id, e))) m.results[e as ColumnId] = c;
    merged.set(s.id, m);
  }
  const scenarios = mergeOrder([baseline.scenarios.map((s) => s.id), current.scenarios.map((s) => s.id)]).map((id) => ranDeviations(merged.get(id)!));
  const engines = new Map<string, ColumnInfo>([...baseline.engines, ...current.engines].map((e) => [e.id, e]));
  return {
    schema: 'cors-matrix/1',
    generatedAt: current.generatedAt,
    engines: COLUMN_IDS.filter((id) => engines.has(id)).map((id) => engines.get(id)!),
    complete: true,
    // The baseline still covers what it covered: only a baseline that never held the whole catalogue is a subset.
    subset: baseline.subset === true,
    scenarios,
    summary: summarize(scenarios, current.summary.durationMs),
  };
}
