/** Kind detection from content, used when neither the manifest nor the container decides. */
import type { JsonNode } from '../json/jsonDocument';
import { items } from '../json/nodes';
import { statementNodes, type PolicyKind } from './policyDocument';

/**
 * Whether an object with a `Statement` key is a policy document rather than some other file
 * that happens to have that key (a `package.json`-like file): a policy `Version`, or no more
 * than one key besides `Statement`, `Version` and `Id` (a `Version` that is no policy version
 * counts as one). A misspelled element stays a policy, for the schema check to report.
 */
export function looksLikePolicy(root: JsonNode): boolean {
  let unrelated = 0;
  // The keys are read in place: only their names and the Version's value matter here.
  const ps = root.children ?? [];
  for (let i = 0; i < ps.length; i++) {
    const key = ps[i].children?.[0];
    if (key?.type !== 'string') continue;
    const name = String(key.value);
    const value = ps[i].children?.[1];
    if (name === 'Version' && value?.type === 'string') {
      if (/^20(08|12)-10-17$/.test(String(value.value))) return true;
      unrelated++;
    } else if (name !== 'Statement' && name !== 'Version' && name !== 'Id') unrelated++;
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
    // The action strings are read in place (no value items: nothing is kept of them here).
    const aList = items(elements.action);
    for (let i = 0; i < aList.length; i++) {
      const a = aList[i];
      const v = a.type === 'string' ? String(a.value).toLowerCase() : undefined;
      if (!v) continue;
      if (v.startsWith('kms:')) principalWithKms = true;
      if (v.startsWith('sts:assumerole')) principalWithAssume = true;
    }
  }
  if (!anyPrincipal) {
    // A document with no statement elements at all is not an identity policy either.
    const looksLikePolicy = statements.some(hasKey);
    return looksLikePolicy ? 'iam-identity-policy' : 'unknown';
  }
  if (principalWithKms) return 'kms-key-policy';
  if (principalWithAssume) return 'iam-trust-policy';
  return 'unknown';
}

/** Whether an object node has a property with a string key. */
function hasKey(node: JsonNode): boolean {
  const ps = node.children ?? [];
  for (let i = 0; i < ps.length; i++) if (ps[i].children?.[0]?.type === 'string') return true;
  return false;
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
