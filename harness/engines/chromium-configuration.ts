// What a Chromium runs with, read back from Chromium itself: its preferences from
// chrome://prefs-internals and its command line from chrome://version, both opened in the browser's
// default profile through a browser-level DevTools session (a Playwright context is an
// off-the-record profile, where chrome:// pages do not load). Loaded with the driver.
import type { Browser, CDPSession } from 'playwright';
import type { EngineConfiguration, EngineSetting, Regime } from '../model/types.ts';

/** Evaluate `expression` (its promise awaited) in a chrome:// page of the default profile; the page is closed after. */
async function inChromePage(session: CDPSession, url: string, expression: string): Promise<unknown> {
  const { targetId } = await session.send('Target.createTarget', { url });
  try {
    // A flat session cannot be addressed through Playwright's CDPSession: the older relayed form can.
    const { sessionId } = await session.send('Target.attachToTarget', { targetId, flatten: false });
    let next = 0;
    const call = (method: string, params: object) => new Promise<{ result?: { result?: { value?: unknown } } }>((resolve) => {
      const id = ++next;
      const on = (m: { sessionId?: string; message: string }) => {
        if (m.sessionId !== sessionId) return;
        const reply = JSON.parse(m.message) as { id?: number };
        if (reply.id !== id) return;
        session.off('Target.receivedMessageFromTarget', on);
        resolve(reply as { result?: { result?: { value?: unknown } } });
      };
      session.on('Target.receivedMessageFromTarget', on);
      void session.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
    });
    // Bounded: 100 tries of 100 ms for the page to finish loading.
    for (let i = 0; i < 100; i++) {
      const ready = await call('Runtime.evaluate', { expression: 'document.readyState', returnByValue: true });
      if (ready.result?.result?.value === 'complete') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return (await call('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })).result?.result?.value;
  } finally {
    await session.send('Target.closeTarget', { targetId }).catch(() => {});
  }
}

// components/content_settings/core/common/cookie_controls_enforcement.h: CookieControlsMode.
const COOKIE_CONTROLS: Record<number, string> = {
  0: 'allowed (cookie controls: allow third-party cookies)',
  1: 'blocked (cookie controls: block third-party cookies)',
  2: 'allowed outside Incognito (cookie controls: block third-party cookies in Incognito)',
};
const COOKIE_CONTROLS_BRIEF: Record<number, string> = { 0: 'allowed', 1: 'blocked', 2: 'allowed outside Incognito' };

interface Pref { value: unknown; metadata?: string[] }

/** Who set a preference, from prefs-internals' metadata: in full, and in a few words. */
function prefSource(p: Pref | undefined): { full: string; brief: string } {
  const m = p?.metadata ?? [];
  if (m.includes('default')) return { full: 'the build\'s default', brief: 'the build\'s default' };
  if (m.includes('managed') || m.includes('recommended')) return { full: 'an enterprise policy', brief: 'an enterprise policy' };
  if (m.includes('command_line')) return { full: 'the command line', brief: 'the command line' };
  if (m.includes('user_controlled')) return { full: 'the harness, as a user would in the settings (users regime)', brief: 'set as a user would in the settings' };
  return { full: 'the profile', brief: 'the profile' };
}

/** The switches after the program, each `--name[=value]`; the last of a repeated switch is the one Chromium uses. */
export function chromiumSwitches(commandLine: string): string[] {
  return commandLine.trim().split(/\s+(?=--)/).slice(1);
}

function lastSwitch(switches: string[], name: string): string | undefined {
  return switches.filter((s) => s.startsWith(`--${name}=`)).pop()?.slice(name.length + 3);
}

/** A feature's state from the command line: switched off or on there, or the build's default. */
function feature(switches: string[], name: string, onByDefault: string, off: string): EngineSetting {
  if (lastSwitch(switches, 'disable-features')?.split(',').includes(name)) return { value: off, from: `chrome://version: --disable-features=...${name}...` };
  if (lastSwitch(switches, 'enable-features')?.split(',').includes(name)) return { value: onByDefault, from: `chrome://version: --enable-features=...${name}...` };
  return { value: onByDefault, from: `chrome://version: ${name} not switched (the build's default)` };
}

/**
 * The text `expression` gives in the chrome:// page `url`, once `accept` takes it. On a loaded machine
 * a read came back empty (chrome://version "gave no text") or cut short (chrome://prefs-internals at
 * exactly 131072 characters) in CI: the page is opened and read again, a bounded number of times
 * (the caller bounds the whole read at 60 s).
 */
async function readText<T = string>(session: CDPSession, url: string, expression: string, accept: (text: string) => T = (t) => t as T): Promise<T> {
  let last = 'no text';
  for (let attempt = 0; attempt < 8; attempt++) {
    const value = await inChromePage(session, url, expression);
    if (typeof value === 'string' && value.length) {
      try { return accept(value); } catch (e) { last = (e as Error).message; }
    }
    await new Promise((r) => setTimeout(r, 250 * (attempt + 1)));
  }
  throw new Error(`${url} gave ${last === 'no text' ? 'no text' : `no usable text (${last})`} in 8 reads`);
}

/**
 * The `users` regime's cookie controls: "Block third-party cookies in Incognito" (2), upstream
 * Chromium's registered default and what Chrome's users have, set as a user would, through the
 * settings page's own API (chrome.settingsPrivate) in the default profile. Playwright's contexts are
 * off-the-record profiles that follow it, not Incognito windows (checked here: with 2 a new context
 * sends a SameSite=None; Secure cookie cross-site, with 1 it does not).
 */
async function allowThirdPartyCookiesOutsideIncognito(session: CDPSession): Promise<void> {
  const r = await inChromePage(session, 'chrome://settings/cookies',
    "new Promise((r) => chrome.settingsPrivate.setPref('profile.cookie_controls_mode', 2, '', (ok) => r(ok === true ? 'ok' : String(chrome.runtime.lastError?.message ?? ok))))");
  if (r !== 'ok') throw new Error(`chrome.settingsPrivate.setPref(profile.cookie_controls_mode, 2) failed: ${String(r)}`);
}

/**
 * Features Playwright's default switches turn off that Chrome's users have on, and that change what a
 * cross-site request does: the `users` regime keeps them on. The rest of Playwright's list (start-up
 * noise: translation, media router, optimisation hints, network time...) stays off. Chromium obeys the
 * last --disable-features on its command line, and Playwright puts a launch's `args` after its own.
 *
 * HttpsUpgrades stays off in both regimes. Chrome upgrades a navigation to an http:// page on a public
 * name to https and falls back to http when the https load fails. An attacker page on http (the
 * scheme-downgrade checks) is the attacker's own, or one a network attacker forces back to http by
 * failing the https load, so the question a check asks is what the page can do once it is on http.
 * With the feature on, Chromium loaded the https twin of every such page here (the harness serves
 * both), and policy mode's http-origin checks ran from the wrong origin.
 */
export const PLAYWRIGHT_FEATURES_USERS_HAVE = ['ThirdPartyStoragePartitioning', 'BlockOriginHeaderModificationOnRedirect', 'AvoidCorsURLLoaderRestartOnRedirect'];
export const USERS_DISABLED_FEATURES = ['HttpsUpgrades', 'AvoidUnnecessaryBeforeUnloadCheckSync', 'DestroyProfileOnBrowserClose', 'DialMediaRouteProvider', 'GlobalMediaControls', 'LensOverlay', 'MediaRouter', 'PaintHolding', 'Translate', 'AutoDeElevate', 'OptimizationHints', 'NetworkTimeServiceQuerying', 'AimEnabled'];

export async function readChromiumConfiguration(browser: Browser, regime: Regime = 'installed'): Promise<EngineConfiguration> {
  const session = await browser.newBrowserCDPSession();
  try {
    if (regime === 'users') await allowThirdPartyCookiesOutsideIncognito(session);
    // The two pages at once: each is a page load in a browser that may still be starting.
    const [prefs, commandLine] = await Promise.all([
      readText(session, 'chrome://prefs-internals', 'document.body.innerText', (t) => JSON.parse(t) as { profile?: Record<string, Pref> }),
      readText(session, 'chrome://version', 'document.querySelector("#command_line").innerText'),
    ]);
    const switches = chromiumSwitches(commandLine);
    const mode = prefs.profile?.cookie_controls_mode;
    const overrides = lastSwitch(switches, 'ip-address-space-overrides');
    const lna = feature(switches, 'LocalNetworkAccessChecks', 'checked', 'not checked');
    return {
      thirdPartyCookies: {
        value: COOKIE_CONTROLS[Number(mode?.value)] ?? `unknown (cookie_controls_mode ${JSON.stringify(mode?.value)})`,
        from: `chrome://prefs-internals: profile.cookie_controls_mode = ${JSON.stringify(mode?.value)}, set by ${prefSource(mode).full}`,
        brief: `${COOKIE_CONTROLS_BRIEF[Number(mode?.value)] ?? 'unknown'} (cookie_controls_mode ${JSON.stringify(mode?.value)}, ${prefSource(mode).brief})`,
      },
      storagePartitioning: feature(switches, 'ThirdPartyStoragePartitioning', 'on', 'off'),
      httpsUpgrades: feature(switches, 'HttpsUpgrades', 'on', 'off'),
      // The overrides name this run's ports: counted, so two runs' configurations compare equal.
      localNetworkAccess: overrides ? { value: `${lna.value}; the harness's ${overrides.split(',').length} origin servers count as public addresses`, from: `${lna.from}; --ip-address-space-overrides` } : lna,
      automation: switches.filter((s) => !/^--(user-data-dir|flag-switches-(begin|end))\b/.test(s))
        .map((s) => (s.startsWith('--ip-address-space-overrides=') ? '--ip-address-space-overrides=<the harness\'s origin servers>' : s)),
    };
  } finally {
    await session.detach().catch(() => {});
  }
}
