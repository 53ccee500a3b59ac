// Playwright fixtures: engines and servers live per worker (launched once, reused by every test);
// a test asks for `session` and gets a running engine with a page on the origin server, or for
// `batch` and gets its scenario's cell, with what it is held to, from the worker's batch (harness/matrix/batch.ts).
import { test as base } from '@playwright/test';
import { columnId, dependsOnRegime, type EngineId, type Regime, type Scenario } from '../model/types.ts';
import type { Engine } from '../engines/engine.ts';
import { launchEngine } from '../engines/launch.ts';
import { startServers, type Servers } from '../../servers/worker-servers.ts';
import { runCatalogueScenario, type ScenarioCell } from './scenario-run.ts';
import { closeSession, openSession, type Session } from './sessions.ts';
import { Batch } from './batch.ts';
import { readSettings } from '../settings.ts';
import { withoutApiCallSteps } from '../engines/playwright-private.ts';
import { settledWithin, TEARDOWN_MS } from '../engines/bounded.ts';
import { mark, timed } from '../model/timings.ts';
import { timingsFixture } from '../probe/timings-fixture.ts';

export interface WorkerFixtures {
  engineId: EngineId;
  /** The regime the project's engine runs in (its column: `chromium` or `chromium-users`). */
  regime: Regime;
  /** Run only the scenarios whose result can depend on the regime (a run of both regimes' second one). */
  regimeScenariosOnly: boolean;
  engine: Engine;
  servers: Servers;
  session: Session;
  /** The worker's batch for a list of scenarios (the spec's own list, in its test order). */
  batch: (order: readonly Scenario[]) => Batch<ScenarioCell>;
}

export const test = base.extend<{}, WorkerFixtures>({
  ...withoutApiCallSteps,
  ...timingsFixture,
  engineId: ['chromium', { option: true, scope: 'worker' }],
  regime: ['installed', { option: true, scope: 'worker' }],
  regimeScenariosOnly: [false, { option: true, scope: 'worker' }],
  // `connectOptions` is Playwright's own (config `use.connectOptions` or PW_TEST_CONNECT_WS_ENDPOINT):
  // set, the Playwright-driven engines run on that `npx playwright run-server`.
  engine: [async ({ engineId, regime, servers, connectOptions }, use) => {
    const engine = await timed('launch', () => launchEngine(engineId, {
      regime,
      publicAddresses: [new URL(servers.publicOrigin.origin).host, new URL(servers.publicProxy.url).host],
      connect: connectOptions ? { wsEndpoint: connectOptions.wsEndpoint, headers: connectOptions.headers, exposeNetwork: connectOptions.exposeNetwork, timeout: connectOptions.timeout } : undefined,
    }));
    // Bounded by each engine: what does not close in time is killed.
    try { await use(engine); } finally { await engine.close(); }
  }, { scope: 'worker', timeout: 120_000, title: 'launch engine' }],
  servers: [async ({}, use) => {
    // The first worker fixture: the end of the worker's start.
    mark('fixturesStart');
    const servers = await timed('servers', () => startServers());
    try { await use(servers); } finally { await settledWithin(servers.close(), TEARDOWN_MS.servers); }
  }, { scope: 'worker', title: 'start origin and target servers' }],
  session: [async ({ engine, servers }, use) => {
    const session = await openSession(engine, servers);
    try { await use(session); } finally { await settledWithin(closeSession(session), TEARDOWN_MS.page); }
  }, { scope: 'worker', timeout: 60_000, title: 'open probe page' }],
  batch: [async ({ session, engineId, regime, regimeScenariosOnly }, use) => {
    const limits = readSettings().batch;
    const batches = new Map<readonly Scenario[], Batch<ScenarioCell>>();
    const run = (s: Scenario) => runCatalogueScenario(session, s, columnId(engineId, regime));
    try {
      await use((order) => {
        let b = batches.get(order);
        // The second regime's project runs only what the regime can change (the spec tags those tests).
        if (!b) batches.set(order, b = new Batch(regimeScenariosOnly ? order.filter(dependsOnRegime) : order, run, limits, session.isolation));
        return b;
      });
    } finally {
      // A stopping worker does not wait out the probe timeouts of the scenarios in flight: nobody will
      // read their cells, and closing the session under them ends them.
      await settledWithin(Promise.all([...batches.values()].map((b) => b.close())), TEARDOWN_MS.batch);
    }
  }, { scope: 'worker', timeout: 60_000, title: 'finish the batch' }],
});

export { expect } from '@playwright/test';
