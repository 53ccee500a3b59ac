#!/usr/bin/env node
// The real servers of other stacks the fix-loop tests start (tests/runs/fix-loop/): a Python
// virtual environment with Flask, flask-cors, FastAPI and uvicorn, and Django, from pip's
// configured index, in `.stacks/venv` (ignored by git). Idempotent: seconds when it is there.
// Debian's web servers (nginx, apache2, caddy) are installed by .ci/run.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const VENV = path.join(root, '.stacks', 'venv');
// Pinned: the versions the fix tables' options were checked against.
export const PIP_PACKAGES = ['flask==3.1.3', 'flask-cors==6.0.0', 'fastapi==0.142.2', 'uvicorn==0.54.0', 'django==5.2.17'];

const stamp = path.join(VENV, '.cors-matrix-stacks');
const log = (m) => process.stdout.write(`[stacks] ${m}\n`);

if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === PIP_PACKAGES.join(' ')) {
  log(`Python stacks: up to date (${VENV})`);
} else {
  log(`Python stacks: creating ${VENV} with ${PIP_PACKAGES.join(' ')}`);
  // Output only on failure: on a closed network pip warns for every index it cannot reach.
  const run = (cmd, args) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    if (r.status !== 0) {
      process.stdout.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
      log(`failed: ${cmd} ${args.join(' ')} (exit ${r.status}). Needs python3-venv (apt-get install -y python3-venv) and pip's index.`);
      process.exit(1);
    }
  };
  fs.rmSync(VENV, { recursive: true, force: true });
  run('python3', ['-m', 'venv', VENV]);
  run(path.join(VENV, 'bin', 'pip'), ['install', '-q', '--retries', '0', '--timeout', '10', ...PIP_PACKAGES]);
  fs.writeFileSync(stamp, PIP_PACKAGES.join(' ') + '\n');
}
