/**
 * "Did you mean …?" for misspelt names: edit distance with transpositions (so
 * `Decrpyt` is one edit from `Decrypt`), compared case-insensitively.
 */

/** Edit distance (insert, delete, substitute, swap two adjacent characters); stops early past `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  const w = n + 1;
  // Three rows of one reused buffer (suggestions compare one name with hundreds).
  if (rows.length < 3 * w) rows = new Int32Array(6 * w);
  let prev2 = 0;
  let prev = w;
  let cur = 2 * w;
  for (let j = 0; j <= n; j++) {
    rows[prev2 + j] = 0;
    rows[prev + j] = j;
    rows[cur + j] = 0;
  }
  for (let i = 1; i <= a.length; i++) {
    const ai = a.charCodeAt(i - 1);
    const before = i > 1 ? a.charCodeAt(i - 2) : -1;
    rows[cur] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1);
      let d = Math.min(rows[prev + j] + 1, rows[cur + j - 1] + 1, rows[prev + j - 1] + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && before === bj) d = Math.min(d, rows[prev2 + j - 2] + 1);
      rows[cur + j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return rows[prev + n];
}

let rows = new Int32Array(192);

/** How far a suggestion may be from what was written and still be worth offering. */
export function suggestionLimit(written: string): number {
  return Math.max(2, Math.floor(written.length * 0.4));
}

/**
 * How far a name that a fix writes in place of an AWS name (an action, a condition key) may be:
 * a typo, not other words (`HeadBucket` is not `CreateBucket`, `aws:PrincipalOrgMasterAccountId`
 * is not `aws:PrincipalAccount`): writing such a name would grant or test something else.
 */
export function typoLimit(written: string): number {
  return Math.max(2, Math.floor(written.length * 0.25));
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
