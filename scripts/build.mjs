#!/usr/bin/env node
// npm run build (and prepack): the package as users install it. tsc compiles the harness, servers,
// reporters, specs, the packaged Playwright config and the command to dist/ (.js and .d.ts, with the
// sources' .ts import extensions rewritten); the files the code reads at run time (the in-page
// scripts and the report's CSS and JS) are copied next to the modules that read them.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
// Read with readFileSync(new URL(..., import.meta.url)) or a path next to the module; tsc leaves them out.
const RUNTIME_FILES = ['harness/engines/webkitgtk/exchange.js', 'harness/engines/engine-host.mjs', 'harness/engines/webkitgtk/webkit-host.mjs', 'servers/probe/probe.js', 'reports/matrix-page.css', 'reports/matrix-page.js'];

fs.rmSync(dist, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
for (const f of RUNTIME_FILES) {
  fs.mkdirSync(path.dirname(path.join(dist, f)), { recursive: true });
  fs.copyFileSync(path.join(root, f), path.join(dist, f));
}
fs.chmodSync(path.join(dist, 'cli/main.js'), 0o755);
// On stderr: `npm pack --json` prints its JSON on stdout, after this.
process.stderr.write(`[build] dist/ ready\n`);
