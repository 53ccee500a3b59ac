// `cors-matrix init --openapi`: OpenAPI 3.0 and 3.1, JSON and YAML, mapped to a starter policy
// (paths and methods, header parameters, security schemes, servers[0].url, origins), and a bad
// document ending with one line that names the file, the JSON pointer and the fix.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { policyFromOpenApi, readOpenApiFile, parseOpenApiText, PLACEHOLDER_ORIGIN } from '../../harness/policy/openapi.ts';
import { InputError } from '../../harness/input/validate.ts';

const v30 = {
  openapi: '3.0.3',
  info: { title: 'Shop', version: '1' },
  servers: [{ url: 'http://127.0.0.1:{port}/v1', variables: { port: { default: '8080' } } }],
  'x-amazon-apigateway-cors': { allowOrigins: ['https://shop.example.com', '*'] },
  security: [{ bearer: [] }],
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer' },
      session: { type: 'apiKey', in: 'cookie', name: 'sid' },
      key: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
      q: { type: 'apiKey', in: 'query', name: 'key' },
    },
    parameters: { trace: { name: 'X-Trace-Id', in: 'header', schema: { type: 'string' } } },
  },
  paths: {
    '/orders/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
      get: { parameters: [{ $ref: '#/components/parameters/trace' }], responses: { 200: { description: 'ok' } } },
      delete: { security: [{ session: [] }], responses: { 204: { description: 'gone' } } },
      options: { responses: { 204: { description: 'preflight, the browser sends it itself' } } },
    },
    '/search': {
      get: {
        security: [{ q: [] }],
        // OpenAPI ignores a header parameter named Accept, Content-Type or Authorization.
        parameters: [{ name: 'Accept', in: 'header' }, { name: 'Referer', in: 'header' }],
        responses: { 200: { description: 'ok' } },
      },
    },
    '/upload': {
      post: { security: [], requestBody: { content: { 'multipart/form-data': {} } }, responses: { 200: { description: 'ok' } } },
    },
  },
};

test('OpenAPI 3.0: paths, methods, header parameters, security schemes, server variables, the vendor extension', () => {
  const { policy, notes } = policyFromOpenApi(v30, 'shop.json', { origins: ['https://admin.example.com'] });
  expect(policy).toEqual({
    target: 'http://127.0.0.1:8080',
    allowedOrigins: ['https://admin.example.com', 'https://shop.example.com'],
    endpoints: [
      // GET needs the bearer token and the trace header, DELETE the session cookie: one endpoint, the union.
      { path: '/v1/orders/1', methods: ['GET', 'DELETE'], requestHeaders: ['X-Trace-Id', 'Authorization'], credentials: true },
      { path: '/v1/search', methods: ['GET'] },
      { path: '/v1/upload', methods: ['POST'] },
    ],
  });
  expect(notes.join('\n')).toMatch(/query string/);
  expect(notes.join('\n')).toMatch(/allowOrigins\/1 is "\*"/);
});

const v31yaml = `openapi: 3.1.0
info: { title: Items, version: '1' }
servers:
  - url: https://api.example.com/base/
components:
  securitySchemes:
    key: { type: apiKey, in: header, name: X-Api-Key }
    mtls: { type: mutualTLS }
  pathItems:
    items:
      get:
        parameters:
          - { name: slug, in: path, required: true, schema: { type: [string, 'null'], examples: [red-shoe] } }
          - { name: prefs, in: cookie }
        responses: { '200': { description: ok } }
      put:
        security: [{ key: [] }, { mtls: [] }]
        requestBody: { content: { application/json: { schema: { type: object } } } }
        responses: { '200': { description: ok } }
paths:
  /items/{slug}:
    $ref: '#/components/pathItems/items'
webhooks:
  ping: { post: { responses: { '200': { description: ok } } } }
`;

test('OpenAPI 3.1 in YAML: path item $ref, type arrays, examples, alternatives, mutual TLS; --target keeps the base path', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openapi-'));
  const file = path.join(dir, 'items.yaml');
  fs.writeFileSync(file, v31yaml);
  const { policy } = readOpenApiFile(file, { target: 'http://127.0.0.1:9000' });
  expect(policy).toEqual({
    target: 'http://127.0.0.1:9000',
    allowedOrigins: [PLACEHOLDER_ORIGIN],
    endpoints: [{ path: '/base/items/red-shoe', methods: ['GET', 'PUT'], requestHeaders: ['Content-Type', 'X-Api-Key'], credentials: true }],
  });
  // Without --target: servers[0].url.
  expect(readOpenApiFile(file).policy.target).toBe('https://api.example.com');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('JSON and YAML parse to the same document', () => {
  const json = JSON.stringify(v30, null, 2);
  expect(parseOpenApiText(json, 'a.json')).toEqual(v30);
  expect(parseOpenApiText(json, 'a.yaml')).toEqual(v30);
  expect(policyFromOpenApi(parseOpenApiText(v31yaml, 'b.yml'), 'b.yml').policy.endpoints[0].path).toBe('/base/items/red-shoe');
});

function problem(fn: () => unknown): string {
  try { fn(); } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    const text = (e as Error).message;
    expect(text.split('\n'), 'one line').toHaveLength(1);
    return text;
  }
  throw new Error('no problem found');
}

const minimal = { openapi: '3.1.0', info: { title: 't', version: '1' }, servers: [{ url: 'http://127.0.0.1:8080' }], paths: { '/a': { get: {} } } };

test('a bad document ends with one line: the file, the JSON pointer and the fix', () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ swagger: '2.0', paths: {} }, /^api\.yaml, at JSON pointer "\/swagger": Swagger 2\.0 .*Fix: convert it to OpenAPI 3/],
    [{ ...minimal, openapi: '4.0.0' }, /"\/openapi": version 4\.0\.0 is not read .*Fix: /],
    [{ ...minimal, openapi: undefined }, /"\/openapi": is missing\. Fix: start the document with openapi: 3\.1\.0/],
    [{ ...minimal, servers: [{ url: '/v1' }] }, /"\/servers\/0\/url": "\/v1" is not an absolute URL.*Fix: pass the URL of a test instance with --target/],
    [{ ...minimal, servers: undefined }, /"\/servers": there is no server.*Fix: pass the URL/],
    [{ ...minimal, servers: [{ url: 'http://h:{port}' }] }, /"\/servers\/0\/variables\/port": .*no default\. Fix: /],
    [{ ...minimal, paths: {} }, /"\/paths": there are no paths.*Fix: /],
    [{ ...minimal, paths: { 'a/b': { get: {} } } }, /"\/paths\/a~1b": the path "a\/b" does not start with \/\. Fix: write "\/a\/b"/],
    [{ ...minimal, paths: { '/a': { get: { security: [{ missing: [] }] } } } }, /"\/paths\/~1a\/get\/security\/0\/missing": the security scheme "missing" is not defined\. Fix: define it under components\.securitySchemes\.missing/],
    [{ ...minimal, paths: { '/a': { get: { parameters: [{ $ref: '#/components/parameters/nope' }] } } } }, /"\/paths\/~1a\/get\/parameters\/0\/\$ref": .*points at nothing.*Fix: /],
    [{ ...minimal, paths: { '/a': { get: { parameters: [{ $ref: 'other.yaml#/p' }] } } } }, /points into another file.*Fix: bundle the document/],
    [{ ...minimal, paths: { '/a': { get: { parameters: [{ name: 'X', in: 'body' }] } } } }, /"\/paths\/~1a\/get\/parameters\/0\/in": is "body"\. Fix: use one of query, header, path, cookie/],
    [{ ...minimal, 'x-amazon-apigateway-cors': { allowOrigins: ['https://a.example.com/'] } }, /"\/x-amazon-apigateway-cors\/allowOrigins\/0": .*trailing slash.*Fix: write "https:\/\/a\.example\.com"/],
    [[], /^api\.yaml, at JSON pointer "": the document must be an object/],
  ];
  for (const [doc, want] of cases) expect(problem(() => policyFromOpenApi(doc, 'api.yaml'))).toMatch(want);
  expect(problem(() => policyFromOpenApi(minimal, 'api.yaml', { origins: ['https://App.example.com'] }))).toMatch(/^--origin "https:\/\/App\.example\.com": .*Fix: write "https:\/\/app\.example\.com"/);
});

test('syntax errors name the line and column', () => {
  expect(problem(() => parseOpenApiText('openapi: 3.1.0\npaths:\n  /a: [\n', 'api.yaml'))).toMatch(/^api\.yaml, at line \d+, column \d+: not valid YAML .*Fix: correct the syntax there/);
  expect(problem(() => parseOpenApiText('{"openapi": "3.1.0",\n "paths": }', 'api.json'))).toMatch(/^api\.json, at (line 2, column \d+|JSON pointer ""): not valid JSON .*Fix: correct the syntax/);
  expect(problem(() => readOpenApiFile('/nonexistent/api.yaml'))).toMatch(/^\/nonexistent\/api\.yaml: no such file\. Fix: give the path of your OpenAPI document/);
});
