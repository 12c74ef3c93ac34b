import type { Check } from './check';
import { patternCovers } from '../model/actionPattern';
import { valueItems } from '../model/policyDocument';
import { removeArrayItemEdit } from '../model/valueEdits';
import { hasWildcard } from '../wildcard';

/** Pattern comparisons allowed per list: a crafted list of thousands of wildcards costs bounded time. */
const MAX_COMPARISONS = 200_000;

/**
 * For each entry, the entries that may cover it, in list order: those equal to it (ignoring
 * case) and the wildcard entries. A plain name covers nothing but itself.
 */
function coveringCandidates(values: string[]): (j: number) => Iterable<number> {
  const wild: number[] = [];
  const same = new Map<string, number[]>();
  values.forEach((v, i) => {
    if (hasWildcard(v)) wild.push(i);
    const key = v.toLowerCase();
    const list = same.get(key);
    if (list) list.push(i);
    else same.set(key, [i]);
  });
  return function* (j) {
    const equal = same.get(values[j].toLowerCase())!;
    // Merge the two ascending lists.
    let a = 0;
    let b = 0;
    let last = -1;
    while (a < equal.length || b < wild.length) {
      const next = b >= wild.length || (a < equal.length && equal[a] < wild[b]) ? equal[a++] : wild[b++];
      if (next === last) continue;
      last = next;
      if (next !== j) yield next;
    }
  };
}

/**
 * An entry of `Action`/`NotAction` already covered by another entry of the same list:
 * an exact duplicate (names are case-insensitive) or a name a wildcard entry matches.
 * Of two entries that cover each other, the later one is reported.
 */
export const redundantAction: Check = {
  id: 'redundant-action',
  defaultSeverity: 'info',
  summary: 'Action already covered by another entry or wildcard of the same statement',
  run(ctx) {
    for (const s of ctx.statements) {
      for (const name of ['Action', 'NotAction'] as const) {
        const list = s.elements[name]?.value;
        if (list?.type !== 'array') continue;
        const entries = valueItems(list).filter((e): e is typeof e & { value: string } => e.value !== undefined);
        const candidates = coveringCandidates(entries.map((e) => e.value));
        let budget = MAX_COMPARISONS;
        for (let j = 0; j < entries.length; j++) {
          const e = entries[j];
          let by: (typeof entries)[number] | undefined;
          for (const i of candidates(j)) {
            if (--budget < 0) break;
            const f = entries[i];
            if (patternCovers(f.value, e.value) && (i < j || !patternCovers(e.value, f.value))) { by = f; break; }
          }
          if (!by) continue;
          const how = by.value.toLowerCase() === e.value.toLowerCase() ? 'a duplicate of' : 'already covered by';
          ctx.report(e.node, `"${e.value}" is ${how} "${by.value}" in this ${name} list.`, {
            fixes: [{ title: `Remove "${e.value}"`, id: 'remove-redundant-action', isPreferred: true, edits: [removeArrayItemEdit(list, e.node)] }],
            relatedHere: [{ span: { offset: by.node.offset, length: by.node.length }, message: `covered by "${by.value}"` }],
          });
        }
      }
    }
  },
};
