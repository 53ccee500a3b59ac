// Why an engine blocked a check, in Fetch-standard terms: the oracle (harness/oracle) replays the
// exchange the proxy observed (the real preflight and response headers) and names the failing step.
// Where the exchange was not observed, or the headers pass the standard, the engine's own message
// is the reason. Pure.
import type { Scenario } from '../model/types.ts';
import { predict } from '../oracle/predict.ts';
import { substitute } from '../model/placeholders.ts';
import type { ObservedResponse, PlannedCheck } from './policy-types.ts';
import { localNetworkAccessRefuser } from '../engines/registry.ts';
import type { EngineDescriptor } from '../engines/engine.ts';

/** The engine's line that says why, without the probe's unique query (so equal reasons group). */
function firstLine(text: string | null): string | null {
  if (!text) return null;
  const line = text.split('\n').find((l) => /blocked|denied|CORS|access control/i.test(l)) ?? text.split('\n')[0];
  return line.replace(/[?&]cors-matrix=[A-Za-z0-9_-]+/g, '');
}

/** The part of the refusing engine's line that says why (its descriptor knows where), else the line. */
function refusalReason(refuser: EngineDescriptor, text: string | null): string | null {
  const line = firstLine(text);
  const m = line && refuser.localNetworkAccess?.reason?.exec(line);
  return m ? m[1] : line;
}

/** The check as a one-request scenario whose answers are the observed ones. */
function asScenario(check: PlannedCheck, observed: { preflight?: ObservedResponse; actual?: ObservedResponse }): Scenario {
  return {
    id: check.id, title: check.id, category: 'policy',
    request: { api: 'fetch', method: check.method, headers: check.headers, credentials: check.credentials ? 'include' : 'omit', body: check.body },
    preflight: observed.preflight ? { status: observed.preflight.status ?? 0, headers: observed.preflight.headers } : undefined,
    // Not reached when the preflight fails, which is the only case without an observed actual response.
    response: observed.actual ? { status: observed.actual.status ?? 0, headers: observed.actual.headers } : { status: 200, headers: [] },
    page: check.origin.origin === 'null' ? { origin: 'sandboxed' } : undefined,
  };
}

export function isLocalNetworkAccessBlock(message: string | null): boolean {
  return !!message && localNetworkAccessRefuser(message) !== undefined;
}

export const LNA_FIX = 'Serve the API from a public address for public pages, or call it from a secure (https) page that asks for the permission (Chromium prompts the user; fetch(url, { targetAddressSpace: "loopback" }) or "local" declares the intent)';

/** Why the engine refused this request (one line), and the fix where the headers say it. */
export function explainBlocked(check: PlannedCheck, observed: { preflight?: ObservedResponse; actual?: ObservedResponse }, message: string | null, targetOrigin: string): { reason: string; fix?: string } {
  const refuser = message ? localNetworkAccessRefuser(message) : undefined;
  if (refuser) {
    return {
      reason: `${refuser.label}'s Local Network Access refused the request before it was sent: ${refusalReason(refuser, message)}`,
      fix: LNA_FIX,
    };
  }
  if (observed.preflight || observed.actual) {
    const pageOrigin = check.origin.origin === 'null' ? check.origin.pageOrigin : check.origin.origin;
    const origins = { pageOrigin, targetOrigin, otherOrigin: targetOrigin };
    const v = predict(asScenario(check, observed), origins);
    // The oracle writes $ORIGIN and $TARGET so the catalogue's reasons read the same whatever the
    // ports; a finding is about this one exchange, so it names the origins the engine really saw.
    if (v.outcome === 'blocked') return { reason: substitute(v.reason, origins), fix: substitute(v.fix, origins) };
    const said = firstLine(message);
    return { reason: `the engine refused it although the observed headers pass the Fetch standard's checks${said ? `: ${said}` : ''}` };
  }
  return { reason: firstLine(message) ?? 'the engine refused it and gave no message (WebKitGTK prints none under automation)' };
}
