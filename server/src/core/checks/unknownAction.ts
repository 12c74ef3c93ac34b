import type { Check } from './check';
import { actionStrings } from './actionStrings';
import { hasWildcard } from '../wildcard';
import { nearestName } from '../nearestName';

/** The action is not one of its service's (names compared case-insensitively). */
export const unknownAction: Check = {
  id: 'unknown-action',
  defaultSeverity: 'error',
  summary: 'Action not in the service',
  statementLocal: true,
  run(ctx) {
    for (const a of actionStrings(ctx)) {
      if (hasWildcard(a.service) || hasWildcard(a.name) || !ctx.catalog.hasService(a.service)) continue;
      if (ctx.catalog.action(a.service, a.name)) continue;
      const service = a.service.toLowerCase();
      const suggestion = nearestName(a.name, ctx.catalog.actions(service).map((x) => x.name));
      if (!suggestion) {
        ctx.report(a.nameSpan, `Unknown action "${a.name}": ${ctx.catalog.serviceNames().get(service) ?? service} has no action of that name.`);
        continue;
      }
      ctx.report(a.nameSpan, `Unknown action "${a.name}" in ${service}: did you mean "${suggestion}"?`, {
        fixes: [{ title: `Change to "${a.service}:${suggestion}"`, id: 'replace-action', isPreferred: true, edits: [{ ...a.nameSpan, newText: suggestion }] }],
      });
    }
  },
};
