import type { Check } from './check';
import { leadSentence } from '../findings';
import { items, prop, propValue, stringValue } from '../json/nodes';
import { ownAccount } from '../model/keyAccount';
import { isIntrinsic } from '../model/policyDocument';
import { putKeyPolicyKeepers } from '../model/putKeyPolicy';

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
    const { keptBy, removedBy, noResource } = putKeyPolicyKeepers(ctx.statements, own);
    if (keptBy.size > 0) return;
    const whose = own.source === 'owner' ? `of account ${[...own.accounts].join(', ')}` : 'of the key\'s account';
    const why = removedBy.size ? ' (a Deny without condition removes it)' : '';
    ctx.report(statementKey,
      // One short sentence first (the Problems panel shows one line): what is wrong, what to do. Then why.
      `${leadSentence((w) => `No principal ${w} may change this policy: allow kms:PutKeyPolicy to the account principal.`, whose, 'of the key\'s account')}${why ? ` A Deny without condition removes it.` : ''}`
        + `${noResource.size ? ` A statement allows it without "Resource": "*", so it allows nothing: add "Resource": "*" to it.` : ''} `
        + 'KMS rejects this policy (lockout safety check), and if the check is bypassed nobody can change the policy again. Keep a statement like the default one: Allow kms:* to the account principal (arn:aws:iam::ACCOUNT:root).',
      { relatedHere: [
        ...[...removedBy].map((d) => ({ span: { offset: d.node.offset, length: d.node.length }, message: 'denies kms:PutKeyPolicy' })),
        ...[...noResource].map((a) => ({ span: { offset: a.node.offset, length: a.node.length }, message: 'allows kms:PutKeyPolicy on no resource' })),
      ] });
  },
};
