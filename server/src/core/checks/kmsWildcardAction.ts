import type { Check } from './check';
import { isAllKmsAction, isOwnRoot, ownAccount, principalAccount } from '../model/keyAccount';
import { principalEntries, statementItems } from '../model/policyDocument';
import { removeArrayItemEdit, replaceArrayItemEdit, replaceValueEdit } from '../model/valueEdits';

/** What a principal that uses a key (rather than manages it) needs. */
export const KEY_USAGE_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

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
  // The key's own account, which the default statement may say.
  documentInput(doc, statements) {
    const own = ownAccount(doc, statements);
    return `${own.source} ${[...own.accounts].sort().join(' ')}`;
  },
  run(ctx) {
    const own = ownAccount(ctx.doc, ctx.documentStatements);
    for (const s of ctx.statements) {
      if (s.effect !== 'Allow' || !s.elements.Principal || !s.elements.Action?.value) continue;
      const others = principalEntries(s.elements.Principal.value).flatMap((e) => {
        const p = principalAccount(e.item.node);
        if (p.unknown) return [];
        if (e.type === 'AWS' && p.root && (own.source === 'unknown' || isOwnRoot(p, own))) return [];
        return [`${p.display ?? '?'}${e.type === 'Service' ? ' (service)' : ''}`];
      });
      if (others.length === 0) continue;
      const names = others.join(', ');
      const list = s.elements.Action.value;
      const entries = statementItems(s, 'Action');
      const present = new Set(entries.map((a) => a.value?.toLowerCase()));
      for (const a of entries) {
        if (a.value === undefined || !isAllKmsAction(a.value)) continue;
        const missing = KEY_USAGE_ACTIONS.filter((x) => !present.has(x.toLowerCase()));
        const edit = list.type !== 'array' ? replaceValueEdit(a.node, KEY_USAGE_ACTIONS)
          : missing.length ? replaceArrayItemEdit(ctx.doc.json.text, list, a.node, missing)
          : removeArrayItemEdit(list, a.node);
        ctx.report(a.node, `"${a.value}" gives ${names} every KMS action, key administration and deletion included. Grant only what it uses.`, {
          fixes: [{ title: 'Replace with the key usage actions (Encrypt, Decrypt, ReEncrypt*, GenerateDataKey*, DescribeKey)', id: 'use-key-usage-actions', edits: [edit] }],
        });
      }
    }
  },
};
