import { removePropertyEdit } from '../model/valueEdits';
import { PRINCIPAL_ELEMENTS } from '../model/policyDocument';
import type { Check } from './check';

/** `Principal`/`NotPrincipal` in an identity policy: IAM rejects the policy. */
export const principalNotAllowed: Check = {
  id: 'principal-not-allowed',
  defaultSeverity: 'error',
  summary: 'Principal or NotPrincipal in an identity policy',
  statementLocal: true,
  kinds: ['iam-identity-policy'],
  run(ctx) {
    for (let j = 0; j < ctx.statements.length; j++) {
      const s = ctx.statements[j];
      for (let i = 0; i < PRINCIPAL_ELEMENTS.length; i++) {
        const name = PRINCIPAL_ELEMENTS[i];
        const el = s.elements[name];
        if (el) {
          ctx.report(el.key, `${name} is not allowed in an identity policy: the policy applies to the identity it is attached to.`, {
            fixes: [{ title: `Remove ${name}`, id: 'remove-element', edits: [removePropertyEdit(el.property)] }],
          });
        }
      }
    }
  },
};
