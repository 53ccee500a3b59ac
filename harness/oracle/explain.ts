// One-line reasons and fixes for a developer, from the failures the algorithms report. Values
// are shown with the scenario's placeholders ($ORIGIN, $TARGET, $TARGET2) put back, so an
// expected reason reads the same in every run whatever ports the servers got.

import type { CorsCheckProblem, Failure, Problem, Where } from './failures.ts';
import { OPAQUE_ORIGIN } from './origin.ts';

export interface Explanation {
  readonly reason: string;
  readonly fix: string;
}

/** Maps a substituted value back to the scenario's spelling. */
export type Show = (value: string) => string;

const REFLECT = 'reflect the request\'s Origin after checking it against your allow-list';

export function explainFailure(failure: Failure, show: Show): Explanation {
  return explainProblem(failure.problem, failure.where, show);
}

function explainProblem(problem: Problem, where: Where, show: Show): Explanation {
  switch (problem.kind) {
    case 'acao-missing':
    case 'acao-wildcard-with-credentials':
    case 'acao-mismatch':
    case 'acac-not-true':
      return explainCorsCheck(problem, where, show);
    case 'preflight-redirect':
      return {
        reason: `The preflight (OPTIONS) got a ${problem.status} redirect; a browser never follows a redirect for a preflight`,
        fix: 'Answer OPTIONS at the requested URL itself with 204 and the CORS headers (no trailing-slash, https or login redirect)',
      };
    case 'preflight-status':
      return explainPreflightStatus(problem.status, problem.cors, where);
    case 'acam-invalid':
      return {
        reason: `Access-Control-Allow-Methods contains '${show(problem.token)}', which is not a method token, so the whole header fails to parse`,
        fix: 'List bare method names separated by commas, e.g. Access-Control-Allow-Methods: GET, POST, PUT',
      };
    case 'acah-invalid':
      return {
        reason: `Access-Control-Allow-Headers contains '${show(problem.token)}', which is not a header-name token, so the whole header fails to parse`,
        fix: 'List bare header names separated by commas, e.g. Access-Control-Allow-Headers: Content-Type, Authorization',
      };
    case 'method-not-allowed':
      return explainMethod(problem.method, problem.allowed, where.credentials);
    case 'authorization-not-allowed':
      return {
        reason: problem.wildcard
          ? 'Access-Control-Allow-Headers: * does not cover Authorization; the standard requires it to be listed by name'
          : 'Request header authorization is not listed in Access-Control-Allow-Headers',
        fix: 'List it by name: Access-Control-Allow-Headers: Authorization (plus the other headers the page sends)',
      };
    case 'header-not-allowed':
      return explainHeader(problem.name, problem.allowed, where.credentials);
    case 'redirect-credentials':
      return {
        reason: `The redirect Location ${show(problem.location)} carries user:pass@; a CORS request never follows a redirect to a URL with credentials`,
        fix: 'Redirect to a URL without a username or password',
      };
    case 'redirect-limit':
      return { reason: 'The request was redirected more than 20 times', fix: 'Break the redirect loop' };
    case 'api-error':
      return { reason: `The page's call throws before anything is sent: ${problem.message}`, fix: problem.fix };
    case 'no-cors-opaque':
      return {
        reason: 'no-cors gives an opaque response: the request is sent, but the page cannot read its status, headers or body',
        fix: 'Use mode: \'cors\' and send Access-Control-Allow-Origin: $ORIGIN (or * without credentials)',
      };
    case 'script-status':
      return {
        reason: `The module script was answered ${problem.status}; a module script needs an ok status (200-299)`,
        fix: 'Serve the script with status 200',
      };
    case 'script-mime':
      return {
        reason: problem.essence === null
          ? 'The module script is served without a Content-Type; a module script needs a JavaScript MIME type'
          : `The module script is served as ${problem.essence}; a module script needs a JavaScript MIME type`,
        fix: 'Send Content-Type: text/javascript',
      };
    case 'nul-in-field':
      return {
        reason: `${subject(where)} has a NUL byte in its ${problem.name} header value; HTTP lets the engine reject such a message (RFC 9110 section 5.5) instead of replacing it with a space, and the page sees a network error before any CORS check`,
        fix: `Remove the NUL byte from ${problem.name}`,
      };
    case 'image-undecodable':
      return {
        reason: 'The response passes CORS but its body is not an image, so <img> fires error instead of load',
        fix: 'Serve image bytes (in a scenario: body "$GIF")',
      };
  }
}

/** The value the CORS check wants, as the fix should name it. */
function wantedOrigin(where: Where): string {
  if (where.requestOrigin === OPAQUE_ORIGIN) return where.credentials ? 'null' : 'null (or *)';
  return where.credentials ? '$ORIGIN' : '$ORIGIN (or *)';
}

/** Which response failed, for the start of a reason. */
function subject(where: Where): string {
  if (where.stage === 'preflight') return 'The preflight response';
  if (where.isRedirect) return `The ${where.status} redirect response`;
  if (where.hop > 0) return 'The response after the redirect';
  return `The ${where.status} response`;
}

function nullOriginCause(where: Where): string {
  return where.hop > 0 ? 'after a cross-origin redirect the request\'s Origin is null' : 'the page\'s origin is opaque, so its Origin is null';
}

// Fetch §4.10 CORS check failures.
function explainCorsCheck(problem: CorsCheckProblem, where: Where, show: Show): Explanation {
  switch (problem.kind) {
    case 'acao-missing':
      return explainMissingAcao(where);
    case 'acao-wildcard-with-credentials':
      return {
        reason: `${subject(where)} has Access-Control-Allow-Origin: *, which a browser rejects when the request includes credentials`,
        fix: `Send Access-Control-Allow-Origin: ${where.requestOrigin === OPAQUE_ORIGIN ? 'null' : '$ORIGIN'} (${REFLECT}) with Access-Control-Allow-Credentials: true and Vary: Origin`,
      };
    case 'acao-mismatch':
      return explainMismatch(problem.value, problem.expected, problem.lines, where, show);
    case 'acac-not-true':
      return {
        reason: problem.value === null
          ? `The request includes credentials but ${subject(where).toLowerCase()} has no Access-Control-Allow-Credentials`
          : `Access-Control-Allow-Credentials is '${show(problem.value)}'; a credentialed request needs exactly true (lowercase, one value)`,
        fix: 'Send Access-Control-Allow-Credentials: true',
      };
  }
}

function explainMissingAcao(where: Where): Explanation {
  const wanted = wantedOrigin(where);
  if (where.stage === 'preflight') {
    return { reason: 'The preflight response has no Access-Control-Allow-Origin', fix: `Answer OPTIONS with Access-Control-Allow-Origin: ${wanted} as well` };
  }
  if (where.isRedirect) {
    return {
      reason: `${subject(where)} has no Access-Control-Allow-Origin; a browser runs the CORS check on each redirect before following it`,
      fix: `Send Access-Control-Allow-Origin: ${wanted} on the redirect response too`,
    };
  }
  if (where.status !== null && where.status >= 400) {
    return {
      reason: `${subject(where)} has no Access-Control-Allow-Origin, so the page sees a network error instead of status ${where.status}`,
      fix: `Send Access-Control-Allow-Origin: ${wanted} on error responses too (nginx: add_header ... always)`,
    };
  }
  return { reason: `${subject(where)} has no Access-Control-Allow-Origin header`, fix: `Send Access-Control-Allow-Origin: ${wanted}` };
}

function explainMismatch(value: string, expected: string, lines: number, where: Where, show: Show): Explanation {
  const shown = show(value);
  const exact = `Send exactly one origin: Access-Control-Allow-Origin: $ORIGIN (${REFLECT}) and add Vary: Origin` +
    (where.credentials ? '' : '; * also works for a request without credentials');
  if (lines > 1) {
    return {
      reason: `Access-Control-Allow-Origin is sent ${lines} times ('${shown}'); a browser accepts exactly one value`,
      fix: `Set the header in one place only (the app or the proxy, not both): ${exact.charAt(0).toLowerCase()}${exact.slice(1)}`,
    };
  }
  if (value.includes(',')) {
    const count = value.split(',').length;
    return { reason: `Access-Control-Allow-Origin lists ${count} origins ('${shown}'); a browser accepts exactly one`, fix: exact };
  }
  if (expected === OPAQUE_ORIGIN) {
    return {
      reason: `Access-Control-Allow-Origin is '${shown}', but ${nullOriginCause(where)}`,
      fix: where.credentials
        ? 'Send Access-Control-Allow-Origin: null with Access-Control-Allow-Credentials: true (any sandboxed or data: page can then read it), or avoid the cross-origin redirect'
        : 'Send Access-Control-Allow-Origin: * (or null), or avoid the cross-origin redirect',
    };
  }
  return { reason: mismatchReason(value, expected, show), fix: exact };
}

/** Names the usual near-misses (Fetch compares the serialized origin byte for byte). */
function mismatchReason(value: string, expected: string, show: Show): string {
  const shown = show(value);
  const origin = show(expected);
  if (value === '') return 'Access-Control-Allow-Origin is empty';
  if (/^".*"$/.test(value)) return `Access-Control-Allow-Origin is quoted (${shown}); the value must be the bare origin`;
  if (value.includes('*')) return `Access-Control-Allow-Origin '${shown}' is not a pattern: only * alone or one exact origin matches`;
  if (value === OPAQUE_ORIGIN) return `Access-Control-Allow-Origin is null, but the page's origin is ${origin}`;
  if (value.replace(/\/+$/, '') === expected) return `Access-Control-Allow-Origin '${shown}' has a trailing slash; an origin has no path`;
  if (value.toLowerCase() === expected.toLowerCase()) return `Access-Control-Allow-Origin '${shown}' differs from ${origin} in letter case; the comparison is exact`;
  if (sameOriginWhenParsed(value, expected)) return `Access-Control-Allow-Origin '${shown}' is not spelled as the serialized origin ${origin} (default port or path)`;
  return `Access-Control-Allow-Origin '${shown}' is not the page's origin ${origin}`;
}

function sameOriginWhenParsed(value: string, expected: string): boolean {
  try {
    return new URL(value).origin === expected;
  } catch {
    return false;
  }
}

function explainPreflightStatus(status: number, cors: CorsCheckProblem | null, where: Where): Explanation {
  const headers = `Access-Control-Allow-Origin: ${wantedOrigin(where)}, Access-Control-Allow-Methods and Access-Control-Allow-Headers`;
  if (cors?.kind === 'acao-missing') {
    return {
      reason: `The preflight (OPTIONS) got ${status} without CORS headers: the server does not handle OPTIONS for this URL`,
      fix: `Answer OPTIONS with 204 and ${headers}`,
    };
  }
  return {
    reason: `The preflight (OPTIONS) got status ${status}; only 200-299 passes (authentication or routing ran before CORS)`,
    fix: `Answer OPTIONS with 204 and ${headers}, before any authentication check`,
  };
}

function explainMethod(method: string, allowed: string[], credentials: boolean): Explanation {
  const fix = `Access-Control-Allow-Methods: ${[...allowed.filter((m) => m !== '*'), method].join(', ')}`;
  if (credentials && allowed.includes('*')) {
    return { reason: `Access-Control-Allow-Methods: * is taken literally for a credentialed request, so ${method} is not allowed`, fix: `List the method: ${fix}` };
  }
  const caseTwin = allowed.find((m) => m.toLowerCase() === method.toLowerCase());
  if (caseTwin !== undefined) {
    return {
      reason: `Method ${method} is not allowed: Access-Control-Allow-Methods lists ${caseTwin}, and methods compare case-sensitively (fetch uppercases only DELETE, GET, HEAD, OPTIONS, POST and PUT)`,
      fix: `Send ${caseTwin} from the page, or list ${method} exactly: ${fix}`,
    };
  }
  const listed = allowed.length === 0 ? 'the preflight response has no Access-Control-Allow-Methods' : `it lists ${allowed.join(', ')}`;
  return { reason: `Method ${method} is not in Access-Control-Allow-Methods (${listed})`, fix };
}

function explainHeader(name: string, allowed: string[], credentials: boolean): Explanation {
  const fix = `Access-Control-Allow-Headers: ${[...allowed.filter((h) => h !== '*'), name].join(', ')}`;
  if (credentials && allowed.includes('*')) {
    return { reason: `Access-Control-Allow-Headers: * is taken literally for a credentialed request, so ${name} is not allowed`, fix: `List the header: ${fix}` };
  }
  const note = name === 'content-type' ? ' (Content-Type needs listing unless it is application/x-www-form-urlencoded, multipart/form-data or text/plain)' : '';
  const listed = allowed.length === 0 ? 'the preflight response has no Access-Control-Allow-Headers' : `it lists ${allowed.join(', ')}`;
  return { reason: `Request header ${name} is not in Access-Control-Allow-Headers (${listed})${note}`, fix };
}

/** Why an allowed request passed, for the verdict's reason. */
export function explainAllowed(via: 'wildcard' | 'origin' | 'credentials', nullOrigin: boolean): Explanation {
  const origin = nullOrigin ? 'the request\'s null origin' : 'the page\'s origin';
  const reason = {
    wildcard: 'Access-Control-Allow-Origin: * lets any origin read a response to a request without credentials',
    origin: `Access-Control-Allow-Origin matches ${origin}`,
    credentials: `Access-Control-Allow-Origin matches ${origin} and Access-Control-Allow-Credentials is true`,
  }[via];
  return { reason, fix: 'Nothing to change' };
}
