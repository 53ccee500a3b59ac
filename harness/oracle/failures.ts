// Why a fetch ended in a network error, as data: each algorithm reports what it saw, and
// explain.ts turns it into the one-line reason and fix a developer reads.

/** Fetch §4.10 CORS check failures. */
export type CorsCheckProblem =
  | { kind: 'acao-missing' }
  | { kind: 'acao-wildcard-with-credentials' }
  /** `value` is the header list's combined value; `lines` how many header lines carried it. */
  | { kind: 'acao-mismatch'; value: string; expected: string; lines: number }
  | { kind: 'acac-not-true'; value: string | null };

/** Fetch §4.8 CORS-preflight fetch failures beyond the CORS check. */
export type PreflightProblem =
  | { kind: 'preflight-redirect'; status: number }
  | { kind: 'preflight-status'; status: number; cors: CorsCheckProblem | null }
  | { kind: 'acam-invalid'; token: string }
  | { kind: 'acah-invalid'; token: string }
  | { kind: 'method-not-allowed'; method: string; allowed: string[] }
  | { kind: 'authorization-not-allowed'; wildcard: boolean }
  | { kind: 'header-not-allowed'; name: string; allowed: string[] };

/** Fetch §4.5 HTTP-redirect fetch failures. */
export type RedirectProblem =
  | { kind: 'redirect-credentials'; location: string }
  | { kind: 'redirect-limit' };

/** Outside CORS proper: the API threw, the response is opaque, or the module script was refused. */
export type OtherProblem =
  | { kind: 'api-error'; message: string; fix: string }
  | { kind: 'no-cors-opaque' }
  | { kind: 'script-status'; status: number }
  | { kind: 'script-mime'; essence: string | null }
  | { kind: 'image-undecodable' }
  /** A response header value holds a NUL byte, and the engine rejects the message (RFC 9110 §5.5). */
  | { kind: 'nul-in-field'; name: string };

export type Problem = CorsCheckProblem | PreflightProblem | RedirectProblem | OtherProblem;

/** Where on the request's path the problem showed. */
export interface Where {
  readonly stage: 'preflight' | 'actual';
  /** 0: the first URL; n: the URL reached after n redirects. */
  readonly hop: number;
  /** Status of the response that failed (null: no response involved). */
  readonly status: number | null;
  /** The failing response was itself a redirect (its CORS headers were checked before following it). */
  readonly isRedirect: boolean;
  /** The serialized request origin the check compared against (`null` after a taint). */
  readonly requestOrigin: string;
  readonly credentials: boolean;
}

export interface Failure {
  readonly problem: Problem;
  readonly where: Where;
  /** The Fetch section and step that decided, e.g. `Fetch §4.10 CORS check, step 4`. */
  readonly step: string;
}
