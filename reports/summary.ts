// The terminal summary after a run: categories x engines with counts, then every mismatch with the
// oracle's reason, the fix and the engine's own words; recorded deviations; baseline changes.
import type { Cell, ColumnId, EngineId, Matrix, MatrixScenario } from '../harness/model/types.ts';
import { expectedOutcome } from './matrix.ts';
import { configurationLine } from '../harness/model/engine-configuration.ts';

export interface RunFailure { test: string; error: string }

/** What CORS_UPDATE_BASELINE did: refused (incomplete run), replaced the file, merged a subset into it, or wrote a subset as the first baseline. */
export interface BaselineUpdate {
  file: string;
  kind: 'refused' | 'whole' | 'merged' | 'subset';
  /** Selected cells that differ from the previous baseline (null: there was none). */
  moved?: number | null;
  cells?: number;
  notRun?: number;
}

function baselineLine(u: BaselineUpdate): string {
  const moved = u.moved === null || u.moved === undefined ? ' (no previous baseline)' : ` (${u.moved} cells differ from the previous baseline)`;
  switch (u.kind) {
    case 'refused': return `baseline not written: the run was incomplete (${u.notRun} cells not run); ${u.file} is unchanged.`;
    case 'whole': return `Baseline written to ${u.file}${moved}.`;
    case 'merged': return `Baseline written to ${u.file}: this subset run's ${u.cells} cells merged in, every other cell kept${moved}.`;
    case 'subset': return `Baseline written to ${u.file} with only this subset run's ${u.cells} cells (no previous baseline); a run of the whole catalogue fills in the rest.`;
  }
}

type CellOf = [MatrixScenario, ColumnId, Cell];

function cellsOf(m: Matrix): CellOf[] {
  return m.scenarios.flatMap((s) => m.engines.filter((e) => s.results[e.id]).map((e): CellOf => [s, e.id, s.results[e.id]!]));
}

/** `matching/cells`, then ` ✗n` for mismatches, ` ⚠n` for errors, ` ◆n` for recorded deviations. */
function countCell(cells: Cell[]): string {
  const ok = cells.filter((c) => c.matchesExpected).length;
  const marks = [
    [cells.length - ok, '✗'],
    [cells.filter((c) => c.outcome === 'error').length, '⚠'],
    [cells.filter((c) => c.expectedBy === 'deviation').length, '◆'],
  ].filter(([n]) => n).map(([n, g]) => ` ${g}${n}`).join('');
  return cells.length ? `${ok}/${cells.length}${marks}` : '-';
}

function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

function firstLine(text: string, max = 160): string {
  const line = text.split('\n')[0].trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function saw(c: Cell): string {
  const where = c.outcome === 'blocked' && c.stage ? ` at the ${c.stage === 'preflight' ? 'preflight' : 'actual request'}` : '';
  const sent = `preflight ${c.preflightSent ? 'sent' : 'not sent'}, actual request ${c.actualSent ? 'sent' : 'not sent'}`;
  return `${c.outcome}${where} (${sent}${c.status !== null ? `, status ${c.status}` : ''})`;
}

function mismatchLines([s, engine, c]: CellOf): string[] {
  const want = s.deviations?.[engine] && c.expectedBy === 'deviation' ? `${s.deviations[engine]!.outcome} (recorded deviation)` : expectedOutcome(s);
  const out = [`  ✗ ${s.id} [${engine}]: expected ${want}, saw ${saw(c)}`, `      why: ${s.expected.reason}`];
  if (c.outcome === 'error') out.push(`      cause: ${c.cause ?? 'unknown'}`);
  else out.push(`      fix: ${s.expected.fix}`);
  if (c.message) out.push(`      ${engine} said: ${firstLine(c.message)}`);
  return out;
}

/** Drivers whose engine ran elsewhere (engines' `driver` names them so). */
const REMOTE_DRIVER = /\((remote WebDriver|Selenium Grid)\)$/;

export function terminalSummary(m: Matrix, failures: RunFailure[], dir: string, updated?: BaselineUpdate): string {
  const engines = m.engines.map((e) => e.id);
  const cats = [...new Set(m.scenarios.map((s) => s.category))];
  const rows = cats.map((cat) => {
    const list = m.scenarios.filter((s) => s.category === cat);
    return [`${cat} (${list.length})`, ...engines.map((e) => countCell(list.map((s) => s.results[e]).filter((c): c is Cell => !!c)))];
  });
  const s = m.summary;
  // First, in plain words: whoever reads only the top must not take a cut-short run for a result.
  const out = m.complete ? [] : ['', `interrupted: ${s.notRun} cells not run. This matrix is incomplete${updated ? '; the baseline was not written' : ''}.`];
  out.push('', `CORS matrix: ${s.scenarios} scenarios × ${engines.length} engines (matching/cells; ✗ mismatch, ⚠ error, ◆ recorded deviation)`,
    ...table(['category', ...engines], rows), '');
  out.push(...m.engines.flatMap((e) => [`  ${e.id}: ${e.browser} ${e.version} via ${e.driver}, regime ${e.regime ?? 'installed'}`,
    // Where a remote engine ran, and which of its nodes failed.
    ...(REMOTE_DRIVER.test(e.driver) && e.notes ? [`    ${e.notes}`] : []), `    ${configurationLine(e.configuration)}`]), '');
  out.push(`${s.scenarios} scenarios, ${s.cells} cells: ${s.matching} matching, ${s.mismatching} mismatching, ${s.errors} errors, ${s.deviations} recorded deviations, ${(s.durationMs / 1000).toFixed(1)} s`);

  const cells = cellsOf(m);
  const mismatches = cells.filter(([, , c]) => !c.matchesExpected);
  if (mismatches.length) out.push('', `Mismatches (${mismatches.length}):`, ...mismatches.flatMap(mismatchLines));
  const deviations = cells.filter(([, , c]) => c.expectedBy === 'deviation');
  if (deviations.length) {
    out.push('', `Recorded deviations (${deviations.length}): the engine knowingly differs from the standard`,
      ...deviations.map(([sc, e, c]) => `  ◆ ${sc.id} [${e}]: ${c.outcome}${c.matchesExpected ? ' as recorded' : ', not as recorded'} (standard: ${expectedOutcome(sc)}) — ${firstLine(sc.deviations?.[e]?.source ?? 'no source', 100)}`));
  }
  const reprobed = cells.filter(([, , c]) => c.reprobed?.length);
  if (reprobed.length) {
    out.push('', `Probed again after the engine stalled (${reprobed.length}): the target had answered, the page heard nothing in time (a loaded machine); each cell is its attempt on a fresh URL`,
      ...reprobed.map(([sc, e, c]) => `  ↻ ${sc.id} [${e}]: ${c.reprobed!.length + 1} attempts, then ${c.outcome}${c.outcome === 'error' ? '' : ' (observed)'}`));
  }
  if (failures.length) out.push('', `Tests that produced no cell (${failures.length}):`, ...failures.map((f) => `  ! ${f.test}: ${f.error}`));
  // A subset run compared only its own cells; saying so keeps "nothing changed" from reading as the whole catalogue.
  const scope = m.subset ? ' (only the cells this subset run selected are compared)' : '';
  if (m.changes?.length) {
    out.push('', `Changed since the baseline (${m.changes.length})${scope}:`,
      ...m.changes.map((c) => `  Δ ${c.scenario} [${c.engine}]: ${c.from ?? 'absent'} -> ${c.to ?? 'absent'}${c.from === null ? ' (new cell)' : c.to === null ? ' (cell gone)' : ''}`));
  } else if (m.changes) out.push('', `No cell changed since the baseline${scope}.`);
  // Cells compare only between runs of engines configured alike: a changed setting is said first.
  if (m.configurationChanges?.length) {
    out.push('', `The engines ran with another configuration than the baseline's (${m.configurationChanges.length}):`, ...m.configurationChanges.map((c) => `  ≠ ${c}`));
  }
  if (updated) out.push('', baselineLine(updated));

  const problems = [
    !m.complete && `interrupted, ${s.notRun} cells not run`,
    mismatches.length && `${mismatches.length} cells do not match`,
    failures.length && `${failures.length} tests produced no cell`,
    m.changes?.length && `${m.changes.length} cells changed since the baseline`,
  ].filter(Boolean);
  out.push('', problems.length ? `FAILED: ${problems.join(', ')}.` : `OK: all ${s.cells} cells match their expectation.`);
  out.push(`Wrote ${dir}/matrix.json and ${dir}/matrix.html`, '');
  return out.join('\n');
}
