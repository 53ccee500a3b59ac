// The conformance catalogue: one Playwright test per scenario per column (the project: an engine in a regime).
// Each test takes its scenario's cell from the worker's batch (harness/matrix/batch.ts: scenarios run
// ahead of their tests, several at once, in the worker's engine), attaches the cell for the matrix
// reporter, and passes when the observed cell matches its expectation.
import { test, expect } from '../harness/matrix/catalogue-fixtures.ts';
import { loadScenarios } from '../harness/matrix/load-scenarios.ts';
import { describeCell } from '../harness/probe/describe.ts';
import { CELL_CONTENT_TYPE, REGIME_TAG, dependsOnRegime } from '../harness/model/types.ts';

const scenarios = loadScenarios();

for (const scenario of scenarios) {
  test(`${scenario.category} › ${scenario.id}: ${scenario.title}`, {
    annotation: { type: 'cors-scenario', description: scenario.id },
    // A run of both regimes runs these in the second regime too (harness/runner/setup.ts, regimeProjects).
    tag: dependsOnRegime(scenario) ? [REGIME_TAG] : [],
  }, async ({ engineId, batch }, testInfo) => {
    const { record, resolved } = await batch(scenarios).result(scenario);
    const { cell } = record;
    await testInfo.attach('cors-cell', { body: JSON.stringify(record), contentType: CELL_CONTENT_TYPE });
    expect(cell.matchesExpected, describeCell(scenario.id, engineId, resolved.forEngine, cell)).toBe(true);
    // An error always says why: a fault is never silent, and never a block.
    if (cell.outcome === 'error') expect(cell.cause, `${scenario.id} in ${engineId}: error without a cause`).toBeTruthy();
  });
}
