/** Kind detection from content, used when neither the manifest nor the container decides. */
import type { JsonNode } from '../json/jsonDocument';
import { properties } from '../json/nodes';
import { statementNodes, valueItems, type PolicyKind } from './policyDocument';

export function detectKind(policy: JsonNode): PolicyKind {
  // Read from the statement nodes directly: only a few keys matter here, and most documents
  // (identity policies) have no principal at all.
  const statements = statementNodes(policy);
  if (statements.length === 0) return 'unknown';
  let anyPrincipal = false;
  let principalWithKms = false;
  let principalWithAssume = false;
  for (const node of statements) {
    const elements = firstElements(node);
    if (!elements.principal) continue;
    anyPrincipal = true;
    for (const a of valueItems(elements.action)) {
      const v = a.value?.toLowerCase();
      if (!v) continue;
      if (v.startsWith('kms:')) principalWithKms = true;
      if (v.startsWith('sts:assumerole')) principalWithAssume = true;
    }
  }
  if (!anyPrincipal) {
    // A document with no statement elements at all is not an identity policy either.
    const looksLikePolicy = statements.some((s) => properties(s).length > 0);
    return looksLikePolicy ? 'iam-identity-policy' : 'unknown';
  }
  if (principalWithKms) return 'kms-key-policy';
  if (principalWithAssume) return 'iam-trust-policy';
  return 'unknown';
}

/**
 * Whether a statement node has a Principal or NotPrincipal, and the value of its Action (or,
 * without one, NotAction), the first of duplicate keys counting as `readStatements` does.
 */
function firstElements(node: JsonNode): { principal: boolean; action: JsonNode | undefined } {
  let principal = false;
  let action: JsonNode | undefined;
  let notAction: JsonNode | undefined;
  let seenAction = false;
  let seenNotAction = false;
  for (const p of node.children ?? []) {
    const key = p.children?.[0];
    if (!key || key.type !== 'string') continue;
    switch (key.value) {
      case 'Principal': case 'NotPrincipal': principal = true; break;
      case 'Action': if (!seenAction) { seenAction = true; action = p.children?.[1]; } break;
      case 'NotAction': if (!seenNotAction) { seenNotAction = true; notAction = p.children?.[1]; } break;
    }
  }
  return { principal, action: action ?? notAction };
}
