/**
 * The handshake seen from an identity policy: for every Allow statement that names keys by
 * ARN (exact, or a wildcard with the key's account), whether the key policies in the
 * workspace trust the policy's principal (or its account) for the actions granted. Keys of
 * the policy's own account too: there an IAM grant works only when the key policy allows the
 * account principal (it delegates to IAM), or names the principal itself (the key policy
 * alone then gives it access). Statements on `Resource: "*"` name no key in particular and
 * are left to the key side.
 */
import type { PolicyDocument, Statement } from '../model/policyDocument';
import { accountGrants, attachedPrincipals, documentGrants, iamDenyVector, type AttachedGrant } from './accountGrants';
import { exactArns, grantNamesKey, grantTargetAccounts, namesTemplateKey, type Grant, type KeyMatch } from './identityGrants';
import type { KeyIdentity } from './keyIdentity';
import { keyDenyVector, keyOfPolicy, keyPolicyTrusts } from './keyPolicyAnalysis';
import { samePrincipal, sessionOf, type KeyPolicyTrusts, type TrustStatement } from './keyPolicyTrusts';
import { CROSS_ACCOUNT_ACTIONS, intersect } from '../model/kmsActions';
import { accessShape, allFalse, andV, ConditionMemo, notV, orV, TRUE, UNKNOWN, type AccessShape, type Vector } from './access';
import { requestContexts, type Caller } from './callerConditions';
import type { HandshakeWorld } from './world';
import { sameKeyRef } from '../model/templateValues';

export interface KeyTrustResult {
  keyDoc: PolicyDocument;
  key: KeyIdentity;
  match: KeyMatch;
  /** Key-policy statements that trust the principal (or its account). */
  statements: TrustStatement[];
  /** Every KMS action those statements allow the principal (their conditions decided for it where they can be). */
  allowed: Set<string>;
  /** The statements that allow each action. */
  allowedBy: Map<string, TrustStatement[]>;
  /** Statements that name the principal (or its account) but whose condition never holds for it, with the entries that decide it. */
  excluded: { statement: TrustStatement; decidedFalse: string[] }[];
  /**
   * Statements that allow the principal an action of the grant, but in no request context where
   * the grant itself holds (the key only through S3, the grant only through EC2): how each side
   * can be used.
   */
  disjoint?: { statement: TrustStatement; action: string; key: AccessShape; grant: AccessShape }[];
  /** Allowed and not denied by the key policy (what works for a principal of the key's own account). */
  usable: Set<string>;
  /** What works: usable and, for a key of another account, cross-account-capable (every usable action for a key of the principal's own account). */
  effective: Set<string>;
  /** The key belongs to the principal's own account (the key policy must delegate to IAM, or name the principal). */
  sameAccount: boolean;
  /** For each usable action, how: directly or only through services, for certain or when conditions hold. */
  shapes: Map<string, AccessShape>;
  /** The key policy trusts principals that cannot be told apart here (an organization, unresolved values). */
  undecided: boolean;
  /**
   * Actions the grant's own condition never allows the principal (in every request context),
   * with the entries that decide it: the key policy's answer above leaves them in, since that is
   * about trust; what the principal really gets leaves them out.
   */
  ownDead?: { actions: Set<string>; decidedFalse: string[] };
  /** Actions the key policy's trust allows but a Deny statement of the key policy removes for the caller, with that statement. */
  deniedBy?: Map<string, Statement>;
  /** Actions an IAM Deny of the principal always removes (the grant is dead on its own account; `usable` is the key policy's answer alone for them). */
  ownDenied?: Set<string>;
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

/** The account an identity policy belongs to (undefined when it is attached to principals of several accounts). */
export function documentAccount(doc: PolicyDocument): string | undefined {
  const accounts = documentAccounts(doc);
  return accounts.length === 1 ? accounts[0] : undefined;
}

/**
 * The accounts an identity policy belongs to: its owner's, else those of the principals it is
 * attached to (one policy file the manifest binds to roles of two accounts is the policy of
 * both: each account's principals get its grants).
 */
export function documentAccounts(doc: PolicyDocument): string[] {
  if (doc.owner.account && /^\d{12}$/.test(doc.owner.account)) return [doc.owner.account];
  return [...new Set((doc.owner.principals ?? []).map((p) => p.split(':')[4]).filter((a) => /^\d{12}$/.test(a ?? '')))];
}

export function analyzeIdentityPolicy(world: HandshakeWorld, doc: PolicyDocument): GrantAnalysis[] {
  return world.memo(doc, 'identity-analysis', () => documentAccounts(doc).flatMap((account) => analyzeFor(world, doc, account)));
}

/** The grants of an identity policy for its principals of one account. */
function analyzeFor(world: HandshakeWorld, doc: PolicyDocument, account: string): GrantAnalysis[] {
  const out: GrantAnalysis[] = [];
  const principals = attachedPrincipals(doc, account);
  for (const grant of documentGrants(world, doc)) {
    if (grant.effect !== 'Allow') continue;
    const targets = grantTargetAccounts(grant);
    // A key of the policy's own template (`Fn::GetAtt Key.Arn`) or an export of its account (`Fn::ImportValue`).
    if (targets.length === 0 && namesTemplateKey(grant)) targets.push(account);
    if (targets.length === 0) continue;
    const keyDocs: { keyDoc: PolicyDocument; key: KeyIdentity; match: KeyMatch }[] = [];
    const arns = exactArns(grant);
    const candidates = arns ? [...new Set(arns.flatMap((arn) => world.keyPoliciesFor(arn)))] : targets.flatMap((a) => world.keyPolicies(a));
    for (const keyDoc of candidates) {
      const { key } = keyOfPolicy(keyDoc);
      if (!key) continue;
      const match = grantNamesKey(grant, key);
      if (match.certainty !== 'no') keyDocs.push({ keyDoc, key, match });
    }
    if (keyDocs.length === 0) continue;
    const byPrincipal = (principals.length ? principals : [undefined]).map((principal) => ({
      principal,
      keys: keyDocs.map((k) => keyTrust(world, k, account, principal, grant, doc)),
    }));
    out.push({ doc, grant, account, byPrincipal });
  }
  return out;
}

/**
 * The statements whose conditions decide a caller's request here: the key policy's trusts and
 * Denies, the grant, the principal's own Denies. A function of its own: the lists come as
 * arrays of several shapes (filled, empty, shared), and V8 optimizes again the function that
 * reads them each time it meets a new one; that is then this one, not `keyTrust`, whose
 * optimization costs tens of milliseconds of compiling each time.
 */
function conditionStatements(trusts: KeyPolicyTrusts, grant: Grant, iamDenies: readonly AttachedGrant[]): Statement[] {
  const out: Statement[] = [];
  for (const t of trusts.statements) out.push(t.statement);
  for (const d of trusts.denies) out.push(d.statement);
  out.push(grant.statement);
  for (const d of iamDenies) out.push(d.grant.statement);
  return out;
}

/**
 * Whether a key policy's reference to a role of a template (see `Trust.ref`) names the
 * principal of a grant: the policy's roles' own references say it. A policy of a template
 * attached to other roles is not theirs; a policy read elsewhere (a file the manifest binds to
 * an ARN) may be, as a generated name is not known. A policy of several principals, one of
 * them known, is not told apart by its references.
 */
function templatePrincipalNames(ref: string, principal: string | undefined, grantDoc: PolicyDocument): 'yes' | 'no' | 'maybe' {
  const refs = grantDoc.owner.roleRefs;
  if (!refs) return principal !== undefined && (grantDoc.source === 'file' || grantDoc.source === 'authorization-details') ? 'maybe' : 'no';
  if (!refs.some((r) => sameKeyRef(r, ref))) return 'no';
  const alone = principal === undefined || ((grantDoc.owner.principals ?? []).length === 1 && !grantDoc.owner.unnamedRoles?.length);
  return alone ? 'yes' : 'maybe';
}

/**
 * What a key policy lets the principal of an identity grant (or, when it is not known, the
 * grant's account) do with the key, its conditions decided for that caller.
 */
export function keyTrust(world: HandshakeWorld, k: { keyDoc: PolicyDocument; key: KeyIdentity; match: KeyMatch }, account: string, principal: string | undefined, grant: Grant, grantDoc: PolicyDocument): KeyTrustResult {
  const trusts = keyPolicyTrusts(world, k.keyDoc);
  const organization = world.organizationFor(k.keyDoc.file);
  const keyCtx = world.templateContext(k.keyDoc.file);
  const grantCtx = world.templateContext(grantDoc.file);
  // The principal's own Deny statements take actions away too (in the contexts they hold in).
  const grants = world.accountIam(account).described ? accountGrants(world, account) : undefined;
  const iamDenies = grants ? (principal ? grants.deniesByPrincipal.get(principal) : grants.deniesByDocument.get(grantDoc)) ?? [] : [];
  const memo = new ConditionMemo(requestContexts(conditionStatements(trusts, grant, iamDenies), keyCtx, [], k.key.account));
  const caller: Caller = { account, arn: principal, organization };
  const statements: TrustStatement[] = [];
  const allowed = new Set<string>();
  const allowedBy = new Map<string, TrustStatement[]>();
  const vectors = new Map<string, Vector>();
  const excluded: KeyTrustResult['excluded'] = [];
  let undecided = trusts.unresolved;
  // A key of the principal's own account: a statement that names the principal (or every
  // identity of the account, its organization, everyone) gives it the key by itself; the
  // account principal only lets IAM policies of the account grant it.
  const sameAccount = k.key.account === account;
  let ownDead: KeyTrustResult['ownDead'];
  let ownDenied: Set<string> | undefined;
  let disjoint: KeyTrustResult['disjoint'];
  // Actions allowed only through statements naming a session of the principal's role: their session names.
  const sessionsBy = new Map<string, string[]>();
  // Actions some statement allows the principal whole (not only some sessions of it).
  const wholeActions = new Set<string>();
  // Actions a statement of the principal's policies may deny (one not known, a Deny that may name the key): the files.
  const mayDeny = new Map<string, string[]>();
  for (const ts of trusts.statements) {
    let covers = false;
    let direct = false;
    // The statement names the principal only as sessions of its role (`assumed-role/App/alice`): those sessions' names.
    let sessions: string[] | undefined;
    let whole = false;
    for (const t of ts.trusts) {
      if (t.form === 'organization') {
        // Without the organization in the manifest its members are not known; with it, the condition decides.
        if (!organization) { undecided = true; continue; }
        covers = true;
        direct = sameAccount;
        continue;
      }
      if (t.form === 'public') { covers = true; direct = sameAccount; continue; }
      if (t.account !== account) continue;
      if (t.form === 'template-principal') {
        const names = templatePrincipalNames(t.ref!, principal, grantDoc);
        if (names === 'maybe') undecided = true;
        if (names !== 'yes') continue;
        covers = true;
        direct = sameAccount;
        whole = true;
        continue;
      }
      if (t.form === 'principal') {
        // A role-specific trust and a policy whose principal is not known: cannot tell.
        if (!principal) { undecided = true; continue; }
        if (!samePrincipal(t.principalArn!, principal)) continue;
      }
      covers = true;
      if (t.form !== 'root') direct = sameAccount;
      const session = t.form === 'principal' ? sessionOf(t.principalArn!, principal!) : undefined;
      if (session) (sessions ??= []).push(session);
      else whole = true;
    }
    if (!covers) continue;
    // Other trusts of the statement (its organization, everyone) let the principal in whole.
    const sessionOnly = sessions !== undefined && !whole && !ts.trusts.some((t) => t.form === 'organization' || t.form === 'public');
    let any = false;
    let decidedFalse: string[] | undefined;
    for (const a of ts.actions.actions) {
      // The statement's own condition for this caller, in the contexts the grant itself holds in:
      // an action it never allows them there is not allowed.
      const o = memo.outcome(ts.statement, caller, a, keyCtx);
      if (allFalse(o.holds)) { decidedFalse ??= o.decidedFalse; continue; }
      // A grant whose own condition never holds for the action is dead on its own account, not the
      // key policy's: the key policy's answer is then taken alone.
      const ownOutcome = memo.outcome(grant.statement, caller, a, grantCtx);
      const own = ownOutcome.holds;
      if (allFalse(own)) {
        ownDead ??= { actions: new Set(), decidedFalse: ownOutcome.decidedFalse };
        ownDead.actions.add(a);
      }
      // Named by the key policy in its own account: the IAM grant's condition does not limit what the key policy gives.
      let v = direct || allFalse(own) ? o.holds : andV(o.holds, own);
      if (allFalse(v) && !allFalse(o.holds) && !allFalse(own)) {
        (disjoint ??= []).push({ statement: ts, action: a, key: accessShape(o.holds, memo.contexts), grant: accessShape(own, memo.contexts) });
      }
      if (grants && iamDenies.length) {
        // A Deny that always applies makes the grant dead on its own account (not the key policy's
        // doing); one that applies in some contexts leaves the others, where the key policy decides.
        const deny = iamDenyVector(world, grants, principal, grantDoc, k.key, caller, a, memo, grant);
        const denied = deny.v;
        if (!denied.every((x) => x === TRUE)) v = andV(v, notV(denied));
        else (ownDenied ??= new Set()).add(a);
        if (deny.mayDeny) mayDeny.set(a, deny.mayDeny);
      }
      if (allFalse(v)) continue;
      // Only sessions of that name: never certain for the role.
      if (sessionOnly) {
        v = v.map((x) => (x === TRUE ? UNKNOWN : x));
        sessionsBy.set(a, [...new Set([...(sessionsBy.get(a) ?? []), ...sessions!])]);
      } else {
        wholeActions.add(a);
      }
      any = true;
      allowed.add(a);
      const by = allowedBy.get(a);
      if (by) by.push(ts);
      else allowedBy.set(a, [ts]);
      const before = vectors.get(a);
      vectors.set(a, before ? orV(before, v) : v);
    }
    if (any) statements.push(ts);
    else if (decidedFalse) excluded.push({ statement: ts, decidedFalse });
  }
  const usable = new Set<string>();
  const shapes = new Map<string, AccessShape>();
  // A permissions boundary limits what the principal's policies give it: not evaluated here, so nothing is certain.
  const bounded = principal !== undefined && world.accountIam(account).bounded.includes(principal);
  let deniedBy: Map<string, Statement> | undefined;
  for (const a of allowed) {
    const deny = keyDenyVector(trusts, caller, a, memo, keyCtx);
    const v = andV(vectors.get(a)!, notV(deny.v));
    if (allFalse(v)) {
      if (deny.by) (deniedBy ??= new Map()).set(a, deny.by.statement);
      continue;
    }
    usable.add(a);
    let shape = accessShape(v, memo.contexts);
    // Allowed only to sessions of some names (no statement allows the principal whole): say which.
    const names = wholeActions.has(a) ? undefined : sessionsBy.get(a);
    if (names) shape = { ...shape, sessions: names };
    const unknownDeny = mayDeny.get(a);
    if (unknownDeny && !shape.certain) shape = { ...shape, mayDeny: unknownDeny };
    shapes.set(a, bounded ? { ...shape, certain: false } : shape);
  }
  const effective = sameAccount ? usable : intersect(usable, CROSS_ACCOUNT_ACTIONS);
  // Fields named one by one: a spread of `k`, whose shape differs between callers, is copied slowly.
  const out: KeyTrustResult = { keyDoc: k.keyDoc, key: k.key, match: k.match, statements, allowed, allowedBy, excluded, usable, effective, sameAccount, shapes, undecided };
  if (ownDead) out.ownDead = ownDead;
  if (ownDenied) out.ownDenied = ownDenied;
  if (deniedBy) out.deniedBy = deniedBy;
  if (disjoint) out.disjoint = disjoint;
  return out;
}
