import type { Check } from './check';
import { actionItems, actionString } from './documentActionStrings';
import { nearestName, typoLimit } from '../nearestName';
import { boundedMemoFor } from '../recentCache';
import type { Catalog } from '../catalog/catalog';
import type { CheckContext } from './check';
import type { JsonNode } from '../json/jsonDocument';
import { ACTION_ELEMENTS, statementItems, type ValueItem } from '../model/policyDocument';
import { itemActionFact } from '../model/actionFacts';
import { removeArrayItemEdit } from '../model/valueEdits';
import { hasWildcard } from '../wildcard';
import { patternCovers } from '../wildcardCovers';

/**
 * Per catalog: `service name` (lower case) → the nearest action name, or null. The same
 * misspelt or retired action recurs across policies; texts can hold any name, so the map
 * starts over when it holds MAX_SUGGESTIONS answers.
 */
const suggestions = new WeakMap<Catalog, Map<string, string | null>>();
const MAX_SUGGESTIONS = 10_000;

/** The nearest action, when the name written is a typo of it (not another action with a similar name). */
function suggestAction(catalog: Catalog, service: string, name: string): string | undefined {
  return boundedMemoFor(suggestions, catalog, `${service} ${name.toLowerCase()}`, MAX_SUGGESTIONS, () => nearestName(name, catalog.actionNames(service), typoLimit(name)) ?? null) ?? undefined;
}

/**
 * An operation that IAM authorizes as two actions, one for each side (`kms:ReEncrypt` is
 * `ReEncryptFrom` on the source key and `ReEncryptTo` on the destination): the catalog spellings
 * of the pair, when the written name is such an operation and not an action itself.
 */
function fromToPair(catalog: Catalog, service: string, name: string): [string, string] | undefined {
  // Two look-ups by lower-case name (the catalog's names are unique in lower case), not a pass
  // over every action of the service for each unknown action of each file.
  const lower = name.toLowerCase();
  const from = catalog.action(service, `${lower}from`);
  const to = from && catalog.action(service, `${lower}to`);
  return from && to ? [from.name, to.name] : undefined;
}

/**
 * When the list holding `item` (an Action or NotAction array) already has `action`
 * (`service:Name`), or a wildcard entry that matches it: that entry, with the list's name and
 * array. Renaming the item to `action` would only repeat it.
 */
function listedAlready(ctx: CheckContext, item: ValueItem, action: string): { element: string; array: JsonNode; by: string } | undefined {
  const lower = action.toLowerCase();
  for (let k = 0; k < ctx.statements.length; k++) {
    const s = ctx.statements[k];
    for (let j = 0; j < ACTION_ELEMENTS.length; j++) {
      const element = ACTION_ELEMENTS[j];
      const items = statementItems(s, element);
      if (!items.includes(item)) continue;
      const array = s.elements[element]?.value;
      if (array?.type !== 'array') return undefined;
      // The action itself first, then a wildcard that matches it.
      let covering: string | undefined;
      for (let i = 0; i < items.length; i++) {
        const other = items[i];
        if (other === item || other.value === undefined || !itemActionFact(ctx.catalog, other)) continue;
        const otherLower = other.value.toLowerCase();
        if (otherLower === lower) return { element, array, by: other.value };
        if (covering === undefined && hasWildcard(otherLower) && patternCovers(otherLower, lower)) covering = other.value;
      }
      if (covering !== undefined) return { element, array, by: covering };
      return undefined;
    }
  }
  return undefined;
}

/** The action is not one of its service's (names compared case-insensitively). */
export const unknownAction: Check = {
  id: 'unknown-action',
  defaultSeverity: 'error',
  summary: 'Action not in the service',
  statementLocal: true,
  run(ctx) {
    const items = actionItems(ctx);
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const fact = item.actionFact;
      if (fact.action || fact.serviceWildcard || fact.nameWildcard || !fact.serviceKnown) continue;
      const a = actionString(ctx, item);
      const service = fact.serviceKey;
      const pair = fromToPair(ctx.catalog, service, a.name);
      if (pair) {
        const stem = pair[0].slice(0, -'From'.length);
        ctx.report(a.nameSpan, `Unknown action "${a.name}": write "${a.service}:${stem}*", which allows both of its actions. IAM authorizes ${stem} as two actions, ${pair[0]} (on the source) and ${pair[1]} (on the destination).`, {
          fixes: [
            { title: `Change to "${a.service}:${stem}*" (${pair[0]} and ${pair[1]})`, id: 'replace-action', isPreferred: true, edits: [{ ...a.nameSpan, newText: `${stem}*` }] },
            ...pair.map((n) => ({ title: `Change to "${a.service}:${n}"`, id: 'replace-action', edits: [{ ...a.nameSpan, newText: n }] })),
          ],
        });
        continue;
      }
      const suggestion = suggestAction(ctx.catalog, service, a.name);
      if (!suggestion) {
        ctx.report(a.nameSpan, `Unknown action "${a.name}": correct it, or remove it. ${ctx.catalog.serviceNames().get(service) ?? service} has no action of that name.`);
        continue;
      }
      const listed = listedAlready(ctx, item, `${service}:${suggestion}`);
      if (listed) {
        const how = listed.by.toLowerCase() === `${service}:${suggestion}`.toLowerCase() ? 'is already in' : `is already covered by "${listed.by}" in`;
        ctx.report(a.nameSpan, `Unknown action "${a.name}" in ${service}: remove it. Its nearest action, "${suggestion}", ${how} this ${listed.element} list.`, {
          fixes: [{ title: `Remove "${a.value}"`, id: 'remove-unknown-action', isPreferred: true, edits: [removeArrayItemEdit(listed.array, item.node)] }],
        });
        continue;
      }
      ctx.report(a.nameSpan, `Unknown action "${a.name}" in ${service}: did you mean "${suggestion}"?`, {
        fixes: [{ title: `Change to "${a.service}:${suggestion}"`, id: 'replace-action', isPreferred: true, edits: [{ ...a.nameSpan, newText: suggestion }] }],
      });
    }
  },
};
