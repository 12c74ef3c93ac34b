import type { Check } from './check';
import { leadSentence } from '../findings';
import { actionItems, actionString } from './documentActionStrings';
import { editDistance, nearestName, typoLimit } from '../nearestName';
import { boundedMemoFor } from '../recentCache';
import type { Catalog } from '../catalog/catalog';
import { matchesWildcard } from '../wildcard';

/** Per catalog: service prefix (lower case) → the nearest known prefix within a typo of it, or null (bounded: texts can hold any prefix). */
const suggestions = new WeakMap<Catalog, Map<string, string | null>>();
const MAX_SUGGESTIONS = 10_000;

/**
 * The nearest known prefix, when it is within `typoLimit` (the check offers no other): with
 * that bound rather than nearestName's wider one, the distances stop early.
 */
function suggestService(catalog: Catalog, service: string): string | undefined {
  return boundedMemoFor(suggestions, catalog, service.toLowerCase(), MAX_SUGGESTIONS, () => nearestName(service, catalog.serviceNames().keys(), typoLimit(service)) ?? null) ?? undefined;
}

/** Whether a service prefix with wildcards matches a service of the catalog. */
function matchesSomeService(catalog: Catalog, pattern: string): boolean {
  for (const name of catalog.serviceNames().keys()) if (matchesWildcard(pattern, name, true)) return true;
  return false;
}

/** The service prefix of an action is not in the catalog; a wildcard in it is a suggestion (info) to name the service. */
export const unknownService: Check = {
  id: 'unknown-service',
  defaultSeverity: 'error',
  summary: 'Service prefix not in the catalog',
  statementLocal: true,
  run(ctx) {
    const items = actionItems(ctx);
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (item.actionFact.serviceKnown) continue;
      const a = actionString(ctx, item);
      if (item.actionFact.serviceWildcard) {
        // A prefix that matches no service is action-wildcard-matches-nothing's error.
        if (!matchesSomeService(ctx.catalog, a.service)) continue;
        ctx.report(a.serviceSpan, `The service prefix "${a.service}" has a wildcard: it may match other services with similar names, now or when AWS adds them. Name the service.`, { severity: 'info' });
        continue;
      }
      // A near name is a suggestion only when it is a typo of the prefix written (suggestService)
      // and that service has the action: a similar prefix of another service
      // (elastic-inference, elemental-inference) is not what was meant.
      const near = suggestService(ctx.catalog, a.service);
      const suggestion = near && ctx.catalog.expandActionName(near, a.name).length > 0 ? near : undefined;
      if (!suggestion) {
        // One short sentence first (the Problems panel shows one line): what is wrong, what to do. Then why.
        ctx.report(a.serviceSpan, `${leadSentence((v) => `Unknown service prefix "${a.service}": correct it, or remove ${v}.`, `"${a.value}"`, 'the action')} `
          + 'No service in the AWS catalog uses it (a typo, or a retired service), so it matches no action.');
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
