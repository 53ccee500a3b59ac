// One line that names the scenario, the engine, what was expected and what was seen.
import type { Cell } from '../model/types.ts';
import type { Expectation } from './verdict.ts';

export function describeCell(scenario: string, engine: string, expected: Expectation, cell: Cell): string {
  const want = `${expected.outcome}${expected.preflight === undefined ? '' : expected.preflight ? ' with preflight' : ' without preflight'}`;
  const cookies = expected.cookiesReceived ? `, cookies [${expected.cookiesReceived.join(', ')}]` : '';
  const referer = expected.referer !== undefined ? `, Referer ${expected.referer ?? 'none'}` : '';
  const sawReferer = cell.referer ? `, Referer on the preflight ${cell.referer.preflight ?? 'none'} and on the request ${cell.referer.actual ?? 'none'}` : '';
  const saw = `${cell.outcome}${cell.stage ? ` at ${cell.stage}` : ''}, preflightSent=${cell.preflightSent}, actualSent=${cell.actualSent}${cookies ? `, cookies received [${cell.cookiesReceived.join(', ')}]` : ''}${sawReferer}`;
  const extra = cell.cause ? `; cause: ${cell.cause}` : cell.message ? `; engine said: ${cell.message.split('\n')[0]}` : '';
  return `${scenario} in ${engine}: expected ${want}${cookies}${referer} (${expected.expectedBy}), saw ${saw}${extra}`;
}
