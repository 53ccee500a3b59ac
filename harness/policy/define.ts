// The typed form of a policy file: `cors-policy.config.ts` exports `definePolicy({...})` and gets
// completion and type errors in the editor; the run validates it exactly like the JSON form.
import type { PolicyInput } from './policy-types.ts';

export type { PolicyInput };

export function definePolicy(policy: PolicyInput): PolicyInput {
  return policy;
}
