// Origin emulation without routing (while a route is active, Playwright answers CORS preflights
// itself, so the target would never see them): engines send every request through this loopback
// HTTP proxy. It serves the probe page for emulated origins only, forwards requests for the
// run's own targets untouched (so the target sees the engine's real preflight and Origin), and
// refuses any other host, saying so in its log.
//
// https: with a run-local CA (servers/tls.ts) the proxy answers a CONNECT for an emulated https
// origin itself, terminating TLS with a certificate for that host, and serves the probe page inside.
// The same TLS termination bridges an https URL to a plain-http target (`forwardOverTls`):
// WebKitGTK never sends a request from an https page to http://127.0.0.1 (mixed content), so an
// https page calls https://127.0.0.1:<port> and the target receives the same request over http.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { probeApp } from './origin.ts';
import { listen } from './listen.ts';
import type { RunCa } from './tls.ts';

/** One request the proxy forwarded to a target, and the answer it passed back to the engine. */
export interface ProxyExchange {
  /** The URL as the engine requested it (https when it came through the TLS bridge). */
  url: string;
  method: string;
  /** The engine's request headers in order, as received (proxy hop headers included). */
  requestHeaders: Array<[string, string]>;
  /** The target's status and headers as forwarded; null when the target never answered. */
  status: number | null;
  responseHeaders: Array<[string, string]> | null;
  /** The whole response reached the engine. */
  answered: boolean;
  /** Why the exchange broke off (connection refused, reset). */
  error?: string;
}

export interface OriginProxyOptions {
  /** Needed to emulate https origins and to bridge https to http targets. */
  ca?: RunCa;
  /** Called when the proxy starts forwarding a request (with the URL the engine asked for). */
  onExchangeStart?: (url: string) => void;
  /** Called once per forwarded exchange, when it ends. */
  onExchange?: (exchange: ProxyExchange) => void;
}

export interface OriginProxy {
  /** `http://127.0.0.1:<port>`, for the engines' proxy settings. */
  readonly url: string;
  /** Serve the probe page for this origin (e.g. `http://public.cors-matrix.test`; https needs a CA). */
  emulate(origin: string): void;
  /** Forward requests for this origin (a target of the run) untouched. */
  forward(origin: string): void;
  /**
   * End TLS at the proxy for `https://host:port` and pass its requests to this target: for an http
   * target the https bridge (`https://host:port` -> `http://host:port`), for an https target a
   * re-encrypted hop, so the exchange is observed either way.
   */
  forwardOverTls(targetOrigin: string): void;
  /**
   * Serve a named origin (`https://api.site-b.test`) from a loopback server of this run: `upstream`
   * picks the server's origin for each request path (null: refused). The engine sees the named
   * host, in plain http or over TLS the proxy ends with the run's CA; the server sees the engine's
   * request untouched, `Host` included.
   */
  serveAs(origin: string, upstream: (path: string) => string | null): void;
  /**
   * Answer `origin` + `path` (exactly, query included) from the proxy itself with a 200 and these
   * headers, never forwarding it: a first-party page of the API's site that sets the user's session
   * cookies, without asking the API to have a login route. The origin must also be emulated,
   * forwarded or served.
   */
  answer(origin: string, path: string, headers: Array<[string, string]>): void;
  /** Hosts the proxy refused, in order. */
  readonly refused: string[];
  close(): Promise<void>;
}

function originOf(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

export async function startOriginProxy(log: (line: string) => void = () => {}, options: OriginProxyOptions = {}): Promise<OriginProxy> {
  const emulated = new Set<string>();
  const forwarded = new Set<string>();
  /** Origins served from a loopback server of the run: origin -> which server, by request path. */
  const routes = new Map<string, (path: string) => string | null>();
  const refused: string[] = [];
  /** `origin path` -> the headers the proxy answers with itself. */
  const answers = new Map<string, Array<[string, string]>>();
  const answered = (origin: string, path: string, res: http.ServerResponse): boolean => {
    const headers = answers.get(`${origin} ${path}`);
    if (!headers) return false;
    res.writeHead(200, [...headers, ['Content-Type', 'text/html; charset=utf-8'], ['Cache-Control', 'no-store']].flat());
    res.end('<!doctype html><title>session</title>');
    return true;
  };
  const app = probeApp();
  /** TLS sockets the proxy terminated -> the https origin the engine connected to. */
  const tlsOrigin = new WeakMap<net.Socket, string>();

  const refuse = (what: string, res: http.ServerResponse | net.Socket) => {
    refused.push(what);
    log(`cors-matrix proxy: refused ${what}: neither an emulated origin nor a target of this run`);
    if (res instanceof net.Socket) { res.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n'); return; }
    res.writeHead(403, { 'Content-Type': 'text/plain' }).end('cors-matrix proxy: host not part of this run\n');
  };

  /** Pass one request to `upstream` (an http origin) and its answer back, byte for byte where Node allows. */
  const pass = (req: http.IncomingMessage, res: http.ServerResponse, upstream: URL, shownUrl: string) => {
    const requestHeaders = rawPairs(req.rawHeaders);
    const exchange: ProxyExchange = { url: shownUrl, method: req.method ?? 'GET', requestHeaders, status: null, responseHeaders: null, answered: false };
    options.onExchangeStart?.(shownUrl);
    let reported = false;
    const report = (error?: string) => {
      if (reported) return;
      reported = true;
      if (error) exchange.error = error;
      options.onExchange?.(exchange);
    };
    const secure = upstream.protocol === 'https:';
    // A test deployment's own certificate is often self-signed: the exchange, not its PKI, is under test.
    const up = (secure ? https : http).request({
      host: upstream.hostname, port: upstream.port || (secure ? 443 : 80), method: req.method, path: upstream.pathname + upstream.search,
      ...(secure ? { rejectUnauthorized: false, servername: net.isIP(upstream.hostname) ? undefined : upstream.hostname } : {}),
      // Raw headers keep the engine's order, case and duplicates; only the proxy's own hop headers go.
      headers: requestHeaders.filter(([n]) => !/^proxy-/i.test(n)).flat(),
      setHost: false,
    }, (answer) => {
      exchange.status = answer.statusCode ?? null;
      exchange.responseHeaders = rawPairs(answer.rawHeaders);
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    });
    res.on('finish', () => { exchange.answered = exchange.status !== null; report(); });
    res.on('close', () => { up.destroy(); report(exchange.answered ? undefined : 'the connection closed before the answer was complete'); });
    up.on('error', (e) => { report(`${(e as NodeJS.ErrnoException).code ?? ''} ${e.message}`.trim()); res.destroy(); });
    req.on('aborted', () => up.destroy());
    req.pipe(up);
  };

  const server = http.createServer((req, res) => {
    let url: URL;
    try { url = new URL(req.url ?? ''); } catch { refuse(`non-proxy request ${req.url}`, res); return; }
    const origin = originOf(url);
    if (answered(origin, url.pathname + url.search, res)) return;
    if (emulated.has(origin)) {
      req.url = url.pathname + url.search;
      app(req, res);
      return;
    }
    const upstream = routes.get(origin)?.(url.pathname + url.search);
    if (upstream) { pass(req, res, new URL(url.pathname + url.search, upstream), url.href); return; }
    if (!forwarded.has(origin)) { refuse(origin, res); return; }
    pass(req, res, url, url.href);
  });

  // Requests inside a TLS connection the proxy terminated: the emulated https page, or the bridge.
  const inner = http.createServer((req, res) => {
    const origin = tlsOrigin.get(req.socket) ?? '';
    const path = req.url ?? '/';
    if (answered(origin, path, res)) return;
    if (emulated.has(origin)) { app(req, res); return; }
    const upstream = routes.get(origin)?.(path);
    if (!upstream) { refuse(origin, res); return; }
    pass(req, res, new URL(path, upstream), new URL(path, origin).href);
  });

  const terminateTls = async (socket: net.Socket, head: Buffer, origin: string, hostname: string) => {
    let context: tls.SecureContext;
    try {
      context = await options.ca!.contextFor(hostname);
    } catch (e) {
      log(`cors-matrix proxy: no certificate for ${hostname}: ${(e as Error).message}`);
      socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) socket.unshift(head);
    const secure = new tls.TLSSocket(socket, { isServer: true, secureContext: context });
    tlsOrigin.set(secure, origin);
    secure.on('error', () => socket.destroy());
    inner.emit('connection', secure);
  };

  // CONNECT: TLS the proxy ends itself (emulated https origins, the bridge), or a plain tunnel to a
  // run's https target; nothing else.
  server.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    let url: URL;
    try { url = new URL(`https://${req.url}`); } catch { refuse(`CONNECT ${req.url}`, socket); return; }
    const origin = originOf(url);
    if ((emulated.has(origin) || routes.has(origin)) && options.ca) { void terminateTls(socket, head, origin, url.hostname.replace(/^\[|\]$/g, '')); return; }
    if (!forwarded.has(origin)) { refuse(`CONNECT ${req.url}`, socket); return; }
    const up = net.connect(Number(url.port || 443), url.hostname, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on('error', () => socket.destroy());
    socket.on('close', () => up.destroy());
  });

  const needCa = (origin: string) => {
    if (origin.startsWith('https:') && !options.ca) throw new Error(`cors-matrix proxy: ${origin} is https; start the proxy with a run CA (servers/tls.ts)`);
  };
  const l = await listen(server);
  return {
    url: l.origin,
    emulate: (o) => { needCa(o); emulated.add(o); },
    forward: (o) => { forwarded.add(o); },
    forwardOverTls: (o) => {
      const u = new URL(o);
      const port = u.port || (u.protocol === 'https:' ? '443' : '80');
      const front = originOf(new URL(`https://${u.host.replace(/:\d+$/, '')}:${port}`));
      needCa(front);
      const plain = originOf(u);
      routes.set(front, () => plain);
    },
    serveAs: (o, upstream) => { needCa(o); routes.set(originOf(new URL(o)), upstream); },
    answer: (o, p, headers) => { answers.set(`${originOf(new URL(o))} ${p}`, headers); },
    refused,
    close: l.close,
  };
}

function rawPairs(raw: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i], raw[i + 1]]);
  return out;
}
