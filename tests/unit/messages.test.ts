// Messages for a user who typed something slightly wrong: the nearest known name ("did you mean"),
// where in a JSON file the syntax broke, and what `init --target` did with a path.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { closest, readInputJson, InputError } from '../../harness/input/validate.ts';
import { validatePolicy } from '../../harness/policy/load.ts';
import { starterPolicy } from '../../harness/policy/openapi.ts';
import { keepPolicyReporter } from '../../cli/reporter-args.ts';

const good = { target: 'http://127.0.0.1:8080', allowedOrigins: ['https://example.com'], endpoints: [{ path: '/api/data', methods: ['GET'] }] };

function problem(fn: () => unknown): string {
  try { fn(); } catch (e) { expect(e).toBeInstanceOf(InputError); return (e as Error).message; }
  throw new Error('accepted');
}

test('one edit-distance helper: near names are suggested, far ones are not', () => {
  expect(closest('chek', ['check', 'matrix', 'init', 'doctor'])).toBe('check');
  expect(closest('engine', ['engines', 'report-dir', 'help'])).toBe('engines');
  expect(closest('exposeHeaders', ['path', 'methods', 'requestHeaders', 'exposedHeaders'])).toBe('exposedHeaders');
  expect(closest('colour', ['id', 'title', 'category', 'request'])).toBeUndefined();
  expect(closest('CORS_POLICYY', ['CORS_POLICY', 'CORS_SCENARIOS'])).toBe('CORS_POLICY');
});

test('an unknown policy field names the field it is closest to', () => {
  const m = problem(() => validatePolicy({ ...good, endpoints: [{ ...good.endpoints[0], exposeHeaders: ['X-Id'] }] }, 'cors-policy.json'));
  expect(m).toMatch(/cors-policy\.json, field "endpoints\[0\]\.exposeHeaders": unknown field \(did you mean "exposedHeaders"\?\)\. Fix: rename it to "exposedHeaders"/);
});

test('invalid JSON is located by line and column, as an editor counts', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-json-'));
  const file = path.join(dir, 'cors-policy.json');
  fs.writeFileSync(file, '{\n  "target": "http://127.0.0.1:8080",\n}\n');
  const input = { name: 'policy file', variable: 'CORS_POLICY', fileFix: 'give a file' };
  expect(problem(() => readInputJson(file, input))).toMatch(/cors-policy\.json:3:1: not valid JSON: Expected double-quoted property name\. Fix: /);
  fs.writeFileSync(file, '{ "target": ');
  expect(problem(() => readInputJson(file, input))).toMatch(/cors-policy\.json:1:13: not valid JSON: Unexpected end of JSON input\. Fix: /);
});

test('init --target with a path keeps the path as the endpoint and says so; a fragment is named as dropped', () => {
  const r = starterPolicy({ target: 'http://127.0.0.1:3000/api/orders?limit=5#top', origins: ['https://app.example.com'] });
  expect(r.policy.target).toBe('http://127.0.0.1:3000');
  expect(r.policy.endpoints.map((e) => e.path)).toEqual(['/api/orders?limit=5']);
  expect(r.notes).toEqual(expect.arrayContaining([
    expect.stringMatching(/endpoint \/api\/orders\?limit=5 from --target/),
    expect.stringMatching(/dropped the fragment #top/),
  ]));
  expect(starterPolicy({ target: 'http://127.0.0.1:3000' }).policy.endpoints[0].path).toBe('/api/data');
});

test('cors-matrix check keeps its own reporter beside any the user gives after --', () => {
  const ours = '/pkg/dist/reports/policy-reporter.js';
  expect(keepPolicyReporter(['--reporter=dot'], ours)).toEqual([`--reporter=dot,${ours}`]);
  expect(keepPolicyReporter(['--workers=1', '--reporter', 'list,html', '--grep', 'x'], ours)).toEqual(['--workers=1', '--reporter', `list,html,${ours}`, '--grep', 'x']);
  // No --reporter: the config's reporters (ours among them) stand.
  expect(keepPolicyReporter(['--workers=1'], ours)).toEqual(['--workers=1']);
});
