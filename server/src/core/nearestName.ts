/**
 * "Did you mean …?" for misspelt names: edit distance with transpositions (so
 * `Decrpyt` is one edit from `Decrypt`), compared case-insensitively.
 */

/** Edit distance (insert, delete, substitute, swap two adjacent characters); stops early past `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n];
}

/** How far a suggestion may be from what was written and still be worth offering. */
export function suggestionLimit(written: string): number {
  return Math.max(2, Math.floor(written.length * 0.4));
}

/**
 * The candidate closest to `written` (case-insensitive), or undefined when none is within
 * `suggestionLimit`. Ties go to the candidate sharing the longest prefix, then to the first.
 */
export function nearestName(written: string, candidates: Iterable<string>, limit = suggestionLimit(written)): string | undefined {
  const w = written.toLowerCase();
  let best: string | undefined;
  let bestDistance = limit + 1;
  let bestPrefix = -1;
  for (const c of candidates) {
    const lc = c.toLowerCase();
    const d = editDistance(w, lc, bestDistance);
    if (d > bestDistance || d > limit) continue;
    const p = commonPrefix(w, lc);
    if (d < bestDistance || p > bestPrefix) {
      best = c;
      bestDistance = d;
      bestPrefix = p;
    }
  }
  return best;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
