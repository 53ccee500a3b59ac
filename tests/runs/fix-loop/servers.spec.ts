// The fix loop for the web servers (issue 21): Debian's nginx on its own, nginx in front of a real
// Flask app with flask-cors, Apache httpd (mod_headers) and Caddy, each started in the foreground in
// its own prefix from tests/fixtures/stacks/<stack>/, with a CORS mistake users make, then with the
// configuration the report printed, placed part by part at the template's lines that match the
// printed "# in ..." lines (fillParts): where each part goes is the report's to say, not this test's.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, tempDir } from '../helpers.ts';
import { fillParts, fixLoop, freePort, LOOP_BODY, loopPolicy, startProcess, type Served } from './loop.ts';
import { validatePolicy } from '../../../harness/policy/load.ts';
import { STACKS } from '../../../harness/policy/fixes/stacks.ts';
import { startFlask } from './python-stacks.ts';
import { NGINX } from '../../fixtures/policy/nginx.ts';

const STACKS_DIR = path.join(ROOT, 'tests/fixtures/stacks');
const template = (file: string) => fs.readFileSync(path.join(STACKS_DIR, file), 'utf8');
const subst = (text: string, vars: Record<string, string | number>) =>
  text.replace(/@([A-Z_]+)@/g, (m, k: string) => (k in vars ? String(vars[k]) : m));

interface Setup {
  /** The files of the server's prefix (relative paths), from the prefix and the port. */
  files(prefix: string, port: number): Record<string, string>;
  command: string;
  args(prefix: string): string[];
  env?(prefix: string): Record<string, string>;
  /** A prefix of its own; the run's private TMPDIR unless the server's workers could not read it. */
  prefix?(): string;
}

/** A server in its own prefix, on a free port, in the foreground; close() stops it and removes the prefix. */
async function serve(setup: Setup): Promise<Served> {
  const prefix = setup.prefix?.() ?? tempDir('cors-stack-');
  const remove = () => fs.rmSync(prefix, { recursive: true, force: true });
  try {
    const port = await freePort();
    for (const [file, text] of Object.entries(setup.files(prefix, port))) {
      fs.mkdirSync(path.dirname(path.join(prefix, file)), { recursive: true });
      fs.writeFileSync(path.join(prefix, file), text);
    }
    const served = await startProcess({ command: setup.command, args: setup.args(prefix), env: setup.env?.(prefix), port });
    return { origin: served.origin, close: async () => { await served.close(); remove(); } };
  } catch (e) {
    remove();
    throw e;
  }
}

/** nginx from a template, `config` placed part by part; in front of the app on `appPort` if given. */
function nginx(config: string, appPort?: number): Promise<Served> {
  const file = appPort ? 'nginx-proxy/nginx.conf.template' : 'nginx/nginx.conf.template';
  return serve({
    files: (prefix, port) => ({
      'nginx.conf': subst(fillParts(template(file), config), { PREFIX: prefix, PORT: port, APP_PORT: appPort ?? '' }),
      'html/fixloop/data': LOOP_BODY,
      'tmp/.keep': '',
    }),
    command: NGINX,
    args: (prefix) => ['-p', prefix, '-c', path.join(prefix, 'nginx.conf'), '-e', path.join(prefix, 'error.log')],
  });
}

/** The Flask app (CORS(app, supports_credentials=True), unchanged in every step) behind nginx. */
async function nginxProxy(config: string): Promise<Served> {
  const app = await startFlask('from flask_cors import CORS\nCORS(app, supports_credentials=True)');
  try {
    const front = await nginx(config, Number(new URL(app.origin).port));
    return { origin: front.origin, close: async () => { await front.close(); await app.close(); } };
  } catch (e) {
    await app.close();
    throw e;
  }
}

function apache(config: string): Promise<Served> {
  return serve({
    // httpd's children serve as www-data (it refuses User root): a prefix they can reach.
    prefix: () => { const d = fs.mkdtempSync('/tmp/cors-apache-'); fs.chmodSync(d, 0o755); return d; },
    files: (prefix, port) => ({
      'httpd.conf': subst(fillParts(template('apache/httpd.conf.template'), config), { PREFIX: prefix, PORT: port }),
      'htdocs/fixloop/data': LOOP_BODY,
    }),
    command: '/usr/sbin/apache2',
    args: (prefix) => ['-f', path.join(prefix, 'httpd.conf'), '-DFOREGROUND'],
  });
}

function caddy(config: string): Promise<Served> {
  return serve({
    files: (prefix, port) => ({
      Caddyfile: subst(fillParts(template('caddy/Caddyfile.template'), config), { PREFIX: prefix, PORT: port }),
      'site/fixloop/data': LOOP_BODY,
    }),
    command: '/usr/bin/caddy',
    args: (prefix) => ['run', '--adapter', 'caddyfile', '--config', path.join(prefix, 'Caddyfile')],
    env: (prefix) => ({ HOME: prefix, XDG_CONFIG_HOME: path.join(prefix, 'config'), XDG_DATA_HOME: path.join(prefix, 'data') }),
  });
}

const lines = (...l: string[]) => l.join('\n');

// The enable-cors / "Invalid Access-Control-Allow-Origin Value" snippet: an unanchored,
// case-insensitive map regex with unescaped dots, add_header without always, no Vary; `more` lines after.
const snippet = (...more: string[]) => lines(
  '# in http { }',
  'map $http_origin $cors_origin {',
  '    default "";',
  '    "~*(https://example.com|https://frontend.com)" $http_origin;',
  '}',
  '# in location /fixloop/ { }',
  'add_header Access-Control-Allow-Origin $cors_origin;',
  'add_header Access-Control-Allow-Credentials true;',
  ...more,
);

fixLoop('nginx: the printed map and location fix the enable-cors mistakes', {
  stack: 'nginx',
  variants: [
    {
      name: 'the snippet: an unanchored ~* map with unescaped dots, add_header without always, no Vary, no Expose-Headers',
      start: () => nginx(snippet()),
      findings: [
        // The map's regex finds https://example.com anywhere, its dots match any character: the suffix,
        // look-alike, special-character and other-port hosts all contain it.
        'high suffix-match', 'high unescaped-dot', 'high special-char-match', 'medium port-mismatch',
        'low exposed-header-hidden', 'low error-response-without-cors', 'low missing-vary-origin',
      ],
    },
    {
      name: 'subdomains "too": a ~* regex anchored only at the end, and "null" for file:// pages',
      start: () => nginx(lines(
        '# in http { }',
        'map $http_origin $cors_origin {',
        '    default "";',
        '    "~*example\\.com$" $http_origin;',
        '    "null" $http_origin;',
        '}',
        '# in location /fixloop/ { }',
        'add_header Access-Control-Allow-Origin $cors_origin always;',
        'add_header Access-Control-Allow-Credentials true always;',
        'add_header Access-Control-Expose-Headers X-Request-Id always;',
        'add_header Vary Origin always;',
      )),
      findings: ['high null-origin', 'high prefix-match', 'medium subdomain-trust', 'medium scheme-downgrade'],
    },
    {
      name: 'Access-Control-Allow-Origin * with credentials',
      start: () => nginx(lines(
        '# in location /fixloop/ { }',
        'add_header Access-Control-Allow-Origin * always;',
        'add_header Access-Control-Allow-Credentials true always;',
        'add_header Access-Control-Expose-Headers X-Request-Id always;',
      )),
      findings: ['medium wildcard-with-credentials', 'info wildcard-origin'],
    },
  ],
  fixed: (config) => nginx(config),
});

fixLoop('nginx in front of Flask: the printed location hides the app\'s CORS headers', {
  stack: 'nginx-proxy',
  app: 'flask',
  variants: [
    {
      // The trial: the snippet in nginx, and the seed's CORS(app, supports_credentials=True) in Flask.
      name: 'the snippet in nginx in front of CORS(app, supports_credentials=True)',
      start: () => nginxProxy(snippet('add_header Access-Control-Expose-Headers X-Request-Id;')),
      findings: [
        // Both layers answer the allowed origin: two Access-Control-Allow-Origin. Flask reflects every
        // other origin, but nginx adds a second Access-Control-Allow-Credentials (true, true), so only
        // the reads without credentials succeed. nginx's own 404 has no CORS headers (no always).
        'high duplicate-cors-header', 'low origin-reflection', 'low error-response-without-cors',
      ],
    },
    {
      // Issue 21, item 1: what the report prints for nginx on its own, pasted in front of the unchanged
      // app. Both layers still send the headers; nothing is blamed as missing.
      name: 'the nginx (alone) configuration as printed, in front of the unchanged app',
      start: () => {
        const policy = validatePolicy(loopPolicy('http://127.0.0.1:1'), 'cors-policy.json');
        return nginxProxy(STACKS.nginx.config({ policy, endpoint: policy.endpoints[0] }));
      },
      // Two Access-Control-Allow-Origin for the allowed origin; Flask reflects the others, but the
      // credentials header comes twice (true, true), so they read only without credentials.
      findings: ['high duplicate-cors-header', 'low origin-reflection'],
    },
  ],
  fixed: (config) => nginxProxy(config),
});

fixLoop('Apache httpd: the printed SetEnvIf and Header always lines fix the usual snippets', {
  stack: 'apache',
  variants: [
    {
      name: 'the Origin reflected with Header set (no always), with credentials, no Vary',
      start: () => apache(lines(
        '# in the server config or the <VirtualHost>',
        '<Location "/fixloop/">',
        '    Header set Access-Control-Allow-Origin "expr=%{req:Origin}"',
        '    Header set Access-Control-Allow-Credentials "true"',
        '</Location>',
      )),
      findings: ['high credentials-reflection', 'low exposed-header-hidden', 'low error-response-without-cors', 'low missing-vary-origin'],
    },
    {
      // The widely copied SetEnvIf snippet: http(s)?, unescaped dots, no ^.
      name: 'SetEnvIf Origin "http(s)?://(www\\.)?(example.com|frontend.com)$" with Header add (no always)',
      start: () => apache(lines(
        '# in the server config or the <VirtualHost>',
        'SetEnvIf Origin "http(s)?://(www\\.)?(example.com|frontend.com)$" AccessControlAllowOrigin=$0',
        '<Location "/fixloop/">',
        '    Header add Access-Control-Allow-Origin %{AccessControlAllowOrigin}e env=AccessControlAllowOrigin',
        '    Header add Access-Control-Allow-Credentials "true" env=AccessControlAllowOrigin',
        '    Header merge Vary Origin',
        '</Location>',
      )),
      findings: [
        // $0 is the match: a look-alike host and the http:// origin match whole; the suffix and other-port
        // hosts match only their https://example.com part, which is not their origin.
        'high unescaped-dot', 'medium scheme-downgrade', 'low exposed-header-hidden', 'low error-response-without-cors',
      ],
    },
  ],
  fixed: (config) => apache(config),
});

fixLoop('Caddy: the printed header_regexp matcher and header block fix the usual set-ups', {
  stack: 'caddy',
  variants: [
    {
      name: 'header Access-Control-Allow-Origin {http.request.header.Origin} on every answer, no credentials, no Vary',
      start: () => caddy(lines(
        '# in the site block { }',
        'header Access-Control-Allow-Origin {http.request.header.Origin}',
        'header Access-Control-Expose-Headers X-Request-Id',
      )),
      findings: [
        // Without Access-Control-Allow-Credentials the allowed origin's credentialed reads fail (the
        // endpoint's 200 and its 404 alike: one finding), while any origin reads without credentials.
        'high allowed-origin-blocked', 'low origin-reflection', 'low missing-vary-origin',
      ],
    },
    {
      name: 'an unanchored header_regexp with unescaped dots, and the header block deferred',
      start: () => caddy(lines(
        '# in the site block { }',
        '@cors_allowed header_regexp Origin https://example.com',
        'header @cors_allowed {',
        '    Access-Control-Allow-Origin {http.request.header.Origin}',
        '    Access-Control-Allow-Credentials true',
        '    Access-Control-Expose-Headers X-Request-Id',
        '    defer',
        '}',
        'header +Vary Origin',
      )),
      findings: [
        // A deferred header is applied only to answers a handler writes: file_server's 404 has none.
        'high suffix-match', 'high unescaped-dot', 'high special-char-match', 'medium port-mismatch', 'low error-response-without-cors',
      ],
    },
  ],
  fixed: (config) => caddy(config),
});
