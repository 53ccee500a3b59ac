// Every server a worker needs, started together and stopped together: the origin server (probe
// pages), the Express target, the raw target, and a second target origin for redirect chains.
import net from 'node:net';
import type { RedirectHop } from '../harness/types.ts';
import { Registry } from './plan.ts';
import { startOriginServer, type OriginServer } from './origin.ts';
import { startExpressTarget, startRawTarget, type TargetServer } from './target.ts';
import { startOriginProxy, type OriginProxy } from './proxy.ts';


export interface Servers {
  registry: Registry;
  origin: OriginServer;
  /** A second page origin (HTTP cache and Vary: Origin across two origins). */
  origin2: OriginServer;
  /** A page origin whose address engines treat as public (Chromium's Local Network Access checks). */
  publicOrigin: OriginServer;
  /** Loopback proxy for emulated origins; forwards to this run's targets only. */
  proxy: OriginProxy;
  target: TargetServer;
  raw: TargetServer;
  other: TargetServer;
  /** An origin where nothing listens (connection refused): a port taken from the kernel, then released. */
  closedOrigin: string;
  close(): Promise<void>;
}

async function releasedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

function hopUrl(origin: string, key: string, hop: number, to: RedirectHop): string {
  const url = new URL(`${origin}/c/${key}/${hop}`);
  if (to.userinfo) { url.username = 'user'; url.password = 'pass'; }
  return url.href;
}

export async function startServers(): Promise<Servers> {
  const registry = new Registry();
  const started: Array<{ close(): Promise<void> }> = [];
  try {
    const origin = await startOriginServer();
    started.push(origin);
    const origin2 = await startOriginServer();
    started.push(origin2);
    const publicOrigin = await startOriginServer();
    started.push(publicOrigin);
    // `other` must exist before `target` can point redirects at it; it points back at `target`.
    const ref: { target?: TargetServer; other?: TargetServer } = {};
    const locateFrom = (self: () => TargetServer | undefined, peer: () => TargetServer | undefined) =>
      (key: string, hop: number, to: RedirectHop) => hopUrl((to.to === 'other' ? peer() : self())!.origin, key, hop, to);
    ref.other = await startExpressTarget({ registry, role: 'other', locate: locateFrom(() => ref.other, () => ref.target) });
    started.push(ref.other);
    ref.target = await startExpressTarget({ registry, role: 'target', locate: locateFrom(() => ref.target, () => ref.other) });
    started.push(ref.target);
    const raw = await startRawTarget({ registry, role: 'target', locate: locateFrom(() => raw, () => ref.other) });
    started.push(raw);
    const proxy = await startOriginProxy((line) => process.stderr.write(line + '\n'));
    started.push(proxy);
    for (const s of [ref.target, ref.other, raw, origin, origin2]) proxy.forward(s.origin);
    const closedOrigin = `http://127.0.0.1:${await releasedPort()}`;
    return {
      closedOrigin,
      registry, origin, origin2, publicOrigin, proxy, target: ref.target, raw, other: ref.other,
      close: async () => { await Promise.all(started.map((s) => s.close())); },
    };
  } catch (e) {
    await Promise.all(started.map((s) => s.close()));
    throw e;
  }
}
