import type { Check } from './check';

/**
 * A key-policy statement without `Action`/`NotAction` or without `Resource`/`NotResource`:
 * KMS accepts the policy but the statement allows or denies nothing.
 */
export const statementHasNoEffect: Check = {
  id: 'statement-has-no-effect',
  defaultSeverity: 'warning',
  summary: 'Key-policy statement missing Action or Resource (accepted by KMS, ignored)',
  statementLocal: true,
  kinds: ['kms-key-policy'],
  run(ctx) {
    for (let i = 0; i < ctx.statements.length; i++) {
      const s = ctx.statements[i];
      const missing: string[] = [];
      if (!s.elements.Action && !s.elements.NotAction) missing.push('Action');
      if (!s.elements.Resource && !s.elements.NotResource) missing.push('Resource');
      if (missing.length === 0) continue;
      ctx.report(s.elements.Sid?.value ?? s.node,
        `This statement has no ${missing.join(' and no ')}: KMS accepts it but it has no effect.${missing.includes('Resource') ? ' In a key policy, add "Resource": "*".' : ''}`);
    }
  },
};
