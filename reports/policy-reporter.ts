// The policy reporter (CORS_POLICY mode): collects what each origin's test attached, has the policy
// module build policy.json's model (cors-policy/1) from them and the run's masked plan (the config's
// metadata, set by the runner's set-up), then writes policy.json, policy.html, policy.sarif and
// junit.xml, and prints the findings. Runs in the runner process (or merge-reports); a run fails
// as its verdict says (harness/policy/threshold.ts, the rule each origin's test also fails by), and when it ended before every selected
// origin test ran (the report then says so and is marked incomplete).
import path from 'node:path';
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestResult } from '@playwright/test/reporter';
import { POLICY_CONTENT_TYPE, POLICY_ORIGIN_ANNOTATION, type PolicyPlan, type PolicyRecord, type PolicyReport } from '../harness/policy/policy-types.ts';
import { buildPolicyReport, findingGroups, policyFailed, policyJson } from '../harness/policy/report.ts';
import { planFromMetadata } from '../harness/policy/run-inputs.ts';
import { stackLine } from '../harness/policy/fixes/stacks.ts';
import { renderPolicyHtml } from './policy-html.ts';
import { policySarif } from './policy-sarif.ts';
import { policyJunit } from './policy-junit.ts';
import { firstErrorLine, reportDir, testTitle, wallTimeMs, writeAtomic } from './base.ts';
import { configurationLine } from '../harness/model/engine-configuration.ts';
import { now } from '../harness/model/timings.ts';
import { TimingsCollector } from './timings.ts';

/** `['./reports/policy-reporter.ts', { outputDir }]`; unset, CORS_REPORT_DIR. */
export interface PolicyReporterOptions {
  outputDir?: string;
}

const LABEL = { high: 'HIGH  ', medium: 'MEDIUM', low: 'LOW   ', info: 'INFO  ' } as const;

export function policySummary(report: PolicyReport, dir: string): string {
  const s = report.summary;
  // First, in plain words: a cut-short run's findings are not the whole story.
  const lines = report.complete ? [] : ['', `interrupted: ${s.testsNotRun} origins not checked (one origin in one engine each). This report is incomplete.`];
  const served = report.servedAs ? ` served as ${report.servedAs}` : '';
  lines.push('', `cors-matrix policy: ${report.target}${served} (${report.policyFile}) in ${report.engines.map((e) => `${e.id} ${e.version}`).join(', ')}`);
  for (const e of report.engines) lines.push(`  ${e.id} (regime ${e.regime ?? 'installed'}): ${configurationLine(e.configuration)}`);
  if (report.localNetworkAccess) lines.push(`  ${report.localNetworkAccess.note}`);
  lines.push(`  ${s.checks} checks: ${s.passed} passed, ${s.failed} failed${s.errors ? ` (${s.errors} with errors)` : ''}${s.inconclusive ? `, ${s.inconclusive} inconclusive (the endpoint answered only errors)` : ''}${s.notRun ? `, ${s.notRun} not run (no engine can be on the origin)` : ''}; ${(s.durationMs / 1000).toFixed(1)} s`);
  if (report.findings.length === 0) lines.push('  no findings');
  else if (report.stack) lines.push(`  ${stackLine(report.stack)}`);
  // One line per kind, however many endpoints share the mistake; the first finding speaks for them.
  for (const g of findingGroups(report)) {
    const f = g.findings[0];
    const more = g.origins.length > 1 ? ` (+${g.origins.length - 1} more)` : '';
    const where = g.endpoints.length === 1 ? f.endpoint : `${g.endpoints.length} endpoints (${g.endpoints.slice(0, 3).join(', ')}${g.endpoints.length > 3 ? ', …' : ''})`;
    lines.push(`  ${LABEL[g.severity]} ${g.kind.padEnd(27)} ${where}  ${f.origin}${more}  [${g.engines.join(', ')}]`);
    if (f.reason !== undefined) lines.push(`         at ${f.stage ?? '?'}: ${f.reason}`);
    for (const x of Object.values(f.exploit ?? {})) lines.push(`         ${g.endpoints.length > 1 ? `${f.endpoint}: ` : ''}${x!.line}`);
    for (const x of f.examples) lines.push(`         fix (${x.label}): ${x.change}`);
  }
  lines.push(`  reports: ${path.join(dir, 'policy.html')}, policy.json, policy.sarif, junit.xml`);
  // Last, so it is what the terminal shows above the prompt: why the run exits as it does.
  lines.push(report.complete ? `  ${report.verdict.line}` : '  exit 1: the run is incomplete', '');
  return lines.join('\n');
}

export default class PolicyReporter implements Reporter {
  private records = new Map<string, PolicyRecord>();
  private missing: string[] = [];
  /** Origin-in-engine keys of the tests this run selected: each yields one record. */
  private selected = new Set<string>();
  private subset = false;
  /** The run's plan, masked, from the config's metadata (harness/policy/run-inputs.ts). */
  private plan: PolicyPlan | null = null;
  private started = Date.now();
  private dir: string;
  /** Where the run's time went: timings/timings.json beside policy.json (reports/timings.ts). */
  private timings = new TimingsCollector('policy');

  constructor(options: PolicyReporterOptions = {}) {
    this.dir = reportDir(options.outputDir);
  }

  printsToStdio(): boolean { return false; }

  onBegin(config: FullConfig, suite: Suite): void {
    this.started = Date.now();
    this.timings.onBegin(config);
    for (const project of suite.suites) {
      const engine = project.project()?.metadata?.engine as string | undefined;
      if (!engine) continue;
      for (const test of project.allTests()) {
        // A set: merge-reports replays each project once per shard.
        for (const a of test.annotations) if (a.type === POLICY_ORIGIN_ANNOTATION && a.description) this.selected.add(`${a.description}\u0000${engine}`);
      }
    }
    // Fewer tests than the plan's origins in every engine project: --project, --grep or one shard.
    this.plan = planFromMetadata(config.metadata);
    const engines = new Set(config.projects.map((p) => p.metadata?.engine).filter(Boolean));
    this.subset = !!this.plan && this.selected.size < this.plan.groups.length * engines.size;
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    this.timings.onTestEnd(test, result);
    // One record per origin the test reached (a test that stopped part-way leaves the rest not run).
    const attached = result.attachments.filter((x) => x.contentType === POLICY_CONTENT_TYPE && x.body);
    for (const a of attached) {
      const record = JSON.parse(a.body!.toString('utf8')) as PolicyRecord;
      this.records.set(`${record.origin.origin}\u0000${record.engine.id}`, record);
    }
    if (!attached.length && result.status !== 'skipped' && result.status !== 'interrupted') {
      // An interrupted test is one of the tests not run, which the summary counts.
      this.missing.push(`${testTitle(test)}: ${firstErrorLine(result)}`);
    }
  }

  async onEnd(result: FullResult): Promise<{ status?: FullResult['status'] } | undefined> {
    const reportsStart = now();
    try {
      if (this.records.size === 0) {
        if (this.missing.length) process.stdout.write(`\ncors-matrix policy: no check ran:\n  ${this.missing.slice(0, 5).join('\n  ')}\n`);
        return undefined;
      }
      if (!this.plan) throw new Error('the config carries no policy plan in its metadata (its set-up must pass runMetadata())');
      const dir = this.dir;
      const report = buildPolicyReport(this.plan, [...this.records.values()], wallTimeMs(result, this.started));
      const testsNotRun = [...this.selected].filter((k) => !this.records.has(k)).length;
      report.summary.testsNotRun = testsNotRun;
      report.complete = testsNotRun === 0 && result.status !== 'interrupted' && result.status !== 'timedout';
      report.subset = this.subset;
      writeAtomic(path.join(dir, 'policy.json'), JSON.stringify(policyJson(report)) + '\n');
      writeAtomic(path.join(dir, 'policy.html'), renderPolicyHtml(report));
      writeAtomic(path.join(dir, 'policy.sarif'), JSON.stringify(policySarif(report), null, 2) + '\n');
      writeAtomic(path.join(dir, 'junit.xml'), policyJunit(report));
      process.stdout.write(policySummary(report, dir));
      this.timings.write(dir, reportsStart);
      if (this.missing.length) process.stdout.write(`  ${this.missing.length} engine tests produced no result:\n  ${this.missing.slice(0, 5).join('\n  ')}\n`);
      if (!report.complete) return { status: result.status === 'passed' ? 'failed' : result.status };
      if (policyFailed(report) || this.missing.length) return { status: 'failed' };
      return result.status === 'passed' ? undefined : { status: result.status };
    } catch (e) {
      process.stderr.write(`cors-matrix: could not write the policy report: ${(e as Error).stack}\n`);
      return { status: 'failed' };
    }
  }
}
