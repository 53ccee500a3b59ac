// Chromium's Local Network Access: a page from a public address calling a loopback API needs the
// local-network-access permission as well as CORS. The Fetch standard (the oracle) has no such
// rule, so the oracle expects CORS alone to decide; the denied rows' blocks are recorded in
// deviations.ts. The public-site rows serve the public page on a named site (page.site) through a
// proxy whose address the engines count as public, and call the loopback API directly: the case a
// production site calling a developer's local API meets.
import type { Scenario } from '../model/types.ts';
import { ACAM, ACAO, category, exact, ok, pre, req } from './build.ts';

// https: Chromium lets only a secure context ask for local network access ("The request client is
// not a secure context and the resource is in more-private address space `loopback`" for http).
const PUBLIC_SITE = 'https://app.public-site.test';

export const localNetworkAccess: Scenario[] = category('local-network-access', [
  { id: 'lna-public-to-loopback-granted', title: 'Public page calls a loopback API, local-network-access granted', request: req(), page: { origin: 'public', localNetworkAccess: 'grant' }, response: ok([[ACAO, '*']]) },
  { id: 'lna-public-to-loopback-denied', title: 'Public page calls a loopback API without the permission', request: req(), page: { origin: 'public', localNetworkAccess: 'deny' }, response: ok([[ACAO, '*']]) },
  { id: 'lna-public-preflight-granted', title: 'Public page, preflighted PUT to loopback, permission granted', request: req({ method: 'PUT', body: 'x' }), page: { origin: 'public', localNetworkAccess: 'grant' }, preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'PUT']]), response: exact },
  { id: 'lna-public-site-to-loopback-granted', title: 'Public named site calls a loopback API, local-network-access granted', request: req(), page: { origin: 'public', site: PUBLIC_SITE, localNetworkAccess: 'grant' }, response: ok([[ACAO, '*']]) },
  { id: 'lna-public-site-to-loopback-denied', title: 'Public named site calls a loopback API without the permission', request: req(), page: { origin: 'public', site: PUBLIC_SITE, localNetworkAccess: 'deny' }, response: ok([[ACAO, '*']]) },
  { id: 'lna-public-site-preflight-granted', title: 'Public named site, preflighted PUT to loopback, permission granted', request: req({ method: 'PUT', body: 'x' }), page: { origin: 'public', site: PUBLIC_SITE, localNetworkAccess: 'grant' }, preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'PUT']]), response: exact },
  { id: 'lna-public-site-preflight-denied', title: 'Public named site, preflighted PUT to loopback without the permission', request: req({ method: 'PUT', body: 'x' }), page: { origin: 'public', site: PUBLIC_SITE, localNetworkAccess: 'deny' }, preflight: pre([[ACAO, '$ORIGIN'], [ACAM, 'PUT']]), response: exact },
]);
