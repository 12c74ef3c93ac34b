/**
 * The handshake seen from an identity policy: for every Allow statement that names keys of
 * another account by ARN (exact, or a wildcard with that account), whether the key policies
 * in the workspace trust the policy's principal (or its account) for the actions granted.
 * Statements on `Resource: "*"` name no key in particular and are left to the key side.
 */
import type { PolicyDocument } from '../model/policyDocument';
import { attachedPrincipals, documentGrants } from './accountGrants';
import { exactArns, grantNamesKey, grantTargetAccounts, type Grant, type KeyMatch } from './identityGrants';
import type { KeyIdentity } from './keyIdentity';
import { keyOfPolicy, keyPolicyTrusts } from './keyPolicyAnalysis';
import { deniedByKeyPolicy, trustCovers, type TrustStatement } from './keyPolicyTrusts';
import { CROSS_ACCOUNT_ACTIONS, intersect, minus } from './kmsActions';
import type { HandshakeWorld } from './world';

export interface KeyTrustResult {
  keyDoc: PolicyDocument;
  key: KeyIdentity;
  match: KeyMatch;
  /** Key-policy statements that trust the principal (or its account). */
  statements: TrustStatement[];
  /** Every KMS action those statements allow the principal. */
  allowed: Set<string>;
  /** What works across accounts: allowed, cross-account-capable, not denied by the key policy. */
  effective: Set<string>;
  /** The key policy trusts principals that cannot be told apart here (an organization, unresolved values). */
  undecided: boolean;
}

export interface PrincipalGrantAnalysis {
  /** The principal the policy is attached to (undefined when not known). */
  principal: string | undefined;
  keys: KeyTrustResult[];
}

export interface GrantAnalysis {
  doc: PolicyDocument;
  grant: Grant;
  /** The account of the policy (the grantee side). */
  account: string;
  byPrincipal: PrincipalGrantAnalysis[];
}

/** The account an identity policy belongs to. */
export function documentAccount(doc: PolicyDocument): string | undefined {
  if (doc.owner.account && /^\d{12}$/.test(doc.owner.account)) return doc.owner.account;
  const accounts = new Set((doc.owner.principals ?? []).map((p) => p.split(':')[4]).filter((a) => /^\d{12}$/.test(a ?? '')));
  return accounts.size === 1 ? [...accounts][0] : undefined;
}

export function analyzeIdentityPolicy(world: HandshakeWorld, doc: PolicyDocument): GrantAnalysis[] {
  return world.memo(doc, 'identity-analysis', () => {
    const account = documentAccount(doc);
    if (!account) return [];
    const out: GrantAnalysis[] = [];
    const principals = attachedPrincipals(doc, account);
    for (const grant of documentGrants(world, doc)) {
      if (grant.effect !== 'Allow') continue;
      const targets = grantTargetAccounts(grant).filter((a) => a !== account);
      if (targets.length === 0) continue;
      const keyDocs: { keyDoc: PolicyDocument; key: KeyIdentity; match: KeyMatch }[] = [];
      const arns = exactArns(grant);
      const candidates = arns ? [...new Set(arns.flatMap((arn) => world.keyPoliciesFor(arn)))] : targets.flatMap((a) => world.keyPolicies(a));
      {
        for (const keyDoc of candidates) {
          const { key } = keyOfPolicy(keyDoc);
          if (!key) continue;
          const match = grantNamesKey(grant, key);
          if (match.certainty !== 'no') keyDocs.push({ keyDoc, key, match });
        }
      }
      if (keyDocs.length === 0) continue;
      const byPrincipal = (principals.length ? principals : [undefined]).map((principal) => ({
        principal,
        keys: keyDocs.map((k) => keyTrust(world, k, account, principal)),
      }));
      out.push({ doc, grant, account, byPrincipal });
    }
    return out;
  });
}

function keyTrust(world: HandshakeWorld, k: { keyDoc: PolicyDocument; key: KeyIdentity; match: KeyMatch }, account: string, principal: string | undefined): KeyTrustResult {
  const trusts = keyPolicyTrusts(world, k.keyDoc);
  const statements: TrustStatement[] = [];
  const allowed = new Set<string>();
  let undecided = trusts.unresolved;
  for (const ts of trusts.statements) {
    let covers = false;
    for (const t of ts.trusts) {
      if (t.form === 'organization') { undecided = true; continue; }
      if (t.form === 'public') { covers = true; continue; }
      if (t.account !== account) continue;
      // A role-specific trust and a policy whose principal is not known: cannot tell.
      if (!principal && (t.form === 'principal' || ts.principalArnPatterns)) { undecided = true; continue; }
      if (trustCovers(ts, t, principal)) covers = true;
    }
    if (!covers) continue;
    statements.push(ts);
    for (const a of ts.actions.actions) allowed.add(a);
  }
  const effective = minus(intersect(allowed, CROSS_ACCOUNT_ACTIONS), deniedByKeyPolicy(trusts, account, principal));
  return { ...k, statements, allowed, effective, undecided };
}
