// The regime is part of a cell's identity: a catalogue run of both regimes writes a column per engine
// per regime (chromium, chromium-users, ...), with the cookie scenarios in the users columns only;
// each column's engine says what it ran with; a baseline and a --project run compare column by column.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { startRun, tempDir, type RunResult } from './helpers.ts';
import type { Matrix } from '../../harness/model/types.ts';

test.describe.configure({ mode: 'serial' });

// A cookie scenario (runs in both regimes) and one that does not set cookies (installed only).
const SELECTION = ['-g', ' cookie-cross-none-secure:| acao-star:', '--workers=2'];
const PROJECTS = ['--project=chromium', '--project=chromium-users', '--project=webkit', '--project=webkit-users'];
const work = tempDir('cors-regimes-');
const baseline = path.join(work, 'baseline.json');
const read = (file: string): Matrix => JSON.parse(fs.readFileSync(file, 'utf8'));
const say = (run: RunResult) => `exit ${run.code} (signal ${run.signal})\n${run.stdout}\n${run.stderr}`;

test('both regimes by default: a column per engine per regime, the cookie rows in both, what each column ran with', async () => {
  test.setTimeout(240_000);
  const run = await startRun([...SELECTION, ...PROJECTS], { CORS_BASELINE: baseline, CORS_UPDATE_BASELINE: '1' });
  expect(run.code, say(run)).toBe(0);
  const m = read(path.join(run.reportDir, 'matrix.json'));
  expect(m.engines.map((e) => e.id)).toEqual(['chromium', 'webkit', 'chromium-users', 'webkit-users']);
  for (const e of m.engines) {
    expect(e.regime, e.id).toBe(e.id.endsWith('-users') ? 'users' : 'installed');
    if (e.id.endsWith('-users')) expect(e.engine).toBe(e.id.replace('-users', ''));
  }
  const engine = (id: string) => m.engines.find((e) => e.id === id)!;
  // Read back from the engines: the two Chromium columns ran with different cookie controls, MiniBrowser with and without ITP.
  expect(engine('chromium').configuration!.thirdPartyCookies.value).not.toBe(engine('chromium-users').configuration!.thirdPartyCookies.value);
  expect(engine('webkit').configuration!.thirdPartyCookies.value).not.toBe(engine('webkit-users').configuration!.thirdPartyCookies.value);

  const star = m.scenarios.find((s) => s.id === 'acao-star')!;
  expect(Object.keys(star.results).sort(), 'no cookies: installed columns only').toEqual(['chromium', 'webkit']);
  const cookie = m.scenarios.find((s) => s.id === 'cookie-cross-none-secure')!;
  expect(Object.keys(cookie.results).sort()).toEqual(['chromium', 'chromium-users', 'webkit', 'webkit-users']);
  // What the target received, column by column: Debian's Chromium withholds the cookie, Chrome's
  // settings send it; MiniBrowser sends it, with ITP it does not.
  const got = Object.fromEntries(Object.entries(cookie.results).map(([c, r]) => [c, r!.cookiesReceived]));
  expect(got).toEqual({ chromium: [], 'chromium-users': ['sid'], webkit: ['sid'], 'webkit-users': [] });
  for (const r of Object.values(cookie.results)) expect(r!.matchesExpected).toBe(true);
  // Each column's deviation is the one of its regime, and says so.
  expect(cookie.deviations?.chromium?.regimes).toEqual(['installed']);
  expect(cookie.deviations?.['chromium-users'], 'Chrome\'s settings behave as the standard says').toBeUndefined();
  expect(cookie.deviations?.['webkit-users']?.regimes).toEqual(['users']);
  expect(m.summary.cells).toBe(6);
  expect({ complete: m.complete, subset: m.subset }).toEqual({ complete: true, subset: true });
  expect(run.stdout).toMatch(/chromium-users: Chromium [\d.]+ via .*regime users/);
  const html = fs.readFileSync(path.join(run.reportDir, 'matrix.html'), 'utf8');
  expect(html).toContain('data-engine="webkit-users"');
});

test('a --project run of one users column compares that column only; a flipped cell of it is a change of that column', async () => {
  test.setTimeout(360_000); // two child runs: over 3 min seen at load 20
  const same = await startRun([...SELECTION, '--project=chromium-users'], { CORS_BASELINE: baseline });
  expect(same.code, say(same)).toBe(0);
  expect(read(path.join(same.reportDir, 'matrix.json')).changes).toEqual([]);
  const flipped = path.join(work, 'flipped.json');
  const b = read(baseline);
  b.scenarios.find((s) => s.id === 'cookie-cross-none-secure')!.results['chromium-users']!.outcome = 'blocked';
  fs.writeFileSync(flipped, JSON.stringify(b));
  const run = await startRun([...SELECTION, '--project=chromium-users'], { CORS_BASELINE: flipped });
  expect(run.code, say(run)).toBe(1);
  expect(read(path.join(run.reportDir, 'matrix.json')).changes).toEqual([{ scenario: 'cookie-cross-none-secure', engine: 'chromium-users', from: 'blocked', to: 'allowed' }]);
});

test('CORS_REGIME=installed runs the installed columns only', async () => {
  test.setTimeout(180_000);
  const run = await startRun([...SELECTION, '--project=chromium', '--list'], { CORS_REGIME: 'installed' });
  expect(run.code, say(run)).toBe(0);
  expect(run.stdout).toContain('[chromium]');
  expect(run.stdout).not.toContain('[chromium-users]');
  const bad = await startRun([...SELECTION, '--project=chromium-users', '--list'], { CORS_REGIME: 'installed' });
  expect(bad.code).not.toBe(0);
  expect(bad.stdout + bad.stderr).toContain('Project(s) "chromium-users" not found');
});
