// Writes the scaled catalogue of npm run bench (scripts/bench.mjs): the built-in scenarios `n` times,
// each copy under its own ids, as one CORS_SCENARIOS file (run with CORS_SCENARIOS_ONLY=1).
import fs from 'node:fs';
import { test, expect } from '@playwright/test';
import { builtinScenarios } from '../../harness/catalogue/categories.ts';
import { checkScenario } from '../../harness/matrix/load-scenarios.ts';

test('scaled catalogue', () => {
  const file = process.env.CORSBENCH_SCALED_FILE;
  const times = Number(process.env.CORSBENCH_SCALE ?? 4);
  expect(file, 'CORSBENCH_SCALED_FILE names the file to write').toBeTruthy();
  const copies = [];
  for (let k = 1; k <= times; k++) {
    for (const { source: _source, ...s } of builtinScenarios) {
      const copy = JSON.parse(JSON.stringify({ ...s, id: k === 1 ? s.id : `${s.id}.x${k}` }));
      checkScenario(copy, `copy ${k} of ${s.id}`);
      copies.push(copy);
    }
  }
  fs.writeFileSync(file!, JSON.stringify(copies));
});
