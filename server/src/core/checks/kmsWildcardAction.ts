import { leadSentence } from '../findings';
import type { Check } from './check';
import { isAllKmsAction, isOwnRoot, ownAccount, ownAccountInput, principalAccount, type OwnAccount, type PrincipalAccount } from '../model/keyAccount';
import { principalEntries, statementItems, type PolicyDocument, type Statement } from '../model/policyDocument';
import { positiveConditionValues } from '../model/conditions';
import { removeArrayItemEdit, replaceArrayItemEdit, replaceValueEdit } from '../model/valueEdits';
import { actionsCoverPutKeyPolicy, putKeyPolicyKeepers } from '../model/putKeyPolicy';

/** What a principal that uses a key (rather than manages it) needs. */
export const KEY_USAGE_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

/** Cross-account operations named in messages (the whole list is CROSS_ACCOUNT_ACTIONS). */
const NOTABLE_CROSS_ACCOUNT = 'kms:CreateGrant, kms:Decrypt, kms:Encrypt, kms:GenerateDataKey*, kms:ReEncrypt*, kms:Sign, kms:Verify, kms:DescribeKey';

/**
 * What `kms:*` really gives a principal: everything in the key's own account (`own`), only
 * the operations KMS allows across accounts to another account (`other`; KMS Developer Guide,
 * key-policy-modifying-external-accounts), or either, depending on where the caller is
 * (`either`: everyone, or a principal whose account cannot be compared with the key's).
 */
interface Reach { label: string; kind: 'own' | 'other' | 'either' }

function reachOf(type: string, p: PrincipalAccount, own: OwnAccount, callers: string[] | undefined): Reach {
  const shown = p.display ?? '?';
  if (type === 'Service') return { label: `${shown} (service)`, kind: 'own' };
  if (shown === '*') {
    // Limited by kms:CallerAccount / aws:PrincipalAccount: the accounts tell which it is.
    if (!callers?.length || own.source === 'unknown') return { label: 'everyone (*)', kind: 'either' };
    const label = `everyone (*) in ${callers.join(', ')}`;
    const ownCount = callers.filter((a) => own.accounts.has(a)).length;
    return { label, kind: ownCount === callers.length ? 'own' : ownCount === 0 ? 'other' : 'either' };
  }
  if (p.templateAccount) return { label: shown, kind: 'own' };
  if (own.source === 'unknown' || p.account === undefined) return { label: shown, kind: 'either' };
  return own.accounts.has(p.account) ? { label: shown, kind: 'own' } : { label: shown, kind: 'other' };
}

const ACCOUNT_KEYS = ['kms:calleraccount', 'aws:principalaccount'];

/** The accounts a statement limits callers to (`kms:CallerAccount`, `aws:PrincipalAccount`); undefined when not limited. */
function callerAccounts(s: Statement): string[] | undefined {
  return positiveConditionValues(s, ACCOUNT_KEYS, undefined)?.values;
}

const OWN = 'every KMS action, key administration and deletion included';
const CROSS = `only the operations KMS allows across accounts (${NOTABLE_CROSS_ACCOUNT} and the like); administration and deletion never work across accounts`;

function details(reach: Reach[]): string {
  const of = (kind: Reach['kind']) => reach.filter((r) => r.kind === kind).map((r) => r.label);
  const own = of('own');
  const other = of('other');
  const either = of('either');
  const it = reach.length === 1 ? 'it gets' : 'they get';
  // All of one kind: the lead sentence has named them.
  if (own.length === reach.length) return `${it.charAt(0).toUpperCase()}${it.slice(1)} ${OWN}.`;
  if (other.length === reach.length) return `From another account, ${it} ${CROSS}.`;
  if (either.length === reach.length) return `A caller in the key's account gets ${OWN}; a caller from another account gets ${CROSS}.`;
  const parts: string[] = [];
  if (own.length) parts.push(`${own.join(', ')} ${own.length === 1 ? 'gets' : 'get'} ${OWN}`);
  if (other.length) parts.push(`${other.join(', ')}, from another account, ${other.length === 1 ? 'gets' : 'get'} ${CROSS}`);
  if (either.length) parts.push(`For ${either.join(', ')}, a caller in the key's account gets ${OWN}; a caller from another account gets ${CROSS}`);
  return `${parts.join('. ')}.`;
}

/** Which statements keep kms:PutKeyPolicy for the key's own account, one flag a statement. */
function keeperFlags(doc: PolicyDocument, statements: readonly Statement[]): string {
  const keptBy = putKeyPolicyKeepers(statements, ownAccount(doc, statements)).keptBy;
  return statements.map((s) => (keptBy.has(s) ? 'K' : '-')).join('');
}

/**
 * `kms:*` (or `*`) allowed to a principal other than the key's own account principal.
 * The own account comes from the workspace, else from the default-key-policy statement
 * (see keyAccount). When neither says it, account principals are not reported: the
 * check cannot tell the key's account from another. Principals given by intrinsic
 * functions that cannot be resolved are not reported either.
 */
export const kmsWildcardAction: Check = {
  id: 'kms-wildcard-action',
  defaultSeverity: 'warning',
  summary: 'kms:* allowed to a principal other than the key\'s own account',
  kinds: ['kms-key-policy'],
  statementLocal: true,
  // The key's own account, which the default statement may say, and which statements keep
  // kms:PutKeyPolicy for it (the fix must not remove the last of them).
  documentInput: (doc, statements) => `${ownAccountInput(doc, statements)} ${keeperFlags(doc, statements)}`,
  run(ctx) {
    const own = ownAccount(ctx.doc, ctx.documentStatements);
    const keptBy = [...putKeyPolicyKeepers(ctx.documentStatements, own).keptBy];
    for (let j = 0; j < ctx.statements.length; j++) {
      const s = ctx.statements[j];
      if (s.effect !== 'Allow' || !s.elements.Principal || !s.elements.Action?.value) continue;
      const reach: Reach[] = [];
      const callers = callerAccounts(s);
      const eList = principalEntries(s.elements.Principal.value);
      for (let i = 0; i < eList.length; i++) {
        const e = eList[i];
        const p = principalAccount(e.item.node);
        if (p.unknown) continue;
        if (e.type === 'AWS' && p.root && (own.source === 'unknown' || isOwnRoot(p, own))) continue;
        reach.push(reachOf(e.type, p, own, callers));
      }
      if (reach.length === 0) continue;
      const names = reach.map((r) => r.label).join(', ');
      const rest = details(reach);
      const list = s.elements.Action.value;
      const entries = statementItems(s, 'Action');
      const present = new Set(entries.map((a) => a.value?.toLowerCase()));
      for (let i = 0; i < entries.length; i++) {
        const a = entries[i];
        if (a.value === undefined || !isAllKmsAction(a.value)) continue;
        const missing = KEY_USAGE_ACTIONS.filter((x) => !present.has(x.toLowerCase()));
        const edit = list.type !== 'array' ? replaceValueEdit(a.node, KEY_USAGE_ACTIONS)
          : missing.length ? replaceArrayItemEdit(ctx.doc.json.text, list, a.node, missing)
          : removeArrayItemEdit(list, a.node);
        // Without this entry, the statement may be the last to keep kms:PutKeyPolicy for the
        // key's own account: KMS would then reject the policy (lockout-risk), so no fix.
        const keeps = keptBy.length === 0 || keptBy.some((k) => k.node.offset !== s.node.offset)
          || actionsCoverPutKeyPolicy(entries.filter((x) => x !== a));
        // One short sentence first (the Problems panel shows one line): what is wrong, what to do. Then the details.
        const lead = leadSentence((n) => `"${a.value}" gives ${n} more than key usage: list the key usage actions instead.`, names, `the ${reach.length} principals of this statement`);
        ctx.report(a.node, `${lead}${lead.includes(names) ? '' : ` They are ${names}.`} ${rest}`, {
          fixes: keeps ? [{ title: 'Replace with the key usage actions (Encrypt, Decrypt, ReEncrypt*, GenerateDataKey*, DescribeKey)', id: 'use-key-usage-actions', edits: [edit] }] : undefined,
        });
      }
    }
  },
};
