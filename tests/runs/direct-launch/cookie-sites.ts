// The three sites of the direct-launch experiment on one loopback https server: the API's site sets
// its cookies in a first-party top-level visit (a login), a page on another site calls the API with
// credentials (fetch and XHR), a page on the API's own site does the same (the control), and the last
// page navigates to /done. The API logs the names of the cookies it received, never their values.
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, type Listening } from '../../../servers/listen.ts';
import { createRunCa, type RunCa } from '../../../servers/tls.ts';
import { cookieNames, setCookieLines } from '../../../servers/target-plan.ts';
import type { CookieSpec } from '../../../harness/model/types.ts';

/** The hosts, as the catalogue's CROSS_SITE pair names them, and the same-site control page's. */
export const HOSTS = { api: 'api.site-b.test', crossPage: 'app.site-a.test', samePage: 'www.site-b.test' } as const;

/** Where the API was called from: a page on another site, or a page on its own site. */
export type PageKind = 'cross' | 'same';
/** How the page called it. */
export type Api = 'fetch' | 'xhr';

export interface Visit {
  /** Cookie names the API received, per page kind and API (absent: the request never arrived). */
  received: Record<PageKind, Partial<Record<Api, string[]>>>;
  /** What each page read back (`200 ok`, or the error it got), for a failure message. */
  pageSaw: Record<string, string>;
  /** Every request the server got, `+ms method host path` from the server's start, in order. */
  log: string[];
}

export interface CookieSites {
  ca: RunCa;
  port: number;
  /** The URL the browser is launched on: the API's site, which sets the cookies. */
  startUrl: string;
  /** Resolves once the last page has navigated to /done (never rejects; bound it yourself). */
  done: Promise<void>;
  visit: Visit;
  close(): Promise<void>;
}

function page(script: string): string {
  return `<!doctype html><meta charset="utf-8"><title>direct launch</title><script>${script}</script>`;
}

/** The page's script: a credentialed fetch and a credentialed XHR to the API, then on to `next` with what it read. */
function callerScript(api: string, kind: PageKind, next: string): string {
  return `(async () => {
  const seen = {};
  try { const r = await fetch(${JSON.stringify(`${api}/echo?from=${kind}&api=fetch`)}, { credentials: 'include', cache: 'no-store' }); seen.fetch = r.status + ' ' + await r.text(); }
  catch (e) { seen.fetch = 'error ' + e; }
  seen.xhr = await new Promise((resolve) => {
    const x = new XMLHttpRequest();
    x.open('GET', ${JSON.stringify(`${api}/echo?from=${kind}&api=xhr`)});
    x.withCredentials = true;
    x.onload = () => resolve(x.status + ' ' + x.responseText);
    x.onerror = () => resolve('error');
    x.send();
  });
  const u = new URL(${JSON.stringify(next)});
  for (const [k, v] of Object.entries(seen)) u.searchParams.set(${JSON.stringify(kind)} + '-' + k, v);
  location.replace(u.href);
})();`;
}

export async function startCookieSites(cookies: CookieSpec[]): Promise<CookieSites> {
  const ca = await createRunCa();
  let finish!: () => void;
  const done = new Promise<void>((resolve) => { finish = resolve; });
  const visit: Visit = { received: { cross: {}, same: {} }, pageSaw: {}, log: [] };
  let port = 0;
  const started = Date.now();
  const origin = (host: string) => `https://${host}:${port}`;

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const url = new URL(req.url ?? '/', origin(host));
    visit.log.push(`+${Date.now() - started}ms ${req.method} ${host} ${url.pathname}`);
    const html = (body: string, headers: Record<string, string | string[]> = {}) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers });
      res.end(body);
    };
    for (const [k, v] of url.searchParams) if (/^(cross|same)-(fetch|xhr)$/.test(k)) visit.pageSaw[k] = v;
    const api = origin(HOSTS.api);
    if (host === HOSTS.api && url.pathname === '/set') {
      // First-party and top-level: the cookies arrive with the page, then the page moves on by itself.
      return html(page(`location.replace(${JSON.stringify(`${origin(HOSTS.crossPage)}/page`)})`), { 'set-cookie': setCookieLines(cookies) });
    }
    if (host === HOSTS.crossPage && url.pathname === '/page') return html(page(callerScript(api, 'cross', `${origin(HOSTS.samePage)}/page`)));
    if (host === HOSTS.samePage && url.pathname === '/page') return html(page(callerScript(api, 'same', `${origin(HOSTS.samePage)}/done`)));
    if (host === HOSTS.samePage && url.pathname === '/done') { html(page('')); finish(); return; }
    if (host === HOSTS.api && url.pathname === '/echo') {
      const from = url.searchParams.get('from') as PageKind;
      const api = url.searchParams.get('api') as Api;
      if ((from === 'cross' || from === 'same') && (api === 'fetch' || api === 'xhr')) visit.received[from][api] = cookieNames(req.headers.cookie);
      res.writeHead(200, {
        'access-control-allow-origin': req.headers.origin ?? 'null',
        'access-control-allow-credentials': 'true',
        'cache-control': 'no-store',
        vary: 'Origin',
        'content-type': 'text/plain',
      });
      res.end('ok');
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  }

  const server = https.createServer({
    SNICallback: (servername, cb) => { ca.contextFor(servername).then((c) => cb(null, c), (e: Error) => cb(e)); },
  }, handle);
  let listening: Listening;
  try {
    listening = await listen(server, 'https');
  } catch (e) {
    await ca.close();
    throw e;
  }
  port = listening.port;
  return {
    ca, port, visit, done,
    startUrl: `${origin(HOSTS.api)}/set`,
    close: async () => { await listening.close(); await ca.close(); },
  };
}
