// policy.sarif: the findings as SARIF 2.1.0, so GitHub code scanning (upload-sarif) shows them.
// One rule per finding kind; each result points at the policy file, at the line of the endpoint it
// is about (code scanning needs a location in the repository), with the fix as its help.
import fs from 'node:fs';
import type { Finding, PolicyReport, Severity } from '../harness/policy/policy-types.ts';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { high: 'error', medium: 'warning', low: 'note', info: 'note' };
/** GitHub orders security alerts by this property (0-10). */
const SCORE: Record<Severity, string> = { high: '8.1', medium: '5.3', low: '3.1', info: '0.0' };

interface SarifLocation { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }

/** The 1-based line where the endpoint's path appears in the policy file (1 when it cannot be read). */
function lineOf(file: string, endpoint: string): number {
  try {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const i = lines.findIndex((l) => l.includes(JSON.stringify(endpoint)) || l.includes(`'${endpoint}'`));
    return i >= 0 ? i + 1 : 1;
  } catch {
    return 1;
  }
}

function location(report: PolicyReport, f: Finding): SarifLocation {
  const uri = report.policyFile.split('\\').join('/');
  return { physicalLocation: { artifactLocation: { uri }, region: { startLine: lineOf(report.policyFile, f.endpoint) } } };
}

/** With a session: per engine, whether the attacker's read carried the user's cookie. */
function exploitText(f: Finding): string {
  const lines = Object.values(f.exploit ?? {}).map((x) => x!.line);
  return lines.length ? ` ${lines.join('; ')}.` : '';
}

export function policySarif(report: PolicyReport) {
  const kinds = [...new Set(report.findings.map((f) => f.kind))];
  const rules = kinds.map((kind) => {
    const first = report.findings.find((f) => f.kind === kind)!;
    return {
      id: kind,
      name: kind.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
      shortDescription: { text: first.title },
      fullDescription: { text: first.title },
      help: { text: first.fix, markdown: `${first.fix}\n\n**Express (cors)**\n\n\`\`\`js\n${first.examples.express ?? ''}\n\`\`\`\n\n**nginx**\n\n\`\`\`nginx\n${first.examples.nginx ?? ''}\n\`\`\`` },
      defaultConfiguration: { level: LEVEL[first.severity] },
      properties: { tags: ['security', 'cors', 'external/cwe/cwe-942'], 'security-severity': SCORE[first.severity], precision: 'high' },
    };
  });
  const results = report.findings.map((f) => ({
    ruleId: f.kind,
    ruleIndex: kinds.indexOf(f.kind),
    level: LEVEL[f.severity],
    message: { text: `${f.endpoint}: ${f.title}. ${f.description} Seen in ${f.engines.join(', ') || 'no engine (from the replay)'}.${exploitText(f)} Fix: ${f.fix}` },
    locations: [location(report, f)],
    partialFingerprints: { corsFinding: `${report.target} ${f.id}` },
    properties: { severity: f.severity, endpoint: f.endpoint, origin: f.origin, origins: f.origins, engines: f.engines, credentialed: f.credentialed, ...(f.exploit ? { exploit: f.exploit } : {}) },
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'cors-matrix', rules } },
      automationDetails: { id: `cors-policy/${report.target}` },
      properties: { target: report.target, engines: report.engines.map((e) => `${e.id} ${e.browser} ${e.version}`) },
      results,
    }],
  };
}
