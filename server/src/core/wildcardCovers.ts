/**
 * Whether one IAM wildcard pattern (`kms:*`, `kms:Gen*`, `*`) covers another: every string
 * the second matches, the first matches too. Case-insensitive, as action names are, unless
 * told otherwise (resource ARNs).
 */

import { hasWildcard, matchesWildcard } from './wildcard';

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
  // `specific` read as plain text is one of the strings it matches (its `*` matching a star):
  // a pattern that does not match that text cannot cover it. The fast glob rules out most pairs.
  if (!matchesWildcard(general, specific, ignoreCase)) return false;
  const g = ignoreCase ? general.toLowerCase() : general;
  const s = (ignoreCase ? specific.toLowerCase() : specific).replace(/\*/g, STAR).replace(/\?/g, ONE);
  // Dynamic programming over (position in g, position in s), two rows reused (no allocation per row).
  const width = s.length + 1;
  if (rows.length < 2 * width) rows = new Uint8Array(2 * width * 2);
  let prev = 0;
  let cur = width;
  rows.fill(0, 0, 2 * width);
  rows[prev] = 1;
  for (let i = 1; i <= g.length; i++) {
    const gc = g[i - 1];
    rows[cur] = gc === '*' && rows[prev] ? 1 : 0;
    for (let j = 1; j <= s.length; j++) {
      const sc = s[j - 1];
      let v: boolean;
      if (gc === '*') v = rows[prev + j] === 1 || rows[cur + j - 1] === 1;
      else if (gc === '?') v = rows[prev + j - 1] === 1 && sc !== STAR;
      else v = rows[prev + j - 1] === 1 && gc === sc;
      rows[cur + j] = v ? 1 : 0;
    }
    const t = prev; prev = cur; cur = t;
  }
  return rows[prev + s.length] === 1;
}

/** The two DP rows, reused across calls (grown when a longer pattern comes). */
let rows = new Uint8Array(512);
