// policy.html: one self-contained page (inline CSS, no script, opens from file://) in the matrix's
// visual language: outcome is always glyph + word, colour only adds to it. Findings first (each with
// its fix and evidence), then every check as a row with one cell per engine. Every value that comes
// from the policy, an engine or a response goes through `esc`.
import type { EngineId, EngineInfo, HeaderList, Outcome } from '../harness/model/types.ts';
import type { Finding, FindingGroup, PolicyCheck, PolicyReport, PolicyResult, ReplayedExchange, Severity } from '../harness/policy/policy-types.ts';
import { findingGroups } from '../harness/policy/report.ts';
import { stackLine } from '../harness/policy/fixes/stacks.ts';
import { esc, outcomeText as glyphText, wallTimeText } from './base.ts';
import { configurationDetail, configurationLine } from '../harness/model/engine-configuration.ts';

const CSS = `
:root { --allowed-bg:#e6f4ea; --allowed-fg:#14532d; --blocked-bg:#fdeaea; --blocked-fg:#7f1d1d; --error-bg:#fff3d1; --error-fg:#6b3d00;
  --mismatch:#b3261e; --focus:#1d4ed8; --line:#d0d4da; --muted:#57606a; --head:#f3f4f6;
  --high:#b3261e; --medium:#b45309; --low:#1d4ed8; --info:#57606a;
  font: 13px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color:#1f2328; background:#fff; }
* { box-sizing: border-box; }
body { margin: 0 1rem 2rem; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: .92em; }
pre { background: var(--head); padding: .4rem .5rem; border-radius: 3px; overflow: auto; white-space: pre-wrap; word-break: break-word; }
h1 { font-size: 1.35rem; margin: .7rem 0 .2rem; } h2 { font-size: 1.1rem; margin: 1.2rem 0 .4rem; } h3 { font-size: .95rem; margin: .6rem 0 .3rem; }
.sub, .muted { color: var(--muted); }
.verdict { padding: .05rem .45rem; border-radius: 3px; font-weight: 600; }
.verdict.ok { background: var(--allowed-bg); color: var(--allowed-fg); } .verdict.fail { background: var(--mismatch); color: #fff; }
.note { border-left: 4px solid var(--focus); padding: .2rem .5rem; background: #eef6ff; margin: .4rem 0; }
.sev { display: inline-block; min-width: 4.2rem; text-align: center; padding: 0 .35rem; border-radius: 3px; color: #fff; font-weight: 700; font-size: .78rem; text-transform: uppercase; }
.sev.high { background: var(--high); } .sev.medium { background: var(--medium); } .sev.low { background: var(--low); } .sev.info { background: var(--info); }
details.finding { border: 1px solid var(--line); border-radius: 4px; margin: .35rem 0; padding: .3rem .6rem; }
details.finding > summary { cursor: pointer; } details.finding[open] > summary { margin-bottom: .3rem; }
.kind { font-weight: 700; margin: 0 .4rem; }
.fix { background: #eef6ff; border-left: 4px solid var(--focus); padding: .3rem .5rem; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); gap: .6rem; }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--line); padding: .2rem .35rem; vertical-align: top; text-align: left; }
thead th { background: var(--head); position: sticky; top: 0; }
.hdrs th, .hdrs td { border: 0; border-bottom: 1px solid #eceef1; padding: .05rem .5rem .05rem 0; font-size: .82rem; }
.allowed { background: var(--allowed-bg); color: var(--allowed-fg); } .blocked { background: var(--blocked-bg); color: var(--blocked-fg); }
td.cell.intended { background: var(--allowed-bg); color: var(--allowed-fg); } td.cell.inconclusive { background: var(--error-bg); color: var(--error-fg); }
.error { background: var(--error-bg); color: var(--error-fg); }
td.cell.mismatch { outline: 3px solid var(--mismatch); outline-offset: -3px; }
.badge { display: inline-block; margin-left: .2rem; padding: 0 .3rem; border-radius: 3px; font-size: .75rem; font-weight: 600; background: var(--mismatch); color: #fff; }
.outcome { font-weight: 600; }
.checks td.origin { max-width: 22rem; word-break: break-all; }
.exploitable { color: var(--high); font-weight: 600; }
`;

const outcomeText = (o: Outcome) => glyphText(o, 'span');

function headers(list: HeaderList | null | undefined): string {
  if (!list || !list.length) return '<p class="muted">no headers</p>';
  return `<table class="hdrs"><tbody>${list.map(([n, v]) => `<tr><th scope="row">${esc(n)}</th><td><code>${esc(v)}</code></td></tr>`).join('')}</tbody></table>`;
}

function replayed(title: string, x: ReplayedExchange | undefined): string {
  if (!x) return '';
  const head = `${esc(x.request.method)} ${esc(x.request.url)} → ${x.status === null ? `<strong>no answer</strong> (${esc(x.error)})` : esc(x.status)}`;
  return `<h4>${esc(title)}</h4><p><code>${head}</code></p>${x.headers ? headers(x.headers) : ''}`;
}

function engineName(report: PolicyReport, id: EngineId): string {
  const e = report.engines.find((x) => x.id === id);
  return e ? `${e.id} (${e.browser} ${e.version})` : id;
}

function findingBlock(report: PolicyReport, f: Finding): string {
  const ev = f.evidence;
  const engineRows = (Object.entries(ev.engines) as Array<[EngineId, NonNullable<typeof ev.engines[EngineId]>]>).map(([id, r]) =>
    `<tr><th scope="row">${esc(engineName(report, id))}</th><td class="${esc(r.outcome)}">${outcomeText(r.outcome)}${r.stage ? ` at ${esc(r.stage)}` : ''}${r.status !== null ? `, status ${esc(r.status)}` : ''}</td><td>${r.message ? `<code>${esc(r.message)}</code>` : '<span class="muted">no message</span>'}</td></tr>`).join('');
  return `<p><strong>${esc(f.title)}.</strong> ${esc(f.description)}</p>`
    + (f.exploit ? `<h3>With the session cookie?</h3><ul class="exploit">${Object.values(f.exploit).map((x) => `<li${x!.withCookie ? ' class="exploitable"' : ''}>${esc(x!.line)}</li>`).join('')}</ul>` : '')
    + (f.reason !== undefined ? `<p>Stage: <strong>${esc(f.stage ?? 'unknown')}</strong>. Reason: ${esc(f.reason)}</p>` : '')
    + `<p class="muted">Engines: ${esc(f.engines.join(', ') || 'none')} · methods: ${esc(f.methods.join(', '))} · origins: ${esc(f.origins.join(', '))}</p>`
    + `<div class="fix"><strong>Fix:</strong> ${esc(f.fix)}</div>`
    + `<div class="grid">${f.examples.map((x) => `<div><h3>${esc(x.label)}</h3><p>${esc(x.change)}</p><pre><code class="language-${esc(x.language)}">${esc(x.config)}</code></pre><p class="muted">${esc(x.library)}: <a href="${esc(x.docs)}">${esc(x.docs)}</a></p></div>`).join('')}</div>`
    + `<h3>Evidence: ${esc(ev.request.method)} ${esc(ev.request.path)} from ${esc(ev.request.origin)}${ev.request.credentials ? ' with credentials' : ''}</h3>`
    + `<table><thead><tr><th>engine</th><th>outcome</th><th>engine message</th></tr></thead><tbody>${engineRows}</tbody></table>`
    + `<div class="grid"><div><h4>Response headers the engine received</h4>${headers(ev.observedResponseHeaders)}</div>`
    + `<div>${ev.replay ? `<h3>Replay outside the browser</h3>${replayed('preflight (OPTIONS)', ev.replay.preflight)}${replayed('request', ev.replay.actual)}` : '<p class="muted">no replay</p>'}</div></div>`;
}

/** One kind across endpoints: one block, the endpoints listed, the first one's fix and evidence shown. */
function groupBlock(report: PolicyReport, g: FindingGroup): string {
  const f = g.findings[0];
  const more = g.origins.length > 1 ? ` <span class="muted">+${g.origins.length - 1} more</span>` : '';
  const where = g.endpoints.length === 1 ? `<code>${esc(f.endpoint)}</code>` : `${g.endpoints.length} endpoints`;
  const list = g.findings.length > 1
    ? `<h3>On ${g.endpoints.length} endpoints</h3><table><thead><tr><th>endpoint</th><th>origins</th><th>engines</th><th>methods</th></tr></thead><tbody>`
      + g.findings.map((x) => `<tr><td><code>${esc(x.endpoint)}</code></td><td>${esc(x.origin)}${x.origins.length > 1 ? ` <span class="muted">+${x.origins.length - 1} more</span>` : ''}</td><td>${esc(x.engines.join(', '))}</td><td>${esc(x.methods.join(', '))}</td></tr>`).join('')
      + `</tbody></table><p class="muted">Fix and evidence for <code>${esc(f.endpoint)}</code>; the other endpoints' evidence is in policy.json.</p>`
    : '';
  return `<details class="finding" id="${esc(f.id)}"><summary><span class="sev ${esc(g.severity)}">${esc(g.severity)}</span><span class="kind">${esc(g.kind)}</span>${where} · ${esc(f.origin)}${more}</summary>`
    + list + findingBlock(report, f) + '</details>';
}

function cell(check: PolicyCheck, e: EngineInfo): string {
  const r: PolicyResult | undefined = check.results[e.id];
  if (!r) {
    const why = check.notRun?.[e.id];
    return `<td class="cell"><span class="muted" title="${esc(why ?? '')}">not run</span></td>`;
  }
  const detail = (r.outcome === 'blocked' ? `at ${r.stage ?? '?'}` : r.outcome === 'allowed' ? `status ${r.status ?? '?'}` : (r.cause ?? '').slice(0, 60))
    + (r.cookieSent === true ? ' · cookie sent' : r.cookieSent === false ? ' · no cookie' : '');
  const hidden = r.exposedHeaders ? Object.entries(r.exposedHeaders).filter(([, v]) => v === null).map(([n]) => n) : [];
  const title = [r.reason, r.message, r.cause].filter(Boolean).join('\n');
  // A result as the policy means is green whatever the outcome: a blocked attacker is a pass, not a failure.
  const state = check.inconclusive ? ' inconclusive' : r.matchesExpected ? ' intended' : ' mismatch';
  return `<td class="cell ${esc(r.outcome)}${state}" title="${esc(title)}"><span class="outcome">${outcomeText(r.outcome)}</span> <span class="sub">${esc(detail)}</span>`
    + `${r.matchesExpected ? '' : '<span class="badge">≠</span>'}${hidden.length ? `<br><span class="sub">hidden: ${esc(hidden.join(', '))}</span>` : ''}</td>`;
}

function checkRows(report: PolicyReport, endpoint: string): string {
  return report.checks.filter((c) => c.endpoint === endpoint).map((c) =>
    `<tr><td class="origin"><code>${esc(c.origin)}</code><br><span class="sub">${esc(c.originKind)}${c.derivation ? ` · ${esc(c.derivation)}` : ''}</span></td>`
    + `<td>${esc(c.method)} <code>${esc(c.path === endpoint ? '' : c.path.slice(endpoint.length))}</code><br><span class="sub">${esc(c.purpose)}${c.credentials ? ' · credentials' : ''}${c.requestHeaders.length ? ` · ${esc(c.requestHeaders.join(', '))}` : ''}</span></td>`
    + `<td class="${esc(c.expected)}">${outcomeText(c.expected)}</td>${report.engines.map((e) => cell(c, e)).join('')}</tr>`).join('');
}

/**
 * One table per set of endpoints whose rows read the same but for the endpoint's own path and the
 * probe's nonce in the engines' messages (200 endpoints behind one middleware are one table naming
 * them, not 200 equal tables: 7.7 MB of HTML). The table shown is the first endpoint's.
 */
function checksTables(report: PolicyReport): string {
  const tables = new Map<string, { rows: string; endpoints: string[] }>();
  for (const endpoint of new Set(report.checks.map((c) => c.endpoint))) {
    const rows = checkRows(report, endpoint);
    const same = rows.replaceAll(esc(endpoint), '\0').replace(/cors-matrix=[\w-]+/g, '');
    const t = tables.get(same);
    if (t) t.endpoints.push(endpoint);
    else tables.set(same, { rows, endpoints: [endpoint] });
  }
  const head = `<thead><tr><th>origin</th><th>request</th><th>expected</th>${report.engines.map((e) => `<th>${esc(e.id)}<br><span class="sub">${esc(e.browser)} ${esc(e.version)}</span></th>`).join('')}</tr></thead>`;
  return [...tables.values()].map(({ rows, endpoints }) => {
    const title = endpoints.length === 1 ? `<code>${esc(endpoints[0])}</code>`
      : `${endpoints.length} endpoints, the same in every check: ${endpoints.map((e) => `<code>${esc(e)}</code>`).join(', ')}`;
    return `<h3>${title}</h3><table class="checks">${head}<tbody>${rows}</tbody></table>`;
  }).join('');
}

export function renderPolicyHtml(report: PolicyReport): string {
  const s = report.summary;
  const failed = report.verdict.exitCode !== 0 || report.complete === false;
  const counts = (['high', 'medium', 'low', 'info'] as Severity[]).map((sev) => `<span class="sev ${sev}">${s.findings[sev]} ${sev}</span>`).join(' ');
  const verdict = failed
    ? `<strong class="verdict fail"><span aria-hidden="true">✖</span> ${report.complete === false ? 'incomplete' : esc(report.verdict.line)}</strong>`
    : `<strong class="verdict ok"><span aria-hidden="true">✔</span> ${esc(report.verdict.line)}</strong>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`
    + `<title>cors-matrix policy: ${esc(report.target)}</title><style>${CSS}</style></head><body>`
    // First on the page, in plain words: a run cut short must never pass for a finished check.
    + (report.complete === false ? `<p class="note" role="alert"><strong>interrupted: ${s.testsNotRun} origins not checked (one origin in one engine each).</strong> This report is incomplete: the run ended before every selected origin was checked.</p>` : '')
    + `<h1>Check your API: <code>${esc(report.target)}</code>${report.servedAs ? ` <span class="sub">served as <code>${esc(report.servedAs)}</code></span>` : ''}</h1>`
    + `<p class="muted">Policy ${esc(report.policyFile)} · ${report.engines.map((e) => `<span title="${esc(configurationDetail(e.configuration).join('\n'))}">${esc(e.id)}: ${esc(e.browser)} ${esc(e.version)} via ${esc(e.driver)}</span>`).join(' · ')} · generated ${esc(report.generatedAt)}</p>`
    + `<ul class="muted">${report.engines.map((e) => `<li>${esc(e.id)}: ${esc(configurationLine(e.configuration))}</li>`).join('')}</ul>`
    + `<p>${verdict} ${s.passed} passed, ${s.failed} failed, ${s.inconclusive} inconclusive, ${s.errors} with errors, ${s.notRun} not run · ${esc(wallTimeText(s.durationMs))} · findings: ${counts}</p>`
    + (report.localNetworkAccess ? `<p class="note">${esc(report.localNetworkAccess.note)}</p>` : '')
    + (report.stack ? `<p class="note">${esc(stackLine(report.stack))}</p>` : '')
    + `<h2>Findings</h2>${report.findings.length ? findingGroups(report).map((g) => groupBlock(report, g)).join('') : '<p>No findings: every origin got what the policy says.</p>'}`
    + `<h2>Checks</h2><p class="muted">Each row is one request from a page on that origin; a cell is what the engine let the page do. ≠ marks a result that differs from the policy. Hover a cell for the engine's reason.</p>`
    + checksTables(report)
    + `<h2>Origins under test</h2><table><thead><tr><th>origin</th><th>kind</th><th>expected</th><th>why</th></tr></thead><tbody>`
    + report.origins.map((o) => `<tr><td><code>${esc(o.origin)}</code></td><td>${esc(o.kind)}${o.derivation ? ` · ${esc(o.derivation)}` : ''}${o.from ? `<br><span class="sub">from ${esc(o.from)}</span>` : ''}</td><td>${esc(o.expected)}</td><td>${esc(o.note)}</td></tr>`).join('')
    + '</tbody></table></body></html>\n';
}
