// Cell records -> the typed matrix of SPEC.md section 5 (schema cors-matrix/1). Pure.
import type { CellRecord, EngineInfo, Matrix, MatrixChange, MatrixScenario, Outcome } from '../harness/types.ts';
import { ENGINE_IDS } from '../harness/types.ts';

export function buildMatrix(records: CellRecord[], order: string[], durationMs: number, generatedAt = new Date()): Matrix {
  const engines = new Map<string, EngineInfo>();
  const scenarios = new Map<string, MatrixScenario>();
  for (const r of records) {
    const known = engines.get(r.engine.id);
    if (!known || known.version === 'unknown') engines.set(r.engine.id, r.engine);
    let s = scenarios.get(r.scenario.id);
    if (!s) { s = { ...r.scenario, results: {} }; scenarios.set(s.id, s); }
    s.results[r.engine.id] = r.cell;
  }
  const rank = new Map(order.map((id, i) => [id, i]));
  const list = [...scenarios.values()].sort((a, b) => (rank.get(a.id) ?? 1e9) - (rank.get(b.id) ?? 1e9) || a.id.localeCompare(b.id));
  const cells = list.flatMap((s) => Object.values(s.results));
  const errors = cells.filter((c) => c!.outcome === 'error').length;
  const matching = cells.filter((c) => c!.matchesExpected).length;
  return {
    schema: 'cors-matrix/1',
    generatedAt: generatedAt.toISOString(),
    engines: ENGINE_IDS.filter((id) => engines.has(id)).map((id) => engines.get(id)!),
    scenarios: list,
    summary: {
      scenarios: list.length,
      cells: cells.length,
      matching,
      mismatching: cells.length - matching,
      errors,
      deviations: cells.filter((c) => c!.expectedBy === 'deviation').length,
      durationMs,
    },
  };
}

/** Every cell whose outcome differs from the baseline's, including cells new or gone. */
export function diffBaseline(baseline: Matrix, current: Matrix): MatrixChange[] {
  const outcomes = (m: Matrix) => {
    const map = new Map<string, Outcome>();
    for (const s of m.scenarios) for (const [e, c] of Object.entries(s.results)) if (c) map.set(`${s.id}\u0000${e}`, c.outcome);
    return map;
  };
  const before = outcomes(baseline);
  const after = outcomes(current);
  const changes: MatrixChange[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const from = before.get(key) ?? null;
    const to = after.get(key) ?? null;
    if (from === to) continue;
    const [scenario, engine] = key.split('\u0000');
    changes.push({ scenario, engine, from, to });
  }
  return changes.sort((a, b) => a.scenario.localeCompare(b.scenario) || a.engine.localeCompare(b.engine));
}
