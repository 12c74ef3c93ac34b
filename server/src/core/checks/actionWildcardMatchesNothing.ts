import type { Check } from './check';
import { actionItems, actionString } from './documentActionStrings';
import type { Catalog } from '../catalog/catalog';
import { editDistance, nearestName } from '../nearestName';
import { matchesWildcard } from '../wildcard';
import { actionExpansion } from '../model/actionFacts';

/** Service-wildcard entries (`*:Get*`, `k?s:…`) checked per document. */
const MAX_SERVICE_WILDCARDS = 50;

/** A wildcard action (`kms:Decrpyt*`) that no action of the catalog matches. */
export const actionWildcardMatchesNothing: Check = {
  id: 'action-wildcard-matches-nothing',
  defaultSeverity: 'error',
  summary: 'Wildcard action that matches no action',
  run(ctx) {
    let serviceWildcards = 0;
    const items = actionItems(ctx);
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const fact = item.actionFact;
      if (fact.serviceWildcard) {
        const a = actionString(ctx, item);
        // Each one is matched against every action of every service: a crafted document
        // with thousands of them has only the first ones checked.
        if (++serviceWildcards > MAX_SERVICE_WILDCARDS) continue;
        const services = [...ctx.catalog.serviceNames().keys()].filter((s) => matchesWildcard(a.service, s, true));
        if (!services.some((s) => ctx.catalog.expandActionName(s, a.name).length)) {
          const span = { offset: a.serviceSpan.offset, length: a.nameSpan.offset + a.nameSpan.length - a.serviceSpan.offset };
          ctx.report(span, `"${a.value}" matches no action of any service: correct it, or remove it.`);
        }
        continue;
      }
      if (!fact.nameWildcard || !fact.serviceKnown || actionExpansion(ctx.catalog, fact).length) continue;
      const a = actionString(ctx, item);
      const service = fact.serviceKey;
      const what = `"${a.name}" matches no action of ${ctx.catalog.serviceNames().get(service) ?? service}`;
      const suggestion = respelt(ctx.catalog, service, a.name);
      if (!suggestion) {
        ctx.report(a.nameSpan, `${what}: correct it, or remove it.`);
        continue;
      }
      ctx.report(a.nameSpan, `${what}: did you mean "${suggestion}"?`, {
        fixes: [{
          title: `Change to "${a.service}:${suggestion}"`,
          id: 'replace-action',
          isPreferred: editDistance(a.name.toLowerCase(), suggestion.toLowerCase()) <= 1,
          edits: [{ ...a.nameSpan, newText: suggestion }],
        }],
      });
    }
  },
};

/** The pattern with its literal start respelt after the nearest action name start (`Decrpyt*` → `Decrypt*`), if that matches something. */
function respelt(catalog: Catalog, service: string, pattern: string): string | undefined {
  const cut = pattern.search(/[*?]/);
  if (cut <= 0) return undefined;
  const literal = pattern.slice(0, cut);
  const starts = new Set(catalog.actionNames(service).filter((n) => n.length >= cut).map((n) => n.slice(0, cut)));
  const near = nearestName(literal, starts);
  if (!near) return undefined;
  const candidate = near + pattern.slice(cut);
  return catalog.expandActionName(service, candidate).length ? candidate : undefined;
}
