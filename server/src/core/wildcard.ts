/**
 * Glob matching for IAM wildcards (`*` any run, `?` one character). Greedy with a single
 * backtrack point: O(n·m) at worst, never exponential, no regular expressions built
 * from user text.
 */
export function matchesWildcard(pattern: string, text: string, ignoreCase = false): boolean {
  if (ignoreCase) {
    pattern = pattern.toLowerCase();
    text = text.toLowerCase();
  }
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    const pc = pattern.charCodeAt(p);
    if (p < pattern.length && (pc === 63 /* ? */ || pc === text.charCodeAt(t))) {
      p++;
      t++;
    } else if (p < pattern.length && pc === 42 /* * */) {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === 42) p++;
  return p === pattern.length;
}

export function hasWildcard(s: string): boolean {
  return s.includes('*') || s.includes('?');
}

/**
 * Whether two wildcard patterns can match a common string (both may contain `*`/`?`).
 * Memoised over positions: O(n·m).
 */
export function wildcardsIntersect(a: string, b: string, ignoreCase = false): boolean {
  if (ignoreCase) {
    a = a.toLowerCase();
    b = b.toLowerCase();
  }
  if (!hasWildcard(a)) return matchesWildcard(b, a);
  if (!hasWildcard(b)) return matchesWildcard(a, b);
  const n = a.length;
  const m = b.length;
  const seen = new Uint8Array((n + 1) * (m + 1)); // 0 unknown, 1 false, 2 true
  const stack: [number, number][] = [[0, 0]];
  // Iterative reachability over (i, j) states: reaching (n, m) means a common string exists.
  while (stack.length) {
    const [i, j] = stack.pop()!;
    const k = i * (m + 1) + j;
    if (seen[k]) continue;
    seen[k] = 1;
    if (i === n && j === m) return true;
    const ca = i < n ? a[i] : undefined;
    const cb = j < m ? b[j] : undefined;
    if (ca === '*') { stack.push([i + 1, j]); if (j < m) stack.push([i, j + 1]); }
    if (cb === '*') { stack.push([i, j + 1]); if (i < n && ca !== '*') stack.push([i + 1, j]); }
    if (ca !== undefined && cb !== undefined && ca !== '*' && cb !== '*' && (ca === cb || ca === '?' || cb === '?')) stack.push([i + 1, j + 1]);
  }
  return false;
}
