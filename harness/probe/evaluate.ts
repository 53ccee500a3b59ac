// A probe in an engine page, for the catalogue and the policy runs alike: what the page answered,
// and what the engine said about one check.
import type { PageResult } from '../model/types.ts';
import type { EnginePage } from '../engines/engine.ts';
import { now, record } from '../model/timings.ts';

/** A probe that gave no answer (the page went away, the engine crashed, the evaluate timed out). */
export function harnessFailure(e: unknown): PageResult {
  return { readable: false, status: null, body: null, headers: null, error: { name: 'HarnessError', message: String((e as Error)?.message ?? e) }, timedOut: false, durationMs: 0 };
}

/**
 * Evaluates a probe `expression` with `spec` bound to `arg`. The probe times its own request out;
 * the margin on top only catches a page that never answers.
 */
export async function runProbe(page: EnginePage, expression: string, spec: { timeoutMs: number }): Promise<PageResult> {
  try {
    return await page.evaluate<PageResult>(expression, spec, spec.timeoutMs + 10_000);
  } catch (e) {
    return harnessFailure(e);
  }
}

// Unclaimed messages per page, for probes running concurrently in one page.
const pending = new WeakMap<EnginePage, string[]>();

/**
 * The engine's messages about one check: its CORS text names the URL, and the URL carries `key`.
 * Some engines deliver the text after the script result, so this waits up to `lagMs` for it, and
 * only until it arrives. A message that matches `heldFor` names another check in the same page and
 * waits for that check's claim; any other text cannot be attributed and is dropped.
 */
export async function messagesFor(page: EnginePage, key: string, lagMs: number, heldFor?: RegExp): Promise<string[]> {
  const box = pending.get(page) ?? [];
  pending.set(page, box);
  const claim = () => {
    const mine = box.filter((m) => m.includes(key));
    const rest = heldFor ? box.filter((m) => !m.includes(key) && heldFor.test(m)) : [];
    box.splice(0, box.length, ...rest.slice(-200));
    return mine;
  };
  box.push(...await page.takeMessages());
  let out = claim();
  const deadline = Date.now() + lagMs;
  if (out.length === 0 && lagMs > 0) {
    // A wait by design: the time goes to the run's timings as such.
    const waited = now();
    while (out.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      box.push(...await page.takeMessages());
      out = claim();
    }
    record('wait', waited);
  }
  return out;
}
