// One way to start a server: 127.0.0.1 only, on a port the kernel picks (listen(0)), read back.
// get-port alone cannot see ports other workers have just taken; listen(0) cannot race.
import type { Server } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Listening {
  origin: string;
  port: number;
  close(): Promise<void>;
}

export async function listen(server: Server, scheme: 'http' | 'https' = 'http'): Promise<Listening> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  const { port } = server.address() as AddressInfo;
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  return {
    origin: `${scheme}://127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
