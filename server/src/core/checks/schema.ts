import type { Check } from './check';
import { validatePolicy } from '../schema/validatePolicy';

/** The policy grammar of `schemas/` for the document's kind, reported at the offending node. */
export const schema: Check = {
  id: 'schema',
  defaultSeverity: 'error',
  summary: 'Violates the policy grammar: unknown element, wrong type, missing Effect/Action, bad Effect value',
  run(ctx) {
    for (const p of validatePolicy(ctx.doc)) ctx.report(p.at, p.message, p.fixes ? { fixes: p.fixes } : undefined);
  },
};
