// What a Chromium runs with, read back from Chromium itself: its preferences from
// chrome://prefs-internals and its command line from chrome://version, both opened in the browser's
// default profile through a browser-level DevTools session (a Playwright context is an
// off-the-record profile, where chrome:// pages do not load). Loaded with the driver.
import type { Browser, CDPSession } from 'playwright';
import type { EngineConfiguration, EngineSetting } from '../model/types.ts';

/** Evaluate `expression` in a chrome:// page of the default profile; the page is closed after. */
async function readPage(session: CDPSession, url: string, expression: string): Promise<string> {
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
    const value = (await call('Runtime.evaluate', { expression, returnByValue: true })).result?.result?.value;
    if (typeof value !== 'string') throw new Error(`${url} gave no text`);
    return value;
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

interface Pref { value: unknown; metadata?: string[] }

/** Who set a preference, from prefs-internals' metadata. */
function prefSource(p: Pref | undefined): string {
  const m = p?.metadata ?? [];
  if (m.includes('default')) return 'the build\'s default';
  if (m.includes('managed') || m.includes('recommended')) return 'an enterprise policy';
  if (m.includes('command_line')) return 'the command line';
  return 'the profile';
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

export async function readChromiumConfiguration(browser: Browser): Promise<EngineConfiguration> {
  const session = await browser.newBrowserCDPSession();
  try {
    const prefs = JSON.parse(await readPage(session, 'chrome://prefs-internals', 'document.body.innerText')) as { profile?: Record<string, Pref> };
    const commandLine = await readPage(session, 'chrome://version', 'document.querySelector("#command_line").innerText');
    const switches = chromiumSwitches(commandLine);
    const mode = prefs.profile?.cookie_controls_mode;
    const overrides = lastSwitch(switches, 'ip-address-space-overrides');
    const lna = feature(switches, 'LocalNetworkAccessChecks', 'checked', 'not checked');
    return {
      thirdPartyCookies: {
        value: COOKIE_CONTROLS[Number(mode?.value)] ?? `unknown (cookie_controls_mode ${JSON.stringify(mode?.value)})`,
        from: `chrome://prefs-internals: profile.cookie_controls_mode = ${JSON.stringify(mode?.value)}, set by ${prefSource(mode)}`,
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
