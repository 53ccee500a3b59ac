// An engine's configuration in words, and what changed against a baseline's; Chromium's command line
// read as Chromium reads it (the last of a repeated switch wins).
import { test, expect } from '@playwright/test';
import { configurationChanges, configurationLine } from '../../harness/model/engine-configuration.ts';
import { chromiumSwitches } from '../../harness/engines/chromium-configuration.ts';
import type { EngineConfiguration, EngineInfo } from '../../harness/model/types.ts';

const config = (cookies: string, partitioning: string, automation: string[]): EngineConfiguration => ({
  thirdPartyCookies: { value: cookies, from: 'chrome://prefs-internals' },
  storagePartitioning: { value: partitioning, from: 'chrome://version' },
  automation,
});
const engine = (configuration?: EngineConfiguration): EngineInfo => ({ id: 'chromium', browser: 'Chromium', version: '156', driver: 'cdp', configuration });

test('a configuration reads as one line; an engine whose configuration was not read says so', () => {
  expect(configurationLine(config('blocked', 'off', []))).toBe('third-party cookies: blocked; storage partitioning: off');
  expect(configurationLine(undefined)).toBe('configuration not read');
});

test('against a baseline: each setting that moved, and the automation switches added or removed', () => {
  const before = [engine(config('blocked', 'off', ['--headless', '--disable-features=A']))];
  const after = [engine(config('allowed outside Incognito', 'off', ['--headless', '--disable-features=B']))];
  expect(configurationChanges(before, after)).toEqual([
    'chromium: third-party cookies blocked -> allowed outside Incognito',
    'chromium: automation switches added --disable-features=B; removed --disable-features=A',
  ]);
  expect(configurationChanges(before, before)).toEqual([]);
  // A baseline from before configurations were recorded compares nothing.
  expect(configurationChanges([engine()], after)).toEqual([]);
});

test('Chromium\'s switches from chrome://version\'s command line', () => {
  expect(chromiumSwitches('/usr/lib/chromium/chromium --headless --disable-features=A,B --user-data-dir=/tmp/x --disable-features=C'))
    .toEqual(['--headless', '--disable-features=A,B', '--user-data-dir=/tmp/x', '--disable-features=C']);
});
