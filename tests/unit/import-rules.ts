// Which part of the code may import which: the layers of docs/architecture.md as data, and the
// import graph they are checked against (import-rules.test.ts). Data flows one way, from the pure
// model at the bottom to the reporters and the command at the top; an import against that flow
// fails the unit tests with the rule it breaks. No exceptions: a design that stops fitting is
// changed here, in one deliberate step, with the picture in the doc.
import fs from 'node:fs';
import path from 'node:path';

export interface Layer {
  /** Why the layer exists, in a few words (shown when a rule is broken). */
  job: string;
  /** Layers this one may import (itself always). */
  may: string[];
  /** Pure: no Node built-in, no package, only the layers named in `may`. */
  pure?: boolean;
}

// A file belongs to the longest key that is a prefix of its path.
export const LAYERS: Record<string, Layer> = {
  'harness/model/': { job: 'what a scenario, a cell and an engine id are', may: [], pure: true },
  'harness/oracle/': { job: 'the Fetch standard as pure functions', may: ['harness/model/'], pure: true },
  'harness/catalogue/': { job: 'the scenarios and recorded deviations, as data', may: ['harness/model/', 'harness/oracle/'], pure: true },
  'harness/input/': { job: 'reading and checking input files', may: ['harness/model/'] },
  'harness/engines/': { job: 'one descriptor and driver per engine', may: ['harness/model/', 'harness/input/'] },
  'harness/settings.ts': { job: 'the environment, read once into typed settings', may: ['harness/model/', 'harness/input/', 'harness/engines/'] },
  'servers/': { job: 'origin, targets, proxy, CA', may: ['harness/model/', 'harness/oracle/', 'harness/settings.ts'] },
  'harness/probe/': { job: 'the probe kernel both modes call: evaluate, messages, verdict', may: ['harness/model/', 'harness/engines/', 'harness/settings.ts', 'servers/'] },
  'harness/matrix/': {
    job: 'catalogue mode: sessions, placement, scenario runs, expectations',
    may: ['harness/model/', 'harness/oracle/', 'harness/catalogue/', 'harness/input/', 'harness/engines/', 'harness/settings.ts', 'servers/', 'harness/probe/'],
  },
  'harness/policy/': {
    job: 'policy mode: load, plan, run, judge, report model, the cors fixture',
    may: ['harness/model/', 'harness/oracle/', 'harness/input/', 'harness/engines/', 'harness/settings.ts', 'servers/', 'harness/probe/'],
  },
  'harness/runner/': {
    job: 'the run set-up both Playwright configs call: the composition root of the two modes',
    may: ['harness/model/', 'harness/input/', 'harness/engines/', 'harness/settings.ts', 'harness/matrix/', 'harness/policy/'],
  },
  'harness/public-api.ts': { job: 'the package entry', may: ['harness/model/', 'harness/runner/', 'harness/policy/'] },
  'specs/': { job: 'the two specs', may: ['harness/model/', 'harness/probe/', 'harness/matrix/', 'harness/policy/'] },
  'reports/': { job: 'reporters: render the models', may: ['harness/model/', 'harness/engines/', 'harness/settings.ts', 'harness/policy/'] },
  'playwright.config.ts': { job: 'the catalogue and policy config', may: ['harness/model/', 'harness/runner/', 'harness/matrix/', 'harness/policy/', 'harness/settings.ts', 'reports/'] },
  'cli/': { job: 'the cors-matrix command', may: ['harness/model/', 'harness/input/', 'harness/engines/', 'harness/settings.ts', 'harness/runner/', 'harness/policy/', 'reports/'] },
  'scripts/': {
    job: 'set-up, build, bench, verify',
    may: ['harness/', 'servers/', 'reports/', 'playwright.config.ts', 'tests/fixtures/'],
  },
  'harness/': { job: '(a file directly under harness/ belongs to no layer: give it one)', may: [] },
  'examples/': { job: 'runnable examples for users', may: ['harness/public-api.ts', 'harness/policy/define.ts'] },
};

export function layerOf(file: string, layers: Record<string, Layer> = LAYERS): string | null {
  let best: string | null = null;
  for (const key of Object.keys(layers)) if ((file === key || file.startsWith(key)) && (!best || key.length > best.length)) best = key;
  return best;
}

export interface Import { from: string; to: string; line: number; spec: string }

const IMPORT = /(?:^|[^\w.])(?:import|export)\s*(?:type\s+)?(?:[\w*{}\s,$]+\s+from\s+)?\(?\s*(['"])([^'"]+)\1/g;

/** Every import and re-export of a source file (static and dynamic), with its line. */
export function importsOf(file: string, text: string): Import[] {
  const out: Import[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const line = text.slice(0, m.index! + m[0].search(/import|export/)).split('\n').length;
    const spec = m[2];
    const to = spec.startsWith('.') ? path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)) : spec;
    out.push({ from: file, to, line, spec });
  }
  return out;
}

const SOURCE = /\.(ts|mjs|js)$/;

/** The repository's source files outside tests/ (tests may import anything), relative, posix. */
export function sourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (['node_modules', 'dist', 'out', 'tests', '.git', 'docs'].includes(e.name) || e.name.startsWith('.')) continue;
        walk(rel);
      } else if (SOURCE.test(e.name) && !e.name.endsWith('.d.ts')) out.push(rel);
    }
  };
  walk('');
  return out;
}

/** Files whose code runs in a page, not in Node: served as text, never imported. */
const PAGE_SCRIPTS = new Set(['servers/probe/probe.js', 'harness/engines/webkitgtk/exchange.js', 'reports/matrix-page.js']);

/** Every import that breaks a rule, as one line naming the file, the line, the import and the rule. */
export function violations(imports: Import[], layers: Record<string, Layer> = LAYERS): string[] {
  const out: string[] = [];
  for (const i of imports) {
    if (PAGE_SCRIPTS.has(i.from)) continue;
    const from = layerOf(i.from, layers);
    const where = `${i.from}:${i.line} imports '${i.spec}'`;
    if (!from) { out.push(`${where}: ${i.from} is in no layer; add it to LAYERS`); continue; }
    const rule = layers[from];
    if (from === 'harness/') { out.push(`${where}: ${rule.job}`); continue; }
    const relative = i.spec.startsWith('.');
    if (!relative) {
      if (rule.pure) out.push(`${where}: ${from} is pure (${rule.job}) and imports no Node built-in or package`);
      continue;
    }
    const to = layerOf(i.to, layers) ?? layerOf(i.to.replace(/\.js$/, '.ts'), layers);
    if (to === from) continue;
    const allowed = rule.may.some((m) => i.to === m || i.to.startsWith(m));
    if (!allowed) out.push(`${where}: ${from} (${rule.job}) may import only ${rule.may.join(', ') || 'itself'}; ${to ?? i.to} is not among them`);
  }
  return out;
}
