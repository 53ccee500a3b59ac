// What a MiniBrowser runs with, read back from its process's command line (/proc): MiniBrowser has no
// preference store; its switches are its configuration. Its defaults, as checked on this machine
// without automation (../shared/research/browsers-as-users-run-them.md): --cookies-policy
// no-third-party refuses to store third-party cookies, not to send the target's own first-party
// ones; --enable-itp (Intelligent Tracking Prevention, as Safari) sends none cross-site.
import fs from 'node:fs';
import type { EngineConfiguration } from '../../model/types.ts';

export function readWebKitConfiguration(pid: number): EngineConfiguration {
  const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').filter(Boolean);
  const switches = argv.slice(1).map((a) => a.replace(/^--proxy=.*/, '--proxy=<the harness proxy>'));
  const policy = switches.find((a) => a.startsWith('--cookies-policy='))?.slice('--cookies-policy='.length);
  const from = `MiniBrowser's command line (/proc/PID/cmdline): ${switches.filter((a) => /^--(enable-itp|cookies-policy)/.test(a)).join(' ') || 'no cookie switch'}`;
  const thirdPartyCookies = switches.includes('--enable-itp')
    ? { value: 'blocked (Intelligent Tracking Prevention, --enable-itp)', from, brief: 'blocked by Intelligent Tracking Prevention (--enable-itp)' }
    : policy === 'always' ? { value: 'sent (--cookies-policy=always)', from, brief: 'sent (--cookies-policy=always)' }
      : policy === 'never' ? { value: 'blocked (--cookies-policy=never: no cookies)', from, brief: 'blocked (--cookies-policy=never: no cookies at all)' }
        : {
          value: 'sent: the default --cookies-policy=no-third-party refuses to store third-party cookies, not to send the target\'s own', from,
          brief: `sent (${policy ? '--cookies-policy=no-third-party' : 'MiniBrowser\'s default cookie policy, no-third-party'}: it stores no third-party cookie but sends the target's own)`,
        };
  return { thirdPartyCookies, automation: switches };
}
