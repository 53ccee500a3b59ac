// @ts-check
// matrix.html's page script, inlined by reports/html.ts. No network and no innerHTML: every value it
// shows is escaped markup cloned from a <template>, or goes through textContent.
(() => {
  /** @typedef {{ id: string, category: string, sites: string, mismatch: boolean, disagree: boolean, deviation: boolean, changed: boolean }} RowFlags */
  /** @type {{ engines: string[], hasBaseline: boolean, rows: RowFlags[] }} */
  const data = JSON.parse(/** @type {HTMLElement} */ (document.getElementById('matrix-data')).textContent || '{}');
  const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const panel = $('evidence');
  const hint = [...panel.childNodes].map((n) => n.cloneNode(true));
  const rows = /** @type {HTMLTableRowElement[]} */ ([...document.querySelectorAll('#matrix tr.row')]);
  /** @type {HTMLButtonElement | null} */
  let opener = null;

  // ---- filters ---------------------------------------------------------------------------
  const f = {
    category: /** @type {HTMLSelectElement} */ ($('f-category')),
    sites: /** @type {HTMLSelectElement} */ ($('f-sites')),
    mismatch: /** @type {HTMLInputElement} */ ($('f-mismatch')),
    disagree: /** @type {HTMLInputElement} */ ($('f-disagree')),
    deviation: /** @type {HTMLInputElement} */ ($('f-deviation')),
    changed: /** @type {HTMLInputElement} */ ($('f-changed')),
    text: /** @type {HTMLInputElement} */ ($('f-text')),
  };
  /** Row text plus its evidence (headers, messages, reason, fix), for the free-text search. */
  const haystack = rows.map((tr, i) => {
    const t = /** @type {HTMLTemplateElement | null} */ (document.getElementById(`ev-${i}`));
    return `${tr.textContent} ${t ? t.content.textContent : ''}`.toLowerCase();
  });

  function apply() {
    const words = f.text.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    rows.forEach((tr, i) => {
      const r = data.rows[i];
      const ok = (!f.category.value || r.category === f.category.value) && (!f.sites.value || r.sites === f.sites.value)
        && (!f.mismatch.checked || r.mismatch) && (!f.disagree.checked || r.disagree)
        && (!f.deviation.checked || r.deviation) && (!f.changed.checked || r.changed)
        && words.every((w) => haystack[i].includes(w));
      tr.hidden = !ok;
      if (ok) shown++;
    });
    for (const body of document.querySelectorAll('#matrix tbody')) {
      /** @type {HTMLElement} */ (body).hidden = !body.querySelector('tr.row:not([hidden])');
    }
    $('no-rows').hidden = shown > 0;
    $('f-count').textContent = `${shown} of ${rows.length} scenarios`;
    const active = [
      f.category.value && `category ${f.category.value}`, f.sites.value && `sites ${f.sites.value}`, f.mismatch.checked && 'mismatches only', f.disagree.checked && 'engines disagree',
      f.deviation.checked && 'recorded deviations', f.changed.checked && 'changed since baseline', f.text.value && `search "${f.text.value}"`,
    ].filter(Boolean);
    $('f-print').textContent = active.length ? `Filtered (${shown} of ${rows.length} scenarios): ${active.join(', ')}` : '';
  }
  $('filters').addEventListener('input', apply);
  $('filters').addEventListener('change', apply);
  $('filters').addEventListener('submit', (e) => e.preventDefault());

  // ---- evidence --------------------------------------------------------------------------
  /** @param {number} i @param {string} engine @param {HTMLButtonElement | null} from @param {boolean} focus */
  function open(i, engine, from, focus) {
    const t = /** @type {HTMLTemplateElement | null} */ (document.getElementById(`ev-${i}`));
    if (!t) return;
    panel.replaceChildren(t.content.cloneNode(true));
    panel.classList.add('open');
    for (const el of panel.querySelectorAll('[data-engine]')) el.classList.toggle('sel', el.getAttribute('data-engine') === engine);
    const sel = panel.querySelector('.sel-engine');
    if (sel) sel.textContent = `in ${engine}`;
    panel.querySelector('.close')?.addEventListener('click', close);
    for (const td of document.querySelectorAll('#matrix td.selected')) td.classList.remove('selected');
    from?.closest('td')?.classList.add('selected');
    for (const b of document.querySelectorAll('#matrix button[aria-expanded]')) b.removeAttribute('aria-expanded');
    from?.setAttribute('aria-expanded', 'true');
    opener = from;
    history.replaceState(null, '', `#${encodeURIComponent(data.rows[i].id)}/${encodeURIComponent(engine)}`);
    if (focus) /** @type {HTMLElement | null} */ (panel.querySelector('h2'))?.focus({ preventScroll: true });
    panel.scrollTop = 0;
  }

  function close() {
    panel.replaceChildren(...hint.map((n) => n.cloneNode(true)));
    panel.classList.remove('open');
    for (const td of document.querySelectorAll('#matrix td.selected')) td.classList.remove('selected');
    opener?.removeAttribute('aria-expanded');
    history.replaceState(null, '', location.pathname + location.search);
    opener?.focus();
    opener = null;
  }

  $('matrix').addEventListener('click', (e) => {
    const b = /** @type {HTMLElement} */ (e.target).closest('button.open');
    if (!(b instanceof HTMLButtonElement)) return;
    // A click from the keyboard (Enter, Space) has detail 0: move focus into the evidence then.
    open(Number(b.dataset.i), b.dataset.engine || '', b, e.detail === 0);
  });

  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && panel.classList.contains('open')) { e.preventDefault(); close(); return; }
    const b = /** @type {HTMLElement} */ (e.target);
    if (!(b instanceof HTMLButtonElement) || !b.classList.contains('open')) return;
    const moves = /** @type {Record<string, [number, number]>} */ ({ ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] });
    const d = moves[e.key];
    if (!d) return;
    e.preventDefault();
    const visible = rows.filter((tr) => !tr.hidden);
    const r = visible.indexOf(/** @type {HTMLTableRowElement} */ (b.closest('tr')));
    const col = data.engines.indexOf(b.dataset.engine || '');
    const next = visible[r + d[0]]?.querySelector(`button.open[data-engine="${data.engines[col + d[1]]}"]`);
    /** @type {HTMLElement | null | undefined} */ (next)?.focus();
  });

  /** `#scenario/engine` opens that cell: links in the changes list, and shared links. */
  function fromHash() {
    const [id, engine] = location.hash.slice(1).split('/').map(decodeURIComponent);
    const i = data.rows.findIndex((r) => r.id === id);
    if (i < 0 || !engine) return;
    const b = /** @type {HTMLButtonElement | null} */ (rows[i].querySelector(`button.open[data-engine="${CSS.escape(engine)}"]`));
    open(i, engine, b, false);
    b?.scrollIntoView({ block: 'nearest' });
  }
  window.addEventListener('hashchange', fromHash);
  // Printed, the changes list shows whole even when it starts folded.
  window.addEventListener('beforeprint', () => { for (const d of document.querySelectorAll('details')) d.open = true; });
  if (location.hash.length > 1) fromHash();
  apply();
})();
