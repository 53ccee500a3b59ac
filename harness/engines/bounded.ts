// Bounded waits. A worker that stops (Ctrl-C, SIGTERM, the end of the run) tears down its batch,
// pages, engine and servers one after the other, and a wedged browser or a driver that never
// answers must not hold it there: each step waits at most its limit here, then goes on (the engines
// kill what did not close). A stop takes well under a second per step when nothing hangs; after
// Ctrl-C the runner gives its workers 4 s in all and kills the rest (harness/runner/setup.ts).

/** How long each teardown step may wait before the worker goes on without it. */
export const TEARDOWN_MS = {
  /** Scenarios still in flight (started ahead, or the one an interrupt cut off). */
  batch: 1500,
  /** A page or context closing (WebDriver's DELETE session, Playwright's context.close()). */
  page: 1500,
  /** The engine closing itself, before its processes are killed. */
  engine: 3000,
  /** The worker's servers. */
  servers: 1000,
} as const;

/** `p`, or a rejection that names `what` after `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const t = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms); });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** What `p` resolves to, if it does within `ms`; undefined when it rejects or is late. Never rejects. */
export async function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), ms); });
  try {
    return await Promise.race([p.catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Wait for `p` at most `ms`: true when it settled (either way) in time. Never rejects. */
export async function settledWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  return (await within(p.then(() => true, () => true), ms)) === true;
}
