/** Kind detection from content, used when neither the manifest nor the container decides. */
import type { JsonNode } from '../json/jsonDocument';
import { properties } from '../json/nodes';
import { statementNodes, valueItems, type PolicyKind } from './policyDocument';

/**
 * Whether an object with a `Statement` key is a policy document rather than some other file
 * that happens to have that key (a `package.json`-like file): a policy `Version`, or no more
 * than one key besides `Statement`, `Version` and `Id` (a `Version` that is no policy version
 * counts as one). A misspelled element stays a policy, for the schema check to report.
 */
export function looksLikePolicy(root: JsonNode): boolean {
  let unrelated = 0;
  const ps = properties(root);
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i];
    if (p.name === 'Version' && p.value?.type === 'string') {
      if (/^20(08|12)-10-17$/.test(String(p.value.value))) return true;
      unrelated++;
    } else if (p.name !== 'Statement' && p.name !== 'Version' && p.name !== 'Id') unrelated++;
  }
  return unrelated <= 1;
}

export function detectKind(policy: JsonNode): PolicyKind {
  // Read from the statement nodes directly: only a few keys matter here, and most documents
  // (identity policies) have no principal at all.
  const statements = statementNodes(policy);
  if (statements.length === 0) return 'unknown';
  let anyPrincipal = false;
  let principalWithKms = false;
  let principalWithAssume = false;
  for (let j = 0; j < statements.length; j++) {
    const node = statements[j];
    const elements = firstElements(node);
    if (!elements.principal) continue;
    anyPrincipal = true;
    const aList = valueItems(elements.action);
    for (let i = 0; i < aList.length; i++) {
      const a = aList[i];
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
  const ps = node.children ?? [];
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i];
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
