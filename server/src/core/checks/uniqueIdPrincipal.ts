import type { Check } from './check';
import { principalEntries, PRINCIPAL_ELEMENTS } from '../model/policyDocument';

/** Unique ids of roles (`AROA`) and users (`AIDA`): 4-letter prefix and at least 12 more characters. */
const UNIQUE_ID = /^(AROA|AIDA)[0-9A-Z]{12,}$/;

/**
 * A principal shown as a unique id: the policy stored the role or user by its id, and that
 * principal has been deleted (a re-created one with the same name has another id).
 */
export const uniqueIdPrincipal: Check = {
  id: 'unique-id-principal',
  defaultSeverity: 'warning',
  summary: 'Principal shown as a unique id: the role or user was deleted',
  statementLocal: true,
  run(ctx) {
    for (let k = 0; k < ctx.statements.length; k++) {
      const s = ctx.statements[k];
      for (let j = 0; j < PRINCIPAL_ELEMENTS.length; j++) {
        const name = PRINCIPAL_ELEMENTS[j];
        const eList = principalEntries(s.elements[name]?.value);
        for (let i = 0; i < eList.length; i++) {
          const e = eList[i];
          const v = e.item.value;
          if (e.type !== 'AWS' || v === undefined || !UNIQUE_ID.test(v)) continue;
          const what = v.startsWith('AROA') ? 'role' : 'user';
          ctx.report(e.item.node, `"${v}" is the unique id of a deleted ${what}: it matches nobody, not even a ${what} re-created with the same name. Name the current ${what} by its ARN, or remove it (a condition on aws:PrincipalArn survives re-creation).`);
        }
      }
    }
  },
};
