// The origin server: serves the probe page the engines load. Its origin is the page's origin
// (`$ORIGIN`), and it sets a session cookie so credentialed checks can show whether one was sent.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { listen } from './listen.ts';
import { PROBE_PATH } from '../harness/model/probe-page.ts';

export { PROBE_PATH };

const PROBE_JS = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'probe', 'probe.js'), 'utf8');

export const COOKIE_NAME = 'cm_session';

/**
 * The probe page, its script inline: a page load is one request (a second one for the script cost
 * every load a round trip through the proxy). `/probe.js` stays for the sandboxed frame, which
 * fetches the same script. Built once; no `</` in the script that would end its element early.
 */
const PROBE_PAGE = '<!doctype html><html><head><meta charset="utf-8"><title>cors-matrix probe</title>' +
  `<script>${PROBE_JS.replace(/<\//g, '<\\/')}</script></head><body><p>cors-matrix probe page</p></body></html>`;

export interface OriginServer {
  readonly origin: string;
  close(): Promise<void>;
}

/** The probe page's routes; the origin server and the origin-emulating proxy both serve them. */
export function probeApp(): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.get(PROBE_PATH, (_req, res) => {
    res.set('Cache-Control', 'no-store');
    res.set('Set-Cookie', `${COOKIE_NAME}=1; Path=/; SameSite=Lax`);
    res.type('html').send(PROBE_PAGE);
  });
  app.get('/probe.js', (_req, res) => {
    res.set('Cache-Control', 'no-store');
    res.type('text/javascript').send(PROBE_JS);
  });
  app.get('/favicon.ico', (_req, res) => { res.status(204).end(); });
  return app;
}

export async function startOriginServer(): Promise<OriginServer> {
  const l = await listen(http.createServer(probeApp()));
  return { origin: l.origin, close: l.close };
}
