// One way to start a server: on CORS_BIND_ADDRESS (default 127.0.0.1) only, on a port the kernel
// picks (listen(0)), read back. get-port alone cannot see ports other workers have just taken;
// listen(0) cannot race. With CORS_PORT_RANGE, on a free port of that range (one a firewall lets
// through): tried from a random one, the next on EADDRINUSE, so workers do not race either. Its URL
// names the same address (127.0.0.1 when it listens on 0.0.0.0).
import type { Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { readSettings } from '../harness/settings.ts';

/** Where the run's servers listen, and the host their URLs name (docs/ci.md, "Remote browsers"). */
export const BIND = readSettings().bind;
const RANGE = readSettings().portRange;

/**
 * Run `attempt` on a port of CORS_PORT_RANGE until one is not in use (`attempt(0)`, the kernel's
 * choice, without the variable); throws when every port of the range is.
 */
export async function onFreePort<T>(attempt: (port: number) => Promise<T>): Promise<T> {
  if (!RANGE) return attempt(0);
  const size = RANGE.last - RANGE.first + 1;
  const start = Math.floor(Math.random() * size);
  for (let i = 0; i < size; i++) {
    try {
      return await attempt(RANGE.first + ((start + i) % size));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    }
  }
  throw new Error(`CORS_PORT_RANGE ${RANGE.first}-${RANGE.last}: every port is in use. Fix: widen the range (about 10 ports for each worker of each run at once)`);
}

/** `server` listening on the run's address, at `port`. */
export function listenAt(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, BIND.listen, () => { server.off('error', reject); resolve(); });
  });
}

export interface Listening {
  origin: string;
  port: number;
  close(): Promise<void>;
}

export async function listen(server: Server, scheme: 'http' | 'https' = 'http'): Promise<Listening> {
  await onFreePort((p) => listenAt(server, p));
  const { port } = server.address() as AddressInfo;
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  return {
    origin: `${scheme}://${BIND.host}:${port}`,
    port,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
