// The in-page probe: makes one cross-origin request the way a web page would, and reports what the
// page could read. Plain browser JavaScript, served by the origin server; every engine calls
// window.__corsProbe(spec) and gets a PageResult (harness/model/types.ts). It never guesses: a request
// the page could not read is `readable: false` with the engine's error, and the harness decides why.
(function () {
  'use strict';

  function now() { return performance.now(); }

  function result(start, fields) {
    return Object.assign({ readable: false, status: null, body: null, headers: null, error: null, timedOut: false, rejectedBeforeSending: false }, fields, {
      durationMs: Math.round(now() - start),
    });
  }

  function errorOf(e) {
    return { name: String((e && e.name) || 'Error'), message: String((e && e.message) || e) };
  }

  async function viaFetch(spec) {
    const start = now();
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; controller.abort(); }, spec.timeoutMs);
    try {
      const init = { method: spec.method, headers: spec.headers, credentials: spec.credentials, signal: controller.signal };
      if (spec.mode) init.mode = spec.mode;
      if (spec.referrerPolicy !== undefined) init.referrerPolicy = spec.referrerPolicy;
      if (spec.body !== null && spec.body !== undefined) init.body = spec.body;
      // The Request constructor runs the Fetch API's own checks (no-cors method, forbidden
      // methods): a throw here is the API refusing before anything is sent.
      try { new Request(spec.url, init); } catch (e) {
        return result(start, { error: errorOf(e), rejectedBeforeSending: true });
      }
      const res = await fetch(spec.url, init);
      if (res.type === 'opaque' || res.type === 'opaqueredirect') {
        return result(start, { readable: false, status: res.status, error: { name: 'Opaque', message: 'response type ' + res.type } });
      }
      const headers = {};
      for (const name of spec.readHeaders) headers[name] = res.headers.get(name);
      const body = await res.text();
      return result(start, { readable: true, status: res.status, body: body.slice(0, 4096), headers });
    } catch (e) {
      return result(start, { timedOut, error: errorOf(e) });
    } finally {
      clearTimeout(timer);
    }
  }

  function viaXhr(spec) {
    const start = now();
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      try { xhr.open(spec.method, spec.url, true); } catch (e) {
        resolve(result(start, { error: errorOf(e), rejectedBeforeSending: true }));
        return;
      }
      xhr.withCredentials = spec.credentials === 'include';
      xhr.timeout = spec.timeoutMs;
      for (const [n, v] of Object.entries(spec.headers)) xhr.setRequestHeader(n, v);
      // An upload listener sets XHR's "upload listener flag", which forces a preflight.
      if (spec.uploadListener) xhr.upload.onprogress = function () {};
      xhr.onload = () => {
        const headers = {};
        for (const name of spec.readHeaders) headers[name] = xhr.getResponseHeader(name);
        resolve(result(start, { readable: true, status: xhr.status, body: String(xhr.responseText).slice(0, 4096), headers }));
      };
      xhr.onerror = () => resolve(result(start, { error: { name: 'NetworkError', message: 'XMLHttpRequest error event, status ' + xhr.status } }));
      xhr.ontimeout = () => resolve(result(start, { timedOut: true, error: { name: 'TimeoutError', message: 'XMLHttpRequest timeout' } }));
      try { xhr.send(spec.body === undefined ? null : spec.body); } catch (e) { resolve(result(start, { error: errorOf(e) })); }
    });
  }

  // <img crossorigin> and module <script>: the load event is the only thing a page learns.
  function viaElement(spec) {
    const start = now();
    return new Promise((resolve) => {
      const el = spec.api === 'img' ? new Image() : document.createElement('script');
      if (spec.api === 'script') el.type = 'module';
      el.crossOrigin = spec.credentials === 'include' ? 'use-credentials' : 'anonymous';
      const timer = setTimeout(() => resolve(result(start, { timedOut: true, error: { name: 'TimeoutError', message: spec.api + ' load timeout' } })), spec.timeoutMs);
      el.onload = () => { clearTimeout(timer); resolve(result(start, { readable: true })); el.remove(); };
      el.onerror = () => { clearTimeout(timer); resolve(result(start, { error: { name: 'Error', message: spec.api + ' error event' } })); el.remove(); };
      el.src = spec.url;
      if (spec.api === 'script') document.head.appendChild(el);
    });
  }

  function probe(spec) {
    const run = spec.api === 'xhr' ? viaXhr : spec.api === 'fetch' ? viaFetch : viaElement;
    return run(spec);
  }

  // A sandboxed iframe (opaque origin, `Origin: null`) runs the same probe and posts the result back.
  async function sandboxFrame() {
    const source = await (await fetch('/probe.js')).text();
    const frame = document.createElement('iframe');
    frame.setAttribute('sandbox', 'allow-scripts');
    frame.srcdoc = '<!doctype html><script>' + source.replace(/<\//g, '<\\/') + '<' + '/script><script>' +
      'onmessage = async (e) => parent.postMessage({ id: e.data.id, result: await window.__corsProbe(e.data.spec) }, "*");<' + '/script>';
    await new Promise((resolve) => { frame.onload = resolve; document.body.appendChild(frame); });
    return frame;
  }

  let kept = null;

  // By default each call has a frame of its own, removed once the result is posted. `keep: true`
  // keeps one frame in the page for every call that asks for it: Chromium sometimes drops the console
  // message of a frame removed that soon, and that text is the one that says a request was refused
  // before it was sent (Local Network Access).
  async function probeSandboxed(spec, options) {
    const keep = !!(options && options.keep);
    let frame;
    if (keep) {
      kept = kept || sandboxFrame();
      try { frame = await kept; } catch (e) { kept = null; throw e; }
    } else {
      frame = await sandboxFrame();
    }
    const id = Math.random().toString(36).slice(2);
    return new Promise((resolve) => {
      window.addEventListener('message', function onMessage(e) {
        if (e.source !== frame.contentWindow || !e.data || e.data.id !== id) return;
        window.removeEventListener('message', onMessage);
        if (!keep) frame.remove();
        resolve(e.data.result);
      });
      frame.contentWindow.postMessage({ id, spec }, '*');
    });
  }

  window.__corsProbe = probe;
  window.__corsProbeSandboxed = probeSandboxed;
})();
