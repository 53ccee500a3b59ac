// matrix.html: one self-contained file built from small render functions over the typed matrix.
// Every value taken from a scenario or a response goes through `esc`.
import type { Cell, EngineInfo, Matrix, MatrixScenario } from '../harness/types.ts';

export function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));
}

const GLYPH: Record<string, string> = { allowed: '✔ allowed', blocked: '✖ blocked', error: '⚠ error' };

function engineHead(e: EngineInfo): string {
  return `<th scope="col">${esc(e.id)}<br><small>${esc(e.browser)} ${esc(e.version)}<br>${esc(e.driver)}</small></th>`;
}

function cellTd(s: MatrixScenario, e: EngineInfo): string {
  const c: Cell | undefined = s.results[e.id];
  if (!c) return '<td class="none">—</td>';
  const cls = [c.outcome, c.matchesExpected ? 'match' : 'mismatch', c.expectedBy === 'deviation' ? 'deviation' : ''].join(' ');
  const flags = `${c.matchesExpected ? '' : ' <b>≠ expected</b>'}${c.expectedBy === 'deviation' ? ' <i>deviation</i>' : ''}`;
  const detail = [
    c.stage && `stage: ${c.stage}`,
    `preflight sent: ${c.preflightSent}, actual sent: ${c.actualSent}`,
    c.status !== null && `status ${c.status}`,
    c.cause && `cause: ${c.cause}`,
    c.message && `engine: ${c.message}`,
  ].filter(Boolean).map((x) => `<div>${esc(x)}</div>`).join('');
  return `<td class="${cls}"><span>${esc(GLYPH[c.outcome])}</span>${flags}<details><summary>evidence</summary>${detail}</details></td>`;
}

function scenarioRow(s: MatrixScenario, engines: EngineInfo[]): string {
  return `<tr><th scope="row"><code>${esc(s.id)}</code><br>${esc(s.title)}<br><small>expected ${esc(s.expected.outcome)}${s.expected.preflight ? ' (preflight)' : ''}: ${esc(s.expected.reason)}</small></th>${engines.map((e) => cellTd(s, e)).join('')}</tr>`;
}

function categoryRows(cat: string, list: MatrixScenario[], engines: EngineInfo[]): string {
  return `<tr class="cat"><th colspan="${engines.length + 1}">${esc(cat)}</th></tr>${list.map((s) => scenarioRow(s, engines)).join('')}`;
}

const CSS = `body{font:14px system-ui,sans-serif;margin:1rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px;vertical-align:top;text-align:left}
.allowed{background:#e8f6e8}.blocked{background:#fbeaea}.error{background:#fff4d6}.mismatch{outline:3px solid #c00}.deviation{border-style:dashed}.cat th{background:#eee}`;

export function renderMatrixHtml(m: Matrix): string {
  const cats = [...new Set(m.scenarios.map((s) => s.category))];
  const s = m.summary;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CORS matrix</title><style>${CSS}</style></head><body>
<h1>CORS compatibility matrix</h1>
<p>${s.scenarios} scenarios, ${s.cells} cells: ${s.matching} matching, ${s.mismatching} mismatching, ${s.deviations} deviations, ${s.errors} errors, ${(s.durationMs / 1000).toFixed(1)} s. Generated ${esc(m.generatedAt)}.</p>
<table><thead><tr><th scope="col">scenario</th>${m.engines.map(engineHead).join('')}</tr></thead><tbody>
${cats.map((c) => categoryRows(c, m.scenarios.filter((x) => x.category === c), m.engines)).join('\n')}
</tbody></table></body></html>
`;
}
