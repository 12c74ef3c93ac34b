import type { Check } from './check';
import { valueItems } from '../model/policyDocument';
import { replaceValueEdit } from '../model/valueEdits';

/** Why a Resource value other than "*" is not the way a key policy names its key. */
function why(value: string): string {
  const parts = value.split(':');
  const service = parts.length >= 6 && parts[0] === 'arn' ? parts[2] : undefined;
  if (service === undefined) return `"${value}" is not an ARN`;
  // A key ARN (or a pattern over keys) works when it matches this key's ARN, which "*" says for sure.
  // An alias ARN is never a key's ARN: a key policy's Resource is matched against the key.
  if (service.toLowerCase() === 'kms' && /^alias\//.test(parts.slice(5).join(':'))) return `"${value}" is an alias ARN, never this key's ARN, so this entry never applies to the key`;
  if (service.toLowerCase() === 'kms' || /[*?]/.test(service)) return `"${value}" applies only where it matches this key's ARN`;
  return `"${value}" is the ARN of a resource of ${service}, not of a KMS key, so this entry never applies to the key`;
}

/**
 * In a key policy, `Resource` is `"*"`, which means "this key". Any other value names
 * something that is not this key (or a pattern that may miss it); intrinsic values are
 * unknown and not reported.
 */
export const keyPolicyResourceNotStar: Check = {
  id: 'key-policy-resource-not-star',
  defaultSeverity: 'warning',
  summary: 'Key-policy Resource other than "*"',
  statementLocal: true,
  kinds: ['kms-key-policy'],
  run(ctx) {
    for (let j = 0; j < ctx.statements.length; j++) {
      const s = ctx.statements[j];
      const resource = s.elements.Resource?.value;
      if (!resource) continue;
      const rs = valueItems(resource);
      for (let i = 0; i < rs.length; i++) {
        const r = rs[i];
        if (r.value === undefined || r.value === '*') continue;
        // One short sentence first (the Problems panel shows one line): what is wrong, what to do. Then why.
        ctx.report(r.node, `Resource is not "*", which is how a key policy names its key: replace this entry with "*".${r.value ? ` ${why(r.value)}.` : ''}`, {
          fixes: [{ title: 'Replace Resource with "*"', id: 'resource-star', isPreferred: true, edits: [replaceValueEdit(resource, '*')] }],
        });
      }
    }
  },
};
