// The fix tables: which stack answered (from the headers each server sends by default, or the
// policy's `stack`), and each stack's table built from a policy: the policy's own origins, methods,
// headers and credentials, the library's own options, and a change for every finding kind.
import { test, expect } from '@playwright/test';
import { validatePolicy, InputError } from '../../harness/policy/load.ts';
import { recognizeFrom, recognizeStack } from '../../harness/policy/fixes/recognize.ts';
import { STACKS, STACK_IDS, stackFix, stackLine } from '../../harness/policy/fixes/stacks.ts';
import { CONTEXT_LINE, LEVER_OF, exactOriginRegex } from '../../harness/policy/fixes/stack-fix.ts';
import { FINDING_KIND_IDS } from '../../harness/policy/kinds.ts';
import type { HeaderList } from '../../harness/model/types.ts';

const policy = validatePolicy({
  target: 'http://127.0.0.1:8080',
  allowedOrigins: ['https://example.com', 'https://frontend.com'],
  endpoints: [{ path: '/api/data', methods: ['GET', 'PUT'], requestHeaders: ['Content-Type', 'Authorization'], credentials: true, exposedHeaders: ['X-Request-Id'] }],
}, 'cors-policy.json');
const endpoint = policy.endpoints[0];

// One row per stack: the answers its default set-up gives (a 200 and, where the shape is the sign, a 404).
const RECOGNISED: Array<{ stack: string; app?: string; answers: Array<{ status: number; headers: HeaderList }>; because: RegExp }> = [
  { stack: 'flask', answers: [{ status: 200, headers: [['Server', 'Werkzeug/3.0.1 Python/3.11.2'], ['Content-Type', 'application/json']] }], because: /^Server: Werkzeug\/3\.0\.1 Python\/3\.11\.2$/ },
  { stack: 'django', answers: [{ status: 200, headers: [['Server', 'WSGIServer/0.2 CPython/3.11.2'], ['X-Frame-Options', 'DENY']] }], because: /Server: WSGIServer/ },
  { stack: 'starlette', answers: [{ status: 200, headers: [['server', 'uvicorn'], ['content-type', 'application/json']] }], because: /Server: uvicorn/ },
  { stack: 'express', answers: [{ status: 200, headers: [['X-Powered-By', 'Express'], ['ETag', 'W/"b-x"']] }], because: /X-Powered-By: Express/ },
  // app.disable('x-powered-by'): finalhandler's 404 still shows.
  { stack: 'express', answers: [{ status: 404, headers: [['Content-Security-Policy', "default-src 'none'"], ['X-Content-Type-Options', 'nosniff'], ['Content-Type', 'text/html; charset=utf-8']] }], because: /Content-Security-Policy: default-src 'none' with X-Content-Type-Options on a 404/ },
  { stack: 'aspnet', answers: [{ status: 200, headers: [['Server', 'Kestrel']] }], because: /Server: Kestrel/ },
  { stack: 'rails', answers: [{ status: 200, headers: [['X-Runtime', '0.004512'], ['X-Request-Id', 'abc']] }], because: /X-Runtime: 0\.004512/ },
  { stack: 'spring', answers: [{ status: 200, headers: [['Vary', 'Origin'], ['Vary', 'Access-Control-Request-Method'], ['Vary', 'Access-Control-Request-Headers']] }], because: /Vary: Access-Control-Request-Method/ },
  { stack: 'go', answers: [{ status: 404, headers: [['Content-Type', 'text/plain; charset=utf-8'], ['X-Content-Type-Options', 'nosniff']] }], because: /Content-Type: text\/plain; charset=utf-8 with X-Content-Type-Options on a 404/ },
  { stack: 'nginx', answers: [{ status: 200, headers: [['Server', 'nginx/1.22.1']] }], because: /^Server: nginx\/1\.22\.1$/ },
  { stack: 'apache', answers: [{ status: 200, headers: [['Server', 'Apache/2.4.62 (Debian)']] }], because: /Server: Apache/ },
  { stack: 'caddy', answers: [{ status: 200, headers: [['Server', 'Caddy']] }], because: /Server: Caddy/ },
  // nginx hides the app's Server, but X-Powered-By passes through: a proxy in front of Express.
  { stack: 'nginx-proxy', app: 'express', answers: [{ status: 200, headers: [['Server', 'nginx/1.22.1'], ['X-Powered-By', 'Express']] }], because: /Server: nginx\/1\.22\.1; X-Powered-By: Express/ },
  // The issue's case: nginx in front of Flask, both adding the header.
  { stack: 'nginx-proxy', answers: [{ status: 404, headers: [['Server', 'nginx/1.22.1'], ['Access-Control-Allow-Origin', 'https://example.com'], ['Access-Control-Allow-Origin', 'https://example.com']] }], because: /Access-Control-Allow-Origin sent 2 times/ },
  { stack: 'nginx-proxy', answers: [{ status: 200, headers: [['Server', 'nginx'], ['Via', '1.1 varnish']] }], because: /Via: 1\.1 varnish/ },
  // The servers' fix loop: nginx's own 404, and the proxied 200 with Werkzeug's Server passed through (proxy_pass_header).
  { stack: 'nginx-proxy', app: 'flask', answers: [{ status: 404, headers: [['Server', 'nginx/1.22.1']] }, { status: 200, headers: [['Server', 'Werkzeug/3.1.9 Python/3.11.7']] }], because: /Server: nginx\/1\.22\.1; Server: Werkzeug/ },
  // Nothing that names a stack: the header-level fix.
  { stack: 'generic', answers: [{ status: 200, headers: [['Content-Type', 'application/json']] }], because: /name it with "stack" in the policy/ },
];

test.describe('recognition', () => {
  for (const row of RECOGNISED) {
    test(`${row.stack}${row.app ? ` + ${row.app}` : ''} from ${row.answers[0].headers.map(([n]) => n).join(', ')}`, () => {
      const r = recognizeFrom(row.answers);
      expect(r.stack).toBe(row.stack);
      expect(r.app).toBe(row.app);
      expect(r.because).toMatch(row.because);
    });
  }

  test('the policy\'s stack wins, and the report still says what the responses suggested', () => {
    const checks = [{ results: { chromium: { observed: { actual: { status: 200, headers: [['Server', 'Werkzeug/3.0.1 Python/3.11.2']] as HeaderList, request: { method: 'GET', url: '', headers: [] } } } } } }];
    const r = recognizeStack({ stack: 'django' }, checks as never);
    expect(r).toMatchObject({ stack: 'django', source: 'policy' });
    expect(stackLine(r)).toBe('fixes for: Django (django-cors-headers), named in the policy: "stack": "django" in the policy (the responses suggest flask: Server: Werkzeug/3.0.1 Python/3.11.2)');
    expect(stackLine(recognizeStack({}, checks as never))).toBe('fixes for: Flask (flask-cors), recognised from the responses: Server: Werkzeug/3.0.1 Python/3.11.2');
  });

  test('"stack" is validated like every other field, with did-you-mean', () => {
    const problem = (stack: unknown) => {
      try { validatePolicy({ target: 'http://127.0.0.1:8080', allowedOrigins: ['https://example.com'], endpoints: [{ path: '/', methods: ['GET'] }], stack }, 'p.json'); } catch (e) { expect(e).toBeInstanceOf(InputError); return (e as Error).message; }
      return 'accepted';
    };
    expect(problem('flask')).toBe('accepted');
    expect(problem('flsk')).toMatch(/^p\.json, field "stack": "flsk" has no fix table \(did you mean "flask"\?\)\. Fix: write "flask", use one of: express, koa/);
    expect(problem('express.js')).toMatch(/did you mean "express"/);
    expect(problem(3)).toMatch(/field "stack": must be a string, is number/);
    expect(problem('laravel')).toMatch(/"laravel" has no fix table\. Fix: use one of: express/);
  });
});

test.describe('the fix tables', () => {
  const levers = [...new Set(Object.values(LEVER_OF).filter((l) => l !== null))];

  for (const id of STACK_IDS) {
    test(`${id}: the whole configuration from the policy, and a change for every kind`, () => {
      const row = STACKS[id];
      expect(row.docs, id).toMatch(/^https?:\/\//);
      const config = row.config({ policy, endpoint });
      // The policy's own origins: as strings, or (servers that only match by regex) anchored and escaped.
      for (const o of policy.allowedOrigins) expect(config.includes(o) || config.includes(exactOriginRegex(policy)), `${id} names ${o}`).toBe(true);
      expect(config, id).toMatch(/GET/i);
      expect(config, id).toMatch(/Authorization/i);
      expect(config, id).toContain('X-Request-Id');
      // Credentials: an option, never the wildcard that engines refuse with them.
      expect(config, id).toMatch(/credentials/i);
      const code = config.split('\n').map((l) => l.replace(/(^|\s)(\/\/|#) .*$/, '')).join('\n');
      expect(code, id).not.toMatch(/Allow-Origin "?\*|origin: true|AllowAnyOrigin/);
      for (const lever of levers) expect(row.change[lever]({ policy, endpoint }), `${id} ${lever}`).toMatch(/^.{15,}$/s);
      for (const kind of FINDING_KIND_IDS) {
        const fix = stackFix(id, kind, { policy, endpoint });
        if (LEVER_OF[kind] === null) expect(fix, `${id} ${kind}`).toBeNull();
        else expect(fix, `${id} ${kind}`).toMatchObject({ stack: id, label: row.label, config });
      }
    });
  }

  test('the web servers: each part of the configuration opens with the line that says where it goes', () => {
    const parts = (id: 'nginx' | 'nginx-proxy' | 'apache' | 'caddy') => STACKS[id].config({ policy, endpoint }).split('\n').filter((l) => CONTEXT_LINE.test(l));
    // nginx's map is valid only in http { }; its add_header lines go in the location that serves the API.
    expect(parts('nginx')).toEqual(['# in http { }', '# in location /api/ { }']);
    expect(parts('nginx-proxy')).toEqual(['# in http { }', '# in location /api/ { }']);
    expect(parts('apache')).toEqual(['# in the server config or the <VirtualHost>']);
    expect(parts('caddy')).toEqual(['# in the site block { }']);
    for (const id of ['nginx', 'nginx-proxy', 'apache', 'caddy'] as const) expect(CONTEXT_LINE.test(STACKS[id].config({ policy, endpoint }).split('\n')[0]), id).toBe(true);
    // A deferred header never reaches the error answers Caddy writes itself (seen with caddy 2.6.2).
    expect(STACKS.caddy.config({ policy, endpoint })).not.toMatch(/^\s*defer$/m);
  });

  test('Express, nginx and the proxy in front of an app: the rows as a user copies them', () => {
    expect(STACKS.express.config({ policy, endpoint })).toBe([
      "import cors from 'cors';",
      '',
      '// Exact strings: never origin: true, never a RegExp without ^ and $.',
      'app.use("/api", cors({',
      '  origin: ["https://example.com", "https://frontend.com"],',
      '  credentials: true,',
      '  methods: ["GET", "PUT"],',
      '  allowedHeaders: ["Content-Type", "Authorization"],',
      '  exposedHeaders: ["X-Request-Id"],',
      '}));',
      '// Mounted before the routes and error handlers, so 404s and errors carry the headers too.',
    ].join('\n'));
    const proxy = STACKS['nginx-proxy'].config({ policy, endpoint });
    for (const h of ['Access-Control-Allow-Origin', 'Access-Control-Allow-Credentials', 'Access-Control-Allow-Methods', 'Access-Control-Allow-Headers', 'Access-Control-Expose-Headers', 'Access-Control-Max-Age']) {
      expect(proxy).toContain(`proxy_hide_header ${h};`);
    }
    expect(proxy).toMatch(/Or remove CORS from the app/);
    expect(STACKS.nginx.config({ policy, endpoint })).not.toContain('proxy_hide_header');
    expect(STACKS.flask.config({ policy, endpoint })).toContain('"supports_credentials": True,');
    expect(STACKS.django.config({ policy, endpoint })).toContain('CORS_ALLOWED_ORIGINS = ["https://example.com", "https://frontend.com"]');
  });
});
