// Playwright fixtures: engines and servers live per worker (launched once, reused by every test);
// a test asks for `session` and gets a running engine with a page on the origin server.
import { test as base } from '@playwright/test';
import type { EngineId } from './types.ts';
import type { Engine } from './engines/engine.ts';
import { launchEngine } from './engines/launch.ts';
import { startServers, type Servers } from '../servers/index.ts';
import { openSession, type Session } from './run.ts';

export interface WorkerFixtures {
  engineId: EngineId;
  engine: Engine;
  servers: Servers;
  session: Session;
}

export const test = base.extend<{}, WorkerFixtures>({
  engineId: ['chromium', { option: true, scope: 'worker' }],
  engine: [async ({ engineId, servers }, use) => {
    const engine = await launchEngine(engineId, { publicAddresses: [new URL(servers.publicOrigin.origin).host] });
    try { await use(engine); } finally { await engine.close(); }
  }, { scope: 'worker', timeout: 120_000, title: 'launch engine' }],
  servers: [async ({}, use) => {
    const servers = await startServers();
    try { await use(servers); } finally { await servers.close(); }
  }, { scope: 'worker', title: 'start origin and target servers' }],
  session: [async ({ engine, servers }, use) => {
    const session = await openSession(engine, servers);
    try { await use(session); } finally { await session.page.close(); }
  }, { scope: 'worker', timeout: 60_000, title: 'open probe page' }],
});

export { expect } from '@playwright/test';
