// Runs in the page, sent as the text of one WebDriver Execute Async Script command (never imported):
// one command for any number of probes. It starts the new ones, then waits in the page until one of
// the outstanding ones settles (or `wakeMs` passes) and hands back every settled result. The page
// keeps its jobs in window.__cmMux; a navigation drops them, and they come back as `lost`.
// `fns[k]` runs the probe `starts[k]`; the command's script defines `fns` before this function.
function exchange(fns, starts, waitFor, forget, wakeMs, done) {
  const t = window.__cmMux || (window.__cmMux = { known: new Set(), settled: new Map(), wake: null });
  for (const id of forget) { t.known.delete(id); t.settled.delete(id); }
  starts.forEach((s, k) => {
    t.known.add(s.id);
    let p;
    try { p = fns[k](s.arg); } catch (e) { p = Promise.reject(e); }
    Promise.resolve(p).then((v) => ({ ok: v }), (e) => ({ err: String((e && e.stack) || e) })).then((r) => {
      t.settled.set(s.id, r);
      if (t.wake) t.wake();
    });
  });
  const collect = () => {
    const out = {};
    let any = false;
    for (const id of waitFor) {
      if (t.settled.has(id)) { out[id] = t.settled.get(id); t.settled.delete(id); t.known.delete(id); any = true; }
      else if (!t.known.has(id)) { out[id] = { lost: true }; any = true; }
    }
    return any ? out : null;
  };
  const ready = collect();
  if (ready || waitFor.length === 0) { done(ready || {}); } else {
    let timer;
    new Promise((resolve) => { t.wake = resolve; timer = setTimeout(resolve, wakeMs); })
      .then(() => { clearTimeout(timer); t.wake = null; done(collect() || {}); });
  }
}
