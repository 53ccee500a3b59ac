// The terminal summary after a run: categories x engines with counts, then every mismatch.
import type { Matrix } from '../harness/types.ts';

export function terminalSummary(m: Matrix, failures: Array<{ test: string; error: string }>, dir: string): string {
  const engines = m.engines.map((e) => e.id);
  const cats = [...new Set(m.scenarios.map((s) => s.category))];
  const rows = cats.map((c) => {
    const list = m.scenarios.filter((s) => s.category === c);
    return [c, ...engines.map((e) => {
      const cells = list.map((s) => s.results[e as keyof typeof s.results]).filter(Boolean);
      const ok = cells.filter((x) => x!.matchesExpected).length;
      return `${ok}/${cells.length}`;
    })];
  });
  const head = ['category', ...engines];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((v, i) => v.padEnd(widths[i])).join('  ');
  const out = ['', 'CORS matrix (matching/cells)', line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  const s = m.summary;
  out.push('', `${s.scenarios} scenarios, ${s.cells} cells: ${s.matching} matching, ${s.mismatching} mismatching, ${s.errors} errors, ${s.deviations} recorded deviations, ${(s.durationMs / 1000).toFixed(1)} s`);
  const mismatches = m.scenarios.flatMap((sc) => Object.entries(sc.results).filter(([, c]) => c && !c.matchesExpected).map(([e, c]) =>
    `  ✗ ${sc.id} [${e}]: expected ${sc.expected.outcome}, saw ${c!.outcome}${c!.stage ? ` at ${c!.stage}` : ''}${c!.cause ? ` (${c!.cause})` : ''} — ${sc.expected.reason}`));
  if (mismatches.length) out.push('', 'Mismatches:', ...mismatches);
  if (failures.length) out.push('', 'Tests that produced no cell:', ...failures.map((f) => `  ! ${f.test}: ${f.error}`));
  if (m.changes?.length) out.push('', `Changed since the baseline (${m.changes.length}):`, ...m.changes.map((c) => `  ~ ${c.scenario} [${c.engine}]: ${c.from ?? 'absent'} -> ${c.to ?? 'absent'}`));
  out.push('', `Wrote ${dir}/matrix.json and ${dir}/matrix.html`, '');
  return out.join('\n');
}
