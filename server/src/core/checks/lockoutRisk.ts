import type { Check } from './check';
import type { JsonNode } from '../json/jsonDocument';
import { items, prop, propValue, stringValue } from '../json/nodes';
import { ownAccount, principalAccount, type OwnAccount } from '../model/keyAccount';
import { isIntrinsic, principalEntries, valueItems, type PrincipalEntry, type Statement, statementItems } from '../model/policyDocument';
import { conditionAccounts } from '../model/principalScope';
import { matchesWildcard } from '../wildcard';

const PUT_KEY_POLICY = 'kms:PutKeyPolicy';

/** Whether the statement's actions include PutKeyPolicy; unknown (intrinsic) entries count. */
function coversPutKeyPolicy(s: Statement): boolean {
  const matches = (node: JsonNode | undefined) =>
    valueItems(node).some((a) => (a.value === undefined ? a.intrinsic : matchesWildcard(a.value, PUT_KEY_POLICY, true)));
  if (s.elements.Action) return matches(s.elements.Action.value);
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

/** A principal that may keep PutKeyPolicy: its value, and the account it belongs to when known. */
interface Keeper { value: string | undefined; account?: string }

const EVERYONE: Keeper = { value: '*' };

/**
 * Whether an unconditioned Deny of PutKeyPolicy on the key removes a keeper: the Deny names
 * it, names everyone, or names its account principal (which stands for the whole account);
 * with NotPrincipal, it removes everyone it does not list.
 */
function removes(deny: Statement, keeper: Keeper): boolean {
  if (deny.effect !== 'Deny' || deny.elements.Condition || !coversPutKeyPolicy(deny)) return false;
  if (!statementItems(deny, 'Resource').some((r) => r.value === '*')) return false;
  const names = (node: JsonNode | undefined, wholeAccounts: boolean) => principalEntries(node).some((e) => {
    if (e.item.value === '*' || (e.item.value !== undefined && e.item.value === keeper.value)) return true;
    const p = principalAccount(e.item.node);
    return wholeAccounts && p.root && p.account !== undefined && p.account === keeper.account;
  });
  if (deny.elements.Principal) return names(deny.elements.Principal.value, true);
  if (deny.elements.NotPrincipal) return !names(deny.elements.NotPrincipal.value, false);
  return false;
}

/**
 * No principal of the key's own account can call PutKeyPolicy: KMS refuses such a policy
 * (lockout safety check) unless the check is bypassed, and then the key can no longer be
 * managed without AWS Support. Conditions on an Allow do not remove it (the principal may
 * still meet them); only an unconditioned Deny does.
 */
export const lockoutRisk: Check = {
  id: 'lockout-risk',
  defaultSeverity: 'error',
  summary: 'No principal of the key\'s own account keeps kms:PutKeyPolicy',
  kinds: ['kms-key-policy'],
  run(ctx) {
    const statementKey = prop(ctx.doc.root, 'Statement')?.key;
    if (!statementKey) return;
    // A statement computed at deploy time (an intrinsic function, a Terraform expression) may keep the permission.
    if (items(propValue(ctx.doc.root, 'Statement')).some((n) => isIntrinsic(n) && !prop(n, 'Fn::If'))) return;
    // AWS managed keys (policy ids `auto-…`): AWS alone changes their policies.
    if (stringValue(propValue(ctx.doc.root, 'Id'))?.startsWith('auto-')) return;
    const own = ownAccount(ctx.doc, ctx.statements);
    const keepers: Keeper[] = [];
    const removedBy = new Set<Statement>();
    for (const s of ctx.statements) {
      if (s.effect !== 'Allow' || !coversPutKeyPolicy(s)) continue;
      // Allow with NotPrincipal: everyone but the listed principals, the own account included.
      const candidates: Keeper[] = s.elements.NotPrincipal
        ? [EVERYONE]
        : principalEntries(s.elements.Principal?.value).filter((e) => mayBeOwn(e, s, own))
          .map((e) => ({ value: e.item.value, account: principalAccount(e.item.node).account }));
      for (const e of candidates) {
        const deny = ctx.statements.find((d) => removes(d, e));
        if (deny) removedBy.add(deny);
        else keepers.push(e);
      }
    }
    if (keepers.length > 0) return;
    const whose = own.source === 'owner' ? `of account ${[...own.accounts].join(', ')}` : 'of the key\'s account';
    const why = removedBy.size ? ' (a Deny without condition removes it)' : '';
    ctx.report(statementKey,
      `No principal ${whose} is allowed kms:PutKeyPolicy${why}: KMS rejects this policy (lockout safety check), and if the check is bypassed nobody can change the policy again. Keep a statement like the default one: Allow kms:* to the account principal (arn:aws:iam::ACCOUNT:root).`,
      { relatedHere: [...removedBy].map((d) => ({ span: { offset: d.node.offset, length: d.node.length }, message: 'denies kms:PutKeyPolicy' })) });
  },
};
