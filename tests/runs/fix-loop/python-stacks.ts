// The Python stacks' real servers for the fix loops: the app templates in tests/fixtures/stacks/,
// their CORS set-up pasted in at the `# CORS` marker, each on 127.0.0.1. Flask under Werkzeug's
// development server (`flask run`'s) and FastAPI under uvicorn, from the venv `node scripts/stacks.mjs`
// makes (.stacks/venv); Django under `runserver`, from Debian's python3 with Debian's Django and
// django-cors-headers (python3-django-cors-headers, installed by .ci/run: pip's index here has no
// django-cors-headers). Other loops (nginx in front of Flask) start the same apps from here.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT, tempDir } from '../helpers.ts';
import { LOOP_BODY, LOOP_PATH, fill, freePort, startProcess, type Served } from './loop.ts';

export const VENV_PYTHON = path.join(ROOT, '.stacks', 'venv', 'bin', 'python');
const TEMPLATES = path.join(ROOT, 'tests', 'fixtures', 'stacks');

/** The venv's python, or an error that says how to make it (CI makes it in .ci/run). */
export function venvPython(): string {
  if (!fs.existsSync(VENV_PYTHON)) {
    throw new Error(`no Python stacks venv at ${path.dirname(path.dirname(VENV_PYTHON))}: run \`node scripts/stacks.mjs\` (it installs Flask, flask-cors, FastAPI, uvicorn and Django there)`);
  }
  return VENV_PYTHON;
}

/** A template with its markers replaced, as `app.py` in a scratch directory. */
function writeApp(stack: string, lines: Record<string, string>): string {
  let text = fs.readFileSync(path.join(TEMPLATES, stack, 'app.py'), 'utf8');
  for (const [marker, config] of Object.entries(lines)) text = fill(text, marker, config);
  const dir = tempDir(`cors-${stack}-`);
  fs.writeFileSync(path.join(dir, 'app.py'), text);
  return dir;
}

const pythonEnv = { LOOP_PATH, LOOP_BODY, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' };

/** Stops the server, then removes its scratch directory. */
const cleaned = (served: Served, dir: string): Served => ({
  origin: served.origin,
  close: async () => { await served.close(); fs.rmSync(dir, { recursive: true, force: true }); },
});

export interface FlaskOptions {
  /** A decorator line for the one view (e.g. `@cross_origin(...)`), placed under its `@app.get`; its import goes in `config`. */
  view?: string;
  /** A port to listen on (a proxy's configuration needs it in advance); default: one the OS picks. */
  port?: number;
}

/**
 * The Flask app (tests/fixtures/stacks/flask/app.py) with `config` at its `# CORS` line (Python
 * source: `from flask_cors import CORS` and `CORS(app, ...)`, or '' for none), served by Werkzeug
 * on 127.0.0.1; resolves once it answers HTTP. GET LOOP_PATH answers LOOP_BODY with X-Request-Id.
 */
export async function startFlask(config: string, options: FlaskOptions = {}): Promise<Served> {
  const dir = writeApp('flask', { '# CORS': config, ...(options.view ? { '# VIEW CORS': options.view } : {}) });
  const served = await startProcess({
    command: venvPython(), args: ['app.py'], cwd: dir,
    env: { ...pythonEnv, ...(options.port ? { PORT: String(options.port) } : {}) },
    port: options.port ?? /listening on (\d+)/,
  });
  return cleaned(served, dir);
}

/** The FastAPI app (tests/fixtures/stacks/fastapi/app.py) with `config` at its `# CORS` line, served by uvicorn on 127.0.0.1. */
export async function startFastApi(config: string): Promise<Served> {
  const dir = writeApp('fastapi', { '# CORS': config });
  const served = await startProcess({
    command: venvPython(), args: ['-m', 'uvicorn', 'app:app', '--host', '127.0.0.1', '--port', '0'], cwd: dir,
    env: pythonEnv, port: /Uvicorn running on http:\/\/127\.0\.0\.1:(\d+)/,
  });
  return cleaned(served, dir);
}

/** Debian's python3, which has Debian's Django and django-cors-headers. */
export const DEBIAN_PYTHON = '/usr/bin/python3';

/** Debian's python3 once it imports Django and corsheaders, or an error that says what to install. */
export function djangoPython(): string {
  const r = spawnSync(DEBIAN_PYTHON, ['-c', 'import django, corsheaders'], { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`${DEBIAN_PYTHON} cannot import Django and django-cors-headers: run \`apt-get install -y python3-django-cors-headers\` (as .ci/run does)\n${r.stderr ?? r.error}`);
  }
  return DEBIAN_PYTHON;
}

/** The Django app (tests/fixtures/stacks/django/app.py) with `config` (settings lines) at its `# CORS` line, under runserver. */
export async function startDjango(config: string): Promise<Served> {
  const python = djangoPython();
  const dir = writeApp('django', { '# CORS': config });
  const port = await freePort();
  const served = await startProcess({ command: python, args: ['app.py'], cwd: dir, env: { ...pythonEnv, PORT: String(port) }, port });
  return cleaned(served, dir);
}
