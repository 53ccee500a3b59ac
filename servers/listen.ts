// One way to start a server: on CORS_BIND_ADDRESS (default 127.0.0.1) only, on a port the kernel
// picks (listen(0)), read back. get-port alone cannot see ports other workers have just taken;
// listen(0) cannot race. Its URL names the same address (127.0.0.1 when it listens on 0.0.0.0).
import type { Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { readSettings } from '../harness/settings.ts';

/** Where the run's servers listen, and the host their URLs name (docs/ci.md, "Remote browsers"). */
export const BIND = readSettings().bind;

export interface Listening {
  origin: string;
  port: number;
  close(): Promise<void>;
}

export async function listen(server: Server, scheme: 'http' | 'https' = 'http'): Promise<Listening> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, BIND.listen, () => { server.off('error', reject); resolve(); });
  });
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
