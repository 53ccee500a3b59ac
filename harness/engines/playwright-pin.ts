// The Playwright releases this package drives its engines with, in one place: the command's version
// check and advice, the Firefox launch hint, and (checked by tests/runs/pinning.spec.ts) the
// package.json ranges. 1.65 sends a WebDriver BiDi command Firefox ESR 153 lacks
// (`emulation.setMediaFeaturesOverride: unknown command` on every new context).
export const PLAYWRIGHT_PIN = {
  /** The release this repository installs and users are told to install. */
  version: '1.64.1',
  /** What the command accepts in a user's project. */
  range: '>=1.64.1 <1.65.0',
  /** The same range as package.json's peerDependencies write it. */
  peerRange: '~1.64.1',
  /** Why a newer release is refused, in a few words. */
  why: '1.65 sends a BiDi command Firefox ESR 153 rejects',
} as const;

/** `npm i -D @playwright/test@<version>`: the one install command every message gives. */
export const PLAYWRIGHT_INSTALL = `npm i -D @playwright/test@${PLAYWRIGHT_PIN.version}`;
