/**
 * The KMS statements of one account's identity policies, gathered once per account and
 * kept until its IAM data changes: the Allow statements that can grant a key, and the
 * Deny statements by principal (their conditions are decided per caller).
 */
import type { PolicyDocument, Statement } from '../model/policyDocument';
import { allFalse, constant, FALSE, orV, UNKNOWN, type ConditionMemo, type Vector } from './access';
import { conditionOutcome, GRANT_OPERATIONS, requestContexts, type Caller } from './callerConditions';
import { exactArns, grantNamesKey, readIdentityGrants, type Grant } from './identityGrants';
import type { KeyIdentity } from './keyIdentity';
import { samePrincipal } from './keyPolicyTrusts';
import { CROSS_ACCOUNT_ACTIONS } from '../model/kmsActions';
import type { HandshakeWorld } from './world';
import { memoOnDocument } from './documentMemo';
import { iamPrincipalKind } from '../model/arn';
import { fileLabel } from './describe';

export interface AttachedGrant {
  doc: PolicyDocument;
  grant: Grant;
  /** Principals of the account the document is attached to; empty when not known. */
  principals: string[];
}

export interface AccountGrants {
  allows: AttachedGrant[];
  /** Allow grants by the exact key ARN they name; grants that may name any key are in `general`. */
  byArn: Map<string, AttachedGrant[]>;
  general: AttachedGrant[];
  /** Deny statements by principal ARN. */
  deniesByPrincipal: Map<string, AttachedGrant[]>;
  /** Deny statements of documents whose principal is not known, by document. */
  deniesByDocument: Map<PolicyDocument, AttachedGrant[]>;
}

/** A document's grants, read once per document (documents are replaced when their file changes). */
export function documentGrants(world: Pick<HandshakeWorld, 'catalog' | 'templateContext'>, doc: PolicyDocument): readonly Grant[] {
  // Most identity policies grant nothing on KMS: they share one empty list (`sized`).
  return memoOnDocument(doc, 'grants', () => readIdentityGrants(doc, world.catalog, world.templateContext(doc.file)));
}

/**
 * The principals of `account` a document is attached to, as callers: its roles and users. A
 * group never makes a request (and no policy can name it as a principal): a group's policy is
 * its member users' (an export lists them with the group), and with its members not known
 * the document's principal is not known.
 */
export function attachedPrincipals(doc: PolicyDocument, account: string): string[] {
  return (doc.owner.principals ?? []).filter((p) => p.split(':')[4] === account && iamPrincipalKind(p) !== 'group');
}

export function accountGrants(world: HandshakeWorld, account: string): AccountGrants {
  return world.accountMemo(account, 'grants', () => {
    const out: AccountGrants = { allows: [], byArn: new Map(), general: [], deniesByPrincipal: new Map(), deniesByDocument: new Map() };
    for (const doc of world.accountIam(account).documents) {
      const principals = attachedPrincipals(doc, account);
      for (const grant of documentGrants(world, doc)) {
        const g = { doc, grant, principals };
        // A Deny, or a statement not known (which may as well be a Deny: it is an Allow below too).
        if (grant.effect !== 'Allow' || grant.unknown !== undefined) {
          if (principals.length === 0) out.deniesByDocument.set(doc, [...(out.deniesByDocument.get(doc) ?? []), g]);
          for (const p of principals) out.deniesByPrincipal.set(p, [...(out.deniesByPrincipal.get(p) ?? []), g]);
        }
        if (grant.effect !== 'Allow') continue;
        if (![...grant.actions.actions].some((a) => CROSS_ACCOUNT_ACTIONS.has(a))) continue;
        out.allows.push(g);
        const arns = exactArns(grant);
        if (!arns) out.general.push(g);
        else for (const arn of new Set(arns)) out.byArn.set(arn, [...(out.byArn.get(arn) ?? []), g]);
      }
    }
    return out;
  });
}

/** The Allow grants that may name the key: those naming its exact ARN and those that may name any key. */
export function candidateGrants(grants: AccountGrants, key: KeyIdentity): AttachedGrant[] {
  return key.arn ? [...(grants.byArn.get(key.arn) ?? []), ...grants.general] : grants.allows;
}

/**
 * Whether a Deny of the principal's identity policies (of the document, when the principal is
 * not known) takes the action on the key away, per request context. `grant` is the Allow being
 * decided: a statement not known is the one or the other, never both. A Deny that may or may
 * not name the key, and a statement not known (which may be a Deny of anything), may take it
 * away: unknown where they apply, never "allowed for sure".
 */
export function iamDenyVector(world: HandshakeWorld, grants: AccountGrants, principal: string | undefined, doc: PolicyDocument, key: KeyIdentity, caller: Caller, action: string, memo: ConditionMemo, grant: Grant): DenyVector {
  const list = principal ? grants.deniesByPrincipal.get(principal) ?? [] : grants.deniesByDocument.get(doc) ?? [];
  let v = constant(memo.size, FALSE);
  let by: AttachedGrant | undefined;
  const undecided: string[] = [];
  let unknown: string[] | undefined;
  let mayDeny: string[] | undefined;
  for (const d of list) {
    if (d.grant === grant) continue;
    if (d.grant.unknown !== undefined) {
      const file = fileLabel(world, d.doc.file);
      if (!(unknown ??= []).includes(file)) unknown.push(file);
      if (!(mayDeny ??= []).includes(file)) mayDeny.push(file);
      v = orV(v, constant(memo.size, UNKNOWN));
      continue;
    }
    if (!d.grant.actions.actions.has(action)) continue;
    const named = grantNamesKey(d.grant, key);
    if (named.certainty === 'no') continue;
    const o = memo.outcome(d.grant.statement, caller, action, world.templateContext(d.doc.file));
    if (allFalse(o.holds)) continue;
    // A policy attached only under a template condition may or may not deny; so does a Deny that may not name the key.
    const maybe = principal !== undefined && d.doc.owner.maybePrincipals?.includes(principal);
    const perhaps = maybe || named.certainty === 'maybe';
    if (named.certainty === 'yes') by ??= d;
    else {
      const file = fileLabel(world, d.doc.file);
      if (!(mayDeny ??= []).includes(file)) mayDeny.push(file);
    }
    const also = [...(maybe ? [`whether ${d.doc.owner.label ?? 'its policy'} is attached`] : []), ...(named.certainty === 'maybe' ? [named.note ?? 'whether it names the key'] : [])];
    for (const k of [...o.undecided, ...also]) if (!undecided.includes(k)) undecided.push(k);
    v = orV(v, perhaps ? o.holds.map((x) => (x === FALSE ? FALSE : UNKNOWN)) : o.holds);
  }
  const out: DenyVector = { v, by: by && { doc: by.doc, statement: by.grant.statement }, undecided };
  if (unknown) out.unknown = unknown;
  if (mayDeny) out.mayDeny = mayDeny;
  return out;
}

/**
 * The actions, of those given, that a Deny of the principal's identity policies may take away on
 * the key: one whose condition may hold for the principal (a statement not known may be a Deny of
 * any of them). A new grant of one of them could be removed as well.
 */
export function mayBeDenied(world: HandshakeWorld, account: string, principal: string, key: KeyIdentity, actions: Iterable<string>): Set<string> {
  const denies: AttachedGrant[] = [];
  for (const [p, list] of accountGrants(world, account).deniesByPrincipal) if (samePrincipal(principal, p)) denies.push(...list);
  const out = new Set<string>();
  if (denies.length === 0) return out;
  const caller: Caller = { account, arn: principal, organization: world.organizationFor(denies[0].doc.file) };
  const applies = (d: AttachedGrant, action: string): boolean => {
    if (d.grant.unknown !== undefined) return true;
    if (!d.grant.actions.actions.has(action) || grantNamesKey(d.grant, key).certainty === 'no') return false;
    const ctx = world.templateContext(d.doc.file);
    return !allFalse(conditionOutcome(d.grant.statement, caller, requestContexts([d.grant.statement], ctx, [], key.account), GRANT_OPERATIONS.has(action), ctx).holds);
  };
  for (const a of actions) if (denies.some((d) => applies(d, a))) out.add(a);
  return out;
}

/** Where a Deny takes actions away, per request context, and the first Deny that does. */
export interface DenyVector {
  v: Vector;
  /** The first Deny that applies (`doc` undefined: the key policy). */
  by?: { doc?: PolicyDocument; statement: Statement };
  undecided: string[];
  /** Files of identity policies with a statement not known, which may be a Deny. */
  unknown?: string[];
  /** Files with a statement that may deny (one not known, or a Deny that may name the key). */
  mayDeny?: string[];
}

/** The identity policies of the account attached to a principal (an assumed-role ARN names its role). */
export function principalDocuments(world: HandshakeWorld, account: string, principal: string): PolicyDocument[] {
  const byPrincipal = world.accountMemo(account, 'by-principal', () => {
    const m = new Map<string, PolicyDocument[]>();
    for (const doc of world.accountIam(account).documents) {
      for (const p of attachedPrincipals(doc, account)) {
        const list = m.get(p);
        if (list) list.push(doc);
        else m.set(p, [doc]);
      }
    }
    return m;
  });
  const exact = byPrincipal.get(principal);
  if (exact) return exact;
  if (!principal.includes(':assumed-role/')) return [];
  const out: PolicyDocument[] = [];
  for (const [p, docs] of byPrincipal) if (samePrincipal(principal, p)) out.push(...docs);
  return out;
}
