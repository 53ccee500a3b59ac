// The layers as a test over the import graph: every import of every source file is held to the
// rules in import-rules.ts, and the rules themselves are shown to catch an import against the flow.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { LAYERS, importsOf, layerOf, sourceFiles, violations } from './import-rules.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

function graph() {
  return sourceFiles(ROOT).flatMap((f) => importsOf(f, fs.readFileSync(path.join(ROOT, f), 'utf8')));
}

test('every import follows the layers, with no exception', () => {
  const imports = graph();
  // The graph is really read: the harness's files import each other hundreds of times.
  expect(imports.filter((i) => i.spec.startsWith('.')).length).toBeGreaterThan(200);
  expect(violations(imports)).toEqual([]);
});

test('every source file belongs to a layer that names its job', () => {
  const homeless = sourceFiles(ROOT).filter((f) => {
    const l = layerOf(f);
    return !l || l === 'harness/';
  });
  expect(homeless).toEqual([]);
});

test('an import against the flow fails, naming the file, the line and the rule', () => {
  // The pure model reaching up into an engine, and the matrix mode into policy mode.
  const text = "import type { Cell } from './types.ts';\nimport { launchEngine } from '../engines/launch.ts';\n";
  const up = violations(importsOf('harness/model/example.ts', text));
  expect(up).toEqual([
    "harness/model/example.ts:2 imports '../engines/launch.ts': harness/model/ (what a scenario, a cell and an engine id are) may import only itself; harness/engines/ is not among them",
  ]);
  const across = violations(importsOf('harness/matrix/example.ts', "export { runCheck } from '../policy/check-run.ts';"));
  expect(across).toHaveLength(1);
  expect(across[0]).toMatch(/^harness\/matrix\/example\.ts:1 imports '\.\.\/policy\/check-run\.ts': harness\/matrix\/ .* harness\/policy\/ is not among them$/);
  // A pure layer takes nothing from Node or from a package.
  expect(violations(importsOf('harness/oracle/example.ts', "import fs from 'node:fs';"))).toEqual([
    "harness/oracle/example.ts:1 imports 'node:fs': harness/oracle/ is pure (the Fetch standard as pure functions) and imports no Node built-in or package",
  ]);
  // A file directly under harness/ has no layer: the rule says so.
  expect(violations(importsOf('harness/loose.ts', "import x from './model/types.ts';"))[0]).toMatch(/belongs to no layer/);
});

test('dynamic imports and re-exports are part of the graph', () => {
  const text = "const m = await import('../harness/policy/load.ts');\nexport * from '../harness/matrix/batch.ts';\n";
  expect(importsOf('reports/x.ts', text).map((i) => i.to)).toEqual(['harness/policy/load.ts', 'harness/matrix/batch.ts']);
  expect(violations(importsOf('reports/x.ts', text))).toHaveLength(1);
});

test('the rules name only layers that exist', () => {
  for (const [key, layer] of Object.entries(LAYERS)) {
    for (const m of layer.may) expect(fs.existsSync(path.join(ROOT, m)), `${key} may import ${m}`).toBe(true);
  }
});
