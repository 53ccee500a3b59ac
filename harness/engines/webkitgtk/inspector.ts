// WebKitGTK's own console text, from MiniBrowser's remote inspector (WEBKIT_INSPECTOR_HTTP_SERVER):
// the views WebKitWebDriver drives print nothing to stdout, but their page target reports every
// console message over the inspector's WebSocket. The Console domain alone carries it all:
// Network.loadingFailed's errorText is the same reason the console gives, and enabling the Network
// domain would send every request and response of the page over the socket as well.
import { WebSocketClient } from './websocket.ts';

/** The fields of an inspector `Console.ConsoleMessage` this reads. */
export interface InspectorConsoleMessage {
  source: string;
  level: string;
  text: string;
  url?: string;
  timestamp?: number;
}

/** "Fetch API cannot load <url> due to access control checks." (XMLHttpRequest and others alike). */
const CANNOT_LOAD = / cannot load \S+/;
const FAILED_TO_LOAD = 'Failed to load resource: ';
/**
 * A refusal logs its reason (`security`, naming no URL) and at once, in the same call, the line that
 * names the URL (`javascript`); both carry the same timestamp to a fraction of a millisecond.
 * The bound only keeps a reason nothing followed from pairing with a later, unrelated line.
 */
const PAIR_WITHIN_S = 0.05;
/**
 * How long a reason waits for its line before it goes out alone: a reason that names its own URL
 * ("Not allowed to use restricted network port 1: <url>") has no line after it.
 */
const HOLD_MS = 50;
/** The echo follows its reason within milliseconds; an older reason cannot be the one echoed. */
const ECHO_WITHIN_S = 1;

/**
 * Turns the inspector's console messages into texts that name the URL they are about, so the
 * harness can give each to its check (harness/probe/evaluate.ts claims a text by the check's URL):
 * - the `security` reason joined to the `javascript` line that follows it:
 *   "Origin X is not allowed by Access-Control-Allow-Origin. Status code: 200\n
 *    Fetch API cannot load <url> due to access control checks."
 * - the `network` echo of a reason already given ("Failed to load resource: <reason>") is dropped;
 *   any other `network` text (a refused connection, a reset) gets its `url` field after it.
 * Other errors and warnings pass as they are, and so does a reason nothing followed within
 * HOLD_MS; each is claimed only if it names a check's URL.
 */
export class ConsoleAssembler {
  private reasons: Array<{ text: string; at: number }> = [];
  /** Reasons given with their URL line, whose `network` echo is still to come (within ECHO_WITHIN_S). */
  private given: Array<{ text: string; at: number }> = [];
  private last: InspectorConsoleMessage | null = null;

  /** `out`: where the texts go, as they become whole. */
  constructor(readonly out: string[] = []) {}

  add(m: InspectorConsoleMessage): void {
    this.last = m;
    if (m.level !== 'error' && m.level !== 'warning') return;
    const at = m.timestamp ?? 0;
    if (m.source === 'security') {
      const reason = { text: m.text, at };
      this.reasons.push(reason);
      setTimeout(() => {
        const i = this.reasons.indexOf(reason);
        if (i >= 0) { this.reasons.splice(i, 1); this.out.push(reason.text); }
      }, HOLD_MS).unref();
      return;
    }
    if (m.source === 'network' && m.text.startsWith(FAILED_TO_LOAD)) {
      const reason = m.text.slice(FAILED_TO_LOAD.length);
      this.given = this.given.filter((g) => at - g.at <= ECHO_WITHIN_S);
      const echo = this.given.findIndex((g) => g.text === reason);
      if (echo >= 0) { this.given.splice(echo, 1); return; }
      // A reason no line named a URL for (an element load, say): its echo names it.
      this.reasons = this.reasons.filter((r) => r.text !== reason);
      this.out.push(m.url ? `${m.text} (${m.url})` : m.text);
      return;
    }
    if (m.source === 'javascript' && CANNOT_LOAD.test(m.text)) {
      const reason = this.reasons.at(-1);
      if (reason && Math.abs(at - reason.at) <= PAIR_WITHIN_S) {
        this.reasons.pop();
        this.given.push(reason);
        this.out.push(`${reason.text}\n${m.text}`);
        return;
      }
    }
    this.out.push(m.url && !m.text.includes(m.url) ? `${m.text} (${m.url})` : m.text);
  }

  /** `Console.messageRepeatCountUpdated`: the last message came again (WebKit folds identical neighbours). */
  repeat(): void {
    if (this.last) this.add(this.last);
  }
}

interface Envelope { id?: number; method?: string; params?: Record<string, unknown>; result?: unknown; error?: { message?: string } }

/**
 * A connection to the page target of a MiniBrowser's inspector on `httpPort`; its console texts go
 * to `into` as they arrive. Only a page that existed before the WebDriver session attached is
 * listed there: the harness starts one MiniBrowser per page, so that is the page it drives.
 */
export class InspectorConnection {
  private readonly assembler: ConsoleAssembler;
  private seq = 0;
  private readonly replies = new Map<number, (e: Envelope) => void>();

  private firstTarget: ((id: string) => void) | null = null;

  private constructor(private readonly ws: WebSocketClient, into: string[]) {
    this.assembler = new ConsoleAssembler(into);
  }

  /** The WebSocket path of the page target on the inspector's HTML listing, or null when none is listed yet. */
  static async pagePath(httpPort: number): Promise<string | null> {
    const res = await fetch(`http://127.0.0.1:${httpPort}/`, { signal: AbortSignal.timeout(2000) });
    const html = await res.text();
    return /\/socket\/\d+\/\d+\/WebPage/.exec(html)?.[0] ?? null;
  }

  static async open(httpPort: number, path: string, into: string[], timeoutMs: number): Promise<InspectorConnection> {
    const ws = await WebSocketClient.connect(`ws://127.0.0.1:${httpPort}${path}`, timeoutMs);
    const conn = new InspectorConnection(ws, into);
    try {
      const target = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the inspector at ${httpPort} announced no page target within ${timeoutMs} ms`)), timeoutMs);
        conn.firstTarget = (id) => { clearTimeout(timer); resolve(id); };
        ws.on('close', () => { clearTimeout(timer); reject(new Error(`the inspector at ${httpPort} closed the connection`)); });
        ws.on('text', (t) => conn.receive(t));
      });
      await conn.enable(target, timeoutMs);
    } catch (e) {
      ws.close();
      throw e;
    }
    return conn;
  }

  /** Console.enable on a page target: from then on its messages arrive as events. */
  private async enable(target: string, timeoutMs: number): Promise<void> {
    const id = ++this.seq;
    const reply = new Promise<Envelope>((resolve, reject) => {
      const timer = setTimeout(() => { this.replies.delete(id); reject(new Error(`Console.enable got no answer within ${timeoutMs} ms`)); }, timeoutMs);
      // A page target enabled later must not keep a closing worker alive.
      timer.unref();
      this.replies.set(id, (e) => { clearTimeout(timer); resolve(e); });
    });
    // Commands for a page go inside Target.sendMessageToTarget: the connection's own domains are Target's.
    this.ws.send(JSON.stringify({ id, method: 'Target.sendMessageToTarget', params: { targetId: target, message: JSON.stringify({ id, method: 'Console.enable' }) } }));
    const e = await reply;
    if (e.error) throw new Error(`Console.enable failed: ${e.error.message ?? JSON.stringify(e.error)}`);
  }

  private receive(text: string): void {
    let e: Envelope;
    try { e = JSON.parse(text); } catch { return; }
    if (e.method === 'Target.targetCreated') {
      const info = (e.params?.targetInfo ?? {}) as { targetId?: string; type?: string };
      if (info.type !== 'page' || !info.targetId) return;
      const first = this.firstTarget;
      this.firstTarget = null;
      // A later page target (a navigation that moved the page to a new web process) is enabled
      // as it appears; nothing waits for it.
      if (first) first(info.targetId); else void this.enable(info.targetId, 10_000).catch(() => {});
      return;
    }
    if (e.method !== 'Target.dispatchMessageFromTarget') return;
    let inner: Envelope;
    try { inner = JSON.parse(String(e.params?.message ?? '')); } catch { return; }
    if (inner.id !== undefined) { this.replies.get(inner.id)?.(inner); this.replies.delete(inner.id); return; }
    if (inner.method === 'Console.messageAdded') this.assembler.add((inner.params as { message: InspectorConsoleMessage }).message);
    else if (inner.method === 'Console.messageRepeatCountUpdated') this.assembler.repeat();
  }

  close(): void {
    this.ws.close();
  }
}
