// The fix loop for Rails (rack-cors) and Go (net/http with github.com/rs/cors), both from Debian's
// packages (.ci/run installs ruby-railties, ruby-rack-cors, ruby-webrick, golang-go and
// golang-github-rs-cors-dev; nothing comes from rubygems.org or the Go module proxy).
//
// Rails: a real Rails 6.1 application in one file (tests/fixtures/stacks/rails/app.rb) with Rails'
// own middleware stack under WEBrick; the CORS set-up is what config/initializers/cors.rb holds
// (`Rails.application.config.middleware.insert_before 0, Rack::Cors do ... end`), pasted where Rails
// runs the initializers, so the printed configuration runs as printed. Recognised from the responses:
// Rack::Runtime, in Rails' default stack, answers X-Runtime (not named in the policy: a user's Rails
// app sends it unless they remove Rack::Runtime).
// Go: net/http's ServeMux and rs/cors (tests/fixtures/stacks/go/app.go), built offline with
// GO111MODULE=off against Debian's /usr/share/gocode. Recognised from the responses: Go's own 404
// (http.NotFound: text/plain; charset=utf-8 with X-Content-Type-Options: nosniff).
//
// Kinds neither loop produces, and why: origin-reflection (reflection with credentials is
// credentials-reflection and folds every other reader; without credentials the allowed origin's own
// credentialed read is refused as well, a variant of its own with the same `origins` fix);
// substring-match (rack-cors compares strings exactly or runs the user's Regexp, rs/cors compares
// exactly or by one `*` as prefix and suffix: neither accepts a shorter origin); duplicate-cors-header
// (each sets its headers once: rack-cors merges them into the app's, rs/cors calls Header().Set; two
// layers are the nginx loops'); missing-vary-origin (rack-cors adds Vary: Origin to every answer on a
// resource path, rs/cors to every answer it handles, and the checks' answers all pass through them);
// inconclusive-endpoint (no CORS fix). Rails alone: wildcard-origin and wildcard-with-credentials are
// the Go loop's (`origins '*'` with `credentials: true` does not boot: the test below); Go alone:
// null-origin (an exact "null" entry is the same `AllowedOrigins` fix as Flask's and Django's).
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { test, expect } from '@playwright/test';
import { ROOT, tempDir } from '../helpers.ts';
import { fill, fixLoop, freePort, LOOP_BODY, LOOP_EXPOSED, LOOP_PATH, startProcess, type Served, type Variant } from './loop.ts';

const TEMPLATES = path.join(ROOT, 'tests', 'fixtures', 'stacks');
/** An origin the policy blocks that a loose check lets in: the staging front end. */
const STAGING = 'https://staging.example.com';
const appEnv = { LOOP_PATH, LOOP_BODY };

/** Stops the server, then removes its scratch directory. */
const cleaned = (served: Served, dir: string): Served => ({
  origin: served.origin,
  close: async () => { await served.close(); fs.rmSync(dir, { recursive: true, force: true }); },
});

/** The template with `config` at its marker line, written as `file` in a scratch directory. */
function writeApp(stack: string, file: string, marker: string, config: string): string {
  const dir = tempDir(`cors-${stack}-`);
  fs.writeFileSync(path.join(dir, file), fill(fs.readFileSync(path.join(TEMPLATES, stack, file), 'utf8'), marker, config));
  return dir;
}

// ---- Rails -----------------------------------------------------------------------------------------

const RUBY = '/usr/bin/ruby';

function railsRuby(): string {
  const r = spawnSync(RUBY, ['-e', 'require "action_controller/railtie"; require "rack/cors"; require "rack/handler/webrick"'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${RUBY} cannot load Rails, rack-cors and WEBrick: run \`apt-get install -y ruby-railties ruby-rack-cors ruby-webrick\` (as .ci/run does)\n${r.stderr ?? r.error}`);
  return RUBY;
}

/** The Rails app with `initializer` (config/initializers/cors.rb's text) in place of its `# CORS` line, under WEBrick. */
async function startRails(initializer: string): Promise<Served> {
  const ruby = railsRuby();
  const dir = writeApp('rails', 'app.rb', '# CORS', initializer);
  try {
    const port = await freePort();
    return cleaned(await startProcess({ command: ruby, args: ['app.rb'], cwd: dir, env: { ...appEnv, PORT: String(port) }, port, within: 40_000 }), dir);
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** An initializer as users write it: `allow do ... end` lines inside Rails' insert_before 0. */
const initializer = (...allow: string[]) => [
  'Rails.application.config.middleware.insert_before 0, Rack::Cors do',
  '  allow do',
  ...allow.map((l) => `    ${l}`),
  '  end',
  'end',
].join('\n');

const EXPOSE = `expose: [${JSON.stringify(LOOP_EXPOSED)}]`;
const rails = (name: string, config: string, findings: string[]): Variant => ({ name, findings, start: () => startRails(config) });

fixLoop('Rails (rack-cors): each mistake found, the printed fix fixes it', {
  stack: 'rails',
  policy: { blockedOrigins: [STAGING] },
  variants: [
    // rack-cors refuses `origins '*'` with `credentials: true` at boot (the test below), so the
    // answer users find is an origins block that says yes to everyone: every Origin answered with
    // itself and Access-Control-Allow-Credentials: true; no expose, so the page cannot read X-Request-Id.
    rails("origins { |source, env| true } with credentials: true (rack-cors refuses '*' with credentials), no expose",
      initializer('origins { |source, env| true }', `resource "*", headers: :any, methods: [:get, :post, :options], credentials: true`),
      ['high credentials-reflection', 'low exposed-header-hidden']),
    // `rails new --api`'s config/initializers/cors.rb uncommented as generated: origins "example.com"
    // (a string without a scheme: rack-cors compiles it to a Regexp that takes any scheme), no credentials.
    rails('the generated initializer uncommented: origins "example.com", no credentials',
      initializer('origins "example.com"', '', 'resource "*",', '  headers: :any,', '  methods: [:get, :post, :put, :patch, :delete, :options, :head]'),
      ['high allowed-origin-blocked', 'low scheme-downgrade']),
    // An unanchored Regexp (=== finds it anywhere in the Origin), credentials on, but the resource
    // is the one route: its 404s (a path below it) get no CORS headers.
    rails('origins /example\\.com/ (unanchored), resource the one route',
      initializer('origins /example\\.com/', `resource ${JSON.stringify(LOOP_PATH)}, headers: :any, methods: [:get, :options], credentials: true, ${EXPOSE}`),
      ['high blocked-origin-allowed', 'high suffix-match', 'high prefix-match', 'high special-char-match', 'medium subdomain-trust',
        'medium scheme-downgrade', 'medium port-mismatch', 'low error-response-without-cors']),
  ],
  fixed: (config) => startRails(config),
});

test('Rails (rack-cors): origins "*" with credentials: true is refused at boot', () => {
  const ruby = railsRuby();
  const dir = writeApp('rails', 'app.rb', '# CORS', initializer("origins '*'", 'resource "*", headers: :any, methods: [:get, :options], credentials: true'));
  try {
    const r = spawnSync(ruby, ['app.rb'], { cwd: dir, env: { ...process.env, ...appEnv, PORT: '1' }, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stdout + r.stderr).not.toBe(0);
    expect(r.stderr).toContain('Allowing credentials for wildcard origins is insecure');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// ---- Go ----------------------------------------------------------------------------------------------

/** Debian's go, building against Debian's Go sources (/usr/share/gocode) with no module proxy. */
const GO_ENV = { GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOFLAGS: '', GOPROXY: 'off' };

/** The Go app with `config` in place of its `// CORS` line (it defines `handler`), built, then run. */
async function startGo(config: string): Promise<Served> {
  const dir = writeApp('go', 'app.go', '// CORS', config);
  try {
    const built = spawnSync('go', ['build', '-o', 'app', 'app.go'], { cwd: dir, env: { ...process.env, ...GO_ENV }, encoding: 'utf8', timeout: 120_000 });
    if (built.status !== 0) throw new Error(`go build failed (apt-get install -y golang-go golang-github-rs-cors-dev, as .ci/run does):\n${built.stderr ?? built.error}\n${config}`);
    return cleaned(await startProcess({ command: path.join(dir, 'app'), args: [], cwd: dir, env: appEnv, port: /listening on (\d+)/ }), dir);
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** rs/cors's Options with these field lines, wrapping the whole mux as its README does. */
const goCors = (...fields: string[]) => ['c := cors.New(cors.Options{', ...fields.map((f) => `\t${f}`), '})', 'handler := c.Handler(mux)'].join('\n');
const go = (name: string, config: string, findings: string[]): Variant => ({ name, findings, start: () => startGo(config) });
const GO_EXPOSED = `ExposedHeaders: []string{${JSON.stringify(LOOP_EXPOSED)}},`;

fixLoop('Go (net/http with rs/cors): each mistake found, the printed fix fixes it', {
  stack: 'go',
  policy: { blockedOrigins: [STAGING] },
  variants: [
    // An AllowOriginFunc that says yes to everyone, with credentials: every Origin answered with
    // itself and Access-Control-Allow-Credentials: true; no ExposedHeaders.
    go('AllowOriginFunc returning true, AllowCredentials: true, no ExposedHeaders',
      goCors('AllowOriginFunc:  func(origin string) bool { return true },', 'AllowCredentials: true,'),
      ['high credentials-reflection', 'low exposed-header-hidden']),
    // rs/cors's one-`*` pattern for "our subdomains" (prefix "https://", suffix ".example.com"),
    // and "null" for pages opened from disk; c.Handler on the one route, so the mux's 404s get none.
    go('AllowedOrigins "https://*.example.com" and "null", c.Handler on the one route',
      ['c := cors.New(cors.Options{',
        '\tAllowedOrigins:   []string{"https://example.com", "https://*.example.com", "null"},',
        `\t${GO_EXPOSED}`,
        '\tAllowCredentials: true,',
        '})',
        'handler := http.NewServeMux()',
        'handler.Handle(loopPath, c.Handler(http.HandlerFunc(data)))'].join('\n'),
      ['high blocked-origin-allowed', 'high null-origin', 'medium subdomain-trust', 'low error-response-without-cors']),
    // "*" with credentials: rs/cors (unlike rack-cors) sends Access-Control-Allow-Origin: * with
    // Access-Control-Allow-Credentials: true, which no engine lets the credentialed read use.
    go('AllowedOrigins: []string{"*"}, AllowCredentials: true',
      goCors('AllowedOrigins:   []string{"*"},', GO_EXPOSED, 'AllowCredentials: true,'),
      ['medium wildcard-with-credentials', 'info wildcard-origin']),
  ],
  fixed: (config) => startGo(config),
});
