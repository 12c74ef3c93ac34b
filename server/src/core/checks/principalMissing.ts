import type { Check } from './check';

/** Key-policy and trust-policy statements must name a principal. */
export const principalMissing: Check = {
  id: 'principal-missing',
  defaultSeverity: 'error',
  summary: 'Key-policy or trust-policy statement without a principal',
  statementLocal: true,
  kinds: ['kms-key-policy', 'iam-trust-policy'],
  run(ctx) {
    for (let i = 0; i < ctx.statements.length; i++) {
      const s = ctx.statements[i];
      if (!s.elements.Principal && !s.elements.NotPrincipal) {
        const what = ctx.doc.kind === 'kms-key-policy' ? 'key policy' : 'trust policy';
        ctx.report(s.elements.Sid?.value ?? s.node, `Every statement of a ${what} must have a Principal: add one (or NotPrincipal).`);
      }
    }
  },
};
