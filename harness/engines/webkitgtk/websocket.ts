// A minimal WebSocket client (RFC 6455) for WebKit's remote inspector on loopback: text messages
// in and out, nothing else. Node 20 has no WebSocket client without a flag, and the `ws` package is
// not among the dependencies; this needs about a hundred lines over `http`'s upgrade.
import crypto from 'node:crypto';
import http from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** One frame for the server: clients must mask every frame they send. */
export function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const mask = crypto.randomBytes(4);
  const n = payload.length;
  const head = n < 126 ? Buffer.alloc(2) : n < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  head[0] = 0x80 | opcode;
  if (n < 126) head[1] = 0x80 | n;
  else if (n < 65536) { head[1] = 0x80 | 126; head.writeUInt16BE(n, 2); }
  else { head[1] = 0x80 | 127; head.writeBigUInt64BE(BigInt(n), 2); }
  const body = Buffer.alloc(n);
  for (let i = 0; i < n; i++) body[i] = payload[i] ^ mask[i & 3];
  return Buffer.concat([head, mask, body]);
}

export interface Frame { fin: boolean; opcode: number; payload: Buffer }

/** Splits complete frames off the front of `buf`; returns them and what is left. */
export function decodeFrames(buf: Buffer): { frames: Frame[]; rest: Buffer } {
  const frames: Frame[] = [];
  let at = 0;
  for (;;) {
    if (buf.length - at < 2) break;
    const b0 = buf[at], b1 = buf[at + 1];
    let len = b1 & 0x7f;
    let off = at + 2;
    if (len === 126) { if (buf.length - off < 2) break; len = buf.readUInt16BE(off); off += 2; }
    else if (len === 127) { if (buf.length - off < 8) break; len = Number(buf.readBigUInt64BE(off)); off += 8; }
    const masked = (b1 & 0x80) !== 0;
    const mask = masked ? buf.subarray(off, off + 4) : null;
    if (masked) off += 4;
    if (buf.length - off < len) break;
    const payload = Buffer.from(buf.subarray(off, off + len));
    if (mask) for (let i = 0; i < len; i++) payload[i] ^= mask[i & 3];
    frames.push({ fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, payload });
    at = off + len;
  }
  return { frames, rest: buf.subarray(at) };
}

export class WebSocketClient {
  private onText: ((text: string) => void) | null = null;
  /** Texts that arrived before anyone listened (the server may speak first). */
  private early: string[] = [];
  private onClose: () => void = () => {};
  private closed = false;

  private constructor(private readonly socket: Duplex, head: Buffer) {
    let buf: Buffer = Buffer.alloc(0);
    let parts: Buffer[] = [];
    const onData = (d: Buffer) => {
      const { frames, rest } = decodeFrames(buf.length ? Buffer.concat([buf, d]) : d);
      buf = rest;
      for (const f of frames) {
        if (f.opcode === 0x8) { this.close(); return; }
        if (f.opcode === 0x9) { this.write(0xa, f.payload); continue; }
        if (f.opcode === 0xa) continue;
        // Text (1) or its continuation (0); a fragmented message ends with a frame marked `fin`.
        parts.push(f.payload);
        if (f.fin) {
          const text = Buffer.concat(parts).toString('utf8');
          parts = [];
          if (this.onText) this.onText(text); else this.early.push(text);
        }
      }
    };
    socket.on('data', onData);
    // Bytes read past the upgrade's headers are the first frames.
    if (head.length) onData(head);
    socket.on('close', () => { this.closed = true; this.onClose(); });
    socket.on('error', () => socket.destroy());
  }

  static connect(url: string, timeoutMs: number): Promise<WebSocketClient> {
    const u = new URL(url);
    const key = crypto.randomBytes(16).toString('base64');
    return new Promise((resolve, reject) => {
      const req = http.request({
        host: u.hostname, port: u.port, path: u.pathname + u.search, timeout: timeoutMs,
        headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': key },
      });
      req.on('timeout', () => req.destroy(new Error(`no WebSocket upgrade from ${url} within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.on('response', (res) => { res.resume(); reject(new Error(`${url} answered ${res.statusCode} instead of a WebSocket upgrade`)); });
      req.on('upgrade', (res, socket, head) => {
        const accept = crypto.createHash('sha1').update(key + GUID).digest('base64');
        if (res.headers['sec-websocket-accept'] !== accept) { socket.destroy(); reject(new Error(`${url}: wrong Sec-WebSocket-Accept`)); return; }
        socket.setTimeout(0);
        socket.setNoDelay(true);
        resolve(new WebSocketClient(socket, head));
      });
      req.end();
    });
  }

  on(event: 'text', fn: (text: string) => void): void;
  on(event: 'close', fn: () => void): void;
  on(event: 'text' | 'close', fn: (text: string) => void): void {
    if (event !== 'text') { this.onClose = fn as () => void; return; }
    this.onText = fn;
    for (const text of this.early.splice(0)) fn(text);
  }

  get isOpen(): boolean { return !this.closed; }

  send(text: string): void { this.write(0x1, Buffer.from(text, 'utf8')); }

  private write(opcode: number, payload: Buffer): void {
    if (!this.closed && this.socket.writable) this.socket.write(encodeFrame(opcode, payload));
  }

  close(): void {
    if (this.closed) return;
    this.write(0x8, Buffer.alloc(0));
    this.closed = true;
    this.socket.destroy();
  }
}
