import type { Check } from './check';
import { principalEntries, type Statement, statementItems } from '../model/policyDocument';
import { allowRestriction, denyOutsideRestriction, wildcardPrincipals } from '../model/principalScope';
import { isAllKmsAction } from '../model/keyAccount';

/**
 * A Deny that names everyone, covers every KMS action, applies to the key and whose only
 * conditions say "outside account/organization X": it keeps any Allow of the policy
 * from reaching other callers.
 */
function isPerimeterDeny(s: Statement): boolean {
  if (s.effect !== 'Deny' || !s.elements.Principal || s.elements.NotAction || s.elements.NotResource) return false;
  if (wildcardPrincipals(principalEntries(s.elements.Principal.value)).length === 0) return false;
  if (!statementItems(s, 'Action').some((a) => a.value !== undefined && isAllKmsAction(a.value))) return false;
  if (!statementItems(s, 'Resource').some((r) => r.value === '*')) return false;
  return denyOutsideRestriction(s.elements.Condition?.value) !== undefined;
}

/**
 * `Principal: "*"` or `{"AWS": "*"}` in an Allow of a key policy with no condition that
 * limits the callers to known accounts, organizations or principals (see principalScope).
 */
export const publicKeyPolicy: Check = {
  id: 'public-key-policy',
  defaultSeverity: 'error',
  summary: 'Key policy allows every principal without an account or organization condition',
  kinds: ['kms-key-policy'],
  run(ctx) {
    if (ctx.statements.some(isPerimeterDeny)) return;
    for (let j = 0; j < ctx.statements.length; j++) {
      const s = ctx.statements[j];
      if (s.effect !== 'Allow' || !s.elements.Principal) continue;
      const stars = wildcardPrincipals(principalEntries(s.elements.Principal.value));
      if (stars.length === 0 || allowRestriction(s.elements.Condition?.value)) continue;
      for (let i = 0; i < stars.length; i++) {
        const star = stars[i];
        ctx.report(star.item.node,
          // One short sentence first (the Problems panel shows one line): what is wrong, what to do. Then how.
          'Every principal of every account may use this key: limit the callers with a condition, or name the principals. '
          + 'Conditions that limit them: kms:CallerAccount, aws:PrincipalAccount, aws:PrincipalOrgID or aws:PrincipalArn with StringEquals/ArnLike.');
      }
    }
  },
};
