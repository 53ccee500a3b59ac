// Target faults below HTTP: a refused connection, a reset, a hang, a malformed or oversized
// response. A CORS-blocked request and a network failure look alike to the page (a TypeError), so
// these rows check that the harness reports an error with its cause, never "blocked". A slow body
// is not a fault: the page must still read it.
import type { Fault, Scenario } from '../model/types.ts';
import { ACAO, category, ok, req } from './build.ts';

const faulty = (fault: Fault, outcome: 'error' | 'allowed' = 'error') => ({
  id: `fault-${fault}`,
  title: `Target fault: ${fault.replace(/-/g, ' ')}${outcome === 'error' ? ' (error with a cause, never blocked)' : ' (slow is not broken: read it)'}`,
  request: req(),
  response: { ...ok([[ACAO, '*']]), fault },
  expect: outcome === 'error' ? { error: true } : { outcome: 'allowed' as const },
});

export const faults: Scenario[] = category('faults', [
  faulty('refused'), faulty('reset-before-status'), faulty('reset-in-body'), faulty('hang'),
  // Chromium (malformed status) and Firefox (huge headers) read these anyway: see deviations.ts.
  faulty('malformed-status'), faulty('huge-headers'), faulty('slow-body', 'allowed'),
]);
