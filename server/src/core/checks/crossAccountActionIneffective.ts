import type { Check } from './check';
import { leadSentence } from '../findings';
import { accountRootArn, claimsWhenRead } from './accessClaims';
import { keyOfPolicy, keyPolicyTrusts } from '../handshake/keyPolicyAnalysis';
import { CROSS_ACCOUNT_ACTIONS, displayActions } from '../model/kmsActions';
import { removeArrayItemEdit } from '../model/valueEdits';
import { accountLabel, principalLabel, type HandshakeWorld } from '../handshake/world';

/**
 * A key-policy statement allows another account's principal actions KMS never allows
 * across accounts (key management: PutKeyPolicy, ScheduleKeyDeletion, TagResource, …).
 * Reported on each Action entry that stands only for such actions.
 */
export const crossAccountActionIneffective: Check<HandshakeWorld> = {
  id: 'cross-account-action-ineffective',
  defaultSeverity: 'warning',
  summary: 'The key policy allows another account actions KMS never allows across accounts',
  kinds: ['kms-key-policy'],
  scope: 'workspace',
  run(ctx) {
    const world = ctx.workspace!;
    const { key } = keyOfPolicy(ctx.doc);
    if (!key) return;
    const tsList = keyPolicyTrusts(world, ctx.doc).statements;
    for (let j = 0; j < tsList.length; j++) {
      const ts = tsList[j];
      const external = ts.trusts.filter((t) => t.account && t.account !== key.account);
      if (external.length === 0 || ts.actions.negated) continue;
      const allExternal = external.length === ts.trusts.length;
      const who = [...new Set(external.map((t) => (t.form === 'principal' ? principalLabel(t.principalArn!) : `account ${accountLabel(world, t.account!, ctx.doc.file)}`)))].join(', ');
      const array = ts.statement.elements.Action?.value;
      for (let i = 0; i < ts.actions.entries.length; i++) {
        const e = ts.actions.entries[i];
        if (e.actions.length === 0 || e.actions.some((a) => CROSS_ACCOUNT_ACTIONS.has(a))) continue;
        const what = e.actions.length === 1 ? displayActions(world.catalog, e.actions) : `${e.item.value} (${displayActions(world.catalog, e.actions, 4)})`;
        const canRemove = allExternal && array?.type === 'array' && (array.children?.length ?? 0) > 1;
        const it = e.actions.length === 1 ? 'it' : 'them';
        // One short sentence first (the Problems panel shows one line): what is wrong, what to do. Then why.
        const lead = allExternal
          ? leadSentence((name) => `${name} never works for another account: remove ${e.actions.length === 1 ? 'it' : 'this entry'}.`, what, e.item.value ?? 'This entry')
          : leadSentence((name) => `${name} has no effect for ${who}: only the key's own account can use ${it}.`, what, e.item.value ?? 'This entry');
        ctx.report(e.item.node, `${lead} ${allExternal ? `It has no effect for ${who}: KMS` : 'KMS'} allows only the cryptographic and grant actions across accounts.`, {
          claims: claimsWhenRead(world.catalog, external.map((t) => ({ key, principal: t.form === 'principal' ? t.principalArn! : accountRootArn(t.account!, key.partition), actions: e.actions, can: false }))),
          fixes: canRemove ? [{ title: `Remove ${e.item.value}`, id: 'remove-action', edits: [removeArrayItemEdit(array!, e.item.node)] }] : [],
        });
      }
    }
  },
};
