// policy.sarif: the findings as SARIF 2.1.0, so GitHub code scanning (upload-sarif) shows them.
// One rule per finding kind; one result per group of findings (a kind across endpoints: one shared
// mistake is one alert), pointing at the policy file, at the line of its first endpoint (code scanning
// needs a location in the repository), the other endpoints as related locations, with the fix as
// its help. The fingerprint is the group's key, which holds no port, so a CI run against a
// test API on a random port finds the same alerts again instead of opening new ones.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Finding, FindingGroup, PolicyReport, Severity } from '../harness/policy/policy-types.ts';
import { findingGroups } from '../harness/policy/report.ts';

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

function location(report: PolicyReport, endpoint: string): SarifLocation {
  const uri = report.policyFile.split('\\').join('/');
  return { physicalLocation: { artifactLocation: { uri }, region: { startLine: lineOf(report.policyFile, endpoint) } } };
}

/** Stable across ports and runs: the group's key (kind, severity, stage, reason without ports). */
export function fingerprint(g: FindingGroup): string {
  return crypto.createHash('sha256').update(g.key).digest('hex').slice(0, 32);
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
      help: {
        text: [first.fix, ...first.examples.map((x) => `${x.label}: ${x.change}`)].join('\n'),
        markdown: [first.fix, ...first.examples.map((x) => `**${x.label}**: ${x.change}\n\n\`\`\`${x.language}\n${x.config}\n\`\`\`\n\n${x.library}: ${x.docs}`)].join('\n\n'),
      },
      defaultConfiguration: { level: LEVEL[first.severity] },
      properties: { tags: ['security', 'cors', 'external/cwe/cwe-942'], 'security-severity': SCORE[first.severity], precision: 'high' },
    };
  });
  const results = findingGroups(report).map((g) => {
    const f = g.findings[0];
    const where = g.endpoints.length === 1 ? f.endpoint : `${g.endpoints.length} endpoints (${g.endpoints.slice(0, 5).join(', ')}${g.endpoints.length > 5 ? ', …' : ''}), e.g. ${f.endpoint}`;
    return {
      ruleId: g.kind,
      ruleIndex: kinds.indexOf(g.kind),
      level: LEVEL[g.severity],
      message: { text: `${where}: ${g.title}. ${f.description} Seen in ${g.engines.join(', ') || 'no engine (from the replay)'}.${exploitText(f)} Fix: ${f.fix}${f.examples.map((x) => ` ${x.label}: ${x.change}`).join('')}` },
      locations: [location(report, f.endpoint)],
      ...(g.endpoints.length > 1 ? { relatedLocations: g.endpoints.slice(1).map((e, i) => ({ id: i + 1, ...location(report, e), message: { text: e } })) } : {}),
      partialFingerprints: { 'corsFindingGroup/v1': fingerprint(g) },
      properties: { severity: g.severity, endpoints: g.endpoints, origin: f.origin, origins: g.origins, engines: g.engines, credentialed: g.findings.some((x) => x.credentialed), ...(f.exploit ? { exploit: f.exploit } : {}) },
    };
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'cors-matrix', rules } },
      // The category of the analysis: the policy file, not the target (its port changes run by run).
      automationDetails: { id: `cors-policy/${report.policyFile.split('\\').join('/')}` },
      properties: { target: report.target, engines: report.engines.map((e) => `${e.id} ${e.browser} ${e.version}`) },
      results,
    }],
  };
}
