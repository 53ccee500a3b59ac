// The engines the harness runs, one descriptor each; what the rest of the code knows about an
// engine comes from here. The ids and their order are harness/model/engine-ids.mjs, which the
// set-up reads too; an id without a descriptor here fails the type check.
import type { EngineId } from '../model/types.ts';
import type { EngineDescriptor } from './engine.ts';
import { chromium } from './chromium.ts';
import { firefox } from './firefox.ts';
import { webkit } from './webkit.ts';

const DESCRIPTORS: { readonly [id in EngineId]: EngineDescriptor } = { chromium, firefox, webkit };

export function engineDescriptor(id: EngineId): EngineDescriptor {
  const d = DESCRIPTORS[id];
  if (!d) throw new Error(`unknown engine ${JSON.stringify(id)}: one of ${Object.keys(DESCRIPTORS).join(', ')}`);
  return d;
}

const ALL = Object.values(DESCRIPTORS);

function matchesAny(patterns: Array<RegExp | undefined>): (text: string) => boolean {
  const defined = patterns.filter((p): p is RegExp => p !== undefined);
  return (text) => defined.some((p) => p.test(text));
}

/** An engine's text saying it refused a request under CORS (or Local Network Access) before sending. Any engine's words. */
export const isCorsMessage = matchesAny(ALL.map((d) => d.corsMessage));

/** An engine's text saying the request failed below CORS. Any engine's words. */
export const isNetworkFailureMessage = matchesAny(ALL.map((d) => d.networkFailureMessage));

/** An engine's text saying it refused a request as mixed content. Any engine's words. */
export const isMixedContentMessage = matchesAny(ALL.map((d) => d.mixedContentMessage));

/** The engine whose Local Network Access, in its own words, refused the request `message` is about. */
export function localNetworkAccessRefuser(message: string): EngineDescriptor | undefined {
  return ALL.find((d) => d.localNetworkAccess?.message.test(message));
}

export function appliesLocalNetworkAccess(id: EngineId): boolean {
  return engineDescriptor(id).localNetworkAccess !== undefined;
}

/** The engines' labels, those that apply Local Network Access and the others, for explanations. */
export const LOCAL_NETWORK_ACCESS_LABELS = {
  applying: ALL.filter((d) => d.localNetworkAccess).map((d) => d.label),
  others: ALL.filter((d) => !d.localNetworkAccess).map((d) => d.label),
};
