/**
 * Whether one IAM wildcard pattern (`kms:*`, `kms:Gen*`, `*`) covers another: every string
 * the second matches, the first matches too. Case-insensitive, as action names are, unless
 * told otherwise (resource ARNs).
 */

import { hasWildcard, matchesWildcard } from '../wildcard';

/** Largest comparison (product of the lengths) computed: a crafted 100 KB pattern costs nothing. */
const MAX_COMPARED_CELLS = 1 << 20;

/** Stand-ins for the covered pattern's wildcards: only a `*` of the covering pattern may absorb them. */
const STAR = '\u0000';
const ONE = '\u0001';

/**
 * True when every string matched by `specific` is matched by `general`. Sound (never claims
 * coverage that does not hold); a `?` of `general` is not taken to cover a `*` of `specific`.
 */
export function patternCovers(general: string, specific: string, ignoreCase = true): boolean {
  // Far longer than any action name: not compared (false is the sound answer).
  if (general.length * specific.length > MAX_COMPARED_CELLS) return false;
  // A plain name is covered when the pattern matches it.
  if (!hasWildcard(specific)) return matchesWildcard(general, specific, ignoreCase);
  const g = ignoreCase ? general.toLowerCase() : general;
  const s = (ignoreCase ? specific.toLowerCase() : specific).replace(/\*/g, STAR).replace(/\?/g, ONE);
  // Dynamic programming over (position in g, position in s); sizes are tiny (action names).
  let prev = new Array<boolean>(s.length + 1).fill(false);
  prev[0] = true;
  for (let j = 1; j <= s.length; j++) prev[j] = false;
  for (let i = 1; i <= g.length; i++) {
    const gc = g[i - 1];
    const cur = new Array<boolean>(s.length + 1).fill(false);
    cur[0] = gc === '*' && prev[0];
    for (let j = 1; j <= s.length; j++) {
      const sc = s[j - 1];
      if (gc === '*') cur[j] = prev[j] || cur[j - 1];
      else if (gc === '?') cur[j] = prev[j - 1] && sc !== STAR;
      else cur[j] = prev[j - 1] && gc === sc;
    }
    prev = cur;
  }
  return prev[s.length];
}
