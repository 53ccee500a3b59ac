// The fix loop, as a user walks it: a real Express API with the classic mistake
// (`cors({ origin: true, credentials: true })`), a one-endpoint policy check in Chromium, then the
// Express fix exactly as policy.json prints it, run in the same API, and a second check: the
// finding is gone and nothing new appeared. The stack is recognised from the API's own
// `X-Powered-By: Express`, not named in the policy.
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import express from 'express';
import cors from 'cors';
import { test, expect } from '@playwright/test';
import { startRun, tempDir } from './helpers.ts';
import { listen } from '../../servers/listen.ts';
import type { PolicyReport } from '../../harness/policy/policy-types.ts';

const PREFIX = '/fixloop';

/**
 * The API: `corsLayer` mounts the CORS middleware on `app`, then the routes, the 404 and the error
 * handler follow, as in any Express app.
 */
async function startApi(corsLayer: (app: express.Express) => void) {
  const app = express();
  corsLayer(app);
  app.get(`${PREFIX}/data`, (_req, res) => { res.set('X-Request-Id', 'req-get'); res.json({ data: 'secret of the signed-in user' }); });
  app.put(`${PREFIX}/data`, express.json(), (req, res) => { res.set('X-Request-Id', 'req-put'); res.json({ saved: req.body }); });
  app.use((_req, res) => { res.status(404).json({ error: 'not found' }); });
  app.use(((err: { status?: number; message: string }, _req, res, _next) => { res.status(err.status ?? 500).json({ error: err.message }); }) as express.ErrorRequestHandler);
  return listen(http.createServer(app));
}

async function check(target: string): Promise<{ report: PolicyReport; stdout: string }> {
  const dir = tempDir('cors-fix-loop-');
  const file = path.join(dir, 'cors-policy.json');
  fs.writeFileSync(file, JSON.stringify({
    target,
    allowedOrigins: ['https://example.com'],
    endpoints: [{ path: `${PREFIX}/data`, methods: ['GET'], credentials: true, exposedHeaders: ['X-Request-Id'] }],
  }));
  const run = await startRun(['--project=chromium'], { CORS_POLICY: file, CORS_REPORT_DIR: dir });
  const json = path.join(dir, 'policy.json');
  expect(fs.existsSync(json), `no policy.json\n${run.stdout}\n${run.stderr}`).toBe(true);
  return { report: JSON.parse(fs.readFileSync(json, 'utf8')) as PolicyReport, stdout: run.stdout };
}

test('the Express fix from the report, applied as printed, removes the finding and adds none', async () => {
  // Two child runs of 10 origins in Chromium: about 40 s each on an idle two-core machine, several
  // times that while another run shares the cores.
  test.setTimeout(360_000);
  const broken = await startApi((app) => { app.use(cors({ origin: true, credentials: true })); });
  let printed: string;
  try {
    const { report, stdout } = await check(broken.origin);
    // origin: true reflects every Origin, and without exposedHeaders the page cannot read X-Request-Id.
    expect(report.findings.map((f) => `${f.severity} ${f.kind}`), stdout).toEqual(['high credentials-reflection', 'low exposed-header-hidden']);
    expect(report.stack).toMatchObject({ stack: 'express', source: 'responses', because: 'X-Powered-By: Express' });
    const [fix] = report.findings[0].examples;
    expect(fix.stack).toBe('express');
    // One middleware, one configuration: every finding quotes the same one.
    expect(report.findings[1].examples.length === 0 || report.findings[1].examples[0].config === fix.config).toBe(true);
    // The terminal shows the same change the JSON holds.
    expect(stdout).toContain(`fix (Express (cors)): ${fix.change}`);
    printed = fix.config;
  } finally {
    await broken.close();
  }
  // The config as printed; only its `import cors from 'cors'` line is provided here, as the module scope.
  expect(printed.split('\n')[0]).toBe("import cors from 'cors';");
  const apply = new Function('app', 'cors', printed.split('\n').slice(1).join('\n')) as (app: express.Express, c: typeof cors) => void;
  const fixed = await startApi((app) => apply(app, cors));
  try {
    const { report, stdout } = await check(fixed.origin);
    expect(report.findings.map((f) => `${f.severity} ${f.kind}`), stdout).toEqual([]);
    expect(report.summary.failed, stdout).toBe(0);
    expect(report.summary.errors, stdout).toBe(0);
  } finally {
    await fixed.close();
  }
});
