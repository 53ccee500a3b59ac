// Firefox's build defaults are read from omni.ja in place (harness/engines/firefox-configuration.ts):
// the reader agrees with Python's zipfile, on archives Python writes and on this machine's omni.ja.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { zipEntry } from '../../harness/engines/firefox-configuration.ts';

const pythonRead = (file: string, name: string) => spawnSync('python3', ['-c', 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))', file, name]).stdout;

test('stored and deflated entries, and an archive with bytes before it, read as Python reads them', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zip-entry-'));
  try {
    const plain = path.join(dir, 'plain.zip'), prefixed = path.join(dir, 'prefixed.zip');
    const made = spawnSync('python3', ['-c', `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('a/stored.js', 'pref("x", 1);\\n' * 50, compress_type=zipfile.ZIP_STORED)
    z.writestr('defaults/preferences/firefox.js', 'pref("network.cookie.cookieBehavior", 5);\\n' * 400, compress_type=zipfile.ZIP_DEFLATED)
    z.writestr('z/last.txt', 'the end', compress_type=zipfile.ZIP_DEFLATED)
`, plain], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    fs.writeFileSync(prefixed, Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n'), fs.readFileSync(plain)]));
    for (const file of [plain, prefixed]) {
      for (const name of ['a/stored.js', 'defaults/preferences/firefox.js', 'z/last.txt']) {
        const ours = zipEntry(file, name);
        expect(ours, `${path.basename(file)} ${name}`).not.toBeNull();
        expect(ours!.equals(pythonRead(file, name)), `${path.basename(file)} ${name}`).toBe(true);
      }
      expect(zipEntry(file, 'not/there.js')).toBeNull();
    }
    fs.writeFileSync(path.join(dir, 'not.zip'), 'not a zip');
    expect(zipEntry(path.join(dir, 'not.zip'), 'a/stored.js')).toBeNull();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('this machine\'s Firefox: omni.ja\'s firefox.js as Python reads it', () => {
  const omni = '/usr/lib/firefox-esr/browser/omni.ja';
  test.skip(!fs.existsSync(omni), 'no Debian Firefox ESR here');
  const ours = zipEntry(omni, 'defaults/preferences/firefox.js');
  expect(ours?.equals(pythonRead(omni, 'defaults/preferences/firefox.js'))).toBe(true);
  expect(ours!.toString()).toContain('pref(');
});
