import { leadSentence } from '../findings';
import type { Check } from './check';
import type { LocalFix } from '../findings';
import { parseAction } from '../model/actionNames';
import type { PolicyDocument } from '../model/policyDocument';
import { removeArrayItemEdit, replaceArrayItemEdit, replaceValueEdit } from '../model/valueEdits';
import { attachedPrincipals, documentGrants } from '../handshake/accountGrants';
import { decryptionOnAllKeys, deniedOnAllKeys, type AllKeysScope } from '../handshake/allKeys';
import { parseArn } from '../model/arn';
import { documentAccount, keyTrust } from '../handshake/identityAnalysis';
import type { Grant } from '../handshake/identityGrants';
import { keyOfPolicy } from '../handshake/keyPolicyAnalysis';
import { displayAction, intersect } from '../model/kmsActions';
import type { ResolvedValue } from '../model/resolvedValues';
import { accountLabel, type HandshakeWorld } from '../handshake/world';

/**
 * An identity policy allows `kms:Decrypt` or `kms:ReEncryptFrom` on all keys, or on every
 * key of an account: the Security Hub controls KMS.1 (customer managed policies) and KMS.2
 * (inline policies) fail it, whatever its conditions. Reported on each such Resource entry,
 * without the actions a Deny of the same policy always removes on every key of the entry.
 * AWS managed policies are not checked (KMS.1 does not either, and they cannot be edited).
 * The quick-fix narrows the entry to the keys of the workspace whose key policy lets the
 * policy's principal (or its account) use them.
 */
export const keyUsageOnAllKeys: Check<HandshakeWorld> = {
  id: 'key-usage-on-all-keys',
  defaultSeverity: 'warning',
  summary: 'An identity policy allows kms:Decrypt or kms:ReEncryptFrom on all keys (Security Hub KMS.1/KMS.2)',
  kinds: ['iam-identity-policy'],
  scope: 'workspace',
  run(ctx) {
    const world = ctx.workspace!;
    const doc = ctx.doc;
    if (doc.policyArn && /^arn:[^:]*:iam::aws:policy\//.test(doc.policyArn)) return;
    const control = doc.isManagedPolicy ? 'KMS.1' : doc.isInlinePolicy ? 'KMS.2' : 'KMS.1/KMS.2';
    const kind = doc.isManagedPolicy ? 'customer managed policies' : doc.isInlinePolicy ? 'inline policies' : 'IAM policies';
    const gs = documentGrants(world, doc);
    const partition = policyPartition(doc);
    for (let j = 0; j < gs.length; j++) {
      const g = gs[j];
      const found = decryptionOnAllKeys(g);
      if (!found) continue;
      const conditioned = g.statement.elements.Condition ? ' A condition does not count for KMS.1/KMS.2: they read Resource only.' : '';
      for (let i = 0; i < found.resources.length; i++) {
        const r = found.resources[i];
        // What a Deny of this policy always removes on every key of the entry is not allowed on them.
        const denied = deniedOnAllKeys(gs, r.value.value!, found.actions, partition);
        const left = found.actions.filter((a) => !denied.has(a));
        if (left.length === 0) continue;
        const actions = left.map((a) => displayAction(world.catalog, a));
        const through = throughText(world, g, left);
        const where = scopeLabel(world, r.scope, ctx.doc.file);
        // One short sentence first (the Problems panel shows one line): what is wrong, what to do. Then why.
        const lead = leadSentence((how) => `${actions.join(' and ')} ${actions.length === 1 ? 'is' : 'are'} allowed on ${where}${how}: name the keys the principal uses.`, through, '');
        ctx.report(r.value.node,
          `${lead}${through && !lead.includes(through) ? ` ${wayIn(through.trim().slice(1, -1))}` : ''} Security Hub ${control} fails ${kind} that allow decryption on all keys.${conditioned}`,
          { fixes: () => narrowFix(world, doc, g, r.value, r.scope) });
      }
    }
  },
};

/** The policy's partition: its owner's, else that of the principals it is attached to when they agree. */
function policyPartition(doc: PolicyDocument): string | undefined {
  if (doc.owner.partition) return doc.owner.partition;
  const partitions = new Set((doc.owner.principals ?? []).map((p) => parseArn(p)?.partition));
  return partitions.size === 1 ? [...partitions][0] : undefined;
}

/** The way in as a sentence: `Granted through "kms:*".`, `kms:ReEncryptFrom is granted through "kms:ReEncrypt*".` */
function wayIn(inner: string): string {
  if (inner.startsWith('through')) return `Granted ${inner}.`;
  return `${inner.replace(' through ', ' is granted through ')}.`;
}

/** `file`: where the label is shown (account names from its manifest). */
function scopeLabel(world: HandshakeWorld, scope: AllKeysScope, file: string): string {
  if (!scope.account) return scope.region ? `all KMS keys in ${scope.region}` : 'all KMS keys';
  return `every key of account ${accountLabel(world, scope.account, file)}${scope.region ? ` in ${scope.region}` : ''}`;
}

/**
 * How the actions come in when the statement does not name them: `(through "kms:*")`,
 * `(NotAction leaves them in)`; when it names some of them, the others only:
 * `(kms:ReEncryptFrom through "kms:ReEncrypt*")`.
 */
function throughText(world: HandshakeWorld, g: Grant, actions: string[]): string {
  if (g.actions.negated) return ' (NotAction leaves them in)';
  const named = new Set(g.actions.entries.map((e) => e.item.value?.toLowerCase()));
  const unnamed = actions.filter((a) => !named.has(`kms:${a}`));
  if (unnamed.length === 0) return '';
  const wild = g.actions.entries.filter((e) => e.item.value !== undefined && e.actions.some((a) => unnamed.includes(a)));
  if (wild.length === 0) return '';
  const which = unnamed.length < actions.length ? `${unnamed.map((a) => displayAction(world.catalog, a)).join(' and ')} ` : '';
  return ` (${which}through ${wild.map((e) => `"${e.item.value}"`).join(', ')})`;
}

/**
 * Replace the entry by the ARNs of the keys the principal uses. Offered only when every
 * action of the statement is a KMS action (narrowing Resource would take other services'
 * resources away) and the workspace knows such keys, and not for an entry a template writes
 * with an expression (`!Sub '…:${KeyAccount}:key/*'`): the key ARNs are those of one
 * deployment, and written as literals they would hold for every other deployment too.
 */
function narrowFix(world: HandshakeWorld, doc: PolicyDocument, g: Grant, entry: ResolvedValue, scope: AllKeysScope): LocalFix[] {
  const resource = g.statement.elements.Resource?.value;
  if (!resource || entry.intrinsic || g.actions.negated || g.actions.partial || g.actions.entries.length === 0) return [];
  if (!g.actions.entries.every((e) => e.item.value !== undefined && parseAction(e.item.value)?.service.toLowerCase() === 'kms')) return [];
  const known = usedKeys(world, doc, g, scope);
  if (known.length === 0) return [];
  const present = new Set(g.resources.map((r) => r.value));
  const arns = known.filter((arn) => !present.has(arn));
  const edit = resource.type !== 'array' ? replaceValueEdit(entry.node, arns.length === 1 ? arns[0] : arns)
    : arns.length ? replaceArrayItemEdit(doc.json.text, resource, entry.node, arns)
    : removeArrayItemEdit(resource, entry.node);
  const title = arns.length === 0 ? `Remove "${entry.value}" (the keys listed are the ones the principal uses)`
    : arns.length === 1 ? `Narrow Resource to ${arns[0]}, the key the principal uses`
    : `Narrow Resource to the ${arns.length} keys the principal uses`;
  return [{ title, id: 'narrow-to-used-keys', edits: [edit] }];
}

/** ARNs of the workspace's keys, within the entry's scope, whose key policy lets the policy's principal (or its account) use them for the statement's actions. */
function usedKeys(world: HandshakeWorld, doc: PolicyDocument, g: Grant, scope: AllKeysScope): string[] {
  const account = documentAccount(doc);
  if (!account) return [];
  const principals: (string | undefined)[] = attachedPrincipals(doc, account);
  if (principals.length === 0) principals.push(undefined);
  const out = new Set<string>();
  const keyAccounts = scope.account ? [scope.account] : world.keyAccounts();
  for (let j = 0; j < keyAccounts.length; j++) {
    const keyAccount = keyAccounts[j];
    const keyDocs = world.keyPolicies(keyAccount);
    for (let i = 0; i < keyDocs.length; i++) {
      const keyDoc = keyDocs[i];
      const key = keyOfPolicy(keyDoc).key;
      if (!key?.arn || out.has(key.arn)) continue;
      if (scope.region && key.region && key.region !== scope.region) continue;
      // What the key policy lets the principal do, its conditions decided for it as the handshake does:
      // every action for the key's own account, the cross-account ones for another.
      // A grant whose own condition never holds for the key, or that its own Deny removes, does not use it.
      const usable = (p: string | undefined) => {
        const k = keyTrust(world, { keyDoc, key, match: { certainty: 'yes' } }, account, p, g, doc);
        const lost = (a: string) => !!k.ownDead?.actions.has(a) || !!k.ownDenied?.has(a);
        return new Set([...(key.account === account ? k.usable : k.effective)].filter((a) => !lost(a)));
      };
      if (principals.some((p) => intersect(usable(p), g.actions.actions).size > 0)) out.add(key.arn);
    }
  }
  return [...out].sort();
}
