// Every server a worker needs, started together and stopped together: the origin server (probe
// pages), the Express target, the raw target, and a second target origin for redirect chains.
import net from 'node:net';
import type { RedirectHop } from '../harness/model/types.ts';
import { Registry, checkKeyOf, SET_COOKIES_PATH } from './target-plan.ts';
import { createRunCa, type RunCa } from './tls.ts';
import { startOriginServer, type OriginServer } from './origin.ts';
import { startExpressTarget, startRawTarget, type TargetServer } from './target.ts';
import { startOriginProxy, type OriginProxy } from './proxy.ts';
import { BIND, listenAt, onFreePort } from './listen.ts';


export interface Servers {
  registry: Registry;
  origin: OriginServer;
  /** A second page origin (HTTP cache and Vary: Origin across two origins). */
  origin2: OriginServer;
  /** A page origin whose address engines treat as public (Chromium's Local Network Access checks). */
  publicOrigin: OriginServer;
  /** Loopback proxy for emulated origins; forwards to this run's targets only. */
  proxy: OriginProxy;
  /**
   * A second proxy, whose address the engines treat as public: it serves a public page on a named
   * site (`page.site`), whose checks go to the loopback targets directly (`directHosts`).
   */
  publicProxy: OriginProxy;
  /** `host:port` of every loopback target: what a page behind the public proxy reaches directly. */
  directHosts: string[];
  target: TargetServer;
  raw: TargetServer;
  other: TargetServer;
  /** An origin where nothing listens (connection refused), held for the whole run. */
  closedOrigin: string;
  /** The run's certificate authority: the proxy ends TLS for named https sites with it. */
  ca: RunCa;
  /**
   * Make the proxy serve a scenario's named sites: the page origin gets the probe page, the target
   * origin is passed to each check's own loopback target (the plan's `upstream`), its cookie visit
   * to the Express target. Idempotent: many scenarios share a site name.
   */
  serveSites(sites: { page: string; target: string }): void;
  close(): Promise<void>;
}

/**
 * A port where nothing listens, held for the run: the local end of a connection to a private
 * listener. A port released after a listen(0) can be taken by any other server a moment later (a
 * flake `npm run verify` caught: another worker's target answered 404 on the "refused" port);
 * a port in use by a live connection is never handed out, and connecting to it is refused.
 */
async function refusingPort(): Promise<{ port: number; close(): Promise<void> }> {
  const peers: net.Socket[] = [];
  const listener = net.createServer((s) => { peers.push(s); s.on('error', () => {}); });
  await onFreePort((p) => listenAt(listener, p));
  // Within CORS_PORT_RANGE too: a firewall that drops the other ports would make it time out, not refuse.
  const holder = await onFreePort((localPort) => new Promise<net.Socket>((resolve, reject) => {
    const socket = net.connect({ port: (listener.address() as net.AddressInfo).port, host: BIND.host, localAddress: BIND.host, ...(localPort ? { localPort } : {}) });
    socket.once('error', reject);
    socket.once('connect', () => { socket.off('error', reject); socket.on('error', () => {}); resolve(socket); });
  }));
  return {
    port: holder.localPort!,
    close: () => new Promise<void>((resolve) => { holder.destroy(); for (const p of peers) p.destroy(); listener.close(() => resolve()); }),
  };
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
    const ca = await createRunCa();
    started.push(ca);
    const proxy = await startOriginProxy((line) => process.stderr.write(line + '\n'), { ca });
    started.push(proxy);
    const publicProxy = await startOriginProxy((line) => process.stderr.write(line + '\n'), { ca });
    started.push(publicProxy);
    const served = new Set<string>();
    const upstreamOf = (path: string): string | null => {
      // A cookie visit, and anything a browser asks a site for by itself (a favicon), go to the
      // Express target, which answers what it does not know with 404.
      const key = checkKeyOf(path);
      if (!key || SET_COOKIES_PATH.test(path)) return ref.target!.origin;
      return registry.plan(key)?.upstream ?? ref.target!.origin;
    };
    const serveSites = ({ page, target }: { page: string; target: string }) => {
      if (!served.has(page)) { proxy.emulate(page); served.add(page); }
      if (!served.has(target)) { proxy.serveAs(target, upstreamOf); served.add(target); }
    };
    for (const s of [ref.target, ref.other, raw, origin, origin2]) proxy.forward(s.origin);
    const directHosts = [ref.target, ref.other, raw].map((s) => new URL(s.origin).host);
    // Where an engine does not honour a host:port bypass (Firefox), the public proxy forwards too.
    for (const s of [ref.target, ref.other, raw]) publicProxy.forward(s.origin);
    const refusing = await refusingPort();
    started.push(refusing);
    const closedOrigin = `http://${BIND.host}:${refusing.port}`;
    return {
      closedOrigin, ca, serveSites,
      registry, origin, origin2, publicOrigin, proxy, publicProxy, directHosts, target: ref.target, raw, other: ref.other,
      close: async () => { await Promise.all(started.map((s) => s.close())); },
    };
  } catch (e) {
    await Promise.all(started.map((s) => s.close()));
    throw e;
  }
}
