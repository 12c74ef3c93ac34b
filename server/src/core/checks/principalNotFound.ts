import type { Check } from './check';
import { parseArn } from '../model/arn';
import { principalEntries } from '../model/policyDocument';
import { accountLabel, type HandshakeWorld } from '../handshake/world';

/** `role` or `user` for an IAM role or user ARN without wildcards, with its name (last part of the path). */
function roleOrUser(value: string): { kind: 'role' | 'user'; account: string; name: string } | undefined {
  if (/[*?]/.test(value)) return undefined;
  const arn = parseArn(value);
  if (!arn || arn.service !== 'iam' || !/^\d{12}$/.test(arn.account)) return undefined;
  const slash = arn.resource.indexOf('/');
  const kind = arn.resource.slice(0, slash);
  if (slash < 0 || (kind !== 'role' && kind !== 'user')) return undefined;
  return { kind, account: arn.account, name: arn.resource.slice(arn.resource.lastIndexOf('/') + 1) };
}

/**
 * A key policy that names a role or user the workspace's authorization-details export of its
 * account does not list: KMS checks that every principal exists and refuses the policy
 * (MalformedPolicyDocument) when one does not. Only accounts whose every role (or user) the
 * workspace lists are judged: an export lists them all; manifest principals and templates name
 * some, unless the manifest says they are all (`accounts.<id>.complete`). A role listed under
 * another path is named in the message.
 */
export const principalNotFound: Check<HandshakeWorld> = {
  id: 'principal-not-found',
  defaultSeverity: 'error',
  summary: 'The key policy names a role or user missing from the account\'s complete list (authorization-details export, or a manifest\'s accounts.<id>.complete)',
  kinds: ['kms-key-policy'],
  scope: 'workspace',
  run(ctx) {
    const world = ctx.workspace;
    if (!world) return;
    for (let j = 0; j < ctx.statements.length; j++) {
      const s = ctx.statements[j];
      const eList = principalEntries(s.elements.Principal?.value);
      for (let i = 0; i < eList.length; i++) {
        const e = eList[i];
        if (e.type !== 'AWS' || e.item.value === undefined) continue;
        const named = roleOrUser(e.item.value);
        if (!named) continue;
        const iam = world.accountIam(named.account);
        world.readsAccountSummary(ctx.doc.file, named.account);
        if (!iam.completeKinds.includes(named.kind)) continue;
        const wanted = e.item.value.toLowerCase();
        if (iam.rolesAndUsers.some((p) => p.toLowerCase() === wanted)) continue;
        const sameName = iam.rolesAndUsers.filter((p) => roleOrUser(p)?.kind === named.kind && roleOrUser(p)!.name.toLowerCase() === named.name.toLowerCase());
        const hint = sameName.length ? ` The account has ${sameName.join(', ')}: write the ARN with its path.` : '';
        const where = iam.declaredOnlyKinds.includes(named.kind)
          ? `among the ${named.kind}s the workspace names, which the manifest says are all of the account's (accounts.${named.account}.complete)`
          : `in the workspace's authorization-details export, which lists every ${named.kind} of the account`;
        ctx.report(e.item.node, `${accountLabel(world, named.account, ctx.doc.file)} has no ${named.kind} ${e.item.value.slice(e.item.value.indexOf(':' + named.kind + '/') + 1)} ${where}: KMS refuses a key policy whose principal does not exist (MalformedPolicyDocument).${hint} Correct the ARN, or remove the principal.`);
      }
    }
  },
};
