import type { Check } from './check';
import { actionStrings } from './actionStrings';
import { hasWildcard } from '../wildcard';
import { editDistance, nearestName } from '../nearestName';

/** The service prefix of an action is not in the catalog. */
export const unknownService: Check = {
  id: 'unknown-service',
  defaultSeverity: 'error',
  summary: 'Service prefix not in the catalog',
  statementLocal: true,
  run(ctx) {
    for (const a of actionStrings(ctx)) {
      if (hasWildcard(a.service) || ctx.catalog.hasService(a.service)) continue;
      const suggestion = nearestName(a.service, ctx.catalog.serviceNames().keys());
      if (!suggestion) {
        ctx.report(a.serviceSpan, `Unknown service prefix "${a.service}": no AWS service uses it, so "${a.value}" matches no action.`);
        continue;
      }
      ctx.report(a.serviceSpan, `Unknown service prefix "${a.service}": did you mean "${suggestion}" (${ctx.catalog.serviceNames().get(suggestion)})?`, {
        fixes: [{
          title: `Change to "${suggestion}"`,
          id: 'replace-service',
          isPreferred: editDistance(a.service.toLowerCase(), suggestion) <= 1,
          edits: [{ ...a.serviceSpan, newText: suggestion }],
        }],
      });
    }
  },
};
