/**
 * What an identity policy grants on KMS keys: its statements with KMS actions, their
 * resources (intrinsic functions resolved with the template context) and conditions.
 */
import type { Catalog } from '../catalog/catalog';
import type { JsonNode } from '../json/jsonDocument';
import { statementConditions } from '../model/conditions';
import { statementsOf, unknownStatementNodes, type PolicyDocument, type Statement } from '../model/policyDocument';
import { sameKeyRef, type TemplateContext } from '../model/templateValues';
import { resourceNamesKey, targetAccount, type KeyIdentity, type MatchCertainty } from './keyIdentity';
import { hasWildcard } from '../wildcard';
import { CROSS_ACCOUNT_ACTIONS, statementKmsActions, type StatementKmsActions } from '../model/kmsActions';
import { resolvedItems, type ResolvedValue } from '../model/resolvedValues';
import { sharedSet, sized } from '../arrays';

export interface Grant {
  statement: Statement;
  effect: 'Allow' | 'Deny';
  actions: StatementKmsActions;
  /** Items of `Resource`, or of `NotResource` when `negatedResource`. */
  resources: ResolvedValue[];
  negatedResource: boolean;
  conditionKeys: string[];
  /**
   * For a statement whose content is not known (or a policy whose text is not known): why, as
   * messages say it. Such a grant may give any cross-account KMS action on any key, so it is
   * read as a possible grant on every key (never as none) and reported on by no check.
   */
  unknown?: string;
}

export function readIdentityGrants(doc: PolicyDocument, catalog: Catalog, ctx: TemplateContext | undefined): Grant[] {
  const out: Grant[] = [];
  for (const s of statementsOf(doc)) {
    if (!s.effect) continue;
    const actions = statementKmsActions(catalog, s);
    if (actions.actions.size === 0) continue;
    const negatedResource = !s.elements.Resource && !!s.elements.NotResource;
    // Grants live as long as their document: lists grown by `push` are copied to their size.
    const resources = sized(resolvedItems((negatedResource ? s.elements.NotResource : s.elements.Resource)?.value, ctx, doc.file));
    const conditionKeys = [...new Set(statementConditions(s).map((e) => e.key))];
    // Equal action sets (`kms:Decrypt`, `kms:*`…) are one set.
    out.push({ statement: s, effect: s.effect, actions: { ...actions, actions: sharedSet(actions.actions) }, resources, negatedResource, conditionKeys });
  }
  const unknown = unknownStatementNodes(doc.root);
  for (let i = 0; i < unknown.length; i++) out.push(unknownGrant(unknown[i], doc.unknownContent ?? `a statement of its policy is not known (${unknownSource(doc, unknown[i])})`));
  return sized(out);
}

/** A grant read from a statement whose content is not known: any cross-account KMS action, on a resource not known. */
function unknownGrant(node: JsonNode, why: string): Grant {
  const statement: Statement = {
    index: -1,
    node,
    effect: 'Allow',
    elements: { Sid: undefined, Effect: undefined, Principal: undefined, NotPrincipal: undefined, Action: undefined, NotAction: undefined, Resource: undefined, NotResource: undefined, Condition: undefined },
  };
  return {
    statement,
    effect: 'Allow',
    actions: { actions: sharedSet(new Set(CROSS_ACCOUNT_ACTIONS)), entries: [], negated: false, partial: true },
    resources: [{ node, value: undefined, intrinsic: true }],
    negatedResource: false,
    conditionKeys: [],
    unknown: why,
  };
}

/** How the policy writes an unknown statement, in short: `dynamic "statement"`, `[for … ]`, `Fn::ImportValue`. */
function unknownSource(doc: PolicyDocument, node: JsonNode): string {
  // A template function (`Fn::ImportValue`) by its name; Terraform's by how it is written.
  const fn = node.children?.[0]?.children?.[0]?.value;
  if (doc.json.syntax !== 'hcl' && typeof fn === 'string') return fn;
  const text = doc.json.text.slice(node.offset, node.offset + node.length);
  const head = text.split(/[\r\n{]/)[0].trim();
  const short = head.length > 40 ? `${head.slice(0, 40)}…` : head;
  return short || 'a computed value';
}

export interface KeyMatch {
  certainty: MatchCertainty;
  /** The resource entry that names the key (for `Resource`). */
  resource?: ResolvedValue;
  /** Why the match is not certain. */
  note?: string;
}

/** Whether a grant's resources name the key. */
export function grantNamesKey(g: Grant, key: KeyIdentity): KeyMatch {
  // A statement not known may name any key.
  if (g.unknown !== undefined) return { certainty: 'maybe', resource: g.resources[0], note: g.unknown };
  if (g.negatedResource) {
    let maybe: string | undefined;
    for (const r of g.resources) {
      const ref = refNamesKey(r, key);
      if (ref === 'yes') return { certainty: 'no' };
      if (ref === 'no') continue;
      if (r.value === undefined) { maybe = 'a NotResource value is not known'; continue; }
      const c = resourceNamesKey(r.value, key);
      if (c === 'yes') return { certainty: 'no' };
      if (c === 'maybe') maybe = `NotResource ${r.value} may exclude the key`;
    }
    return maybe ? { certainty: 'maybe', note: maybe } : { certainty: 'yes' };
  }
  let best: KeyMatch = { certainty: 'no' };
  for (const r of g.resources) {
    const ref = refNamesKey(r, key);
    if (ref === 'yes') return { certainty: 'yes', resource: r };
    if (ref === 'no') continue;
    if (r.value === undefined) {
      if (best.certainty === 'no') best = { certainty: 'maybe', resource: r, note: 'the resource is not known (an unresolved template value)' };
      continue;
    }
    const c = resourceNamesKey(r.value, key);
    if (c === 'yes') return { certainty: 'yes', resource: r };
    if (c === 'maybe' && best.certainty === 'no') best = { certainty: 'maybe', resource: r, note: `${r.value} may or may not be this key (its ARN is not known)` };
  }
  return best;
}

/**
 * Whether an unknown value that refers to a key of a template (`Fn::GetAtt`, `Fn::ImportValue`)
 * names this key: certain when the key is defined in a template (its references are known);
 * undefined when the value is no such reference or the key is known otherwise.
 */
function refNamesKey(r: ResolvedValue, key: KeyIdentity): 'yes' | 'no' | undefined {
  if (r.keyRef === undefined || !key.refs?.length) return undefined;
  return key.refs.some((k) => sameKeyRef(k, r.keyRef!)) ? 'yes' : 'no';
}

/** Accounts whose keys a grant names specifically (key ARNs or wildcards with a fixed account). */
export function grantTargetAccounts(g: Grant): string[] {
  if (g.negatedResource) return [];
  const out = new Set<string>();
  for (const r of g.resources) {
    const a = r.value === undefined ? undefined : targetAccount(r.value);
    if (a) out.add(a);
  }
  return [...out];
}

/**
 * Whether a grant names a key of a template by reference (`Fn::GetAtt Key.Arn` of its own
 * template, `Fn::ImportValue` of an export): a key of the policy's own account, as templates
 * and the exports they import are of one account.
 */
export function namesTemplateKey(g: Grant): boolean {
  return !g.negatedResource && g.unknown === undefined && g.resources.some((r) => r.keyRef !== undefined);
}

/** The exact ARNs a grant names (no wildcard, all known), or undefined when it may name any resource. */
export function exactArns(g: Grant): string[] | undefined {
  if (g.negatedResource || g.resources.length === 0) return undefined;
  const out: string[] = [];
  for (const r of g.resources) {
    if (r.value === undefined || hasWildcard(r.value)) return undefined;
    out.push(r.value);
  }
  return out;
}
