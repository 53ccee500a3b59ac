// Target servers: answer each check exactly as planned and record what arrived.
// Express writes ordered header pairs verbatim with writeHead's flat array (duplicates and case kept);
// a raw `net` server takes what Node's HTTP stack refuses (unknown methods, bytes Node will not send).
import http from 'node:http';
import net from 'node:net';
import express from 'express';
import type { RedirectHop, ReceivedRequest } from '../harness/model/types.ts';
import { normalizeMethod } from '../harness/oracle/safelist.ts';
import { PROBE_TIMEOUT_MS } from '../harness/settings.ts';
import { answer, received, setCookieLines, CHECK_PATH, SET_COOKIES_PATH, type Answer, type Registry } from './target-plan.ts';
import { listen, type Listening } from './listen.ts';

export interface TargetServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly kind: 'express' | 'raw';
  close(): Promise<void>;
}

export interface TargetOptions {
  registry: Registry;
  /** Which role this server plays in a redirect chain. */
  role: ReceivedRequest['server'];
  /** Absolute URL of hop `hop` for a redirect with `to`. */
  locate: (key: string, hop: number, to: RedirectHop) => string;
}

/**
 * Whether Node's HTTP stack can parse this request and send these response bytes. `requestHeaders`
 * are the values the page sets: Node's strict parser drops a request whose header value holds a
 * control byte (\v, \f, \x01, \x7f...) before any handler runs, so such a check goes to the raw server.
 */
export function expressCanSend(method: string, headers: Array<[string, string]>, requestHeaders: Record<string, string> = {}): boolean {
  // The engine sends the method as Fetch normalizes it (`patch` goes out as written), and Node's
  // parser refuses any method not in its exact, upper-case list.
  const wire = normalizeMethod(method);
  if (!http.METHODS.includes(wire)) return false;
  for (const [n, v] of headers) {
    try { http.validateHeaderName(n); http.validateHeaderValue(n, v); } catch { return false; }
  }
  // The same rule Node's parser applies to what it receives: tab, visible ASCII and obs-text only.
  for (const [n, v] of Object.entries(requestHeaders)) {
    try { http.validateHeaderName(n); http.validateHeaderValue(n, v.replace(/^[\t ]+|[\t ]+$/g, '')); } catch { return false; }
  }
  return true;
}

/**
 * How long an endless body goes on at most: past the probe's timeout and a margin the engine has
 * given up, and a target must never write forever to a socket nobody reads.
 */
export const ENDLESS_BODY_MS = PROBE_TIMEOUT_MS + 3000;

/**
 * Headers already written: send a chunked body that never ends, one chunk every 100 ms, until the
 * client closes or `limitMs` passes. It then resets the connection: a clean end would complete
 * the body and turn the fault into an ordinary answer.
 */
export function endlessBody(socket: net.Socket, limitMs = ENDLESS_BODY_MS): void {
  const started = Date.now();
  const timer = setInterval(() => {
    if (socket.destroyed || !socket.writable) { clearInterval(timer); return; }
    if (Date.now() - started >= limitMs) { clearInterval(timer); socket.resetAndDestroy(); return; }
    socket.write('1\r\n.\r\n');
  }, 100);
  socket.once('close', () => clearInterval(timer));
}

function flat(a: Answer): string[] {
  return a.headers.flatMap(([n, v]) => [n, v]);
}

export async function startExpressTarget(options: TargetOptions): Promise<TargetServer> {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  // The first-party, top-level visit a login would be: the target's site sets the check's cookies.
  app.get(SET_COOKIES_PATH, (req, res) => {
    const plan = options.registry.plan(SET_COOKIES_PATH.exec(req.originalUrl)![1]);
    if (!plan) { res.status(404).type('text/plain').send('unknown check'); return; }
    res.writeHead(200, ['Content-Type', 'text/html; charset=utf-8', 'Cache-Control', 'no-store', ...setCookieLines(plan.cookies ?? []).flatMap((line) => ['Set-Cookie', line])]);
    res.end('<!doctype html><title>signed in</title><p>cookies set</p>');
  });
  app.use((req, res) => {
    const m = CHECK_PATH.exec(req.originalUrl);
    const plan = m ? options.registry.plan(m[1]) : undefined;
    if (!m || !plan) { res.status(404).type('text/plain').send('unknown check'); return; }
    const [, key, hopText] = m;
    const hop = Number(hopText);
    const r = options.registry.record(key, received(req.method, req.originalUrl, (n) => req.get(n), options.role));
    const a = answer(plan, r, hop, (h, to) => options.locate(key, h, to));
    res.on('finish', () => { r.answered = true; });
    // Drain any request body before answering so the connection stays usable.
    req.resume();
    if (a.fault) { fault(req.socket, a, r); return; }
    const headers = flat(a);
    if (!a.headers.some(([n]) => n.toLowerCase() === 'content-length')) headers.push('Content-Length', String(a.body.length));
    res.writeHead(a.status, headers);
    res.end(a.body);
  });
  // The lenient parser is a net, not the route: a check whose request headers hold control bytes
  // goes to the raw server (`expressCanSend`), but a hop that always lands here (the second origin
  // of a redirect) must still observe a request the engine did send. Measured on Node 20: strict,
  // a value with \v, \f, \x01, \x1f, \x7f or NUL is dropped (HPE_INVALID_HEADER_TOKEN, no handler
  // runs); lenient, each reaches the handler byte for byte. Nothing but the engines under test
  // talks to this loopback server, so the parser's leniency exposes nothing.
  const server = http.createServer({ insecureHTTPParser: true }, app);
  const l = await listen(server);
  return { origin: l.origin, kind: 'express', close: l.close };
}

function headLines(a: Answer, statusLine: string, extra: string[] = []): string {
  return [statusLine, ...a.headers.map(([n, v]) => `${n}: ${v}`), ...extra, 'Connection: close'].join('\r\n') + '\r\n\r\n';
}

/**
 * Transport faults: the target misbehaves below HTTP, on purpose, and says so in its record so a
 * failed request is reported as `error` with that cause, never as a CORS block.
 */
function fault(socket: net.Socket, a: Answer, r: ReceivedRequest): void {
  r.fault = a.fault;
  const done = () => { r.answered = true; socket.end(); };
  switch (a.fault) {
    case 'reset-before-status':
      socket.resetAndDestroy();
      return;
    case 'reset-in-body':
      socket.write(headLines(a, `HTTP/1.1 ${a.status} OK`, ['Content-Length: 100000']) + 'partial', 'latin1', () => socket.resetAndDestroy());
      return;
    case 'malformed-status':
      socket.write(headLines(a, 'HTTP/1.1 2OO Okay-ish', [`Content-Length: ${a.body.length}`]), 'latin1');
      socket.write(a.body, done);
      return;
    case 'huge-headers':
      // 300 KB of headers: above every engine's limit (Chromium 256 KB).
      socket.write(headLines(a, `HTTP/1.1 ${a.status} OK`, [`X-Padding: ${'a'.repeat(300 * 1024)}`, `Content-Length: ${a.body.length}`]), 'latin1');
      socket.write(a.body, done);
      return;
    case 'slow-body': {
      const body = a.body;
      socket.write(headLines(a, `HTTP/1.1 ${a.status} OK`, [`Content-Length: ${body.length + 10}`]), 'latin1');
      let sent = 0;
      // The target's own pacing (a slow upstream), not a harness wait: ten bytes, 150 ms apart.
      const timer = setInterval(() => {
        if (socket.destroyed) { clearInterval(timer); return; }
        socket.write('.');
        if (++sent === 10) { clearInterval(timer); socket.write(body, done); }
      }, 150);
      return;
    }
    case 'endless-body':
      // The answer as planned is complete once the headers are out: the body is meant never to end.
      socket.write(headLines(a, `HTTP/1.1 ${a.status} ${http.STATUS_CODES[a.status] ?? 'Status'}`, ['Transfer-Encoding: chunked']) + '1\r\n.\r\n', 'latin1', () => { r.answered = true; });
      endlessBody(socket);
      return;
    default:
      // 'hang' (and 'refused', which never reaches a server): stay silent; the probe's timeout decides.
      return;
  }
}

/** The raw server: parses just enough HTTP/1.1 to key the check, writes the answer byte for byte. */
export async function startRawTarget(options: TargetOptions): Promise<TargetServer> {
  const server = net.createServer((socket) => {
    let buf = Buffer.alloc(0);
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.subarray(0, end).toString('latin1');
        const lines = head.split('\r\n');
        const [method, target] = lines[0].split(' ');
        const fields = new Map<string, string>();
        for (const line of lines.slice(1)) {
          const i = line.indexOf(':');
          if (i > 0) fields.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
        }
        const length = Number(fields.get('content-length') ?? 0);
        if (buf.length < end + 4 + length) return;
        buf = buf.subarray(end + 4 + length);
        respondRaw(socket, method, target ?? '/', (n) => fields.get(n), options);
      }
    });
  });
  const l = await listen(server);
  return { origin: l.origin, kind: 'raw', close: l.close };
}

function respondRaw(socket: net.Socket, method: string, path: string, header: (n: string) => string | undefined, options: TargetOptions): void {
  const m = CHECK_PATH.exec(path);
  const plan = m ? options.registry.plan(m[1]) : undefined;
  if (!m || !plan) { socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'); return; }
  const [, key, hopText] = m;
  const r = options.registry.record(key, received(method, path, header, options.role));
  const a = answer(plan, r, Number(hopText), (h, to) => options.locate(key, h, to));
  if (a.fault) { fault(socket, a, r); return; }
  const lines = [`HTTP/1.1 ${a.status} ${http.STATUS_CODES[a.status] ?? 'Status'}`, ...a.headers.map(([n, v]) => `${n}: ${v}`)];
  if (!a.headers.some(([n]) => n.toLowerCase() === 'content-length')) lines.push(`Content-Length: ${a.body.length}`);
  const head = Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1');
  socket.write(Buffer.concat([head, a.body]), () => { r.answered = true; });
}

export type { Listening };
