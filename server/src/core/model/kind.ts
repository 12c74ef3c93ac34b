/** Kind detection from content, used when neither the manifest nor the container decides. */
import type { JsonNode } from '../json/jsonDocument';
import { properties } from '../json/nodes';
import { readStatements, valueItems, type PolicyKind } from './policyDocument';

export function detectKind(policy: JsonNode): PolicyKind {
  const statements = readStatements(policy);
  if (statements.length === 0) return 'unknown';
  let anyPrincipal = false;
  let principalWithKms = false;
  let principalWithAssume = false;
  for (const s of statements) {
    const hasPrincipal = !!(s.elements.Principal || s.elements.NotPrincipal);
    if (!hasPrincipal) continue;
    anyPrincipal = true;
    const actions = valueItems(s.elements.Action?.value ?? s.elements.NotAction?.value);
    for (const a of actions) {
      const v = a.value?.toLowerCase();
      if (!v) continue;
      if (v.startsWith('kms:')) principalWithKms = true;
      if (v.startsWith('sts:assumerole')) principalWithAssume = true;
    }
  }
  if (!anyPrincipal) {
    // A document with no statement elements at all is not an identity policy either.
    const looksLikePolicy = statements.some((s) => properties(s.node).length > 0);
    return looksLikePolicy ? 'iam-identity-policy' : 'unknown';
  }
  if (principalWithKms) return 'kms-key-policy';
  if (principalWithAssume) return 'iam-trust-policy';
  return 'unknown';
}
