// Chromium's Local Network Access: a page from a public address calling a loopback API needs the
// local-network-access permission as well as CORS. The Fetch standard (the oracle) has no such
// rule, so the oracle expects CORS alone to decide; the denied row's block is recorded in
// deviations.ts.
import type { Scenario } from '../types.ts';
import { ACAM, ACAO, category, exact, ok, pre, req } from './build.ts';

export const localNetworkAccess: Scenario[] = category('local-network-access', [
  { id: 'lna-public-to-loopback-granted', title: 'Public page calls a loopback API, local-network-access granted', request: req(), page: { origin: 'public', localNetworkAccess: 'grant' }, response: ok([[ACAO, '*']]) },
  { id: 'lna-public-to-loopback-denied', title: 'Public page calls a loopback API without the permission', request: req(), page: { origin: 'public', localNetworkAccess: 'deny' }, response: ok([[ACAO, '*']]) },
  { id: 'lna-public-preflight-granted', title: 'Public page, preflighted PUT to loopback, permission granted', request: req({ method: 'PUT', body: 'x' }), page: { origin: 'public', localNetworkAccess: 'grant' }, preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'PUT']]), response: exact },
]);
