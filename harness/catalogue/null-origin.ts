// A page with an opaque origin (an iframe sandboxed without allow-same-origin) sends `Origin: null`.
// `null` then matches the CORS check (Fetch §4.10, step 4) for any such page, which is why servers
// that trust it are a finding.
import type { Scenario } from '../model/types.ts';
import { ACAM, ACAO, category, ok, pre, req } from './build.ts';

const sandboxed = { origin: 'sandboxed' as const };

export const nullOrigin: Scenario[] = category('null-origin', [
  { id: 'null-origin-acao-null', title: 'Sandboxed iframe (Origin: null), ACAO null', request: req(), page: sandboxed, response: ok([[ACAO, 'null']]) },
  { id: 'null-origin-acao-star', title: 'Sandboxed iframe, ACAO *', request: req(), page: sandboxed, response: ok([[ACAO, '*']]) },
  // The frame's parent origin is irrelevant: the request's origin is the frame's opaque one.
  { id: 'null-origin-acao-parent', title: "Sandboxed iframe, ACAO names the parent's origin", request: req(), page: sandboxed, response: ok([[ACAO, 'http://$ORIGIN_HOST:$ORIGIN_PORT']]) },
  { id: 'null-origin-reflected', title: 'Sandboxed iframe, the server reflects Origin (trusts null)', request: req(), page: sandboxed, response: ok([[ACAO, '$REQUEST_ORIGIN']]) },
  { id: 'null-origin-preflight', title: 'Sandboxed iframe, preflighted PUT, ACAO null on both', request: req({ method: 'PUT', body: 'x' }), page: sandboxed, preflight: pre([[ACAO, 'null'], [ACAM, 'PUT']]), response: ok([[ACAO, 'null']]) },
]);
