/**
 * The KMS statements of one account's identity policies, gathered once per account and
 * kept until its IAM data changes: the Allow statements that can grant a key, and the
 * unconditioned Deny statements by principal.
 */
import type { PolicyDocument } from '../model/policyDocument';
import { exactArns, grantNamesKey, readIdentityGrants, type Grant } from './identityGrants';
import type { KeyIdentity } from './keyIdentity';
import { samePrincipal } from './keyPolicyTrusts';
import { CROSS_ACCOUNT_ACTIONS } from './kmsActions';
import type { HandshakeWorld } from './world';
import { memoOnDocument } from './documentMemo';

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
  /** Unconditioned Deny statements by principal ARN. */
  deniesByPrincipal: Map<string, AttachedGrant[]>;
  /** Unconditioned Deny statements of documents whose principal is not known, by document. */
  deniesByDocument: Map<PolicyDocument, AttachedGrant[]>;
}

/** A document's grants, read once per document (documents are replaced when their file changes). */
export function documentGrants(world: Pick<HandshakeWorld, 'catalog' | 'templateContext'>, doc: PolicyDocument): readonly Grant[] {
  return memoOnDocument(doc, 'grants', () => {
    const grants = readIdentityGrants(doc, world.catalog, world.templateContext(doc.file));
    // Most identity policies grant nothing on KMS: they share one empty list.
    return grants.length ? grants : NO_GRANTS;
  });
}

const NO_GRANTS: readonly Grant[] = Object.freeze([]);

/** The principals of `account` a document is attached to. */
export function attachedPrincipals(doc: PolicyDocument, account: string): string[] {
  return (doc.owner.principals ?? []).filter((p) => p.split(':')[4] === account);
}

export function accountGrants(world: HandshakeWorld, account: string): AccountGrants {
  return world.accountMemo(account, 'grants', () => {
    const out: AccountGrants = { allows: [], byArn: new Map(), general: [], deniesByPrincipal: new Map(), deniesByDocument: new Map() };
    for (const doc of world.accountIam(account).documents) {
      const principals = attachedPrincipals(doc, account);
      for (const grant of documentGrants(world, doc)) {
        const g = { doc, grant, principals };
        if (grant.effect === 'Allow') {
          if (![...grant.actions.actions].some((a) => CROSS_ACCOUNT_ACTIONS.has(a))) continue;
          out.allows.push(g);
          const arns = exactArns(grant);
          if (!arns) out.general.push(g);
          else for (const arn of new Set(arns)) out.byArn.set(arn, [...(out.byArn.get(arn) ?? []), g]);
        } else if (grant.conditionKeys.length === 0) {
          if (principals.length === 0) out.deniesByDocument.set(doc, [...(out.deniesByDocument.get(doc) ?? []), g]);
          for (const p of principals) out.deniesByPrincipal.set(p, [...(out.deniesByPrincipal.get(p) ?? []), g]);
        }
      }
    }
    return out;
  });
}

/** The Allow grants that may name the key: those naming its exact ARN and those that may name any key. */
export function candidateGrants(grants: AccountGrants, key: KeyIdentity): AttachedGrant[] {
  return key.arn ? [...(grants.byArn.get(key.arn) ?? []), ...grants.general] : grants.allows;
}

/** Actions that an unconditioned IAM Deny takes from principal X (or from the document, when X is not known) on the key. */
export function deniedByIam(grants: AccountGrants, principal: string | undefined, doc: PolicyDocument, key: KeyIdentity): { actions: Set<string>; by: AttachedGrant[] } {
  const list = principal ? grants.deniesByPrincipal.get(principal) ?? [] : grants.deniesByDocument.get(doc) ?? [];
  const actions = new Set<string>();
  const by: AttachedGrant[] = [];
  for (const d of list) {
    if (grantNamesKey(d.grant, key).certainty !== 'yes') continue;
    for (const a of d.grant.actions.actions) actions.add(a);
    by.push(d);
  }
  return { actions, by };
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
