import { allowRestriction } from '../model/principalScope';
import type { Check, CheckContext } from './check';
import type { LocalFix } from '../findings';
import { parseArn } from '../model/arn';
import { principalEntries, statementItems, type PrincipalEntry, type Statement } from '../model/policyDocument';
import { appendValuesEdit, removeArrayItemEdit } from '../model/valueEdits';
import { matchesWildcard } from '../wildcard';

/** What kind of principal an entry is, for the assume-role action it may use. */
type Caller = 'aws' | 'service' | 'saml' | 'oidc' | 'other';

function callerOf(e: PrincipalEntry): Caller {
  if (e.type === 'AWS') return 'aws';
  if (e.type === 'Service') return 'service';
  if (e.type !== 'Federated') return 'other';
  const v = e.item.value ?? '';
  return parseArn(v)?.resource.startsWith('saml-provider/') ? 'saml' : 'oidc';
}

/** The assume-role actions and the principals each one is for. */
const ASSUME_ACTIONS = new Map<string, { name: string; callers: readonly Caller[] }>([
  ['sts:assumerole', { name: 'sts:AssumeRole', callers: ['aws', 'service'] }],
  ['sts:assumerolewithsaml', { name: 'sts:AssumeRoleWithSAML', callers: ['saml'] }],
  ['sts:assumerolewithwebidentity', { name: 'sts:AssumeRoleWithWebIdentity', callers: ['oidc'] }],
]);

const ROLES_ANYWHERE = 'rolesanywhere.amazonaws.com';
const ROLES_ANYWHERE_ACTIONS = ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'];

/** The actions of the Action element that no entry covers (wildcards included); undefined when an entry is not a plain string. */
function missingActions(s: Statement, wanted: readonly string[]): string[] | undefined {
  const values: string[] = [];
  const items = statementItems(s, 'Action');
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item.value === undefined) return undefined;
    values.push(item.value.toLowerCase());
  }
  return wanted.filter((w) => !values.some((v) => matchesWildcard(v, w.toLowerCase())));
}

/** Adds actions after the last entry of the Action element (a string becomes an array). */
function addActionsFix(text: string, s: Statement, actions: string[], wrapLong: boolean): LocalFix | undefined {
  const edit = appendValuesEdit(text, s.elements.Action?.value, actions, wrapLong);
  return edit && { title: `Add ${actions.join(', ')} to Action`, id: 'add-roles-anywhere-actions', isPreferred: true, edits: [edit] };
}

/** An assumed-role session principal whose role the same list names (`…:role/path/App` and `…:assumed-role/App/session`). */
function redundantSessions(ctx: CheckContext, entries: readonly PrincipalEntry[]): void {
  const aws = entries.filter((e) => e.type === 'AWS' && e.item.value !== undefined);
  const roles = new Map<string, string>();
  for (let i = 0; i < aws.length; i++) {
    const e = aws[i];
    const arn = parseArn(e.item.value!);
    if (arn?.service !== 'iam' || !arn.resource.startsWith('role/')) continue;
    roles.set(`${arn.partition}:${arn.account}:${arn.resource.slice(arn.resource.lastIndexOf('/') + 1)}`, e.item.value!);
  }
  if (roles.size === 0) return;
  for (let i = 0; i < aws.length; i++) {
    const e = aws[i];
    const arn = parseArn(e.item.value!);
    if (arn?.service !== 'sts' || !arn.resource.startsWith('assumed-role/')) continue;
    const role = roles.get(`${arn.partition}:${arn.account}:${arn.resource.split('/')[1]}`);
    if (!role) continue;
    const list = e.item.node.parent;
    ctx.report(e.item.node, `The session principal ${e.item.value} is redundant: the role ${role} is named too, and it covers all its sessions. Remove the session principal.`, {
      severity: 'info',
      fixes: list?.type === 'array' ? [{ title: 'Remove the session principal', id: 'remove-session-principal', isPreferred: true, edits: [removeArrayItemEdit(list, e.item.node)] }] : undefined,
    });
  }
}

/**
 * Principals of role trust policies that IAM refuses or that cannot assume the role as
 * written: NotPrincipal, the `*` principal, an assume-role action for another kind of
 * principal (SAML with AssumeRoleWithSAML, OIDC with AssumeRoleWithWebIdentity, accounts and
 * services with AssumeRole), IAM Roles Anywhere without the three actions it needs, and (a
 * suggestion) a role session named beside its role.
 */
export const trustPolicyPrincipal: Check = {
  id: 'trust-policy-principal',
  defaultSeverity: 'error',
  summary: 'Role trust policy principal that IAM refuses or that cannot use the statement\'s assume-role action',
  kinds: ['iam-trust-policy'],
  statementLocal: true,
  run(ctx) {
    for (let j = 0; j < ctx.statements.length; j++) {
      const s = ctx.statements[j];
      if (s.elements.NotPrincipal) {
        ctx.report(s.elements.NotPrincipal.key, 'NotPrincipal cannot be used in a role trust policy: name the principals that may assume the role in Principal instead.');
      }
      const principal = s.elements.Principal;
      if (!principal || s.effect !== 'Allow') continue;
      const entries = principalEntries(principal.value);
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i];
        // `"Principal": "*"` is refused in a role trust policy (Access Analyzer's ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL
        // names that form); `{"AWS": "*"}` is accepted, and opens the role to every account unless a condition limits the callers.
        if (e.item.value === '*' && e.type === '*') {
          // One short sentence first (the Problems panel shows one line): what is wrong, what to do. Then why.
          ctx.report(e.item.node, '"Principal": "*" is not supported in a role trust policy: name who may assume the role. '
            + 'IAM refuses it. Name the accounts, roles, services or identity providers, or write {"AWS": "*"} with a condition that limits the callers (aws:PrincipalOrgID, aws:PrincipalAccount).');
        } else if (e.item.value === '*' && e.type === 'AWS' && !allowRestriction(s.elements.Condition?.value)) {
          ctx.report(e.item.node, '{"AWS": "*"} lets every account assume this role: limit the callers with a condition, or name the principals. '
            + 'It stands for every principal of every account. Conditions that limit them: aws:PrincipalOrgID, aws:PrincipalAccount or aws:PrincipalArn with StringEquals/ArnLike.', { severity: 'warning' });
        }
      }
      const known = entries.filter((e) => e.item.value !== undefined && e.item.value !== '*');
      const items = statementItems(s, 'Action');
      for (let i = 0; i < items.length; i++) {
        const item = items[i];
        const action = item.value === undefined ? undefined : ASSUME_ACTIONS.get(item.value.toLowerCase());
        if (!action) continue;
        const wrong = known.filter((e) => { const c = callerOf(e); return c !== 'other' && !action.callers.includes(c); });
        if (wrong.length === 0) continue;
        ctx.report(item.node, `${action.name} cannot be used by ${wrong.map((e) => e.item.value).join(', ')}: a SAML provider assumes a role with sts:AssumeRoleWithSAML, an OIDC provider with sts:AssumeRoleWithWebIdentity (both as Federated principals), accounts, roles, users and services with sts:AssumeRole.`);
      }
      if (known.some((e) => e.type === 'Service' && e.item.value!.toLowerCase() === ROLES_ANYWHERE) && s.elements.Action) {
        const missing = missingActions(s, ROLES_ANYWHERE_ACTIONS);
        if (missing?.length) {
          const fix = addActionsFix(ctx.doc.json.text, s, missing, !ctx.doc.embedded);
          ctx.report(s.elements.Action.key, `IAM Roles Anywhere (${ROLES_ANYWHERE}) needs sts:AssumeRole, sts:SetSourceIdentity and sts:TagSession to assume a role; this statement lacks ${missing.join(', ')}. Add them.`, { fixes: fix ? [fix] : undefined });
        }
      }
      redundantSessions(ctx, entries);
    }
  },
};
