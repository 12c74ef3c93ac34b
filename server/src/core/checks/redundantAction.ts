import type { Check } from './check';
import type { JsonNode } from '../json/jsonDocument';
import { patternCovers } from '../wildcardCovers';
import { statementItems, type ValueItem, ACTION_ELEMENTS } from '../model/policyDocument';
import type { Catalog } from '../catalog/catalog';
import { removeArrayItemEdit } from '../model/valueEdits';
import { hasWildcard } from '../wildcard';
import { itemActionFact } from '../model/actionFacts';
import { LEAD_SENTENCE_MAX } from '../findings';

interface Entry { node: JsonNode; value: string; lower: string }

/** The literal start of a pattern (before its first wildcard). */
function literalPrefix(pattern: string): string {
  const i = pattern.search(/[*?]/);
  return i < 0 ? pattern : pattern.slice(0, i);
}

/**
 * The message of an entry another entry of its list covers (redundant-action, redundant-resource):
 * both named when the sentence fits the Problems panel's line, else the other one after it.
 */
export function coveredMessage(value: string, how: string, by: string, list: string): string {
  const full = `"${value}" is ${how} "${by}" in this ${list} list: remove it.`;
  if (full.length <= LEAD_SENTENCE_MAX) return full;
  const short = `This entry is ${how} "${by}" in this ${list} list: remove it.`;
  return short.length <= LEAD_SENTENCE_MAX ? short : `This entry is ${how} another entry of this ${list} list: remove it. It is covered by "${by}".`;
}

/**
 * For each entry of a list, the first other entry that covers it, when one does. Of two
 * entries that cover each other, only the later one counts as covered. Exact entries are
 * compared through a map; only wildcard entries are matched, after a prefix test, so
 * lists of thousands of actions stay fast.
 */
export function coveringEntries(entries: Entry[]): (Entry | undefined)[] {
  const firstExact = new Map<string, number>();
  // Wildcard entries by the literal start of their service prefix ('' when it has a wildcard).
  const wildcards = new Map<string, { index: number; prefix: string }[]>();
  entries.forEach((e, i) => {
    if (hasWildcard(e.lower)) {
      const prefix = literalPrefix(e.lower);
      const service = prefix.includes(':') ? prefix.slice(0, prefix.indexOf(':')) : '';
      wildcards.set(service, [...(wildcards.get(service) ?? []), { index: i, prefix }]);
    } else if (!firstExact.has(e.lower)) firstExact.set(e.lower, i);
  });
  // Most lists have no wildcard: only exact duplicates can be covered.
  if (wildcards.size === 0) return entries.map((e, j) => (firstExact.get(e.lower)! < j ? entries[firstExact.get(e.lower)!] : undefined));
  const anyService = wildcards.get('') ?? [];
  return entries.map((e, j) => {
    let by = firstExact.get(e.lower);
    if (by !== undefined && by >= j) by = undefined;
    const colon = e.lower.indexOf(':');
    const sameService = colon > 0 ? wildcards.get(e.lower.slice(0, colon)) ?? [] : [];
    const candidates = anyService.length ? [...anyService, ...sameService].sort((a, b) => a.index - b.index) : sameService;
    for (let i = 0; i < candidates.length; i++) {
      const w = candidates[i];
      if (by !== undefined && w.index > by) break;
      const f = entries[w.index];
      if (w.index === j || !e.lower.startsWith(w.prefix) || !patternCovers(f.lower, e.lower)) continue;
      if (w.index < j || !patternCovers(e.lower, f.lower)) { by = w.index; break; }
    }
    return by === undefined ? undefined : entries[by];
  });
}


/**
 * Whether an entry of the list could cover another: two entries are the same, a service
 * prefix has a wildcard, or a name with a wildcard has another entry of its service (a
 * `service:Get*` entry covers entries of that service only).
 */
function mayCover(catalog: Catalog, items: readonly ValueItem[]): boolean {
  if (items.length < 2) return false;
  // Entries are compared by a hash of their lower-case text: a repeated entry always has a
  // repeated hash, and the rare other pair of equal hashes only sends the list to the full
  // comparison below.
  const ids: number[] = [];
  const services: string[] = [];
  let wildcards: string[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item.value === undefined) continue;
    const fact = itemActionFact(catalog, item);
    // A malformed entry is compared the slow way.
    if (!fact || fact.serviceWildcard) return true;
    if (fact.nameWildcard) (wildcards ??= []).push(fact.serviceKey);
    services.push(fact.serviceKey);
    ids.push(fact.lowerHash);
  }
  // Long lists with a wildcard go to the full comparison, as they did before this test.
  if (wildcards !== undefined && (services.length > 16 || sharesService(wildcards, services))) return true;
  // Short lists are compared pairwise.
  if (ids.length <= 16) {
    for (let i = 1; i < ids.length; i++) for (let j = 0; j < i; j++) if (ids[i] === ids[j]) return true;
    return false;
  }
  return new Set(ids).size < ids.length;
}

/** Whether the service of some wildcard entry is that of two entries (the wildcard's own and another). */
function sharesService(wildcards: readonly string[], services: readonly string[]): boolean {
  for (let i = 0; i < wildcards.length; i++) {
    let count = 0;
    for (let j = 0; j < services.length; j++) if (services[j] === wildcards[i] && ++count === 2) return true;
  }
  return false;
}

/**
 * Whether an entry without wildcards names an action of the catalog. A misspelt action
 * (unknown-action) or an action of an unknown service is not "covered" by a wildcard: it is
 * wrong, not redundant. Patterns are compared as patterns (see the docs page).
 */
function namesKnownAction(catalog: Catalog, item: ValueItem): boolean {
  const fact = itemActionFact(catalog, item);
  if (!fact) return false;
  return fact.serviceWildcard || fact.nameWildcard || fact.action !== undefined;
}

/**
 * An entry of `Action`/`NotAction` already covered by another entry of the same list:
 * an exact duplicate (names are case-insensitive) or a pattern or catalog action a wildcard
 * entry matches.
 */
export const redundantAction: Check = {
  id: 'redundant-action',
  defaultSeverity: 'info',
  summary: 'Action already covered by another entry or wildcard of the same statement',
  statementLocal: true,
  run(ctx) {
    for (let j = 0; j < ctx.statements.length; j++) {
      const s = ctx.statements[j];
      for (let i = 0; i < ACTION_ELEMENTS.length; i++) {
        const name = ACTION_ELEMENTS[i];
        const list = s.elements[name]?.value;
        if (list?.type !== 'array') continue;
        const items = statementItems(s, name);
        if (!mayCover(ctx.catalog, items)) continue;
        const entries = items
          .filter((e): e is typeof e & { value: string } => e.value !== undefined)
          .map((e) => ({ node: e.node, value: e.value, lower: e.value.toLowerCase(), item: e }));
        const covering = coveringEntries(entries);
        entries.forEach((e, j) => {
          const by = covering[j];
          if (!by) return;
          if (by.lower !== e.lower && !namesKnownAction(ctx.catalog, e.item)) return;
          const how = by.lower === e.lower ? 'a duplicate of' : 'already covered by';
          ctx.report(e.node, coveredMessage(e.value, how, by.value, name), {
            fixes: [{ title: `Remove "${e.value}"`, id: 'remove-redundant-action', isPreferred: true, edits: [removeArrayItemEdit(list, e.node)] }],
            relatedHere: [{ span: { offset: by.node.offset, length: by.node.length }, message: `covered by "${by.value}"` }],
          });
        });
      }
    }
  },
};
