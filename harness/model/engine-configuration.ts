// An engine's configuration (what it ran with, read back from it) in words, and what changed between
// two runs' configurations. Pure.
import type { ColumnInfo, EngineConfiguration, EngineInfo } from './types.ts';

const SETTINGS: Array<[keyof Omit<EngineConfiguration, 'automation'>, string]> = [
  ['thirdPartyCookies', 'third-party cookies'],
  ['storagePartitioning', 'storage partitioning'],
  ['httpsUpgrades', 'HTTPS upgrades'],
  ['localNetworkAccess', 'Local Network Access'],
];

/** One line: each setting's value, e.g. "third-party cookies: blocked (...); storage partitioning: off". */
export function configurationLine(c: EngineConfiguration | undefined): string {
  if (!c) return 'configuration not read';
  return SETTINGS.filter(([k]) => c[k]).map(([k, label]) => `${label}: ${c[k]!.value}`).join('; ');
}

/** The same, a setting per line with where it was read (HTML titles, doctor). */
export function configurationDetail(c: EngineConfiguration | undefined): string[] {
  if (!c) return ['configuration not read'];
  return [
    ...SETTINGS.filter(([k]) => c[k]).map(([k, label]) => `${label}: ${c[k]!.value} (${c[k]!.from})`),
    `automation: ${c.automation.length} switches and preferences`,
  ];
}

/** What differs between a baseline's engines and this run's, one line each ("chromium: storage partitioning off -> on"). */
export function configurationChanges(before: Array<EngineInfo | ColumnInfo>, after: Array<EngineInfo | ColumnInfo>): string[] {
  const out: string[] = [];
  for (const now of after) {
    const was = before.find((e) => e.id === now.id);
    if (was && (was.regime ?? 'installed') !== (now.regime ?? 'installed')) out.push(`${now.id}: regime ${was.regime ?? 'installed'} -> ${now.regime ?? 'installed'}`);
    if (!was?.configuration || !now.configuration) continue;
    for (const [k, label] of SETTINGS) {
      const a = was.configuration[k]?.value;
      const b = now.configuration[k]?.value;
      if (a !== b) out.push(`${now.id}: ${label} ${a ?? 'not read'} -> ${b ?? 'not read'}`);
    }
    const gone = was.configuration.automation.filter((s) => !now.configuration!.automation.includes(s));
    const added = now.configuration.automation.filter((s) => !was.configuration!.automation.includes(s));
    if (gone.length || added.length) out.push(`${now.id}: automation switches${added.length ? ` added ${added.join(' ')}` : ''}${gone.length ? `${added.length ? ';' : ''} removed ${gone.join(' ')}` : ''}`);
  }
  return out;
}
