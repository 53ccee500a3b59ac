// A Selenium Grid for the webkit engine (CORS_GRID): the Grid's /status says how many MiniBrowser
// sessions it can hold, so the user gives its URL once. Nodes that name themselves in their
// stereotype (`cors:node`, as scripts/grid.mjs starts them) are asked for by name: a node that
// failed is never handed a session again, even while the hub still lists it as up (its health
// check comes later). Other Grids route as they like; a failure then only costs the pool a slot.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { WebDriverClient, type SessionInfo } from '../webdriver.ts';
import type { Endpoint } from './page.ts';

/** The stereotype capability a node is named by (scripts/grid.mjs NODE_CAPABILITY). */
export const NODE_CAPABILITY = 'cors:node';
const BROWSER = 'MiniBrowser';

export interface GridNode {
  id: string;
  uri: string;
  /** Its `cors:node` name, or null (a Grid this project did not start). */
  name: string | null;
  /** MiniBrowser slots: all, and those without a session now. */
  slots: number;
  free: number;
  /** Its availability is UP: the hub hands it sessions. */
  up: boolean;
}

interface StatusSlot { session?: unknown; stereotype?: Record<string, unknown> }
interface StatusNode { id?: string; uri?: string; availability?: string; slots?: StatusSlot[] }

/** The nodes of `GET <grid>/status` that have MiniBrowser slots. Pure. */
export function gridNodes(status: unknown): GridNode[] {
  const nodes = ((status as { value?: { nodes?: StatusNode[] } } | null)?.value?.nodes) ?? [];
  if (!Array.isArray(nodes)) return [];
  return nodes.filter((n) => n && typeof n === 'object').flatMap((n) => {
    const slots = (n.slots ?? []).filter((s) => s?.stereotype?.browserName === BROWSER);
    if (!slots.length) return [];
    const name = slots.map((s) => s.stereotype?.[NODE_CAPABILITY]).find((v): v is string => typeof v === 'string') ?? null;
    return [{ id: String(n.id ?? n.uri), uri: String(n.uri), name, slots: slots.length, free: slots.filter((s) => !s.session).length, up: n.availability === 'UP' }];
  });
}

/** How a node is named in reports: `webkit-2 (http://127.0.0.1:5555)`. */
export function nodeLabel(node: Pick<GridNode, 'name' | 'uri'>): string {
  return node.name ? `${node.name} (${node.uri})` : node.uri;
}

export async function readGridStatus(url: string): Promise<GridNode[]> {
  let status: unknown;
  try {
    const res = await fetch(`${url}/status`, { signal: AbortSignal.timeout(10_000) });
    status = await res.json();
  } catch (e) {
    throw new Error(`CORS_GRID: no Selenium Grid answers at ${url}/status (${(e as Error).message}); start one (npm run grid) or fix the URL`);
  }
  return gridNodes(status);
}

/** Which node holds `sessionId`, from the hub's GraphQL (for nodes without a name). */
async function sessionNodeUri(url: string, sessionId: string): Promise<string | null> {
  try {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ query: '{ sessionsInfo { sessions { id nodeUri } } }' }),
      signal: AbortSignal.timeout(10_000),
    });
    const sessions = ((await res.json()) as { data?: { sessionsInfo?: { sessions?: Array<{ id: string; nodeUri: string }> } } }).data?.sessionsInfo?.sessions ?? [];
    return sessions.find((s) => s.id === sessionId)?.nodeUri ?? null;
  } catch { return null; }
}

/** Sessions a webkit worker holds at once: its shared page and an isolated scenario's page. */
export const MIN_SESSIONS = 2;

const clock = () => new Date().toISOString().slice(11, 19);

/**
 * Sessions of a Grid, as many at once as it had free MiniBrowser slots when the run began. A page
 * waits for a slot; `failures` are the nodes that failed, for the engine's notes.
 */
export class GridPool {
  private readonly waiting: Array<() => void> = [];
  /** Slots of unnamed nodes, counted together (the Grid picks the node). */
  private anonymous: number;
  readonly failures: string[] = [];
  private readonly failed = new Set<string>();
  /** Told when a node failed (the engine's notes name it). */
  onFailure?: () => void;

  /** The nodes that are UP: the sessions' places. */
  readonly nodes: GridNode[];

  /**
   * Nodes the hub lists as not UP are named in the notes. `record`: the run's file of failed nodes:
   * a worker Playwright restarted after a failed test neither asks a node that failed under an
   * earlier worker (the hub may list it as UP for a while) nor forgets it.
   */
  private constructor(readonly url: string, all: GridNode[], private readonly record: string) {
    this.nodes = all.filter((n) => n.up);
    this.anonymous = this.nodes.filter((n) => !n.name).reduce((a, n) => a + n.free, 0);
    for (const { id, line } of this.recorded()) {
      this.failed.add(id);
      this.failures.push(line);
    }
    this.failures.push(...all.filter((n) => !n.up && !this.failed.has(n.id)).map((n) => `node ${nodeLabel(n)} not UP at the start`));
  }

  private recorded(): Array<{ id: string; line: string }> {
    try {
      return fs.readFileSync(this.record, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    } catch { return []; }
  }

  static async open(url: string): Promise<GridPool> {
    // The workers of a run share their parent, the test runner, and its private TMPDIR (the runner's set-up).
    const record = path.join(os.tmpdir(), `cors-grid-failures-${process.ppid}-${crypto.createHash('sha256').update(url).digest('hex').slice(0, 12)}.jsonl`);
    const all = await readGridStatus(url);
    const nodes = all.filter((n) => n.up);
    const free = nodes.reduce((a, n) => a + n.free, 0);
    if (!free) {
      const seen = nodes.length ? `${nodes.length} MiniBrowser nodes, no free slot` : 'no MiniBrowser node that is UP';
      throw new Error(`CORS_GRID: the Selenium Grid at ${url} has ${seen}; start nodes whose stereotype has "browserName": "MiniBrowser" (npm run grid does) or wait for its sessions to end`);
    }
    // A page for a scenario that needs a context of its own opens while the shared page holds its
    // session: with one slot it would wait for a session that ends only with the worker (seen: a
    // one-node Grid's catalogue run stalled 10 min). Refused, with the fix, rather than stalled.
    if (free < MIN_SESSIONS) {
      throw new Error(`CORS_GRID: the Selenium Grid at ${url} has ${free} free MiniBrowser slot; a webkit worker holds ${MIN_SESSIONS} sessions at once (its shared page, and a page of its own for a scenario that needs isolation). Fix: give the Grid ${MIN_SESSIONS} nodes or more (npm run grid -- --nodes ${MIN_SESSIONS})`);
    }
    return new GridPool(url, all, record);
  }

  /** `Selenium Grid http://…, 2 nodes: webkit-1, webkit-2`, then each node that failed. */
  describe(): string {
    const names = this.nodes.map((n) => n.name ?? n.uri).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    return [`Selenium Grid ${this.url}, ${names.length} node${names.length === 1 ? '' : 's'}: ${names.join(', ')}`, ...this.failures].join('; ');
  }

  /** A named node with a free slot (the freest), or 'anonymous', or null: wait. */
  private take(): GridNode | 'anonymous' | null {
    const node = this.nodes.filter((n) => n.name && n.free > 0 && !this.failed.has(n.id)).sort((a, b) => b.free - a.free)[0];
    if (node) { node.free--; return node; }
    if (this.anonymous > 0) { this.anonymous--; return 'anonymous'; }
    return null;
  }

  private give(slot: GridNode | 'anonymous'): void {
    if (slot === 'anonymous') this.anonymous++; else slot.free++;
    this.waiting.shift()?.();
  }

  /** Whether a slot may still come: a named node not failed, or an unnamed slot. */
  alive(): boolean {
    return this.anonymous > 0 || this.nodes.some((n) => n.name && !this.failed.has(n.id));
  }

  async acquire(timeoutMs: number): Promise<Endpoint> {
    let slot = this.take();
    const deadline = Date.now() + timeoutMs;
    while (!slot) {
      if (!this.alive()) throw new Error(`no Selenium Grid node left at ${this.url}: ${this.failures.join('; ')}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no free Selenium Grid slot among ${this.nodes.reduce((a, n) => a + n.slots, 0)} (CORS_GRID ${this.url}) within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const wake = () => { clearTimeout(timer); resolve(); };
        const timer = setTimeout(() => { const i = this.waiting.indexOf(wake); if (i >= 0) this.waiting.splice(i, 1); resolve(); }, left);
        this.waiting.push(wake);
      });
      slot = this.take();
    }
    const held = slot;
    let node: Pick<GridNode, 'name' | 'uri'> | null = held === 'anonymous' ? null : held;
    let released = false;
    let lost = false;
    const endpoint: Endpoint = {
      client: new WebDriverClient(this.url),
      console: [],
      capabilities: held === 'anonymous' ? {} : { [NODE_CAPABILITY]: held.name },
      placed: async (session: SessionInfo) => {
        if (!node) {
          const uri = await sessionNodeUri(this.url, session.sessionId);
          node = this.nodes.find((n) => n.uri === uri) ?? (uri ? { name: null, uri } : null);
        }
        endpoint.where = node ? `node ${nodeLabel(node)}` : undefined;
      },
      failed: (e: Error) => {
        const where = node ? `Selenium Grid node ${nodeLabel(node)}` : `a Selenium Grid node of ${this.url}`;
        if (!lost) {
          lost = true;
          // A named node is asked for no more; an unnamed one's slot is dropped (the Grid may route to it still).
          const known = held === 'anonymous' ? undefined : held;
          if (known && !this.failed.has(known.id)) {
            this.failed.add(known.id);
            const line = `node ${known.name} failed at ${clock()}: ${e.message.split('\n')[0]}`;
            this.failures.push(line);
            try { fs.appendFileSync(this.record, JSON.stringify({ id: known.id, line }) + '\n'); } catch { /* the notes of this worker still say it */ }
          } else if (!known) this.failures.push(`${node ? `node ${nodeLabel(node)}` : 'a node'} failed at ${clock()}: ${e.message.split('\n')[0]}`);
          this.onFailure?.();
          // Pages waiting for a slot re-check: with no node left they fail now rather than at their timeout.
          for (const wake of this.waiting.splice(0)) wake();
        }
        return new Error(`${where} failed: ${e.message}`);
      },
      release: async () => {
        if (released) return;
        released = true;
        if (!lost) this.give(held);
      },
    };
    return endpoint;
  }
}
