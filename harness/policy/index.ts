// Check-your-API mode: the policy file, its origins and checks, and the report built from them.
export { definePolicy } from './define.ts';
export type { Policy, PolicyInput, PolicyReport, Finding, PolicyCheck } from './types.ts';
export { readPolicyFile, validatePolicy, preparePolicy, preparedPolicy, checkTargetReachable } from './load.ts';
export { originsUnderTest, deriveFrom } from './origins.ts';
export { planPolicy } from './plan.ts';
export { findingsFor } from './findings.ts';
export { buildPolicyReport, policyFailed } from './report.ts';
