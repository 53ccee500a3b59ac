// Fetch §4.10 CORS check. https://fetch.spec.whatwg.org/#concept-cors-check

import type { CredentialsMode } from '../model/types.ts';
import type { CorsCheckProblem } from './failures.ts';
import { countLines, get, type HeaderList } from './headers.ts';
import { serializeRequestOrigin, type OriginBearer } from './origin.ts';

export interface CorsCheckRequest extends OriginBearer {
  readonly credentialsMode: CredentialsMode;
}

export type CorsCheckResult =
  | { ok: true; step: number; via: 'wildcard' | 'origin' | 'credentials' }
  | { ok: false; step: number; problem: CorsCheckProblem };

export function corsCheck(request: CorsCheckRequest, headers: HeaderList): CorsCheckResult {
  const include = request.credentialsMode === 'include';
  // 1. Let origin be the result of getting `Access-Control-Allow-Origin`: duplicate header lines
  // come back joined by ", ", so two lines can never equal one origin.
  const origin = get(headers, 'Access-Control-Allow-Origin');
  // 2. If origin is null, then return failure. (Null is not `null`.)
  if (origin === null) return { ok: false, step: 2, problem: { kind: 'acao-missing' } };
  // 3. Without credentials, `*` succeeds.
  if (!include && origin === '*') return { ok: true, step: 3, via: 'wildcard' };
  // 4. Otherwise the value must be the byte-serialized request origin, exactly.
  const expected = serializeRequestOrigin(request);
  if (origin !== expected) return { ok: false, step: 4, problem: mismatch(origin, expected, headers, include) };
  // 5. Without credentials, the origin match is enough.
  if (!include) return { ok: true, step: 5, via: 'origin' };
  // 6-7. With credentials, `Access-Control-Allow-Credentials` must be exactly `true`.
  const credentials = get(headers, 'Access-Control-Allow-Credentials');
  if (credentials === 'true') return { ok: true, step: 7, via: 'credentials' };
  // 8. Return failure.
  return { ok: false, step: 8, problem: { kind: 'acac-not-true', value: credentials } };
}

function mismatch(value: string, expected: string, headers: HeaderList, include: boolean): CorsCheckProblem {
  if (include && value === '*') return { kind: 'acao-wildcard-with-credentials' };
  return { kind: 'acao-mismatch', value, expected, lines: countLines(headers, 'Access-Control-Allow-Origin') };
}
