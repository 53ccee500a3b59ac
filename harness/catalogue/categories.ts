// The built-in catalogue: one file per category, in report order.
import type { Scenario } from '../model/types.ts';
import { withDeviations } from './deviations.ts';
import { acaoFormat } from './acao-format.ts';
import { credentials } from './credentials.ts';
import { preflightTrigger } from './preflight-trigger.ts';
import { preflightResponse } from './preflight-response.ts';
import { exposedHeaders } from './exposed-headers.ts';
import { acaoMissing } from './acao-missing.ts';
import { errorResponses } from './error-responses.ts';
import { preflightStatus } from './preflight-status.ts';
import { preflightMethods } from './preflight-methods.ts';
import { preflightHeaders } from './preflight-headers.ts';
import { preflightCache } from './preflight-cache.ts';
import { redirects } from './redirects.ts';
import { nullOrigin } from './null-origin.ts';
import { httpCache } from './http-cache.ts';
import { xhr } from './xhr.ts';
import { requestKinds } from './request-kinds.ts';
import { localNetworkAccess } from './local-network-access.ts';
import { faults } from './faults.ts';
import { cookiesCrossSite } from './cookies-cross-site.ts';
import { sameSiteVsCrossSite } from './same-site-vs-cross-site.ts';
import { httpsMixedContent } from './https-mixed-content.ts';
import { preflightCacheByHostKind } from './preflight-cache-by-host-kind.ts';
import { thirdPartyCookies } from './third-party-cookies.ts';
import { wireBytes } from './wire-bytes.ts';
import { methodCase } from './method-case.ts';
import { requestHeaderBytes } from './request-header-bytes.ts';
import { userAgentReferer } from './user-agent-referer.ts';
import { referrerPolicy } from './referrer-policy.ts';
import { responseFiltering } from './response-filtering.ts';
import { headRequests } from './head-requests.ts';
import { redirectMethods } from './redirect-methods.ts';
import { noCorsMode } from './no-cors-mode.ts';

export const builtinScenarios: Scenario[] = withDeviations([
  ...acaoFormat, ...credentials, ...preflightTrigger, ...preflightResponse, ...exposedHeaders,
  ...acaoMissing, ...errorResponses,
  ...headRequests, ...userAgentReferer, ...referrerPolicy, ...requestHeaderBytes, ...responseFiltering,
  ...preflightStatus, ...preflightMethods, ...methodCase, ...preflightHeaders, ...preflightCache,
  ...redirects, ...redirectMethods, ...nullOrigin, ...httpCache, ...xhr, ...requestKinds, ...noCorsMode, ...localNetworkAccess, ...faults, ...wireBytes,
  ...sameSiteVsCrossSite, ...cookiesCrossSite, ...thirdPartyCookies, ...httpsMixedContent, ...preflightCacheByHostKind,
]);
