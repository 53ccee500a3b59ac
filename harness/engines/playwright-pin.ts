// The Playwright releases this package drives its engines with, in one place: the command's version
// check and advice, the Firefox refusal, and (checked by tests/runs/pinning.spec.ts and
// tests/runs/package*.spec.ts) the package.json ranges and the releases a test installs.
import { createRequire } from 'node:module';

export const PLAYWRIGHT_PIN = {
  /** The release this repository installs and users are told to install. */
  version: '1.64.1',
  /** What the command accepts in a user's project: every minor release a test installs, no further. */
  range: '>=1.64.1 <1.66.0',
  /** The same range as package.json's peerDependencies write it. */
  peerRange: '>=1.64.1 <1.66.0',
  /** The releases tests/runs/package*.spec.ts install in fresh projects, one per minor release of the range. */
  tested: ['1.64.1', '1.65.2'],
  /**
   * From this release on, Playwright sends `emulation.setMediaFeaturesOverride` when it creates every
   * BiDi context (unconditionally: no launch or context option avoids it), and Firefox ESR 153's
   * WebDriver BiDi has no such command. Playwright's own Firefox build (juggler) is not affected.
   */
  firefoxBidiUntil: '1.65.0',
  /** Why Firefox ESR is refused from that release on, in a few words. */
  why: 'it sends a BiDi command Firefox ESR 153 rejects, emulation.setMediaFeaturesOverride',
} as const;

/** `npm i -D @playwright/test@<version>`: the one install command every message gives. */
export const PLAYWRIGHT_INSTALL = `npm i -D @playwright/test@${PLAYWRIGHT_PIN.version}`;

function parts(version: string): number[] {
  return version.split(/[.-]/).slice(0, 3).map(Number);
}

function compare(a: string, b: string): number {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/** `version` is inside PLAYWRIGHT_PIN.range (written `>=A <B`). */
export function playwrightInRange(version: string): boolean {
  const [, low, high] = /^>=(\S+) <(\S+)$/.exec(PLAYWRIGHT_PIN.range)!;
  return compare(version, low) >= 0 && compare(version, high) < 0;
}

/** The @playwright/test the project resolves (the user's, as a peer dependency), or null. */
export function installedPlaywright(): string | null {
  try { return (createRequire(import.meta.url)('@playwright/test/package.json') as { version: string }).version; } catch { return null; }
}

/** The `playwright` the engines launch with (@playwright/test's own; package.json makes it an optional peer so npm never adds a newer one beside it). */
function launchingPlaywright(): string | null {
  try { return (createRequire(import.meta.url)('playwright/package.json') as { version: string }).version; } catch { return installedPlaywright(); }
}

/** Why this Playwright cannot drive the Firefox found here (Debian's ESR over BiDi), or null. */
export function firefoxRefusal(loc: { channel?: string }, version: string | null = launchingPlaywright()): string | null {
  if (loc.channel !== 'moz-firefox' || !version || compare(version, PLAYWRIGHT_PIN.firefoxBidiUntil) < 0) return null;
  return `@playwright/test ${version} cannot drive Firefox ESR over WebDriver BiDi: ${PLAYWRIGHT_PIN.why}. Fix: ${PLAYWRIGHT_INSTALL}, or npx playwright install firefox (Playwright's own Firefox), or leave firefox out (--engines chromium,webkit)`;
}
