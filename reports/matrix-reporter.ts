// The matrix reporter: collects the cell each catalogue test attaches, then writes matrix.json and
// matrix.html and prints a terminal summary. Runs in Playwright's runner process, so it also works
// on `merge-reports` of sharded blob reports: body attachments survive the merge, and the merged
// run replays one project per project per shard, which the scenario order and the cell keys absorb.
// It also knows which cells the run selected (from the suite Playwright hands it), so a run cut
// short says how many cells it lacks, and a run of part of the catalogue compares and updates only
// its own cells.
import path from 'node:path';
import type { FullConfig, FullProject, FullResult, Reporter, Suite, TestCase, TestResult } from '@playwright/test/reporter';
import { CATALOGUE_METADATA_KEY, CELL_CONTENT_TYPE, type CatalogueSummary, type CellRecord, type Matrix } from '../harness/model/types.ts';
import { buildMatrix, cellKey, cellsNotRun, diffBaseline, mergeIntoBaseline, mergeOrder } from './matrix.ts';
import { renderMatrixHtml } from './html.ts';
import { terminalSummary, type BaselineUpdate, type RunFailure } from './summary.ts';
import { BaselineError, baselineText, checkBaseline, type BaselineOptions, type CheckedBaseline } from './baseline.ts';
import { firstErrorLine, reportDir, testTitle, wallTimeMs, writeAtomic } from './base.ts';
import { configurationChanges } from '../harness/model/engine-configuration.ts';
import { now } from '../harness/model/timings.ts';
import { TimingsCollector } from './timings.ts';

/** `['./reports/matrix-reporter.ts', { outputDir, baseline, updateBaseline }]`; unset options fall back to CORS_*. */
export interface MatrixReporterOptions extends BaselineOptions {
  outputDir?: string;
}

/** `playwright merge-reports` ignores the status a reporter returns from onEnd; see onExit. */
const MERGING = process.argv.includes('merge-reports');

export default class MatrixReporter implements Reporter {
  private records = new Map<string, CellRecord>();
  private failures: RunFailure[] = [];
  private orders: string[][] = [];
  /** Cell keys of the tests this run selected: the cells it promises to report. */
  private selected = new Set<string>();
  private subset = false;
  private started = Date.now();
  private dir: string;
  private baseline: CheckedBaseline | null = null;
  /** A baseline the config's input check let through but the comparison cannot use. */
  private inputProblem = '';
  private failed = '';
  /** Where the run's time went: timings/timings.json beside matrix.json (reports/timings.ts). */
  private timings = new TimingsCollector('catalogue');

  constructor(options: MatrixReporterOptions = {}) {
    this.dir = reportDir(options.outputDir);
    try {
      this.baseline = checkBaseline(process.env, options);
    } catch (e) {
      if (!(e instanceof BaselineError)) throw e;
      this.inputProblem = e.message;
    }
  }

  printsToStdio(): boolean { return false; }

  onBegin(config: FullConfig, suite: Suite): void {
    this.started = Date.now();
    this.timings.onBegin(config);
    // Said at once, so nobody waits for a run whose report cannot be written.
    if (this.inputProblem) process.stderr.write(`\ncors-matrix: ${this.inputProblem}\n\n`);
    for (const project of suite.suites) {
      const ids = project.allTests().map(scenarioOf).filter((id): id is string => !!id);
      this.orders.push(ids);
      const engine = project.project() && engineOf(project.project()!);
      // A set: merge-reports replays each project once per shard, and a cell is selected once.
      if (engine) for (const id of ids) this.selected.add(cellKey(id, engine));
    }
    if (this.selected.size) this.subset = isSubset(this.selected.size, config.projects, config.metadata?.[CATALOGUE_METADATA_KEY] as CatalogueSummary | undefined);
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    this.timings.onTestEnd(test, result);
    const a = result.attachments.find((x) => x.contentType === CELL_CONTENT_TYPE && x.body);
    if (a?.body) {
      const record = JSON.parse(a.body.toString('utf8')) as CellRecord;
      // Keyed by scenario and engine: a retry, or the same test in two merged blobs, counts once (the last).
      this.records.set(`${record.scenario.id}\u0000${record.engine.id}`, record);
    } else if (result.status !== 'skipped' && result.status !== 'interrupted' && scenarioOf(test)) {
      // The test ended without a cell (engine failed to launch, worker crashed): say so, never drop it.
      // An interrupted test is one of the cells not run, which the summary counts.
      this.failures.push({ test: testTitle(test), error: firstErrorLine(result) });
    }
  }

  async onEnd(result: FullResult): Promise<{ status?: FullResult['status'] } | undefined> {
    const reportsStart = now();
    if (!this.baseline) {
      // No report rather than one compared with nothing: the message names the file and the fix.
      process.stderr.write(`cors-matrix: ${this.inputProblem}\n`);
      this.failed = 'the baseline could not be used';
      return { status: 'failed' };
    }
    try {
      const status = this.write(result, this.baseline);
      // Beside a matrix only: a run that wrote none has no report to explain.
      if (this.records.size) this.timings.write(this.dir, reportsStart);
      return status;
    } catch (e) {
      process.stderr.write(`cors-matrix: could not write the matrix: ${(e as Error).stack}\n`);
      this.failed = 'the matrix could not be written';
      return { status: 'failed' };
    }
  }

  async onExit(): Promise<void> {
    // merge-reports exits 1 only on a reporter error, so a failing merged matrix must raise one.
    if (!MERGING || !this.failed) return;
    const e = new Error(`cors-matrix: the merged run failed: ${this.failed}`);
    e.stack = e.message; // one line: the summary above already says which cells and why
    throw e;
  }

  private write(result: FullResult, { settings, baseline }: CheckedBaseline): { status?: FullResult['status'] } | undefined {
    const interrupted = result.status === 'interrupted' || result.status === 'timedout';
    if (this.records.size === 0 && this.failures.length === 0) {
      // Nothing to show (and an empty matrix names no engine): say what did not happen, and fail if cut short.
      if (!interrupted || !this.selected.size) return undefined;
      process.stdout.write(`\ninterrupted: ${this.selected.size} cells not run; no cell finished, so no matrix was written${settings.update && settings.file ? `; baseline not written, ${settings.file} is unchanged` : ''}.\n`);
      this.failed = 'the run was interrupted before any cell finished';
      return { status: result.status };
    }
    const dir = this.dir;
    const matrix: Matrix = buildMatrix([...this.records.values()], mergeOrder(this.orders), wallTimeMs(result, this.started));
    const notRun = cellsNotRun(this.selected, matrix).length;
    matrix.summary.notRun = notRun;
    // Interrupted after the last cell is still cut short: Playwright did not get to finish the run.
    matrix.complete = notRun === 0 && !interrupted;
    matrix.subset = this.subset;
    if (settings.file && !settings.update && baseline) {
      matrix.changes = diffBaseline(baseline, matrix, this.selected);
      const moved = configurationChanges(baseline.engines, matrix.engines);
      if (moved.length) matrix.configurationChanges = moved;
    }
    const update = settings.file && settings.update ? this.baselineUpdate(settings.file, baseline, matrix) : undefined;
    // Render everything before writing anything: a failure leaves the previous report whole.
    const json = JSON.stringify(matrix, null, 2) + '\n';
    const html = renderMatrixHtml(matrix);
    writeAtomic(path.join(dir, 'matrix.json'), json);
    writeAtomic(path.join(dir, 'matrix.html'), html);
    if (update?.text !== undefined) writeAtomic(path.resolve(update.file), update.text);
    process.stdout.write(terminalSummary(matrix, this.failures, dir, update));

    const reasons = [
      !matrix.complete && `interrupted: ${notRun} cells not run`,
      matrix.summary.mismatching && `${matrix.summary.mismatching} of ${matrix.summary.cells} cells do not match their expectation`,
      this.failures.length && `${this.failures.length} tests produced no cell`,
      matrix.changes?.length && `${matrix.changes.length} cells changed since the baseline`,
      result.status !== 'passed' && matrix.complete && !matrix.summary.mismatching && !this.failures.length && `the run ended ${result.status}`,
    ].filter(Boolean);
    this.failed = reasons.join('; ');
    // An incomplete run never passes, even when every cell it has matches (a --max-failures stop, a crash).
    if (!matrix.complete) return { status: result.status === 'passed' ? 'failed' : result.status };
    if (matrix.changes?.length) return { status: 'failed' };
    return result.status === 'passed' ? undefined : { status: result.status };
  }

  /**
   * What an update does with the baseline file. Only a complete run writes it: a fragment would
   * replace the good baseline. A whole-catalogue run replaces it; a subset run merges its selected
   * cells into it and keeps every other cell, or, with no readable baseline, writes what it has.
   */
  private baselineUpdate(file: string, baseline: Matrix | null, matrix: Matrix): BaselineUpdate & { text?: string } {
    if (!matrix.complete) return { file, kind: 'refused', notRun: matrix.summary.notRun };
    const moved = baseline ? diffBaseline(baseline, matrix, this.selected).length : null;
    if (!matrix.subset) return { file, kind: 'whole', moved, text: baselineText(matrix) };
    if (!baseline) return { file, kind: 'subset', cells: matrix.summary.cells, moved, text: baselineText(matrix) };
    return { file, kind: 'merged', cells: matrix.summary.cells, moved, text: baselineText(mergeIntoBaseline(baseline, matrix, this.selected)) };
  }
}

/** The engine a project runs: its metadata survives merge-reports (its `use` does not). */
function engineOf(project: FullProject): string | undefined {
  const meta = (project.metadata as { engine?: string } | undefined)?.engine;
  return meta ?? (project.use as { engineId?: string }).engineId;
}

/**
 * Whether the selection is part of the catalogue: fewer cells than every scenario (built-in plus
 * CORS_SCENARIOS) in every engine project of the config, or the custom file alone. Counting cells
 * rather than reading the command line covers --project, --grep, --shard and a config's own
 * filters alike, and a merge of every shard counts as the whole. In doubt (a config that gave no
 * catalogue summary), a subset: a subset update keeps the other cells, a whole one would drop them.
 */
function isSubset(selected: number, projects: FullProject[], catalogue: CatalogueSummary | undefined): boolean {
  if (!catalogue || catalogue.customOnly) return true;
  // A column counts once (merge-reports replays a project per shard); a second regime's runs its share.
  const columns = new Map(projects.filter((p) => engineOf(p)).map((p) => [engineOf(p), !!(p.metadata as { regimeScenariosOnly?: boolean } | undefined)?.regimeScenariosOnly]));
  const whole = [...columns.values()].reduce((n, only) => n + (only ? catalogue.regimeDependent ?? 0 : catalogue.scenarios), 0);
  return selected < whole;
}

function scenarioOf(test: TestCase): string | undefined {
  return test.annotations.find((a) => a.type === 'cors-scenario')?.description;
}
