/**
 * Who keeps kms:PutKeyPolicy in a key policy: KMS refuses a policy that leaves no principal
 * of the key's own account able to call it (lockout safety check). Read by `lockout-risk`,
 * and by fixes that narrow actions, which must not remove the last keeper.
 */
import type { JsonNode } from '../json/jsonDocument';
import { principalAccount, type OwnAccount, type PrincipalAccount } from './keyAccount';
import { principalEntries, statementItems, valueItems, type PrincipalEntry, type Statement } from './policyDocument';
import { conditionAccounts } from './principalScope';
import { matchesWildcard } from '../wildcard';

const PUT_KEY_POLICY = 'kms:PutKeyPolicy';

/** Whether these Action entries include PutKeyPolicy; unknown (intrinsic) entries count. */
export function actionsCoverPutKeyPolicy(entries: readonly { value?: string; intrinsic?: boolean }[]): boolean {
  return entries.some((a) => (a.value === undefined ? !!a.intrinsic : matchesWildcard(a.value, PUT_KEY_POLICY, true)));
}

/** Whether the statement's actions include PutKeyPolicy; unknown (intrinsic) entries count. */
export function coversPutKeyPolicy(s: Statement): boolean {
  if (s.elements.Action) return actionsCoverPutKeyPolicy(valueItems(s.elements.Action.value));
  if (s.elements.NotAction) return !statementItems(s, 'NotAction').some((a) => a.value !== undefined && matchesWildcard(a.value, PUT_KEY_POLICY, true));
  return false;
}

/**
 * Whether an IAM principal of an Allow may belong to the key's own account. When the
 * account is not known, every IAM principal may; unreadable values may too.
 */
function mayBeOwn(entry: PrincipalEntry, s: Statement, own: OwnAccount): boolean {
  if (entry.type !== 'AWS' && entry.type !== '*') return false;
  const p = principalAccount(entry.item.node);
  if (p.unknown || own.source !== 'owner' || p.templateAccount) return true;
  if (entry.item.value === '*') {
    const accounts = conditionAccounts(s.elements.Condition?.value);
    return !accounts || accounts.some((a) => own.accounts.has(a) || !/^\d{12}$/.test(a));
  }
  return p.account === undefined || !/^\d{12}$/.test(p.account) || own.accounts.has(p.account);
}

/** A principal that may keep PutKeyPolicy: what its value says (undefined for everyone). */
interface Keeper { principal: PrincipalAccount | undefined }

const EVERYONE: Keeper = { principal: undefined };

/**
 * Whether a principal entry of a Deny names the keeper: true, false, or undefined when a
 * value is not known (a Terraform expression, an intrinsic function that does not resolve).
 * `wholeAccounts`: an account principal names every principal of its account (in
 * `Principal`; in `NotPrincipal` it lists only itself).
 */
function names(entry: PrincipalEntry, keeper: Keeper, wholeAccounts: boolean): boolean | undefined {
  if (entry.item.value === '*') return true;
  if (entry.type !== 'AWS') return false;
  const k = keeper.principal;
  if (!k) return false;
  const p = principalAccount(entry.item.node);
  if (p.unknown || k.unknown) return undefined;
  if (p.display !== undefined && p.display === k.display) return true;
  // The template's own account (`${AWS::AccountId}`) against an account written out: either may be the other.
  if (p.templateAccount !== k.templateAccount) return undefined;
  // An account principal written as a bare id or as an ARN (`111122223333`, `arn:aws:iam::111122223333:root`).
  const sameAccount = p.templateAccount || (p.account !== undefined && p.account === k.account);
  return p.root && sameAccount && (k.root || wholeAccounts);
}

/**
 * Whether an unconditioned Deny of PutKeyPolicy on the key removes a keeper: the Deny names
 * it, names everyone, or names its account principal (which stands for the whole account);
 * with NotPrincipal, it removes everyone it does not list. A value not known may be the
 * keeper's (or, in NotPrincipal, may list it): the Deny is then not taken to remove it.
 */
function removes(deny: Statement, keeper: Keeper, own: OwnAccount): boolean {
  if (deny.effect !== 'Deny' || deny.elements.Condition || !coversPutKeyPolicy(deny)) return false;
  if (!statementItems(deny, 'Resource').some((r) => r.value === '*')) return false;
  if (deny.elements.Principal) return principalEntries(deny.elements.Principal.value).some((e) => names(e, keeper, true) === true);
  if (!deny.elements.NotPrincipal) return false;
  const listed = principalEntries(deny.elements.NotPrincipal.value);
  if (listed.length === 0) return false;
  // An Allow with NotPrincipal keeps PutKeyPolicy for everyone it does not list: a Deny with
  // NotPrincipal leaves the principals it lists, and one of them may be of the key's account.
  if (keeper === EVERYONE) return listed.every((e) => e.item.value !== '*' && !mayBeOwn(e, deny, own));
  return listed.every((e) => names(e, keeper, false) === false);
}

/**
 * Whether a statement's resources may include the key: a statement without `Resource` (and
 * without `NotResource`) has no effect in a key policy (KMS Developer Guide, "Key policy
 * elements"), and `NotResource: "*"` leaves nothing.
 */
function mayCoverKey(s: Statement): boolean {
  if (s.elements.Resource) return true;
  if (s.elements.NotResource) return !statementItems(s, 'NotResource').some((r) => r.value === '*');
  return false;
}

export interface PutKeyPolicyKeepers {
  /** The Allow statements through which a principal of the key's own account keeps PutKeyPolicy. */
  keptBy: Set<Statement>;
  /** The Deny statements that remove a principal that an Allow gives it. */
  removedBy: Set<Statement>;
  /** Allow statements of PutKeyPolicy whose resources cannot include the key (no Resource, `NotResource: "*"`). */
  noResource: Set<Statement>;
}

/**
 * The statements that keep PutKeyPolicy for a principal of the key's own account. Conditions
 * on an Allow do not remove it (the principal may still meet them); only an unconditioned
 * Deny does.
 */
export function putKeyPolicyKeepers(statements: readonly Statement[], own: OwnAccount): PutKeyPolicyKeepers {
  const keptBy = new Set<Statement>();
  const removedBy = new Set<Statement>();
  const noResource = new Set<Statement>();
  for (let j = 0; j < statements.length; j++) {
    const s = statements[j];
    if (s.effect !== 'Allow' || !coversPutKeyPolicy(s)) continue;
    // Allow with NotPrincipal: everyone but the listed principals, the own account included.
    const candidates: Keeper[] = s.elements.NotPrincipal
      ? [EVERYONE]
      : principalEntries(s.elements.Principal?.value).filter((e) => mayBeOwn(e, s, own))
        .map((e) => (e.item.value === '*' ? EVERYONE : { principal: principalAccount(e.item.node) }));
    if (candidates.length && !mayCoverKey(s)) { noResource.add(s); continue; }
    for (let i = 0; i < candidates.length; i++) {
      const e = candidates[i];
      const deny = statements.find((d) => removes(d, e, own));
      if (deny) removedBy.add(deny);
      else keptBy.add(s);
    }
  }
  return { keptBy, removedBy, noResource };
}
