// One way to launch an engine: find it (its locator), then start it as its descriptor says.
import type { EngineId } from '../model/types.ts';
import type { Engine, EngineLocation, LaunchOptions } from './engine.ts';
import { locate as locateAny, INSTALL_COMMAND } from './locate.mjs';
import { engineDescriptor } from './registry.ts';
import { playwrightServerFor } from './playwright-server.mjs';

export function locate(id: EngineId): EngineLocation {
  return locateAny(id) as EngineLocation;
}

/**
 * The launch as asked, sent to the engine's Playwright server where CORS_PLAYWRIGHT_SERVER names one
 * (it wins over Playwright's own connectOptions, which apply to every project). Every launch path
 * (the catalogue, policy mode, the cors fixture, the runner's early start) comes through here.
 */
export function withPlaywrightServer(id: EngineId, options: LaunchOptions, env: NodeJS.ProcessEnv = process.env): LaunchOptions {
  const wsEndpoint = playwrightServerFor(id, env);
  return wsEndpoint ? { ...options, connect: { wsEndpoint, variable: 'CORS_PLAYWRIGHT_SERVER' } } : options;
}

export async function launchEngine(id: EngineId, asked: LaunchOptions = {}): Promise<Engine> {
  const options = withPlaywrightServer(id, asked);
  const loc = locate(id);
  if (!loc.available) {
    throw new Error(`${id}: not installed (missing ${(loc.missing ?? []).join(', ')}). Run: ${INSTALL_COMMAND}  (or npm run setup as root)`);
  }
  const engine = engineDescriptor(id);
  try {
    return await engine.launch(loc, options);
  } catch (e) {
    const hint = engine.launchFailureHint?.(e) ?? '';
    throw new Error(`${id}: failed to launch ${loc.browser} via ${loc.driver}: ${(e as Error).message}${hint}`);
  }
}

/**
 * Start the engine now where its driver shares one per run (harness/engines/shared-engine.ts): the
 * runner calls it before its workers boot, so their launches connect to a browser already starting.
 * Never throws: a failure here shows again, and is reported, when the worker launches.
 */
export async function prelaunchEngine(id: EngineId, options: LaunchOptions = {}): Promise<void> {
  const loc = locate(id);
  if (!loc.available) return;
  await engineDescriptor(id).prelaunch?.(loc, withPlaywrightServer(id, options)).catch(() => {});
}
