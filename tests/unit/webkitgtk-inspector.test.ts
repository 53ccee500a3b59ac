// WebKitGTK's console texts from its remote inspector: the inspector's messages turned into texts that
// name their check's URL, the WebSocket framing they arrive in, and how the automation port is found.
// The message texts are WebKitGTK 2.50.6's, as observed.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { test, expect } from '@playwright/test';
import { ConsoleAssembler, type InspectorConsoleMessage } from '../../harness/engines/webkitgtk/inspector.ts';
import { WebSocketClient, decodeFrames, encodeFrame } from '../../harness/engines/webkitgtk/websocket.ts';
import { listeningPorts } from '../../harness/engines/webkitgtk/driver.ts';
import { messagesFor } from '../../harness/probe/evaluate.ts';
import { isCorsMessage, isNetworkFailureMessage } from '../../harness/engines/registry.ts';
import type { EnginePage } from '../../harness/engines/engine.ts';

const T = 1796162496.42;
const msg = (source: string, text: string, over: Partial<InspectorConsoleMessage> = {}): InspectorConsoleMessage => ({ source, level: 'error', text, url: '', timestamp: T, ...over });
const ACAO = 'Origin http://127.0.0.1:18901 is not allowed by Access-Control-Allow-Origin. Status code: 200';
const url = (key: string) => `http://127.0.0.1:18902/c/${key}/0`;
/** The three messages a blocked fetch logs, in their order. */
const blockedFetch = (key: string, reason: string, at = T) => [
  msg('security', reason, { timestamp: at }),
  msg('javascript', `Fetch API cannot load ${url(key)} due to access control checks.`, { timestamp: at + 0.0001 }),
  msg('network', `Failed to load resource: ${reason}`, { url: url(key), timestamp: at + 0.0003 }),
];

test('a blocked fetch gives one text: the reason, then the line naming the URL; the network echo is dropped', () => {
  const a = new ConsoleAssembler();
  for (const m of blockedFetch('k1', ACAO)) a.add(m);
  expect(a.out).toEqual([`${ACAO}\nFetch API cannot load ${url('k1')} due to access control checks.`]);
  expect(isCorsMessage(a.out[0])).toBe(true);
});

test('a refusal before any CORS step is not read as a CORS block', () => {
  // Mixed content, as WebKitGTK 2.50.6 words it: filed as access control, but no CORS reason.
  const a = new ConsoleAssembler();
  a.add(msg('security', 'Not allowed to request resource'));
  a.add(msg('javascript', 'Fetch API cannot load http://api.example.test/c/k9/0 due to access control checks.'));
  expect(a.out).toEqual(['Not allowed to request resource\nFetch API cannot load http://api.example.test/c/k9/0 due to access control checks.']);
  expect(isCorsMessage(a.out[0])).toBe(false);
  for (const reason of ['Method PUT is not allowed by Access-Control-Allow-Methods.', 'Request header field x-a is not allowed by Access-Control-Allow-Headers.',
    'Preflight response is not successful. Status code: 500', 'Header Access-Control-Allow-Methods has an invalid value: PUT;', 'Access-Control-Allow-Origin cannot contain more than one origin.',
    'Cross-origin redirection to http://localhost:1/c/k/1 denied by Cross-Origin Resource Sharing policy: Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true.']) {
    expect(isCorsMessage(`${reason}\nFetch API cannot load ${url('k')} due to access control checks.`), reason).toBe(true);
  }
});

test('two checks at once keep their own reasons', () => {
  const a = new ConsoleAssembler();
  const one = blockedFetch('k1', ACAO);
  const two = blockedFetch('k2', 'Method PUT is not allowed by Access-Control-Allow-Methods.', T + 0.001);
  // Each reason is followed at once by its own line; the echoes come later, interleaved.
  for (const m of [one[0], one[1], two[0], two[1], two[2], one[2]]) a.add(m);
  expect(a.out).toEqual([
    `${ACAO}\nFetch API cannot load ${url('k1')} due to access control checks.`,
    `Method PUT is not allowed by Access-Control-Allow-Methods.\nFetch API cannot load ${url('k2')} due to access control checks.`,
  ]);
});

test('a reason with no line after it is named by its network echo; a stale reason pairs with nothing', () => {
  const a = new ConsoleAssembler();
  a.add(msg('security', ACAO));
  a.add(msg('network', `Failed to load resource: ${ACAO}`, { url: url('img') }));
  expect(a.out).toEqual([`Failed to load resource: ${ACAO} (${url('img')})`]);
  const b = new ConsoleAssembler();
  b.add(msg('security', 'Some unrelated refusal.'));
  b.add(msg('javascript', `Fetch API cannot load ${url('k3')} due to access control checks.`, { timestamp: T + 1 }));
  expect(b.out).toEqual([`Fetch API cannot load ${url('k3')} due to access control checks.`]);
});

test('a failure below CORS keeps its URL and reads as a network failure, not a CORS refusal', () => {
  const a = new ConsoleAssembler();
  a.add(msg('network', 'Failed to load resource: Could not connect to 127.0.0.1: Connection refused', { url: url('k4') }));
  expect(a.out).toEqual([`Failed to load resource: Could not connect to 127.0.0.1: Connection refused (${url('k4')})`]);
  expect(isNetworkFailureMessage(a.out[0])).toBe(true);
  expect(isCorsMessage(a.out[0])).toBe(false);
});

test('a reason naming its own URL goes out alone; a repeated message counts again; logs are not engine errors', async () => {
  const a = new ConsoleAssembler();
  const refused = msg('network', 'Failed to load resource: Could not connect to 127.0.0.1: Connection refused', { url: url('k6') });
  a.add(msg('security', `Not allowed to use restricted network port 1: ${url('k5')}`));
  a.add(refused);
  a.repeat();
  a.add(msg('console-api', 'hello', { level: 'log' }));
  expect(a.out).toHaveLength(2);
  await expect.poll(() => a.out).toEqual([
    `${refused.text} (${url('k6')})`, `${refused.text} (${url('k6')})`, `Not allowed to use restricted network port 1: ${url('k5')}`,
  ]);
});

test('an echo long after its reason is not taken for it', () => {
  const a = new ConsoleAssembler();
  for (const m of blockedFetch('k7', ACAO).slice(0, 2)) a.add(m);
  a.add(msg('network', `Failed to load resource: ${ACAO}`, { url: url('k8'), timestamp: T + 5 }));
  expect(a.out).toEqual([`${ACAO}\nFetch API cannot load ${url('k7')} due to access control checks.`, `Failed to load resource: ${ACAO} (${url('k8')})`]);
});

test('the texts are claimed by their check key, within the lag', async () => {
  const queue: string[] = [];
  const page = { takeMessages: async () => queue.splice(0) } as unknown as EnginePage;
  const a = new ConsoleAssembler(queue);
  for (const m of blockedFetch('keyA', ACAO)) a.add(m);
  setTimeout(() => { for (const m of blockedFetch('keyB', ACAO)) a.add(m); }, 40);
  const mineA = await messagesFor(page, '/c/keyA/', 150, /\/c\/[A-Za-z0-9_-]+\//);
  const mineB = await messagesFor(page, '/c/keyB/', 150, /\/c\/[A-Za-z0-9_-]+\//);
  expect(mineA).toEqual([`${ACAO}\nFetch API cannot load ${url('keyA')} due to access control checks.`]);
  expect(mineB).toHaveLength(1);
  expect(mineB[0]).toContain(url('keyB'));
});

test('frames: masked from the client, unmasked, in all three length forms, split anywhere', () => {
  for (const n of [0, 5, 125, 126, 65535, 65536]) {
    const payload = crypto.randomBytes(n);
    const frame = encodeFrame(1, payload);
    expect(frame[1] & 0x80).toBe(0x80);
    const { frames, rest } = decodeFrames(frame);
    expect(rest.length).toBe(0);
    expect(frames).toHaveLength(1);
    expect(frames[0].payload.equals(payload)).toBe(true);
    const cut = decodeFrames(frame.subarray(0, frame.length - 1));
    expect(cut.frames).toHaveLength(0);
  }
});

/** A WebSocket server answering as the inspector does: it speaks first, sends big and fragmented texts. */
function server(): Promise<{ port: number; got: string[]; close(): void }> {
  const got: string[] = [];
  const unmasked = (opcode: number, payload: Buffer, fin = true) => {
    const n = payload.length;
    const head = n < 126 ? Buffer.from([(fin ? 0x80 : 0) | opcode, n]) : Buffer.from([(fin ? 0x80 : 0) | opcode, 126, n >> 8, n & 0xff]);
    return Buffer.concat([head, payload]);
  };
  const srv = http.createServer();
  srv.on('upgrade', (req, socket) => {
    const accept = crypto.createHash('sha1').update(req.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
    const big = 'x'.repeat(70_000);
    // The first frame rides in the same write as the upgrade's headers.
    socket.write(Buffer.concat([
      Buffer.from(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`),
      unmasked(1, Buffer.from('{"method":"hello"}')),
    ]));
    socket.write(unmasked(9, Buffer.from('ping')));
    socket.write(unmasked(1, Buffer.from('frag'), false));
    socket.write(unmasked(0, Buffer.from('mented'), true));
    socket.write(Buffer.concat([Buffer.from([0x81, 127]), Buffer.alloc(4), Buffer.from([0, 1, 0x11, 0x70]), Buffer.from(big)]));
    socket.on('data', (d: Buffer) => { for (const f of decodeFrames(d).frames) got.push(`${f.opcode}:${f.payload.toString()}`); });
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve({ port: (srv.address() as AddressInfo).port, got, close: () => srv.close() })));
}

test('the client reads what the server sends first, fragments and 64-bit lengths, and answers pings', async () => {
  const s = await server();
  try {
    const ws = await WebSocketClient.connect(`ws://127.0.0.1:${s.port}/socket/1/1/WebPage`, 5000);
    await new Promise((r) => setTimeout(r, 100));
    const texts: string[] = [];
    ws.on('text', (t) => texts.push(t.length > 100 ? `${t.length} chars` : t));
    await expect.poll(() => texts).toEqual(['{"method":"hello"}', 'fragmented', '70000 chars']);
    ws.send('{"id":1}');
    await expect.poll(() => s.got).toEqual(['10:ping', '1:{"id":1}']);
    ws.close();
    expect(ws.isOpen).toBe(false);
  } finally {
    s.close();
  }
});

test('listening ports come from the process socket inodes and the tcp tables', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'proc-'));
  try {
    fs.mkdirSync(path.join(root, '42', 'fd'), { recursive: true });
    fs.symlinkSync('socket:[1001]', path.join(root, '42', 'fd', '3'));
    fs.symlinkSync('socket:[1002]', path.join(root, '42', 'fd', '4'));
    fs.symlinkSync('socket:[1003]', path.join(root, '42', 'fd', '5'));
    fs.symlinkSync('/dev/null', path.join(root, '42', 'fd', '0'));
    fs.mkdirSync(path.join(root, 'net'));
    const head = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
    fs.writeFileSync(path.join(root, 'net', 'tcp'), head
      + '   0: 0100007F:4B65 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1001 1 0000000000000000 100 0 0 10 0\n'
      // Connected, not listening: left out.
      + '   1: 0100007F:A1B2 0100007F:4B65 01 00000000:00000000 00:00000000 00000000     0        0 1002 1 0000000000000000 20 4 30 10 -1\n'
      // Listening, another process's socket: left out.
      + '   2: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 9999 1 0000000000000000 100 0 0 10 0\n');
    fs.writeFileSync(path.join(root, 'net', 'tcp6'), head
      + '   0: 00000000000000000000000001000000:A0D1 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1003 1 0000000000000000 100 0 0 10 0\n');
    expect(listeningPorts(42, root).sort()).toEqual([0x4b65, 0xa0d1].sort());
    expect(listeningPorts(43, root)).toEqual([]);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
