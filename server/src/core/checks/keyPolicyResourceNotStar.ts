import type { Check } from './check';
import { valueItems } from '../model/policyDocument';
import { replaceValueEdit } from '../model/valueEdits';

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
    for (const s of ctx.statements) {
      const resource = s.elements.Resource?.value;
      if (!resource) continue;
      for (const r of valueItems(resource)) {
        if (r.value === undefined || r.value === '*') continue;
        ctx.report(r.node, `In a key policy, Resource should be "*", which means this key${r.value ? `; "${r.value}" is not how a key policy names its key` : ''}.`, {
          fixes: [{ title: 'Replace Resource with "*"', id: 'resource-star', isPreferred: true, edits: [replaceValueEdit(resource, '*')] }],
        });
      }
    }
  },
};
