// A small typed W3C WebDriver (classic) client: the five endpoints the harness needs.
// Chosen over selenium-webdriver (>= 4.47 needs Node 22) and webdriver 10 (Node 22, and v9 pulls
// ~160 packages and adds BiDi capabilities WebKitWebDriver 2.50 lacks): Node 20's fetch is enough.

export class WebDriverError extends Error {
  constructor(readonly error: string, message: string) {
    super(`${error}: ${message}`);
    this.name = 'WebDriverError';
  }
}

export interface SessionInfo {
  sessionId: string;
  capabilities: Record<string, unknown>;
}

export class WebDriverClient {
  constructor(readonly baseUrl: string) {}

  private async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, timeoutMs = 60_000): Promise<T> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json; charset=utf-8' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let json: { value?: unknown };
    try { json = JSON.parse(text); } catch { throw new WebDriverError('invalid response', `${method} ${path} -> ${res.status} ${text.slice(0, 200)}`); }
    const value = json.value as { error?: string; message?: string } | undefined;
    if (!res.ok || (value && typeof value === 'object' && 'error' in value && value.error)) {
      throw new WebDriverError(value?.error ?? String(res.status), value?.message ?? text.slice(0, 200));
    }
    return json.value as T;
  }

  /** GET /status until ready, bounded by `timeoutMs`. */
  async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
      try {
        const v = await this.call<{ ready?: boolean }>('GET', '/status', undefined, 2000);
        if (v?.ready !== false) return;
      } catch (e) { last = e; }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`WebDriver at ${this.baseUrl} not ready after ${timeoutMs} ms: ${String(last)}`);
  }

  newSession(alwaysMatch: Record<string, unknown>): Promise<SessionInfo> {
    return this.call<SessionInfo>('POST', '/session', { capabilities: { alwaysMatch } });
  }

  deleteSession(id: string): Promise<unknown> {
    return this.call('DELETE', `/session/${id}`, undefined, 10_000);
  }

  /** The session's current URL: also a quick look whether the session still answers. */
  currentUrl(id: string, timeoutMs = 60_000): Promise<string> {
    return this.call<string>('GET', `/session/${id}/url`, undefined, timeoutMs);
  }

  navigate(id: string, url: string): Promise<unknown> {
    return this.call('POST', `/session/${id}/url`, { url });
  }

  /** Execute Async Script: `script` must call `arguments[arguments.length - 1]` with its result. */
  executeAsync<T>(id: string, script: string, args: unknown[], timeoutMs: number): Promise<T> {
    return this.call<T>('POST', `/session/${id}/execute/async`, { script, args }, timeoutMs + 5000);
  }
}

/** Errors of a live session on a live node: the page's own (a wedged script), not the node's. */
const PAGE_ERRORS = new Set(['script timeout', 'javascript error']);

/**
 * Whether a failed WebDriver command says the remote end (a Grid node, its driver, or the way to
 * it) went away, rather than the page.
 */
export function isNodeFailure(e: unknown): boolean {
  return !(e instanceof WebDriverError && PAGE_ERRORS.has(e.error));
}
