import type { Check } from './check';
import { patternCovers } from '../wildcardCovers';
import { RESOURCE_ELEMENTS, statementItems } from '../model/policyDocument';
import { removeArrayItemEdit } from '../model/valueEdits';
import { hasWildcard } from '../wildcard';
import { coveredMessage } from './redundantAction';

/** Lists longer than this are not compared (a generated list of thousands of ARNs). */
const MAX_ENTRIES = 1000;

/**
 * For each entry, the index of another entry that covers it (every resource it matches, the
 * other matches too), or -1. Of two entries that cover each other, only the later one is
 * covered. Only wildcard entries can cover others, besides exact repeats.
 */
function coveredBy(values: string[]): number[] {
  const first = new Map<string, number>();
  const wildcards: number[] = [];
  // A pattern covers only values that start with its text before its first wildcard: a
  // cheap test that rules out most pairs of a long list before the full comparison.
  // Likewise it covers only values that end with its text after its last wildcard. Both are
  // kept per wildcard entry (by its place in `wildcards`), the only entries that cover others.
  const prefixes: string[] = [];
  const suffixes: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!first.has(v)) first.set(v, i);
    if (!hasWildcard(v)) continue;
    wildcards.push(i);
    prefixes.push(v.slice(0, literalLength(v)));
    suffixes.push(v.slice(Math.max(v.lastIndexOf('*'), v.lastIndexOf('?')) + 1));
  }
  const by: number[] = [];
  for (let j = 0; j < values.length; j++) by.push(coverOf(values, j, first.get(values[j])!, wildcards, prefixes, suffixes));
  return by;
}

/** `coveredBy`'s answer for the `j`-th value; `same`: the first index of an equal value. */
function coverOf(values: string[], j: number, same: number, wildcards: number[], prefixes: string[], suffixes: string[]): number {
  if (same < j) return same;
  const v = values[j];
  for (let i = 0; i < wildcards.length; i++) {
    const w = wildcards[i];
    if (w === j || values[w] === v || !v.startsWith(prefixes[i]) || !v.endsWith(suffixes[i]) || !patternCovers(values[w], v, false)) continue;
    // Two different patterns that cover each other: the earlier one stays.
    if (w < j || !patternCovers(v, values[w], false)) return w;
  }
  return -1;
}

/** The length of a pattern's text before its first `*` or `?`. */
function literalLength(v: string): number {
  const star = v.indexOf('*');
  const q = v.indexOf('?');
  return star < 0 ? (q < 0 ? v.length : q) : q < 0 ? star : Math.min(star, q);
}

/**
 * A Resource/NotResource entry already covered by another entry of the same list, compared
 * as text with its wildcards (ARNs are case-sensitive): `arn:aws:s3:::logs-*` covers
 * `arn:aws:s3:::logs-*\/*` and `arn:aws:s3:::logs-2026`. Entries with policy variables are
 * left out.
 */
export const redundantResource: Check = {
  id: 'redundant-resource',
  defaultSeverity: 'info',
  summary: 'Resource already covered by another entry or wildcard of the same statement',
  statementLocal: true,
  run(ctx) {
    for (let j = 0; j < ctx.statements.length; j++) {
      const s = ctx.statements[j];
      for (let i = 0; i < RESOURCE_ELEMENTS.length; i++) {
        const name = RESOURCE_ELEMENTS[i];
        const list = s.elements[name]?.value;
        if (list?.type !== 'array' || (list.children?.length ?? 0) < 2 || (list.children?.length ?? 0) > MAX_ENTRIES) continue;
        const entries = statementItems(s, name).filter((e): e is typeof e & { value: string } => e.value !== undefined && !e.value.includes('${'));
        const by = coveredBy(entries.map((e) => e.value));
        entries.forEach((e, j) => {
          if (by[j] < 0) return;
          const other = entries[by[j]];
          const how = other.value === e.value ? 'a duplicate of' : 'already covered by';
          ctx.report(e.node, coveredMessage(e.value, how, other.value, name), {
            fixes: [{ title: `Remove "${e.value}"`, id: 'remove-redundant-resource', isPreferred: true, edits: [removeArrayItemEdit(list, e.node)] }],
            relatedHere: [{ span: { offset: other.node.offset, length: other.node.length }, message: `covered by "${other.value}"` }],
          });
        });
      }
    }
  },
};
