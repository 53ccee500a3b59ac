// A real Flask app with flask-cors (tests/fixtures/stacks/nginx-proxy/flask_app.py) on Werkzeug's
// server, from the stacks' venv (scripts/stacks.mjs): the app behind nginx in the servers' loop.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers.ts';
import { LOOP_BODY, LOOP_PATH, startProcess, type Served } from './loop.ts';

export const PYTHON = path.join(ROOT, '.stacks/venv/bin/python');
const APP = path.join(ROOT, 'tests/fixtures/stacks/nginx-proxy/flask_app.py');

/** The seed's `CORS(app, supports_credentials=True)` app on a free 127.0.0.1 port (it prints the port). */
export async function startFlask(): Promise<Served & { port: number }> {
  if (!fs.existsSync(PYTHON)) throw new Error(`no ${PYTHON}: run node scripts/stacks.mjs (.ci/run does)`);
  const served = await startProcess({ command: PYTHON, args: ['-u', APP, LOOP_PATH, LOOP_BODY, '0'], port: /listening on (\d+)/ });
  return { ...served, port: Number(new URL(served.origin).port) };
}
