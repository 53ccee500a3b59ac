// Origin emulation without routing (SPEC.md section 7): engines send every request through this
// loopback HTTP proxy. It serves the probe page for emulated origins only, forwards requests for the
// run's own targets untouched (so the target sees the engine's real preflight and Origin), and
// refuses any other host, saying so in its log.
import http from 'node:http';
import net from 'node:net';
import { probeApp } from './origin.ts';
import { listen } from './listen.ts';

export interface OriginProxy {
  /** `http://127.0.0.1:<port>`, for the engines' proxy settings. */
  readonly url: string;
  /** Serve the probe page for this origin (e.g. `http://public.cors-matrix.test`). */
  emulate(origin: string): void;
  /** Forward requests for this origin (a target of the run) untouched. */
  forward(origin: string): void;
  /** Hosts the proxy refused, in order. */
  readonly refused: string[];
  close(): Promise<void>;
}

function originOf(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

export async function startOriginProxy(log: (line: string) => void = () => {}): Promise<OriginProxy> {
  const emulated = new Set<string>();
  const forwarded = new Set<string>();
  const refused: string[] = [];
  const app = probeApp();

  const refuse = (what: string, res: http.ServerResponse | net.Socket) => {
    refused.push(what);
    log(`cors-matrix proxy: refused ${what}: neither an emulated origin nor a target of this run`);
    if (res instanceof net.Socket) { res.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n'); return; }
    res.writeHead(403, { 'Content-Type': 'text/plain' }).end('cors-matrix proxy: host not part of this run\n');
  };

  const server = http.createServer((req, res) => {
    let url: URL;
    try { url = new URL(req.url ?? ''); } catch { refuse(`non-proxy request ${req.url}`, res); return; }
    const origin = originOf(url);
    if (emulated.has(origin)) {
      req.url = url.pathname + url.search;
      app(req, res);
      return;
    }
    if (!forwarded.has(origin)) { refuse(origin, res); return; }
    const upstream = http.request({
      host: url.hostname, port: url.port || 80, method: req.method, path: url.pathname + url.search,
      // Raw headers keep the engine's order, case and duplicates; only the proxy's own hop headers go.
      headers: rawPairs(req.rawHeaders).filter(([n]) => !/^proxy-/i.test(n)).flat(),
      setHost: false,
    }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.rawHeaders);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.on('aborted', () => upstream.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });

  // CONNECT tunnels (https, websockets): only to the run's targets; TLS emulation is not here yet.
  server.on('connect', (req, socket: net.Socket, head) => {
    const origin = `https://${req.url}`;
    if (!forwarded.has(origin)) { refuse(`CONNECT ${req.url}`, socket); return; }
    const [host, port] = (req.url ?? '').split(':');
    const up = net.connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });

  const l = await listen(server);
  return {
    url: l.origin,
    emulate: (o) => { emulated.add(o); },
    forward: (o) => { forwarded.add(o); },
    refused,
    close: l.close,
  };
}

function rawPairs(raw: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i], raw[i + 1]]);
  return out;
}
