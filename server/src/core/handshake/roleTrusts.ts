/**
 * Who a role trust policy lets assume the role: for each Allow statement whose actions
 * include `sts:AssumeRole`, its `Principal.AWS` values as accounts (account roots, bare ids,
 * role and user ARNs), `*` limited to accounts by `aws:PrincipalAccount`, `*` limited to an
 * organization by `aws:PrincipalOrgID` / `aws:PrincipalOrgPaths`, or `*` for everyone.
 * `Federated` and `Service` principals are not read.
 */
import type { JsonNode } from '../json/jsonDocument';
import { parseAction } from '../model/actionNames';
import { accountPrincipal, parseArn, ACCOUNT_ID } from '../model/arn';
import { positiveConditionValues } from '../model/conditions';
import { statementItems, statementsOf, type PolicyDocument, type Statement } from '../model/policyDocument';
import type { TemplateContext } from '../model/templateValues';
import { matchesWildcard } from '../wildcard';
import { resolvedPrincipals } from '../model/resolvedValues';

const ORG_KEYS = ['aws:principalorgid', 'aws:principalorgpaths'];

export interface RoleTrust {
  form: 'root' | 'principal' | 'caller-account' | 'organization' | 'public';
  node: JsonNode;
  value: string;
  account?: string;
}

/** The statement may allow `sts:AssumeRole` (Action entries, or a NotAction that leaves it in). */
function allowsAssumeRole(s: Statement): boolean {
  const matches = (v: string | undefined) => {
    const a = v === undefined ? undefined : parseAction(v);
    return !!a && (a.service === '*' ? a.name === '*' : matchesWildcard(a.service, 'sts', true) && matchesWildcard(a.name, 'AssumeRole', true));
  };
  if (s.elements.Action) return statementItems(s, 'Action').some((i) => matches(i.value));
  if (s.elements.NotAction) return !statementItems(s, 'NotAction').some((i) => matches(i.value));
  return false;
}

/** Statements that can give AWS principals the role: what the trusted-accounts check reads. */
export function awsTrustStatements(doc: PolicyDocument): Statement[] {
  return statementsOf(doc).filter((s) => s.effect === 'Allow' && !!s.elements.Principal && allowsAssumeRole(s)
    && resolvedPrincipals(s.elements.Principal.value, undefined).some((p) => p.type === 'AWS' || p.type === '*'));
}

export function readRoleTrusts(doc: PolicyDocument, ctx: TemplateContext | undefined): { statement: Statement; trusts: RoleTrust[] }[] {
  const out: { statement: Statement; trusts: RoleTrust[] }[] = [];
  for (const s of awsTrustStatements(doc)) {
    const trusts: RoleTrust[] = [];
    const accounts = positiveConditionValues(s, 'aws:principalaccount', ctx)?.values;
    const organization = !!positiveConditionValues(s, ORG_KEYS, ctx);
    for (const p of resolvedPrincipals(s.elements.Principal!.value, ctx)) {
      if (p.type !== 'AWS' && p.type !== '*') continue;
      const v = p.value.value;
      if (v === undefined) continue;
      if (v === '*') {
        if (accounts?.length) for (const a of accounts) trusts.push({ form: 'caller-account', node: p.value.node, value: v, account: a });
        else trusts.push({ form: organization ? 'organization' : 'public', node: p.value.node, value: v });
        continue;
      }
      const root = accountPrincipal(v);
      const account = root ?? parseArn(v)?.account;
      if (!account || !ACCOUNT_ID.test(account)) continue;
      // A principal of another account than the condition allows matches no one.
      if (accounts && !accounts.includes(account)) continue;
      trusts.push({ form: root ? 'root' : 'principal', node: p.value.node, value: v, account });
    }
    if (trusts.length) out.push({ statement: s, trusts });
  }
  return out;
}
