// The HTTP cache across two page origins: each row is fetched from the first page origin, then the
// same URL from a second one. A cached response is reused for the second origin unless
// `Vary: Origin` or no-store forbids it (RFC 9111 §4), and the reused ACAO then decides.
import type { Scenario } from '../model/types.ts';
import { ACAO, category, ok, req } from './build.ts';

const second = { fromSecondOrigin: true };

export const httpCache: Scenario[] = category('http-cache', [
  // The classic bug: the second origin is served the first origin's reflected ACAO and is blocked.
  // WebKit refetches instead (deviations.ts).
  { id: 'cache-reflect-no-vary', title: 'Reflected ACAO, cacheable, no Vary: Origin; a second page origin gets the first one\'s ACAO', request: req(), response: ok([[ACAO, '$REQUEST_ORIGIN'], ['Cache-Control', 'max-age=600']]), followUp: second },
  { id: 'cache-reflect-vary-origin', title: 'Reflected ACAO, cacheable, Vary: Origin', request: req(), response: ok([[ACAO, '$REQUEST_ORIGIN'], ['Cache-Control', 'max-age=600'], ['Vary', 'Origin']]), followUp: second },
  // `*` is the same answer for every origin, so reuse without Vary is harmless.
  { id: 'cache-star', title: 'ACAO *, cacheable, no Vary: fine for any origin', request: req(), response: ok([[ACAO, '*'], ['Cache-Control', 'max-age=600']]), followUp: second },
  { id: 'cache-reflect-no-store', title: 'Reflected ACAO, no-store', request: req(), response: ok([[ACAO, '$REQUEST_ORIGIN'], ['Cache-Control', 'no-store']]), followUp: second },
  // No cache involved: a fixed ACAO simply does not name the second origin.
  { id: 'cache-fixed-origin', title: 'ACAO fixed to the first page origin, a second origin calls', request: req(), response: ok([[ACAO, '$ORIGIN'], ['Cache-Control', 'no-store']]), followUp: second },
]);
