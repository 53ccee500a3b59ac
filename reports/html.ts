// matrix.html: one self-contained file (inline CSS and JS, no network, opens from file://) built
// from small render functions over the typed matrix. Every value taken from a scenario, an engine
// or a response goes through `esc`; the data the page script needs travels as JSON in a
// <script type="application/json"> with every `<` written as \u003c, so no value can end it.
import fs from 'node:fs';
import type { Cell, EngineExpectation, EngineId, ColumnInfo, Matrix, MatrixChange, MatrixScenario, Outcome, ReceivedRequest, ResponseSpec, ScenarioRequest } from '../harness/model/types.ts';
import { LOCAL_NETWORK_ACCESS_LABELS } from '../harness/engines/registry.ts';
import { enginesDisagree, expectedOutcome } from './matrix.ts';
import { esc, outcomeText, wallTimeText } from './base.ts';
import { configurationDetail } from '../harness/model/engine-configuration.ts';

/** JSON for a `<script type="application/json">`: no `<` (so no `</script>`, no `<!--`), no line separators. */
export function scriptJson(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const asset = (name: string) => fs.readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');

// ---- small pieces ---------------------------------------------------------------------

function stageText(c: Cell): string {
  if (c.outcome === 'blocked') return c.stage === 'preflight' ? 'at preflight' : c.stage === 'actual' ? 'at response' : '';
  if (c.outcome === 'allowed') return c.status !== null ? `status ${c.status}` : '';
  return c.cause ? c.cause.split('\n')[0].slice(0, 40) : '';
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

type Changes = Map<string, MatrixChange>;
const key = (scenario: string, engine: string) => `${scenario}\u0000${engine}`;

function changeBadge(ch: MatrixChange | undefined): string {
  if (!ch) return '';
  const text = ch.from === null ? 'new cell' : `was ${ch.from}`;
  return `<span class="badge changed"><i aria-hidden="true">Δ</i> ${esc(text)}</span>`;
}

/**
 * A header value with its control bytes spelled out (`\x00`, `\f`): a NUL or a form feed is the
 * point of some rows, and the page would otherwise show nothing (or U+FFFD) in its place.
 */
export function visibleBytes(v: string): string {
  const named: Record<string, string> = { '\v': '\\v', '\f': '\\f' };
  return v.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, (c) => named[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function headerList(headers: Array<[string, string]>): string {
  if (!headers.length) return '<p><em>no headers</em></p>';
  return `<table class="hdrs"><tbody>${headers.map(([n, v]) => `<tr><th>${esc(n)}</th><td><code>${esc(visibleBytes(v))}</code></td></tr>`).join('')}</tbody></table>`;
}

function linkOrText(source: string): string {
  return /^https?:\/\/\S+$/.test(source) ? `<a href="${esc(source)}" rel="noreferrer noopener">${esc(source)}</a>` : esc(source);
}

function bodyText(body: string | null | undefined): string {
  if (body === null || body === undefined || body === '') return '<em>empty</em>';
  const shown = body.length > 300 ? `${body.slice(0, 300)}… (${body.length} characters)` : body;
  return `<code>${esc(shown)}</code>`;
}

// ---- the table ------------------------------------------------------------------------

function engineHead(e: ColumnInfo): string {
  // The configuration the engine ran with: the third-party cookie setting shown, every setting on hover.
  const title = [e.notes, ...configurationDetail(e.configuration)].filter(Boolean).join('\n');
  const cookies = e.configuration ? `third-party cookies ${e.configuration.thirdPartyCookies.value.split(' (')[0]}` : 'configuration not read';
  return `<th scope="col" class="engine" data-engine="${esc(e.id)}" title="${esc(title)}"><span class="eid">${esc(e.id)}</span><span class="browser">${esc(e.browser)} ${esc(e.version)}</span><span class="driver">${esc(e.driver)}</span><span class="driver">${esc(cookies)}</span></th>`;
}

function expectedTd(s: MatrixScenario, engines: ColumnInfo[]): string {
  // Recorded deviations, grouped: "◆ allowed in chromium, webkit" when the outcome differs from the
  // standard's, "◆ firefox differs" when only the rest does (a preflight count, exposed headers).
  const groups = new Map<string, string[]>();
  for (const e of engines) {
    const d = s.deviations?.[e.id];
    if (d) { const k = d.outcome === expectedOutcome(s) ? '' : d.outcome; groups.set(k, [...(groups.get(k) ?? []), e.id]); }
  }
  const devs = [...groups].map(([o, ids]) => `<span class="badge deviation"><i aria-hidden="true">◆</i> ${o ? `${esc(o)} in ${ids.map(esc).join(', ')}` : `${ids.map(esc).join(', ')} differ${ids.length === 1 ? 's' : ''}`}</span>`).join('');
  const detail = s.expected.error ? `transport fault; CORS would say ${esc(s.expected.outcome)}` : s.expected.preflight ? 'with preflight' : 'no preflight';
  return `<td class="expected ${expectedOutcome(s)}">${outcomeText(expectedOutcome(s))}<small>${detail}</small>${devs}</td>`;
}

function cellTd(s: MatrixScenario, i: number, e: ColumnInfo, changes: Changes): string {
  const c: Cell | undefined = s.results[e.id];
  const ch = changes.get(key(s.id, e.id));
  if (!c) return `<td class="cell absent" data-engine="${esc(e.id)}"><small>not run</small>${changeBadge(ch)}</td>`;
  const dev = c.expectedBy === 'deviation';
  const cls = ['cell', c.outcome, c.matchesExpected ? 'match' : 'mismatch', dev ? 'deviation' : '', ch ? 'changed' : ''].filter(Boolean).join(' ');
  const want = dev ? s.deviations?.[e.id]?.outcome ?? expectedOutcome(s) : expectedOutcome(s);
  const flags = [
    c.matchesExpected ? '' : `<span class="badge mismatch"><i aria-hidden="true">≠</i> expected ${esc(want)}</span>`,
    dev ? '<span class="badge deviation"><i aria-hidden="true">◆</i> deviation</span>' : '',
    changeBadge(ch),
  ].join('');
  return `<td class="${cls}" data-engine="${esc(e.id)}"><button type="button" class="open" data-i="${i}" data-engine="${esc(e.id)}" aria-controls="evidence">`
    + `<span class="outcome">${outcomeText(c.outcome)}</span><small>${esc(stageText(c))}</small>${flags}</button></td>`;
}

function scenarioRow(s: MatrixScenario, i: number, engines: ColumnInfo[], changes: Changes): string {
  return `<tr class="row" data-i="${i}" id="s-${esc(s.id)}"><th scope="row"><code class="sid">${esc(s.id)}</code><span class="title">${esc(s.title)}</span>`
    + `<span class="reason">${esc(s.expected.reason)}</span></th>${expectedTd(s, engines)}${engines.map((e) => cellTd(s, i, e, changes)).join('')}</tr>`;
}

function categoryBody(cat: string, list: Array<[MatrixScenario, number]>, engines: ColumnInfo[], changes: Changes): string {
  return `<tbody data-category="${esc(cat)}"><tr class="cat"><th colspan="${engines.length + 2}" scope="colgroup">${esc(cat)} <span class="n">${list.length} scenario${list.length === 1 ? '' : 's'}</span></th></tr>`
    + `${list.map(([s, i]) => scenarioRow(s, i, engines, changes)).join('')}</tbody>`;
}

function matrixTable(m: Matrix, changes: Changes): string {
  const cats = [...new Set(m.scenarios.map((s) => s.category))];
  const indexed = m.scenarios.map((s, i): [MatrixScenario, number] => [s, i]);
  return `<table id="matrix" class="matrix"><caption>Scenarios by category (rows) and engines (columns). Select a cell for its evidence.</caption>`
    + `<thead><tr><th scope="col">Scenario</th><th scope="col" class="expected-head">Expected<small>Fetch standard</small></th>${m.engines.map(engineHead).join('')}</tr></thead>`
    + cats.map((c) => categoryBody(c, indexed.filter(([s]) => s.category === c), m.engines, changes)).join('')
    + '</table>';
}

// ---- the head of the page --------------------------------------------------------------

/** First on the page, in plain words: a run cut short must never pass for a finished matrix. */
function interruptedNote(m: Matrix): string {
  if (m.complete !== false) return '';
  return `<p class="interrupted" role="alert"><strong>interrupted: ${esc(plural(m.summary.notRun, 'cell'))} not run.</strong> This matrix is incomplete: the run ended before every selected cell ran, so no baseline is written from it.</p>`;
}

function summaryLine(m: Matrix): string {
  const s = m.summary;
  const bad = [
    s.mismatching && `${s.mismatching} cell${s.mismatching === 1 ? '' : 's'} do${s.mismatching === 1 ? 'es' : ''} not match`,
    m.changes?.length && `${m.changes.length} changed since baseline`,
    s.notRun && `${s.notRun} not run`,
  ].filter(Boolean);
  const verdict = bad.length
    ? `<strong class="verdict fail"><span aria-hidden="true">✖</span> ${bad.join(', ')}</strong>`
    : '<strong class="verdict ok"><span aria-hidden="true">✔</span> every cell matches</strong>';
  const parts = [
    plural(s.scenarios, 'scenario'), plural(s.cells, 'cell'), `${s.matching} matching`, `${s.mismatching} mismatching`,
    plural(s.deviations, 'recorded deviation'), plural(s.errors, 'error'), wallTimeText(s.durationMs),
  ];
  if (m.changes) parts.push(`${m.changes.length} changed since baseline`);
  return `<p class="summary" id="summary">${verdict} <span class="counts">${parts.map(esc).join(' · ')}</span> <span class="generated">generated <time datetime="${esc(m.generatedAt)}">${esc(m.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'))}</time></span></p>`;
}

interface RowFlags { id: string; category: string; sites: SiteKind; mismatch: boolean; disagree: boolean; deviation: boolean; changed: boolean }

/** How a scenario's page and target relate: the default IP-literal pair, or named sites. */
type SiteKind = 'ip-literal' | 'same-site' | 'cross-site';

function siteKind(s: MatrixScenario): SiteKind {
  return s.sites ? s.expected.sites ?? 'cross-site' : 'ip-literal';
}

function rowFlags(m: Matrix, changes: Changes): RowFlags[] {
  const changed = new Set([...changes.values()].map((c) => c.scenario));
  return m.scenarios.map((s) => ({
    id: s.id,
    category: s.category,
    sites: siteKind(s),
    mismatch: Object.values(s.results).some((c) => c && !c.matchesExpected),
    disagree: enginesDisagree(s),
    deviation: Object.values(s.results).some((c) => c?.expectedBy === 'deviation'),
    changed: changed.has(s.id),
  }));
}

function checkbox(id: string, label: string, count: number, disabledNote?: string): string {
  return `<label class="check${disabledNote ? ' disabled' : ''}"><input type="checkbox" id="${id}"${disabledNote ? ' disabled' : ''}> ${esc(label)} <span class="n">(${disabledNote ?? count})</span></label>`;
}

function filterBar(m: Matrix, flags: RowFlags[]): string {
  const cats = [...new Set(m.scenarios.map((s) => s.category))];
  const n = (k: keyof RowFlags) => flags.filter((f) => f[k]).length;
  return `<form class="filters" id="filters" role="search" aria-label="Filter scenarios">`
    + `<label>Category <select id="f-category"><option value="">all categories</option>${cats.map((c) => `<option value="${esc(c)}">${esc(c)} (${m.scenarios.filter((s) => s.category === c).length})</option>`).join('')}</select></label>`
    + `<label>Sites <select id="f-sites"><option value="">all</option>${(['ip-literal', 'same-site', 'cross-site'] as const).map((k) => `<option value="${k}">${k === 'ip-literal' ? '127.0.0.1 pair' : `named, ${k}`} (${flags.filter((x) => x.sites === k).length})</option>`).join('')}</select></label>`
    + checkbox('f-mismatch', 'mismatches only', n('mismatch'))
    + checkbox('f-disagree', 'engines disagree', n('disagree'))
    + checkbox('f-deviation', 'recorded deviations', n('deviation'))
    + checkbox('f-changed', 'changed since baseline', n('changed'), m.changes ? undefined : 'no baseline')
    + `<label class="search">Search <input type="search" id="f-text" placeholder="id, header, message, fix…" autocomplete="off"></label>`
    + `<output id="f-count" for="f-category f-sites f-mismatch f-disagree f-deviation f-changed f-text" aria-live="polite">${m.scenarios.length} of ${m.scenarios.length} scenarios</output>`
    + '</form><p class="print-only" id="f-print"></p>';
}

function changesSection(m: Matrix): string {
  if (!m.changes) return '';
  if (!m.changes.length) return '<section class="changes" aria-label="Changes since baseline"><p>No cell changed since the baseline.</p></section>';
  const present = new Set(m.scenarios.map((s) => s.id));
  const rows = m.changes.map((c) => {
    const name = present.has(c.scenario) ? `<a href="#${esc(c.scenario)}/${esc(c.engine)}">${esc(c.scenario)}</a>` : `${esc(c.scenario)} <em>(not in this run)</em>`;
    const side = (o: Outcome | null) => (o ? outcomeText(o) : '<em>absent</em>');
    return `<tr><td>${name}</td><td>${esc(c.engine)}</td><td>${side(c.from)}</td><td>${side(c.to)}</td></tr>`;
  }).join('');
  // A long list (a regression in a whole category) starts folded so the matrix stays in view.
  return `<details class="changes"${m.changes.length <= 8 ? ' open' : ''}><summary><i aria-hidden="true">Δ</i> ${m.changes.length} cell${m.changes.length === 1 ? '' : 's'} changed since the baseline</summary>`
    + `<table><thead><tr><th scope="col">scenario</th><th scope="col">engine</th><th scope="col">baseline</th><th scope="col">this run</th></tr></thead><tbody>${rows}</tbody></table></details>`;
}

function legend(): string {
  return '<section class="legend" aria-label="Legend"><h2>Legend</h2><ul>'
    + `<li><span class="swatch allowed">${outcomeText('allowed')}</span> the page read the response</li>`
    + `<li><span class="swatch blocked">${outcomeText('blocked')}</span> the engine refused it under CORS (at the preflight or at the response)</li>`
    + `<li><span class="swatch error">${outcomeText('error')}</span> the harness could not decide (target down, timeout, crash); never counted as blocked</li>`
    + '<li><span class="badge mismatch"><i aria-hidden="true">≠</i> expected …</span> the engine did not do what the standard (or the recorded deviation) says</li>'
    + '<li><span class="badge deviation"><i aria-hidden="true">◆</i> recorded deviation</span> the engine knowingly differs from the standard; the cell is held to the recorded behaviour, with its source</li>'
    + '<li><span class="badge changed"><i aria-hidden="true">Δ</i> was …</span> the outcome differs from the baseline run</li>'
    + '</ul><p>Header values are shown as the scenario writes them: <code>$ORIGIN</code> is the probe page\'s origin, <code>$TARGET</code> the target\'s own, <code>$TARGET2</code> a second target origin.</p><p>Keyboard: Tab to a cell, Enter opens its evidence, arrow keys move between cells, Escape closes the evidence.</p></section>';
}

// ---- the evidence of one scenario (all engines; the selected one is highlighted) --------

function requestSection(r: ScenarioRequest, s?: MatrixScenario): string {
  const rows: Array<[string, string]> = [
    s?.sites ? ['sites', `page <code>${esc(s.sites.page)}</code> → target <code>${esc(s.sites.target)}</code> (${esc(s.expected.sites ?? '')}), served on loopback by the harness's proxy`] : ['page origin', s?.page?.origin === 'sandboxed' ? 'sandboxed iframe (opaque origin, <code>Origin: null</code>)'
      : s?.page?.origin === 'public' ? `a page ${esc(LOCAL_NETWORK_ACCESS_LABELS.applying.join(' and '))} treats as public, <code>local-network-access</code> ${esc(s.page.localNetworkAccess === 'grant' ? 'granted' : 'not granted')}` : 'the probe origin (<code>$ORIGIN</code>)'],
    ['API', esc(r.api)],
    ['method', `<code>${esc(r.method)}</code>`],
    ['credentials', esc(r.credentials)],
  ];
  if (r.mode) rows.push(['mode', esc(r.mode)]);
  if (r.uploadListener) rows.push(['upload listener', 'yes (XHR upload progress events)']);
  if (r.readHeaders) rows.push(['reads headers', r.readHeaders.map((h) => `<code>${esc(h)}</code>`).join(', ') || 'none']);
  if (r.referrerPolicy !== undefined) rows.push(['referrer policy', `<code>${esc(JSON.stringify(r.referrerPolicy))}</code>; Referer expected: ${s?.expected.referer ? `<code>${esc(s.expected.referer)}</code>` : 'none'}`]);
  rows.push(['body', bodyText(r.body)]);
  if (s?.cookies?.length) {
    rows.push(['cookies set first', `${s.cookies.map((c) => `<code>${esc(c.name)}=${esc(c.value)}; ${esc(c.attributes)}</code>`).join('<br>')}<br><small>by the target's site in a top-level visit before the request</small>`]);
  }
  if (s?.expected.cookiesReceived) rows.push(['cookies expected', s.expected.cookiesReceived.length ? s.expected.cookiesReceived.map((n) => `<code>${esc(n)}</code>`).join(', ') : 'none']);
  if (s?.followUp) {
    const f = s.followUp;
    rows.push(['follow-up', `a second request in the same fresh context${f.url === 'fresh' ? ' to another URL' : ' to the same URL'}${f.fromSecondOrigin ? ', from a second page origin' : ''}${f.request ? `, changed: <code>${esc(JSON.stringify(f.request))}</code>` : ''}; the cell describes this second request`]);
  }
  return `<section><h3>Request the page made</h3><dl class="kv">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`
    + `<h4>Request headers set by the page</h4>${headerList(Object.entries(r.headers))}</section>`;
}

function responseSpec(label: string, r: ResponseSpec): string {
  return `<h4>${label}: status ${esc(r.status)}${r.fault ? ` <span class="badge error">fault: ${esc(r.fault)}</span>` : ''}</h4>${headerList(r.headers)}<p class="body">body: ${bodyText(r.body)}</p>`;
}

function sentSection(s: MatrixScenario): string {
  const pre = s.preflight ? responseSpec('Preflight (OPTIONS)', s.preflight) : '<h4>Preflight (OPTIONS)</h4><p><em>no preflight handler: OPTIONS gets 404 with no CORS headers</em></p>';
  const hops = (s.redirects ?? []).map((h, i) => responseSpec(`Redirect hop ${i + 1} (Location to the ${h.to === 'other' ? 'second target origin' : 'same target'}${h.userinfo ? ', with user:pass@' : ''})`, h)).join('');
  return `<section><h3>Headers the target sent <small>as the scenario writes them</small></h3>${pre}${hops}${responseSpec('Response', s.response)}</section>`;
}

function receivedItem(r: ReceivedRequest): string {
  const line = (name: string, value: string) => `<br>${name}: <code>${esc(value)}</code>`;
  const tags = [r.isPreflight ? 'preflight' : 'request', r.server === 'other' ? 'second origin' : '', r.answered ? '' : 'connection closed before the answer'].filter(Boolean);
  return `<li><code>${esc(r.method)} ${esc(r.path)}</code> <small>${esc(tags.join(', '))}</small>${line('Origin', r.origin ?? '(none)')}`
    + (r.accessControlRequestMethod !== null ? line('Access-Control-Request-Method', r.accessControlRequestMethod) : '')
    + (r.accessControlRequestHeaders !== null ? line('Access-Control-Request-Headers', r.accessControlRequestHeaders) : '')
    + `<br>Cookie: ${r.cookie ? `<b>sent</b>${r.cookies?.length ? ` (${r.cookies.map((n) => `<code>${esc(n)}</code>`).join(', ')})` : ''}` : 'none'}</li>`;
}

function receivedSection(s: MatrixScenario, engines: ColumnInfo[]): string {
  const blocks = engines.filter((e) => s.results[e.id]).map((e) => {
    const c = s.results[e.id]!;
    const cookies = (s.cookies?.length || s.sites ? `, cookies received: ${c.cookiesReceived?.length ? c.cookiesReceived.join(', ') : 'none'}` : '')
      + (c.referer ? `, Referer: preflight ${c.referer.preflight ?? 'none'}, request ${c.referer.actual ?? 'none'}` : '');
    const counts = `preflight ${c.preflightSent ? `sent ×${c.preflightCount}` : 'not sent'}, actual request ${c.actualSent ? `sent ×${c.actualCount}` : 'not sent'}${cookies}`;
    const list = c.received.length ? `<ol class="received">${c.received.map(receivedItem).join('')}</ol>` : '<p><em>no request reached the target</em></p>';
    return `<div class="per-engine" data-engine="${esc(e.id)}"><h4>${esc(e.id)} <small>${esc(counts)}</small></h4>${list}</div>`;
  });
  return `<section><h3>What the target received</h3>${blocks.join('')}</section>`;
}

function messagesSection(s: MatrixScenario, engines: ColumnInfo[]): string {
  const items = engines.filter((e) => s.results[e.id]).map((e) => {
    const c = s.results[e.id]!;
    const exposed = c.exposedHeaders && Object.keys(c.exposedHeaders).length
      ? `<p>headers the page could read: ${Object.entries(c.exposedHeaders).map(([n, v]) => `<code>${esc(n)}</code>${v === null ? ' <em>(hidden)</em>' : `: <code>${esc(v)}</code>`}`).join('; ')}</p>` : '';
    const cause = (c.cause ? `<p><b>cause:</b> ${esc(c.cause)}</p>` : '')
      + (c.reprobed?.length ? `<p><b>probed again:</b> ${c.reprobed.length + 1} attempts on fresh URLs; earlier: ${c.reprobed.map(esc).join('; ')}</p>` : '');
    const msg = c.message ? `<pre class="msg">${esc(c.message)}</pre>` : '<p><em>no console message</em></p>';
    return `<div class="per-engine" data-engine="${esc(e.id)}"><h4>${esc(e.id)} <small>${outcomeText(c.outcome)}</small></h4>${msg}${cause}${exposed}</div>`;
  });
  return `<section><h3>What each engine said</h3><div class="side-by-side">${items.join('')}</div></section>`;
}

function deviationItem(e: EngineId, d: EngineExpectation): string {
  return `<li><b>${esc(e)}</b>: ${outcomeText(d.outcome)}${d.preflight === undefined ? '' : d.preflight ? ', with preflight' : ', no preflight'}${d.note ? ` — ${esc(d.note)}` : ''}<br>source: ${linkOrText(d.source)}</li>`;
}

function whySection(s: MatrixScenario): string {
  const devs = Object.entries(s.deviations ?? {}).filter(([, d]) => d) as Array<[EngineId, EngineExpectation]>;
  const what = s.expected.error
    ? `, a transport fault the harness must report with its cause (CORS alone would say ${esc(s.expected.outcome)})`
    : `, ${s.expected.preflight ? 'with a preflight' : 'no preflight'}`;
  return `<section><h3>Why: the Fetch standard</h3><p><b>Expected ${outcomeText(expectedOutcome(s))}</b>${what}.</p>`
    + `<p class="reason-full">${esc(s.expected.reason)}</p><p class="fix"><b>Fix:</b> ${esc(s.expected.fix)}</p>`
    + (devs.length ? `<div class="deviations"><h4><i aria-hidden="true">◆</i> Recorded deviations</h4><ul>${devs.map(([e, d]) => deviationItem(e, d)).join('')}</ul></div>` : '')
    + '</section>';
}

function verdictSection(s: MatrixScenario, engines: ColumnInfo[], changes: Changes): string {
  const rows = engines.map((e) => {
    const c = s.results[e.id];
    const ch = changes.get(key(s.id, e.id));
    if (!c) return `<tr data-engine="${esc(e.id)}"><th>${esc(e.id)}</th><td colspan="3"><em>not run</em> ${changeBadge(ch)}</td></tr>`;
    const held = c.expectedBy === 'deviation' ? 'recorded deviation' : c.expectedBy === 'scenario' ? "scenario's expectation" : 'oracle';
    const match = c.matchesExpected ? `<b class="ok">✔ matches</b><small>${held}</small>` : `<span class="badge mismatch">≠ mismatch</span><small>${held}</small>`;
    return `<tr data-engine="${esc(e.id)}" class="${c.outcome}"><th>${esc(e.id)}</th><td>${outcomeText(c.outcome)}<small>${esc(stageText(c))}</small>${changeBadge(ch)}</td><td>${match}</td>`
      + `<td>preflight ${c.preflightSent ? '✓' : '—'}<br>request ${c.actualSent ? '✓' : '—'}</td></tr>`;
  }).join('');
  return `<section><h3>Verdict per engine</h3><table class="verdicts"><thead><tr><th>engine</th><th>saw</th><th>expectation</th><th>target saw</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function evidenceTemplate(s: MatrixScenario, i: number, engines: ColumnInfo[], changes: Changes): string {
  return `<template id="ev-${i}"><article class="ev" aria-labelledby="ev-h-${i}"><header class="ev-head">`
    + `<button type="button" class="close" aria-label="Close the evidence (Escape)">✕</button>`
    + `<h2 id="ev-h-${i}" tabindex="-1"><code>${esc(s.id)}</code> <span class="sel-engine"></span></h2><p class="ev-title">${esc(s.title)}</p>`
    + `<p><small>category ${esc(s.category)} · source ${esc(s.source)}</small></p></header>`
    + verdictSection(s, engines, changes) + whySection(s) + messagesSection(s, engines) + requestSection(s.request, s) + receivedSection(s, engines) + sentSection(s)
    + '</article></template>';
}

// ---- the page -------------------------------------------------------------------------

export function renderMatrixHtml(m: Matrix): string {
  const changes: Changes = new Map((m.changes ?? []).map((c) => [key(c.scenario, c.engine), c]));
  const flags = rowFlags(m, changes);
  const data = { engines: m.engines.map((e) => e.id), hasBaseline: !!m.changes, rows: flags };
  const title = `CORS matrix: ${m.summary.scenarios} scenarios × ${m.engines.length} engines`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light"><title>${esc(title)}</title><style>${asset('matrix-page.css')}</style></head>
<body><a class="skip" href="#matrix">Skip to the matrix</a>
<header class="top">${interruptedNote(m)}<h1>CORS compatibility matrix</h1>${summaryLine(m)}</header>
${filterBar(m, flags)}
${changesSection(m)}
<main class="layout"><div class="table-wrap">${matrixTable(m, changes)}<p id="no-rows" hidden><em>No scenario matches these filters.</em></p></div>
<aside id="evidence" class="evidence" aria-label="Evidence"><p class="hint">Select a cell (click it, or Tab to it and press Enter) to see the request the page made, what the target received and sent, each engine's own message, and the fix.</p></aside></main>
${legend()}
${m.scenarios.map((s, i) => evidenceTemplate(s, i, m.engines, changes)).join('\n')}
<script type="application/json" id="matrix-data">${scriptJson(data)}</script>
<script>${asset('matrix-page.js')}</script>
</body></html>
`;
}
