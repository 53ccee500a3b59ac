// The matrix reporter: collects the cell each catalogue test attaches, then writes matrix.json and
// matrix.html and prints a terminal summary. Runs in Playwright's runner process, so it also works
// on `merge-reports` of sharded blob reports (attachments survive the merge).
import fs from 'node:fs';
import path from 'node:path';
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestResult } from '@playwright/test/reporter';
import { CELL_CONTENT_TYPE, type CellRecord, type Matrix } from '../harness/types.ts';
import { buildMatrix, diffBaseline } from './matrix.ts';
import { renderMatrixHtml } from './html.ts';
import { terminalSummary } from './summary.ts';

export function reportDir(): string {
  return path.resolve(process.env.CORS_REPORT_DIR ?? 'reports/out');
}

/** Write through a temporary file and rename, so no reader ever sees half a report. */
export function writeAtomic(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}

export default class MatrixReporter implements Reporter {
  private records = new Map<string, CellRecord>();
  private failures: Array<{ test: string; error: string }> = [];
  private order: string[] = [];
  private started = Date.now();

  printsToStdio(): boolean { return false; }

  onBegin(_config: FullConfig, suite: Suite): void {
    this.started = Date.now();
    const seen = new Set<string>();
    for (const t of suite.allTests()) {
      const id = t.annotations.find((a) => a.type === 'cors-scenario')?.description;
      if (id && !seen.has(id)) { seen.add(id); this.order.push(id); }
    }
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const a = result.attachments.find((x) => x.contentType === CELL_CONTENT_TYPE && x.body);
    if (a?.body) {
      const record = JSON.parse(a.body.toString('utf8')) as CellRecord;
      this.records.set(`${record.scenario.id}\u0000${record.engine.id}`, record);
    } else if (result.status !== 'skipped' && test.annotations.some((x) => x.type === 'cors-scenario')) {
      // The test ended without a cell (engine failed to launch, worker crashed): say so, never drop it.
      this.failures.push({ test: test.titlePath().slice(1).join(' › '), error: result.error?.message?.split('\n')[0] ?? result.status });
    }
  }

  async onEnd(result: FullResult): Promise<{ status?: FullResult['status'] } | undefined> {
    try {
      return this.write(result);
    } catch (e) {
      process.stderr.write(`cors-matrix: could not write the matrix: ${(e as Error).stack}\n`);
      return { status: 'failed' };
    }
  }

  private write(result: FullResult): { status?: FullResult['status'] } | undefined {
    if (this.records.size === 0 && this.failures.length === 0) return undefined;
    const dir = reportDir();
    const matrix: Matrix = buildMatrix([...this.records.values()], this.order, Date.now() - this.started);
    const baselineFile = process.env.CORS_BASELINE;
    if (baselineFile && process.env.CORS_UPDATE_BASELINE !== '1') {
      const baseline = JSON.parse(fs.readFileSync(baselineFile, 'utf8')) as Matrix;
      matrix.changes = diffBaseline(baseline, matrix);
    }
    writeAtomic(path.join(dir, 'matrix.json'), JSON.stringify(matrix, null, 2) + '\n');
    writeAtomic(path.join(dir, 'matrix.html'), renderMatrixHtml(matrix));
    if (baselineFile && process.env.CORS_UPDATE_BASELINE === '1') writeAtomic(path.resolve(baselineFile), JSON.stringify(matrix, null, 2) + '\n');
    process.stdout.write(terminalSummary(matrix, this.failures, dir));
    if (matrix.changes?.length) return { status: 'failed' };
    return result.status === 'passed' ? undefined : { status: result.status };
  }
}
