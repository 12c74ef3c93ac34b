import type { Check } from './check';

/**
 * `Allow` with `NotPrincipal` grants every principal except the listed ones, anonymous
 * callers included: almost never what was meant.
 */
export const allowWithNotPrincipal: Check = {
  id: 'allow-with-not-principal',
  defaultSeverity: 'warning',
  summary: 'Allow with NotPrincipal',
  statementLocal: true,
  run(ctx) {
    for (let i = 0; i < ctx.statements.length; i++) {
      const s = ctx.statements[i];
      if (s.effect === 'Allow' && s.elements.NotPrincipal) {
        ctx.report(s.elements.NotPrincipal.key, 'Allow with NotPrincipal allows everyone except the principals listed: name the principals to allow in Principal instead. Anonymous callers are included.');
      }
    }
  },
};
