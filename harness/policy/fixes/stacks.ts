// Every stack's fix table, by id, and a finding's fix in the stacks a run recognised. Pure.
import type { FindingKind } from '../kinds.ts';
import { LEVER_OF, STACK_IDS, type FixInput, type StackFix, type StackFixRow, type StackId } from './stack-fix.ts';
import { EXPRESS } from './express.ts';
import { KOA } from './koa.ts';
import { FASTIFY } from './fastify.ts';
import { HONO } from './hono.ts';
import { FLASK } from './flask.ts';
import { DJANGO } from './django.ts';
import { STARLETTE } from './starlette.ts';
import { RAILS } from './rails.ts';
import { SPRING } from './spring.ts';
import { ASPNET } from './aspnet.ts';
import { GO } from './go.ts';
import { NGINX } from './nginx.ts';
import { NGINX_PROXY } from './nginx-proxy.ts';
import { APACHE } from './apache.ts';
import { CADDY } from './caddy.ts';
import { GENERIC } from './generic.ts';

export { STACK_IDS, type StackFix, type StackId };

export const STACKS: Record<StackId, StackFixRow> = {
  express: EXPRESS, koa: KOA, fastify: FASTIFY, hono: HONO, flask: FLASK, django: DJANGO, starlette: STARLETTE,
  rails: RAILS, spring: SPRING, aspnet: ASPNET, go: GO, nginx: NGINX, 'nginx-proxy': NGINX_PROXY, apache: APACHE,
  caddy: CADDY, generic: GENERIC,
};

/** A stack's fix for one kind: what to change and the whole configuration; null where the kind's fix is no CORS header. */
export function stackFix(stack: StackId, kind: FindingKind, input: FixInput): StackFix | null {
  const lever = LEVER_OF[kind];
  if (!lever) return null;
  const row = STACKS[stack];
  return { stack, label: row.label, library: row.library, docs: row.docs, language: row.language, change: row.change[lever](input), config: row.config(input) };
}

/** One line, the same in every report: which stack the fixes are for, and why. */
export function stackLine(r: { stack: StackId; app?: StackId; source: string; because: string }): string {
  const what = `${STACKS[r.stack].label}${r.app ? `, in front of ${STACKS[r.app].label}` : ''}`;
  if (r.source === 'none') return `fixes for: ${what} (${r.because})`;
  return `fixes for: ${what}, ${r.source === 'policy' ? 'named in the policy' : 'recognised from the responses'}: ${r.because}`;
}
