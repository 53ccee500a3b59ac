// Which stack answered, from the response headers the engines and the replay saw: the headers a
// server or framework sets by default (`Server`, `X-Powered-By`, `Vary`), the shape of its error
// answers, and a proxy's marks (`Via`, a CORS header sent twice). Or the one the policy names
// (`stack`), which wins. Pure.
import type { HeaderList } from '../../model/types.ts';
import type { Policy, PolicyCheck, PolicyResult } from '../policy-types.ts';
import type { StackId } from './stack-fix.ts';

/** The stack the fixes are written for, and why: the header lines that gave it away. */
export interface RecognizedStack {
  stack: StackId;
  /** The app behind a front server (nginx, Apache, Caddy), when it shows too. */
  app?: StackId;
  source: 'policy' | 'responses' | 'none';
  because: string;
}

/** One answer as recognition reads it. */
export interface Answer {
  status: number | null;
  headers: HeaderList;
}

interface Signal {
  stack: StackId;
  /** A front server (answers for an app behind it) or the app itself. */
  role: 'front' | 'app';
  header: string;
  value: RegExp;
  /** Only an error answer shows it (a framework's default 404). */
  errorOnly?: boolean;
  /** Another header the same answer must carry. */
  with?: [string, RegExp];
}

// In order: the first match of each role wins. Why each value: what the server sends by default.
const SIGNALS: Signal[] = [
  { stack: 'nginx', role: 'front', header: 'Server', value: /^nginx\b/i },
  { stack: 'apache', role: 'front', header: 'Server', value: /^Apache\b/i },
  { stack: 'caddy', role: 'front', header: 'Server', value: /^Caddy\b/i },
  // Werkzeug's development server, under `flask run`: "Werkzeug/3.0.1 Python/3.11.2".
  { stack: 'flask', role: 'app', header: 'Server', value: /\bWerkzeug\//i },
  // Django's runserver: "WSGIServer/0.2 CPython/3.11.2".
  { stack: 'django', role: 'app', header: 'Server', value: /^WSGIServer\/.*CPython/i },
  // uvicorn (and hypercorn), the ASGI servers FastAPI's docs run it with.
  { stack: 'starlette', role: 'app', header: 'Server', value: /^(uvicorn|hypercorn)\b/i },
  // Express sets it unless app.disable('x-powered-by').
  { stack: 'express', role: 'app', header: 'X-Powered-By', value: /^Express$/i },
  { stack: 'aspnet', role: 'app', header: 'Server', value: /^Kestrel$/i },
  { stack: 'aspnet', role: 'app', header: 'X-Powered-By', value: /^ASP\.NET$/i },
  // Rack::Runtime, in every Rails middleware stack.
  { stack: 'rails', role: 'app', header: 'X-Runtime', value: /^\d+(\.\d+)?$/ },
  // Spring's DefaultCorsProcessor varies on all three.
  { stack: 'spring', role: 'app', header: 'Vary', value: /Access-Control-Request-Method/i },
  // Express's finalhandler answers a 404 with this policy.
  { stack: 'express', role: 'app', header: 'Content-Security-Policy', value: /^default-src 'none'$/, errorOnly: true, with: ['X-Content-Type-Options', /^nosniff$/i] },
  // Go's http.Error (and so http.NotFound): plain text and nosniff.
  { stack: 'go', role: 'app', header: 'Content-Type', value: /^text\/plain; charset=utf-8$/, errorOnly: true, with: ['X-Content-Type-Options', /^nosniff$/i] },
];

const values = (h: HeaderList, name: string) => h.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);

function matches(s: Signal, a: Answer): string | null {
  if (s.errorOnly && !(a.status !== null && a.status >= 400)) return null;
  const v = values(a.headers, s.header).find((x) => s.value.test(x));
  if (v === undefined) return null;
  if (s.with && !values(a.headers, s.with[0]).some((x) => s.with![1].test(x))) return null;
  return `${s.header}: ${v}${s.with ? ` with ${s.with[0]}` : ''}${s.errorOnly ? ` on a ${a.status}` : ''}`;
}

/** Access-Control-Allow-Origin as sent: one entry per copy (two header lines, or one value "a, b"). */
export function acaoCopies(headers: HeaderList): string[] {
  return values(headers, 'Access-Control-Allow-Origin').flatMap((v) => v.split(',').map((x) => x.trim()));
}

const first = (role: Signal['role'], answers: Answer[]) => {
  for (const s of SIGNALS.filter((x) => x.role === role)) {
    for (const a of answers) { const why = matches(s, a); if (why) return { stack: s.stack, why }; }
  }
  return null;
};

/** Recognition from answers alone. */
export function recognizeFrom(answers: Answer[]): RecognizedStack {
  const front = first('front', answers);
  const app = first('app', answers);
  const via = answers.map((a) => values(a.headers, 'Via')[0]).find((v) => v !== undefined);
  const twice = answers.find((a) => acaoCopies(a.headers).length > 1);
  const why = [front?.why, app?.why, via !== undefined ? `Via: ${via}` : undefined,
    twice ? `Access-Control-Allow-Origin sent ${acaoCopies(twice.headers).length} times` : undefined].filter(Boolean).join('; ');
  // A front server that shows an app behind it (its headers, a Via, or a second CORS layer) proxies.
  if (front?.stack === 'nginx' && (app || via !== undefined || twice)) {
    return { stack: 'nginx-proxy', ...(app ? { app: app.stack } : {}), source: 'responses', because: why };
  }
  if (front) return { stack: front.stack, ...(app ? { app: app.stack } : {}), source: 'responses', because: why };
  if (app) return { stack: app.stack, source: 'responses', because: why };
  return { stack: 'generic', source: 'none', because: 'no Server, X-Powered-By, Via or error-page header names a stack with a fix table; name it with "stack" in the policy' };
}

/** Every answer a run saw: the engines' (through the proxy) and the replays'. */
export function answersOf(checks: PolicyCheck[]): Answer[] {
  const out: Answer[] = [];
  for (const c of checks) {
    for (const r of Object.values(c.results) as PolicyResult[]) {
      for (const x of [r.observed.actual, r.observed.preflight, r.replay?.actual, r.replay?.preflight]) {
        if (x?.headers?.length) out.push({ status: x.status ?? null, headers: x.headers });
      }
    }
  }
  return out;
}

/** The policy's `stack` wins; otherwise the responses say. */
export function recognizeStack(policy: Pick<Policy, 'stack'>, checks: PolicyCheck[]): RecognizedStack {
  const seen = recognizeFrom(answersOf(checks));
  if (!policy.stack) return seen;
  const app = policy.stack === 'nginx-proxy' || policy.stack === 'apache' || policy.stack === 'caddy' ? seen.app : undefined;
  return { stack: policy.stack, ...(app ? { app } : {}), source: 'policy', because: `"stack": "${policy.stack}" in the policy${seen.source === 'responses' ? ` (the responses suggest ${seen.stack}${seen.app ? ` with ${seen.app}` : ''}: ${seen.because})` : ''}` };
}
