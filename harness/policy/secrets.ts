// The session in a policy is a signed-in user's credentials. Everything a run writes or prints is
// built from the plan (its policy included) and the results the tests attach, so masking those two
// keeps the values out of every report, log and terminal line. Only the probe (which sends them)
// and the replay (which repeats the engine's request) ever hold the real values.
import type { HeaderList } from '../model/types.ts';
import { MASK, type Policy, type PolicyPlan, type PolicyResult, type PolicySession, type Replay, type ObservedResponse } from './policy-types.ts';

/** `Cookie` keeps its names, never its values; a session header keeps its name only. */
export function maskHeaders(list: HeaderList, session: PolicySession | undefined): HeaderList {
  if (!session) return list;
  const secret = new Set(Object.keys(session.headers).map((n) => n.toLowerCase()));
  return list.map(([n, v]) => {
    const name = n.toLowerCase();
    if (name === 'cookie') return [n, v.split(';').map((pair) => `${pair.split('=')[0].trim()}=${MASK}`).join('; ')];
    if (secret.has(name)) return [n, MASK];
    return [n, v];
  });
}

function maskObserved(o: ObservedResponse | undefined, session: PolicySession): ObservedResponse | undefined {
  return o && { ...o, request: { ...o.request, headers: maskHeaders(o.request.headers, session) } };
}

function maskReplay(r: Replay | undefined, session: PolicySession): Replay | undefined {
  if (!r) return r;
  const out: Replay = { label: r.label };
  if (r.preflight) out.preflight = { ...r.preflight, request: { ...r.preflight.request, headers: maskHeaders(r.preflight.request.headers, session) } };
  if (r.actual) out.actual = { ...r.actual, request: { ...r.actual.request, headers: maskHeaders(r.actual.request.headers, session) } };
  return out;
}

export function maskResult(result: PolicyResult, session: PolicySession | undefined): PolicyResult {
  if (!session) return result;
  const masked: PolicyResult = { ...result, observed: { preflight: maskObserved(result.observed.preflight, session), actual: maskObserved(result.observed.actual, session) } };
  if (!masked.observed.preflight) delete masked.observed.preflight;
  if (!masked.observed.actual) delete masked.observed.actual;
  if (result.replay) masked.replay = maskReplay(result.replay, session);
  return masked;
}

/** The policy as the tests attach it for the reporter: session values masked, names kept. */
export function maskedPolicy(policy: Policy): Policy {
  if (!policy.session) return policy;
  return {
    ...policy,
    session: {
      cookies: policy.session.cookies.map((c) => ({ ...c, value: MASK })),
      headers: Object.fromEntries(Object.keys(policy.session.headers).map((n) => [n, MASK])),
    },
  };
}

/** The plan as the reporter gets it: its policy masked (its checks hold session headers masked already). */
export function maskedPlan(plan: PolicyPlan): PolicyPlan {
  return { ...plan, policy: maskedPolicy(plan.policy) };
}
