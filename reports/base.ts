// What the matrix and policy reporters share: where reports go, how a file is written, how a value
// is escaped, how an outcome is shown, and which clock a run's duration comes from.
import fs from 'node:fs';
import path from 'node:path';
import type { FullResult } from '@playwright/test/reporter';
import type { Outcome } from '../harness/model/types.ts';
import { readSettings } from '../harness/settings.ts';


/** The reporter's `outputDir` option first; the environment only when the config gives none. */
export function reportDir(outputDir?: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(outputDir ?? readSettings(env).reportDir);
}

/** Write through a temporary file and rename, so no reader ever sees half a report. */
export function writeAtomic(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}

export function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));
}

export function escXml(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }[c]!))
    // XML 1.0 forbids most control characters even escaped.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

export const GLYPH: Record<Outcome, string> = { allowed: '✔', blocked: '✖', error: '⚠' };

/** Glyph and word, never colour alone; the glyph is hidden from screen readers, which read the word. */
export function outcomeText(o: Outcome, tag: 'i' | 'span' = 'i'): string {
  return `<${tag} aria-hidden="true">${GLYPH[o]}</${tag}> ${o}`;
}

/**
 * The run's wall time, not the sum of its tests' times (which counts parallel workers several
 * times over). Playwright measures it from the run's start to onEnd; for `merge-reports` it is the
 * span from the earliest shard's start to the latest shard's end, which is what the sharded run
 * took for whoever waited on it (a sum would count machines that ran side by side twice). The
 * reporter's own clock is the fallback when Playwright gives no usable span (a merge of blobs with
 * no end event).
 */
export function wallTimeMs(result: Pick<FullResult, 'duration'>, startedAt: number, now = Date.now()): number {
  const d = result.duration;
  return Math.round(Number.isFinite(d) && d >= 0 ? d : now - startedAt);
}

/** A wall time as the reports print it. */
export function wallTimeText(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s wall time`;
}

/** The test's place in the tree, as Playwright's own reporters print it. */
export function testTitle(test: { titlePath(): string[] }): string {
  return test.titlePath().filter(Boolean).join(' › ');
}

export function firstErrorLine(result: { error?: { message?: string }; status: string }): string {
  return result.error?.message?.split('\n')[0] ?? result.status;
}
