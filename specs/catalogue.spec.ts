// The conformance catalogue: one Playwright test per scenario per engine (the project).
// Each test takes its scenario's cell from the worker's batch (harness/batch.ts: scenarios run
// ahead of their tests, several at once, in the worker's engine), attaches the cell for the matrix
// reporter, and passes when the observed cell matches its expectation.
import { test, expect } from '../harness/fixtures.ts';
import { loadScenarios } from '../harness/scenarios.ts';
import { originsFor } from '../harness/run.ts';
import { resolveExpectation } from '../harness/expectation.ts';
import { describeCell } from '../harness/describe.ts';
import { CELL_CONTENT_TYPE, type CellRecord, type MatrixScenario } from '../harness/types.ts';

const scenarios = loadScenarios();

for (const scenario of scenarios) {
  test(`${scenario.category} › ${scenario.id}: ${scenario.title}`, {
    annotation: { type: 'cors-scenario', description: scenario.id },
  }, async ({ session, engineId, batch }, testInfo) => {
    const resolved = resolveExpectation(scenario, engineId, originsFor(scenario, session.servers));
    const cell = await batch(scenarios).result(scenario);
    const matrixScenario: MatrixScenario = {
      id: scenario.id,
      category: scenario.category,
      title: scenario.title,
      source: scenario.source ?? 'builtin',
      expected: resolved.expected,
      deviations: scenario.expect?.engines,
      request: scenario.request,
      preflight: scenario.preflight ?? null,
      response: scenario.response,
      ...(scenario.redirects && { redirects: scenario.redirects }),
      ...(scenario.page && { page: scenario.page }),
      ...(scenario.followUp && { followUp: scenario.followUp }),
      results: {},
    };
    const record: CellRecord = { scenario: matrixScenario, engine: session.engine.info, cell };
    await testInfo.attach('cors-cell', { body: JSON.stringify(record), contentType: CELL_CONTENT_TYPE });
    expect(cell.matchesExpected, describeCell(scenario.id, engineId, resolved.forEngine, cell)).toBe(true);
    // An error always says why: a fault is never silent, and never a block.
    if (cell.outcome === 'error') expect(cell.cause, `${scenario.id} in ${engineId}: error without a cause`).toBeTruthy();
  });
}
