import type { Check, CheckContext } from './check';
import type { JsonNode } from '../json/jsonDocument';
import type { Statement } from '../model/policyDocument';
import { keyOfPolicy, keyPolicyTrusts } from '../handshake/keyPolicyAnalysis';
import type { TrustStatement } from '../handshake/keyPolicyTrusts';
import { statementReach } from '../handshake/keyPolicyAnalysis';
import { ConditionMemo } from '../handshake/access';
import { requestContexts, type Caller } from '../handshake/callerConditions';
import { crossAccountOnly, displayActions } from '../model/kmsActions';
import { readRoleTrusts } from '../handshake/roleTrusts';
import { positiveConditionValues } from '../model/conditions';
import { accountLabel, principalLabel, type HandshakeWorld, type Organization } from '../handshake/world';

/**
 * With `trustedAccounts` in the governing manifest: a key policy or a role trust policy that
 * gives access to an account outside the trusted set (the listed accounts, the members of
 * the manifest's organization, the key's or role's own account). Reported on the principal
 * value. Silent when the manifest has no `trustedAccounts`.
 */
export const accessOutsideTrustedAccounts: Check<HandshakeWorld> = {
  id: 'access-outside-trusted-accounts',
  defaultSeverity: 'warning',
  summary: 'A key policy or role trust policy gives access to an account outside the manifest\'s trustedAccounts',
  kinds: ['kms-key-policy', 'iam-trust-policy'],
  scope: 'workspace',
  run(ctx) {
    const world = ctx.workspace!;
    const listed = world.trustedAccountsFor(ctx.doc.file);
    if (!listed) return;
    const org = world.organizationFor(ctx.doc.file);
    const own = ctx.doc.kind === 'kms-key-policy' ? keyOfPolicy(ctx.doc).key?.account : roleAccount(ctx.doc.owner);
    const allowed = { listed, org, own };
    if (ctx.doc.kind === 'kms-key-policy') checkKeyPolicy(ctx, world, allowed);
    else checkTrustPolicy(ctx, world, allowed);
  },
};

interface Allowed { listed: Set<string>; org: Organization | undefined; own: string | undefined }

function isTrusted(a: Allowed, account: string): boolean {
  return account === a.own || a.listed.has(account) || !!a.org?.accounts.has(account);
}

/** For a `*` limited to an organization: whether it is the manifest's, and how to name it. */
function organizationOf(s: Statement, a: Allowed, world: HandshakeWorld, file: string): { trusted: boolean; label: string } {
  const ctx = world.templateContext(file);
  const ids = positiveConditionValues(s, 'aws:principalorgid', ctx)?.values;
  if (ids?.length) return { trusted: !!a.org && ids.every((id) => id === a.org!.id), label: `any account of organization ${ids.join(', ')}` };
  const paths = positiveConditionValues(s, 'aws:principalorgpaths', ctx, true)?.values ?? [];
  if (paths.length) return { trusted: !!a.org && paths.every((p) => p.startsWith(`${a.org!.id}/`)), label: `any account under ${paths.join(', ')}` };
  return { trusted: false, label: 'any account of an organization the policy does not name' };
}

const ADVICE = 'Remove it, or add the account to trustedAccounts in the manifest.';

/** An account outside every list: it matches no account id, and no organization the manifest describes. */
const OUTSIDER = 'an account outside the trusted accounts';

function checkKeyPolicy(ctx: CheckContext<HandshakeWorld>, world: HandshakeWorld, a: Allowed): void {
  const trusts = keyPolicyTrusts(world, ctx.doc);
  const tctx = world.templateContext(ctx.doc.file);
  const memo = new ConditionMemo(requestContexts([...trusts.statements.map((t) => t.statement), ...trusts.denies.map((d) => d.statement)], tctx, [], a.own));
  // What a statement lets the caller do once its condition and the key policy's Deny statements are decided for it.
  const reachable = (ts: TrustStatement, caller: Caller) => statementReach(trusts, ts, caller, memo, tctx).actions;
  const outsider: Caller = { account: OUTSIDER, organization: a.org };
  // One finding per principal value: a `*` limited to several accounts names them together.
  const byNode = new Map<JsonNode, { who: string[]; actions: Set<string>; what: 'account' | 'everyone' }>();
  const add = (node: JsonNode, who: string, actions: Set<string>, what: 'account' | 'everyone') => {
    if (actions.size === 0) return;
    const e = byNode.get(node) ?? { who: [], actions: new Set<string>(), what };
    if (!e.who.includes(who)) e.who.push(who);
    for (const x of actions) e.actions.add(x);
    byNode.set(node, e);
  };
  for (let j = 0; j < trusts.statements.length; j++) {
    const ts = trusts.statements[j];
    for (let i = 0; i < ts.trusts.length; i++) {
      const t = ts.trusts[i];
      if (t.form === 'public') {
        add(t.node, 'everyone', reachable(ts, outsider), 'everyone');
      } else if (t.form === 'organization') {
        const o = organizationOf(ts.statement, a, world, ctx.doc.file);
        if (!o.trusted) add(t.node, o.label, reachable(ts, outsider), 'everyone');
      } else if (t.account && !isTrusted(a, t.account)) {
        const who = t.form === 'principal' ? `${principalLabel(t.value)} of account ${accountLabel(world, t.account, ctx.doc.file)}` : `account ${accountLabel(world, t.account, ctx.doc.file)}`;
        add(t.node, who, reachable(ts, { account: t.account, arn: t.principalArn, organization: a.org }), 'account');
      }
    }
  }
  for (const [node, e] of byNode) {
    const actions = displayActions(world.catalog, e.actions, 6);
    const message = e.what === 'everyone' && e.who[0] === 'everyone'
      ? `Everyone ("*") can use the key for ${actions}, accounts outside the trusted accounts included. Limit it with aws:PrincipalOrgID or kms:CallerAccount, or list the principals.`
      : `Outside the trusted accounts: ${e.who.join(', ')} can use the key for ${actions}. ${ADVICE}`;
    ctx.report(node, message);
  }
}

function checkTrustPolicy(ctx: CheckContext<HandshakeWorld>, world: HandshakeWorld, a: Allowed): void {
  const list = readRoleTrusts(ctx.doc, world.templateContext(ctx.doc.file));
  for (let j = 0; j < list.length; j++) {
    const { statement, trusts } = list[j];
    const reported = new Set<JsonNode>();
    for (let i = 0; i < trusts.length; i++) {
      const t = trusts[i];
      if (reported.has(t.node)) continue;
      let message: string | undefined;
      if (t.form === 'public') {
        message = 'Everyone ("*") can assume the role, accounts outside the trusted accounts included. Limit it with aws:PrincipalOrgID or aws:PrincipalAccount, or list the principals.';
      } else if (t.form === 'organization') {
        const o = organizationOf(statement, a, world, ctx.doc.file);
        if (!o.trusted) message = `Outside the trusted accounts: ${o.label} can assume the role. ${ADVICE}`;
      } else if (t.account && !isTrusted(a, t.account)) {
        const untrusted = trusts.filter((x) => x.node === t.node && x.account && !isTrusted(a, x.account)).map((x) => accountLabel(world, x.account!, ctx.doc.file));
        const who = t.form === 'principal' ? `${principalLabel(t.value)} of account ${untrusted[0]}` : `account ${untrusted.join(', account ')}`;
        message = `Outside the trusted accounts: ${who} can assume the role. ${ADVICE}`;
      }
      if (!message) continue;
      reported.add(t.node);
      ctx.report(t.node, message);
    }
  }
}

function roleAccount(owner: { account?: string; principals?: string[] }): string | undefined {
  if (owner.account && /^\d{12}$/.test(owner.account)) return owner.account;
  const fromArn = owner.principals?.[0]?.split(':')[4];
  return fromArn && /^\d{12}$/.test(fromArn) ? fromArn : undefined;
}
