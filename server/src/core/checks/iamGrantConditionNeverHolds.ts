import type { Check } from './check';
import { leadSentence, type LocalFix } from '../findings';
import { attachedPrincipals, documentGrants } from '../handshake/accountGrants';
import { conditionOutcome, entryHolds, FALSE, GRANT_OPERATIONS, requestContexts, requestValueText, type Caller, type RequestContexts } from '../handshake/callerConditions';
import { documentAccount } from '../handshake/identityAnalysis';
import type { Grant } from '../handshake/identityGrants';
import { targetAccount } from '../handshake/keyIdentity';
import { accountLabel, principalLabel, type HandshakeWorld } from '../handshake/world';
import { statementConditions, type ConditionEntry } from '../model/conditions';
import { displayActions } from '../model/kmsActions';
import type { TemplateContext } from '../model/templateValues';

/**
 * An identity policy's Allow of KMS actions whose own Condition never holds for the principals
 * the policy is attached to (or, when they are not known, for any principal of its account):
 * `kms:CallerAccount` or `aws:PrincipalAccount` naming another account, `aws:ResourceAccount`
 * naming an account the statement's keys are not in, `aws:SourceAccount` (absent from a role's
 * or user's own requests)… Conditions are decided as the handshake decides them
 * (`callerConditions.ts`); anything it cannot decide keeps the statement alive.
 */
export const iamGrantConditionNeverHolds: Check<HandshakeWorld> = {
  id: 'iam-grant-condition-never-holds',
  defaultSeverity: 'warning',
  summary: 'An IAM statement granting KMS actions whose condition never holds for the policy\'s principals',
  kinds: ['iam-identity-policy'],
  scope: 'workspace',
  run(ctx) {
    const world = ctx.workspace!;
    // Most identity policies have no conditioned KMS Allow: nothing else is worked out for them.
    const grants = documentGrants(world, ctx.doc).filter((g) => g.effect === 'Allow' && g.statement.elements.Condition);
    if (grants.length === 0) return;
    const account = documentAccount(ctx.doc);
    if (!account) return;
    const principals = attachedPrincipals(ctx.doc, account);
    const organization = world.organizationFor(ctx.doc.file);
    const tctx = world.templateContext(ctx.doc.file);
    const callers: Caller[] = principals.length ? principals.map((arn) => ({ account, arn, organization })) : [{ account, organization }];
    for (const grant of grants) {
      if (!grant.statement.elements.Condition) continue;
      const resourceAccount = keysAccount(grant);
      const contexts = requestContexts([grant.statement], tctx, [], resourceAccount);
      const kinds = [...new Set([...grant.actions.actions].map((a) => GRANT_OPERATIONS.has(a)))];
      const dead = callers.every((c) => kinds.every((g) => conditionOutcome(grant.statement, c, contexts, g, tctx).holds.every((t) => t === FALSE)));
      if (!dead) continue;
      const entry = statementConditions(grant.statement).find((e) => callers.every((c) => kinds.every((g) => entryFalse(e, c, contexts, g, tctx))));
      const who = principals.length ? principals.map(principalLabel).join(', ') : `any principal of ${accountLabel(world, account, ctx.doc.file)}`;
      const lead = leadSentence((name) => `This condition never holds for ${name}: correct ${entry ? `${entry.operator.text} ${entry.key}` : 'it'} or remove it.`, who, principals.length === 1 ? 'this policy\'s principal' : principals.length ? 'this policy\'s principals' : 'any principal of its account');
      const carries = entry ? requestValueText(entry, callers[0], resourceAccount) : undefined;
      const subject = principals.length === 1 ? principalLabel(principals[0]) : `the principals of ${accountLabel(world, account, ctx.doc.file)}`;
      const facts = carries ? ` In the requests of ${subject}, ${carries}${entry!.key.toLowerCase() === 'aws:resourceaccount' ? ' (the account of the keys the statement names)' : ''}.` : '';
      const actions = displayActions(world.catalog, grant.actions.actions);
      const fix = entry && accountFix(entry, account);
      ctx.report(entry?.keyNode ?? grant.statement.elements.Condition.key, `${lead}${facts} The statement never allows ${actions} to ${principals.length === 1 ? 'it' : 'them'}: the grant has no effect.`, fix ? { fixes: [fix] } : undefined);
    }
  },
};

/**
 * The one account of the keys a statement names by ARN (every resource a KMS ARN of that
 * account: `targetAccount` takes only a literal account id); undefined otherwise.
 */
function keysAccount(grant: Grant): string | undefined {
  if (grant.negatedResource || grant.resources.length === 0) return undefined;
  let out: string | undefined;
  for (const r of grant.resources) {
    const a = r.value === undefined ? undefined : targetAccount(r.value);
    if (!a || (out && out !== a)) return undefined;
    out = a;
  }
  return out;
}

/**
 * For `kms:CallerAccount` or `aws:PrincipalAccount` compared with one other account
 * (`StringEquals`, plain): the fix writes the policy's own account, the one its principals call from.
 */
function accountFix(entry: ConditionEntry, account: string): LocalFix | undefined {
  const k = entry.key.toLowerCase();
  if (k !== 'kms:calleraccount' && k !== 'aws:principalaccount') return undefined;
  if (entry.operator.text !== 'StringEquals' || entry.values.length !== 1 || entry.values[0].intrinsic) return undefined;
  const node = entry.values[0].node;
  return { title: `Change to ${account} (the account of this policy's principals)`, id: 'caller-account', isPreferred: true, edits: [{ offset: node.offset, length: node.length, newText: JSON.stringify(account) }] };
}

/** Whether an entry alone is false in every request context for the caller. */
function entryFalse(e: ConditionEntry, caller: Caller, contexts: RequestContexts, grantOperation: boolean, ctx: TemplateContext | undefined): boolean {
  return contexts.via.every((via) => entryHolds(e, caller, via, grantOperation, ctx, contexts.resourceAccount) === FALSE);
}
