// What one Playwright worker holds in policy mode: a run-local CA, the origin-emulating proxy (which
// also observes every exchange with the user's API), one engine and one page that moves from origin
// to origin. Nothing here routes a context: the proxy is the only thing between engine and API.
import crypto from 'node:crypto';
import dns from 'node:dns/promises';
import net from 'node:net';
import type { EngineId, Regime } from '../model/types.ts';
import type { Engine, EnginePage, ContextOptions } from '../engines/engine.ts';
import { launchEngine } from '../engines/launch.ts';
import { appliesLocalNetworkAccess, LOCAL_NETWORK_ACCESS_LABELS } from '../engines/registry.ts';
import { settledWithin, TEARDOWN_MS } from '../engines/bounded.ts';
import { startOriginProxy, type OriginProxy, type ProxyExchange } from '../../servers/proxy.ts';
import { createRunCa, type RunCa } from '../../servers/tls.ts';
import type { LnaNote, Policy, PolicyPlan } from './policy-types.ts';
import { now, record, timed } from '../model/timings.ts';

/** The query parameter that makes every probe URL unique (no preflight-cache or HTTP-cache reuse). */
export const NONCE_PARAM = 'cors-matrix';
/** A path the proxy answers itself on the API's origin: the first-party visit that sets the session cookies. */
export const SESSION_PATH = '/__cors-matrix/session/';

/** Address space of an IP, in Local Network Access terms. */
export function addressSpace(ip: string): LnaNote['targetAddressSpace'] {
  if (net.isIPv4(ip)) {
    const [a, b] = ip.split('.').map(Number);
    if (a === 127) return 'loopback';
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127) || a === 0) return 'private';
    return 'public';
  }
  const v6 = ip.toLowerCase();
  if (v6 === '::1') return 'loopback';
  if (/^f[cd]/.test(v6) || /^fe[89ab]/.test(v6)) return 'private';
  if (v6.startsWith('::ffff:')) return addressSpace(v6.slice(7));
  return 'public';
}

export async function targetAddressSpace(target: string): Promise<LnaNote['targetAddressSpace']> {
  const host = new URL(target).hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host)) return addressSpace(host);
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  try { return addressSpace((await dns.lookup(host)).address); } catch { return 'unknown'; }
}

/** `a`, `a and b`, `a, b and c`. */
function listed(labels: string[]): string {
  return labels.length > 1 ? `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}` : labels.join('');
}

export function lnaNote(policy: Policy, space: LnaNote['targetAddressSpace']): LnaNote {
  const mode = policy.localNetworkAccess;
  const lna = listed(LOCAL_NETWORK_ACCESS_LABELS.applying);
  if (space === 'public') {
    return { mode, targetAddressSpace: space, note: `The target is on a public address: ${lna}'s Local Network Access does not apply.` };
  }
  const where = space === 'unknown' ? 'a target whose address could not be resolved' : `a ${space} target`;
  if (mode === 'deny') {
    const others = LOCAL_NETWORK_ACCESS_LABELS.others;
    return {
      mode, targetAddressSpace: space,
      note: `Local Network Access denied (policy "localNetworkAccess": "deny"): ${lna} contexts hold no local-network-access permission, pages count as public and call ${where} directly, as a production ${lna} treats a public site calling it without the user's permission.${others.length ? ` ${listed(others)} apply no Local Network Access.` : ''}`,
    };
  }
  return {
    mode, targetAddressSpace: space,
    note: `Local Network Access granted (the default): ${lna} contexts hold the local-network-access permission and reach ${where} through the harness proxy, so the checks test CORS alone. A production ${lna} asks the user before a public page may call a loopback or private address; set "localNetworkAccess": "deny" to test that.`,
  };
}

export interface PolicyWorker {
  readonly engineId: EngineId;
  readonly engine: Engine;
  readonly policy: Policy;
  readonly lna: LnaNote;
  /** Requests to the target go straight from the engine (Local Network Access deny): the proxy sees none. */
  readonly direct: boolean;
  /** The one page this worker moves from origin to origin (re-opened after a failure). */
  page(): Promise<EnginePage>;
  /** Forget the current page (it broke); the next page() opens a fresh one. */
  resetPage(): Promise<void>;
  /** The target origin a page on `pageOrigin` calls (https pages call the https bridge of an http target). */
  targetBase(pageOrigin: string): string;
  /** Serve the probe page on one more origin (the `cors` fixture learns its origins test by test). */
  emulate(origin: string): void;
  /** What the proxy refused so far (`CONNECT host:port`, a URL), in order. */
  readonly refused: readonly string[];
  /** Start collecting the proxy's exchanges for `nonce`. */
  watch(nonce: string): void;
  /** The exchanges for `nonce`, once none is in flight (bounded wait), and stop collecting. */
  settle(nonce: string, withinMs?: number): Promise<ProxyExchange[]>;
  close(): Promise<void>;
}

function nonceOf(url: string): string | null {
  try { return new URL(url).searchParams.get(NONCE_PARAM); } catch { return null; }
}

/**
 * `regime`: how the engine is configured (policy mode: CORS_REGIME; the cors fixture: its `corsRegime`).
 * `tls`: make the run's CA even when the plan has no https origin, for origins emulated later.
 * `shared`: the run's workers share the engine (the cors fixture: a failed test restarts its worker).
 */
export async function openPolicyWorker(engineId: EngineId, plan: PolicyPlan, options: { regime: Regime; tls?: boolean; shared?: boolean }): Promise<PolicyWorker> {
  const { policy } = plan;
  const target = new URL(policy.target);
  const pageOrigins = [...new Set(plan.groups.map((g) => g.origin.pageOrigin))];
  const servedAs = policy.servedAs ? new URL(policy.servedAs) : null;
  // A session on a plain-http target is set over its https bridge, so that Secure cookies hold too.
  const needsTls = !!options.tls || target.protocol === 'https:' || servedAs?.protocol === 'https:' || !!policy.session || pageOrigins.some((o) => o.startsWith('https:'));
  const closers: Array<() => Promise<void>> = [];
  const collected = new Map<string, { exchanges: ProxyExchange[]; inFlight: number }>();
  try {
    const serversStart = now();
    const ca: RunCa | null = needsTls ? await createRunCa() : null;
    if (ca) closers.push(() => ca.close());
    // The https origins the checks will load, the bridge to the target and production's origin: one certificate.
    ca?.prepare([...pageOrigins.filter((o) => o.startsWith('https:')), policy.target, ...(servedAs ? [servedAs.origin] : [])].map((o) => new URL(o).hostname));
    const proxy: OriginProxy = await startOriginProxy((line) => process.stderr.write(line + '\n'), {
      ca: ca ?? undefined,
      onExchangeStart: (url) => { const c = collected.get(nonceOf(url) ?? ''); if (c) c.inFlight++; },
      onExchange: (e) => { const c = collected.get(nonceOf(e.url) ?? ''); if (c) { c.inFlight--; c.exchanges.push(e); } },
    });
    closers.push(async () => { await settledWithin(proxy.close(), TEARDOWN_MS.servers); });
    for (const o of pageOrigins) proxy.emulate(o);
    proxy.forward(target.origin);
    if (needsTls) proxy.forwardOverTls(target.origin);
    // Production's origin: every path of it is the target, the request otherwise untouched.
    if (servedAs) proxy.serveAs(servedAs.origin, () => target.origin);
    const bridge = `https://${target.hostname}:${target.port || 80}`;
    const apiOrigin = servedAs?.origin ?? (target.protocol === 'https:' ? target.origin : bridge);
    const sessionUrl = policy.session?.cookies.length ? `${apiOrigin}${SESSION_PATH}${crypto.randomBytes(9).toString('base64url')}` : null;
    if (sessionUrl) {
      const u = new URL(sessionUrl);
      proxy.answer(u.origin, u.pathname, policy.session!.cookies.map((c) => ['Set-Cookie', `${c.name}=${c.value}${c.attributes ? `; ${c.attributes}` : ''}`]));
    }

    record('servers', serversStart);

    const lna = lnaNote(policy, await targetAddressSpace(policy.target));
    const lnaEngine = appliesLocalNetworkAccess(engineId);
    const direct = lnaEngine && policy.localNetworkAccess === 'deny' && lna.targetAddressSpace !== 'public';
    const proxyHost = new URL(proxy.url).host;
    // Deny: the proxy that serves the pages is marked public, the target is reached without it.
    const engine = await timed('launch', () => launchEngine(engineId, { regime: options.regime, publicAddresses: direct ? [proxyHost] : [], shared: options.shared }));
    closers.push(() => engine.close());
    const contextOptions: ContextOptions = {
      proxy: proxy.url,
      proxyBypass: direct ? [target.host] : undefined,
      permissions: lnaEngine && !direct ? ['local-network-access'] : [],
    };

    let current: Promise<EnginePage> | null = null;
    const worker: PolicyWorker = {
      engineId, engine, policy, lna, direct,
      page() {
        // A fresh context holds no cookie: the user signs in first, top-level on the API's own site.
        current ??= timed('context', () => engine.newPage(contextOptions)).then(async (p) => {
          if (sessionUrl) await timed('pageLoad', () => p.goto(sessionUrl)).catch(async (e) => { await p.close().catch(() => {}); throw e; });
          return p;
        });
        return current;
      },
      async resetPage() {
        const p = current;
        current = null;
        const page = p && await p.catch(() => null);
        if (page) await timed('context', () => page.close());
      },
      targetBase(pageOrigin) {
        if (servedAs) return servedAs.origin;
        if (direct || target.protocol === 'https:' || !pageOrigin.startsWith('https:')) return target.origin;
        return `https://${target.hostname}:${target.port || 80}`;
      },
      emulate(origin) { proxy.emulate(origin); },
      refused: proxy.refused,
      watch(nonce) { collected.set(nonce, { exchanges: [], inFlight: 0 }); },
      async settle(nonce, withinMs = 2000) {
        const c = collected.get(nonce);
        if (!c) return [];
        const deadline = Date.now() + withinMs;
        // A wait by design (the exchange the engine has not finished), counted as one in the run's timings.
        if (c.inFlight > 0) await timed('wait', async () => { while (c.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10)); });
        collected.delete(nonce);
        return c.exchanges;
      },
      async close() {
        // A page still opening is not waited for: closing the engine ends it.
        await settledWithin(worker.resetPage(), TEARDOWN_MS.page);
        for (const close of closers.reverse()) await close().catch(() => {});
      },
    };
    return worker;
  } catch (e) {
    for (const close of closers.reverse()) await close().catch(() => {});
    throw e;
  }
}
