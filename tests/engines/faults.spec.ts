// Faults are not CORS: a target that resets, hangs or is not listening gives `error` with a cause,
// never `blocked`, in every engine. The scenarios would be `allowed` if the target behaved.
import net from 'node:net';
import { test, expect } from '../../harness/fixtures.ts';
import { runScenario } from '../../harness/run.ts';
import { ACAO, ok, req } from '../../harness/catalogue/build.ts';
import type { Fault, Scenario } from '../../harness/types.ts';

const expectAllowed = { outcome: 'allowed' as const, preflight: false, expectedBy: 'scenario' as const };

function faulty(fault: Fault): Scenario {
  return { id: `fault-${fault}`, title: fault, category: 'faults', request: req(), response: { ...ok([[ACAO, '*']]), fault } };
}

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

for (const fault of ['reset-before-status', 'reset-in-body', 'hang'] as const) {
  test(`a target fault (${fault}) is an error with a cause, not a block`, async ({ session }) => {
    const cell = await runScenario(session, faulty(fault), expectAllowed);
    expect(cell.outcome, JSON.stringify(cell)).toBe('error');
    expect(cell.cause).toMatch(fault === 'hang' ? /no answer within/ : /closed before the target finished/);
    expect(cell.actualSent).toBe(true);
  });
}

test('a target that is not listening is an error, not a block', async ({ session }) => {
  const port = await closedPort();
  const scenario: Scenario = { id: 'fault-refused', title: 'refused', category: 'faults', request: req(), response: ok([[ACAO, '*']]) };
  const cell = await runScenario(session, scenario, expectAllowed, { targetOrigin: `http://127.0.0.1:${port}` });
  expect(cell.outcome).toBe('error');
  expect(cell.cause).toMatch(/received no request/);
  expect(cell.preflightSent || cell.actualSent).toBe(false);
});

test('the same page keeps working after faults: a well-behaved target is allowed', async ({ session }) => {
  const scenario: Scenario = { id: 'after-faults', title: 'ok', category: 'faults', request: req(), response: ok([[ACAO, '*']]) };
  const cell = await runScenario(session, scenario, expectAllowed);
  expect(cell.outcome).toBe('allowed');
});
