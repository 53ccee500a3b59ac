// Runs one scenario in one engine: register the plan on the target, run the probe in a page on the
// origin, collect what the target saw and what the engine said, and turn it into a cell.
import crypto from 'node:crypto';
import type { Cell, PageResult, Scenario } from './types.ts';
import type { Engine, EnginePage } from './engines/engine.ts';
import type { Servers } from '../servers/index.ts';
import { expressCanSend } from '../servers/target.ts';
import { PROBE_PATH } from '../servers/origin.ts';
import { verdict, type Expectation } from './verdict.ts';

export const PROBE_TIMEOUT_MS = Number(process.env.CORS_PROBE_TIMEOUT_MS ?? 5000);
/** The longest the harness waits for an engine's console text after a refused request. */
const MESSAGE_WAIT_MS = 1000;

/** A worker's long-lived state: one engine, its servers, one page reused with unique URLs. */
export interface Session {
  engine: Engine;
  servers: Servers;
  page: EnginePage;
}

export async function openSession(engine: Engine, servers: Servers): Promise<Session> {
  const page = await engine.newPage();
  await page.goto(servers.origin.origin + PROBE_PATH);
  return { engine, servers, page };
}

/** Scenarios that share nothing with the worker's page get their own context, and only they. */
function needsIsolation(s: Scenario): boolean {
  return Boolean(s.followUp) || (s.page !== undefined && s.page.origin === 'public');
}

function readHeaders(s: Scenario): string[] {
  if (s.request.readHeaders) return s.request.readHeaders;
  const names = new Set(s.response.headers.map(([n]) => n.toLowerCase()));
  return [...names];
}

function probeSpec(s: Scenario, url: string) {
  return {
    api: s.request.api,
    url,
    method: s.request.method,
    headers: s.request.headers,
    credentials: s.request.credentials,
    body: s.request.body,
    mode: s.request.mode,
    uploadListener: s.request.uploadListener ?? false,
    readHeaders: readHeaders(s),
    timeoutMs: PROBE_TIMEOUT_MS,
  };
}

function harnessFailure(e: unknown): PageResult {
  return { readable: false, status: null, body: null, headers: null, error: { name: 'HarnessError', message: String((e as Error)?.message ?? e) }, timedOut: false, durationMs: 0 };
}

async function messagesFor(page: EnginePage, key: string, expectMessage: boolean): Promise<string[]> {
  const mine = (m: string) => !/\/c\/[A-Za-z0-9_-]+\//.test(m) || m.includes(key);
  let out = (await page.takeMessages()).filter(mine);
  // Some engines deliver the console text after the script result: wait for it, bounded.
  const deadline = Date.now() + (expectMessage ? MESSAGE_WAIT_MS : 0);
  while (!out.some((m) => m.includes(key)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
    out = out.concat((await page.takeMessages()).filter(mine));
  }
  return out;
}

export interface RunOptions {
  /** Override the target (e.g. a port nothing listens on). */
  targetOrigin?: string;
}

export async function runScenario(session: Session, scenario: Scenario, expected: Expectation, options: RunOptions = {}): Promise<Cell> {
  const { servers } = session;
  const key = crypto.randomBytes(9).toString('base64url');
  const allHeaders = [...scenario.response.headers, ...(scenario.preflight?.headers ?? [])];
  const target = expressCanSend(scenario.request.method, allHeaders) ? servers.target : servers.raw;
  const targetOrigin = options.targetOrigin ?? target.origin;
  const pageOrigin = scenario.page?.origin === 'sandboxed' ? 'null' : servers.origin.origin;
  servers.registry.register(key, {
    preflight: scenario.preflight,
    response: scenario.response,
    redirects: scenario.redirects,
    vars: { $ORIGIN: pageOrigin, $TARGET2: servers.other.origin, $TARGET: targetOrigin },
  });
  const url = `${targetOrigin}/c/${key}/0`;
  let page = session.page;
  let own: EnginePage | undefined;
  try {
    if (needsIsolation(scenario)) {
      own = await session.engine.newPage();
      await own.goto(servers.origin.origin + PROBE_PATH);
      page = own;
    }
    await page.takeMessages();
    const fn = scenario.page?.origin === 'sandboxed' ? '__corsProbeSandboxed' : '__corsProbe';
    let result: PageResult;
    try {
      result = await page.evaluate<PageResult>(`window.${fn}(arg)`, probeSpec(scenario, url), PROBE_TIMEOUT_MS + 10_000);
    } catch (e) {
      result = harnessFailure(e);
    }
    const messages = await messagesFor(page, key, !result.readable);
    return verdict(result, servers.registry.observed(key), messages, expected, PROBE_TIMEOUT_MS);
  } finally {
    servers.registry.forget(key);
    await own?.close();
  }
}
