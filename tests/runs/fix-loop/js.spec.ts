// The fix loop for the JavaScript stacks: Express (cors), Koa (@koa/cors), Fastify (@fastify/cors)
// and Hono (hono/cors). Each app is a real ESM file (tests/fixtures/stacks/<stack>/app.mjs) whose
// `// CORS` line is replaced by a variant's mistake, then by the configuration the report printed,
// imports included, and run as `node app.mjs` with the repository's node_modules. Express answers
// `X-Powered-By: Express`, so the run recognises it; Koa, Fastify and Hono send no header of their
// own that names them (their default 404s are plain text or JSON with nothing else), so their
// policies name the stack. Express runs in all three engines, the others in Chromium.
//
// What the variants cannot show, in any of the four: duplicate-cors-header (each middleware sets
// the header, never appends a second one: that takes a second layer, a proxy, which the nginx loops
// show); inconclusive-endpoint (a policy naming a path or method the API does not serve, not a CORS
// setting). missing-vary-origin only in Express: cors skips every header, Vary included, when an
// origin function calls back false; @koa/cors varies on every answer, @fastify/cors for every origin
// option but a fixed string (whose value does not depend on the Origin), hono/cors for every origin
// but "*". Per stack, the kinds left out are in each loop's comment.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers.ts';
import { appDir, fill, fixLoop, LOOP_BODY, LOOP_EXPOSED, LOOP_PATH, startProcess, type Served, type StackLoop, type Variant } from './loop.ts';

type JsStack = 'express' | 'koa' | 'fastify' | 'hono';

/** The stack's app with `config` in place of its `// CORS` line, started as `node app.mjs`; close() also removes its directory. */
function app(stack: JsStack) {
  const template = fs.readFileSync(path.join(ROOT, 'tests', 'fixtures', 'stacks', stack, 'app.mjs'), 'utf8');
  return async (config: string): Promise<Served> => {
    const dir = appDir(`cors-${stack}-`);
    fs.writeFileSync(path.join(dir, 'app.mjs'), fill(template, '// CORS', config));
    try {
      const served = await startProcess({
        command: process.execPath, args: ['app.mjs'], cwd: dir, env: { LOOP_PATH, LOOP_BODY },
        port: /listening on http:\/\/127\.0\.0\.1:(\d+)/,
      });
      return { origin: served.origin, close: async () => { await served.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
    } catch (e) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  };
}

/** One loop: each variant is a mistake in the app's CORS set-up (its lines, imports included). */
function jsLoop(stack: JsStack, loop: Omit<StackLoop, 'stack' | 'variants' | 'fixed'> & { variants: Array<Omit<Variant, 'start'> & { config: string }> }): StackLoop {
  const start = app(stack);
  return { ...loop, stack, fixed: start, variants: loop.variants.map(({ config, ...v }) => ({ ...v, start: () => start(config) })) };
}

const PATH = JSON.stringify(LOOP_PATH);
const EXPOSED = JSON.stringify(LOOP_EXPOSED);
/** An origin the policy blocks that a loose check lets in: the staging front end. */
const STAGING = 'https://staging.example.com';

// Not here: origin-reflection, wildcard-origin, wildcard-with-credentials and allowed-origin-blocked
// (cors with origin: true and no credentials, or its default "*"): a reflection or "*" folds every
// other reader into one finding, so each takes a variant of its own; the Fastify and Hono loops show them.
fixLoop('Express (cors): each mistake found, the printed fix removes every finding', jsLoop('express', {
  engines: ['chromium', 'firefox', 'webkit'],
  quick: true,
  policy: { blockedOrigins: [STAGING] },
  variants: [
    {
      name: 'origin: true with credentials: true, no exposedHeaders',
      config: "import cors from 'cors';\napp.use(cors({ origin: true, credentials: true }));",
      findings: ['high credentials-reflection', 'low exposed-header-hidden'],
    },
    {
      name: 'an unanchored RegExp with an unescaped dot (origin: /example.com/), on the route alone',
      config: `import cors from 'cors';\napp.get(${PATH}, cors({ origin: /example.com/, credentials: true, exposedHeaders: [${EXPOSED}] }));`,
      findings: ['high blocked-origin-allowed', 'high suffix-match', 'high prefix-match', 'high unescaped-dot', 'high special-char-match', 'medium subdomain-trust', 'medium scheme-downgrade', 'medium port-mismatch', 'low error-response-without-cors'],
    },
    {
      // An origin function that calls back false makes cors skip every header, Vary: Origin included.
      name: 'CORS_ORIGINS read as one string ("https://example.com,null"), tested with includes() in an origin function',
      config: [
        "import cors from 'cors';",
        "const CORS_ORIGINS = process.env.CORS_ORIGINS ?? 'https://example.com,null';",
        `app.use(cors({ origin: (origin, callback) => callback(null, CORS_ORIGINS.includes(origin)), credentials: true, exposedHeaders: [${EXPOSED}] }));`,
      ].join('\n'),
      findings: ['high null-origin', 'high substring-match', 'low missing-vary-origin'],
    },
  ],
}));

// Not here: error-response-without-cors (mounted with app.use, @koa/cors's headers stay on Koa's own
// 404, which is not thrown, and on thrown errors while keepHeadersOnError is on, its default; the
// policy's error check is a 404); missing-vary-origin (it varies on every answer); wildcard-origin,
// wildcard-with-credentials and origin-reflection (cors() without credentials, or an origin function
// that echoes the Origin) fold every other reader, one variant each: the Fastify and Hono loops show them.
fixLoop('Koa (@koa/cors): each mistake found, the printed fix removes every finding', jsLoop('koa', {
  named: true,
  policy: { blockedOrigins: [STAGING] },
  variants: [
    {
      name: 'credentials: true without origin (@koa/cors then reflects every Origin), no exposeHeaders',
      config: "import cors from '@koa/cors';\napp.use(cors({ credentials: true }));",
      findings: ['high credentials-reflection', 'low exposed-header-hidden'],
    },
    {
      name: "an origin function that tests endsWith('example.com')",
      config: [
        "import cors from '@koa/cors';",
        "app.use(cors({",
        "  origin: (ctx) => (ctx.get('Origin').endsWith('example.com') ? ctx.get('Origin') : ''),",
        `  credentials: true, exposeHeaders: [${EXPOSED}],`,
        '}));',
      ].join('\n'),
      findings: ['high blocked-origin-allowed', 'high prefix-match', 'medium subdomain-trust', 'medium scheme-downgrade'],
    },
    {
      name: "origin: 'https://example.com/' (the front end's URL, with its slash)",
      config: `import cors from '@koa/cors';\napp.use(cors({ origin: 'https://example.com/', credentials: true, exposeHeaders: [${EXPOSED}] }));`,
      findings: ['high allowed-origin-blocked'],
    },
  ],
}));

// Not here: error-response-without-cors (registered on the root instance, its onRequest hook runs for
// the 404 and error replies too; only registering it inside an encapsulated plugin with the routes
// leaves the root's 404 bare, which a one-line set-up of the root instance cannot show);
// missing-vary-origin; credentials-reflection, null-origin, blocked-origin-allowed (in the other loops).
fixLoop('Fastify (@fastify/cors): each mistake found, the printed fix removes every finding', jsLoop('fastify', {
  named: true,
  variants: [
    {
      name: "credentials: true with the default origin '*'",
      config: `import cors from '@fastify/cors';\nawait fastify.register(cors, { credentials: true, exposedHeaders: [${EXPOSED}] });`,
      findings: ['medium wildcard-with-credentials', 'info wildcard-origin'],
    },
    {
      name: 'a RegExp anchored at the start only (/^https:\\/\\/example\\.com/), no exposedHeaders',
      config: "import cors from '@fastify/cors';\nawait fastify.register(cors, { origin: /^https:\\/\\/example\\.com/, credentials: true });",
      findings: ['high suffix-match', 'high special-char-match', 'medium port-mismatch', 'low exposed-header-hidden'],
    },
    {
      name: 'origin: true without credentials: true',
      config: `import cors from '@fastify/cors';\nawait fastify.register(cors, { origin: true, exposedHeaders: [${EXPOSED}] });`,
      findings: ['high allowed-origin-blocked', 'low origin-reflection'],
    },
  ],
}));

// Not here: missing-vary-origin; the loose origin functions' kinds (suffix-, prefix-, substring-match
// and the rest: the same origin function in Hono as in the Express and Koa loops); origin-reflection and
// allowed-origin-blocked (the Fastify loop).
fixLoop('Hono (hono/cors): each mistake found, the printed fix removes every finding', jsLoop('hono', {
  named: true,
  policy: { blockedOrigins: [STAGING] },
  variants: [
    {
      name: 'origin: (origin) => origin with credentials, on the route path alone, no exposeHeaders',
      config: `import { cors } from 'hono/cors';\napp.use(${PATH}, cors({ origin: (origin) => origin, credentials: true }));`,
      findings: ['high credentials-reflection', 'low exposed-header-hidden', 'low error-response-without-cors'],
    },
    {
      name: "credentials: true with the default origin '*'",
      config: `import { cors } from 'hono/cors';\napp.use('/fixloop/*', cors({ credentials: true, exposeHeaders: [${EXPOSED}] }));`,
      findings: ['medium wildcard-with-credentials', 'info wildcard-origin'],
    },
    {
      name: 'the development and staging origins left in the list (null, http://example.com, staging)',
      config: [
        "import { cors } from 'hono/cors';",
        `app.use('/fixloop/*', cors({ origin: ['https://example.com', 'http://example.com', 'null', ${JSON.stringify(STAGING)}], credentials: true, exposeHeaders: [${EXPOSED}] }));`,
      ].join('\n'),
      findings: ['high blocked-origin-allowed', 'high null-origin', 'medium scheme-downgrade'],
    },
  ],
}));
