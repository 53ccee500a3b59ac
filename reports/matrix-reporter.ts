// The matrix reporter: collects the cell each catalogue test attaches, then writes matrix.json and
// matrix.html and prints a terminal summary. Runs in Playwright's runner process, so it also works
// on `merge-reports` of sharded blob reports: body attachments survive the merge, and the merged
// run replays one project per project per shard, which the scenario order and the cell keys absorb.
import path from 'node:path';
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestResult } from '@playwright/test/reporter';
import { CELL_CONTENT_TYPE, type CellRecord, type Matrix } from '../harness/types.ts';
import { buildMatrix, diffBaseline, mergeOrder } from './matrix.ts';
import { renderMatrixHtml } from './html.ts';
import { terminalSummary, type RunFailure } from './summary.ts';
import { BaselineError, baselineText, checkBaseline, type BaselineOptions, type CheckedBaseline } from './baseline.ts';
import { firstErrorLine, reportDir, testTitle, wallTimeMs, writeAtomic } from './base.ts';

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
  private started = Date.now();
  private dir: string;
  private baseline: CheckedBaseline | null = null;
  /** A baseline the config's input check let through but the comparison cannot use. */
  private inputProblem = '';
  private failed = '';

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

  onBegin(_config: FullConfig, suite: Suite): void {
    this.started = Date.now();
    // Said at once, so nobody waits for a run whose report cannot be written.
    if (this.inputProblem) process.stderr.write(`\ncors-matrix: ${this.inputProblem}\n\n`);
    for (const project of suite.suites) {
      this.orders.push(project.allTests().map(scenarioOf).filter((id): id is string => !!id));
    }
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const a = result.attachments.find((x) => x.contentType === CELL_CONTENT_TYPE && x.body);
    if (a?.body) {
      const record = JSON.parse(a.body.toString('utf8')) as CellRecord;
      // Keyed by scenario and engine: a retry, or the same test in two merged blobs, counts once (the last).
      this.records.set(`${record.scenario.id}\u0000${record.engine.id}`, record);
    } else if (result.status !== 'skipped' && scenarioOf(test)) {
      // The test ended without a cell (engine failed to launch, worker crashed): say so, never drop it.
      this.failures.push({ test: testTitle(test), error: firstErrorLine(result) });
    }
  }

  async onEnd(result: FullResult): Promise<{ status?: FullResult['status'] } | undefined> {
    if (!this.baseline) {
      // No report rather than one compared with nothing: the message names the file and the fix.
      process.stderr.write(`cors-matrix: ${this.inputProblem}\n`);
      this.failed = 'the baseline could not be used';
      return { status: 'failed' };
    }
    try {
      return this.write(result, this.baseline);
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
    if (this.records.size === 0 && this.failures.length === 0) return undefined;
    const dir = this.dir;
    const matrix: Matrix = buildMatrix([...this.records.values()], mergeOrder(this.orders), wallTimeMs(result, this.started));
    if (settings.file && !settings.update && baseline) matrix.changes = diffBaseline(baseline, matrix);
    const moved = settings.update && baseline ? diffBaseline(baseline, matrix).length : null;
    // Render everything before writing anything: a failure leaves the previous report whole.
    const json = JSON.stringify(matrix, null, 2) + '\n';
    const html = renderMatrixHtml(matrix);
    writeAtomic(path.join(dir, 'matrix.json'), json);
    writeAtomic(path.join(dir, 'matrix.html'), html);
    if (settings.file && settings.update) writeAtomic(path.resolve(settings.file), baselineText(matrix));
    process.stdout.write(terminalSummary(matrix, this.failures, dir, settings.file && settings.update ? { file: settings.file, moved } : undefined));

    const reasons = [
      matrix.summary.mismatching && `${matrix.summary.mismatching} of ${matrix.summary.cells} cells do not match their expectation`,
      this.failures.length && `${this.failures.length} tests produced no cell`,
      matrix.changes?.length && `${matrix.changes.length} cells changed since the baseline`,
      result.status !== 'passed' && !matrix.summary.mismatching && !this.failures.length && `the run ended ${result.status}`,
    ].filter(Boolean);
    this.failed = reasons.join('; ');
    if (matrix.changes?.length) return { status: 'failed' };
    return result.status === 'passed' ? undefined : { status: result.status };
  }
}

function scenarioOf(test: TestCase): string | undefined {
  return test.annotations.find((a) => a.type === 'cors-scenario')?.description;
}
