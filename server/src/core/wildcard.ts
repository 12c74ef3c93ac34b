/**
 * Glob matching for IAM wildcards (`*` any run, `?` one character), with no regular
 * expressions built from user text and no backtracking.
 *
 * A pattern is cut at its stars into pieces: the first piece must start the text, the last
 * must end it, and each piece between is placed at its first fit after the previous one
 * (the leftmost fit never loses a match). Pieces without `?` are found with `indexOf`, so
 * `a*a*a*…b` against a long text costs about one pass over it. Pieces with `?` are found
 * with a bit-parallel scan, O(text × piece / 32); a scan that would exceed
 * `MAX_SCAN_STEPS` (only strings far longer than any ARN or action reach it) counts as no fit.
 */
export function matchesWildcard(pattern: string, text: string, ignoreCase = false): boolean {
  if (ignoreCase) {
    pattern = pattern.toLowerCase();
    text = text.toLowerCase();
  }
  return globMatch(pattern, text, false);
}

export function hasWildcard(s: string): boolean {
  return s.includes('*') || s.includes('?');
}

/**
 * Whether two wildcard patterns can match a common string (both may contain `*`/`?`).
 * Linear: when both have a star, any middle pieces can be laid side by side, so only the
 * parts before the first star and after the last star have to agree.
 */
export function wildcardsIntersect(a: string, b: string, ignoreCase = false): boolean {
  if (ignoreCase) {
    a = a.toLowerCase();
    b = b.toLowerCase();
  }
  const aStar = a.includes('*');
  const bStar = b.includes('*');
  if (!aStar && !bStar) return a.length === b.length && fits(a, 0, a.length, b, 0, true);
  if (!bStar) return globMatch(a, b, true);
  if (!aStar) return globMatch(b, a, true);
  const head = Math.min(a.indexOf('*'), b.indexOf('*'));
  const tail = Math.min(a.length - a.lastIndexOf('*') - 1, b.length - b.lastIndexOf('*') - 1);
  return fits(a, 0, head, b, 0, true) && fits(a, a.length - tail, tail, b, b.length - tail, true);
}

/** Work allowed for one scan of a `?` piece (text positions × 32-character words). */
export const MAX_SCAN_STEPS = 1 << 24;

/** `text` against `pattern`; with `textWild`, a `?` of the text stands for any character too. */
function globMatch(pattern: string, text: string, textWild: boolean): boolean {
  const first = pattern.indexOf('*');
  if (first < 0) return pattern.length === text.length && fits(pattern, 0, pattern.length, text, 0, textWild);
  const last = pattern.lastIndexOf('*');
  const tailLength = pattern.length - last - 1;
  if (first + tailLength > text.length) return false;
  if (!fits(pattern, 0, first, text, 0, textWild)) return false;
  if (!fits(pattern, last + 1, tailLength, text, text.length - tailLength, textWild)) return false;
  const end = text.length - tailLength;
  const wildText = textWild && text.includes('?');
  let t = first;
  for (let p = first + 1; p < last; ) {
    const q = pattern.indexOf('*', p);
    if (q === p) {
      p++;
      continue;
    }
    const at = findPiece(pattern.slice(p, q), text, t, end, wildText);
    if (at < 0) return false;
    t = at + (q - p);
    p = q + 1;
  }
  return true;
}

/** Whether `length` characters of `pattern` from `p` fit `text` from `t` (`?` fits anything). */
function fits(pattern: string, p: number, length: number, text: string, t: number, textWild: boolean): boolean {
  for (let i = 0; i < length; i++) {
    const pc = pattern.charCodeAt(p + i);
    const tc = text.charCodeAt(t + i);
    if (pc !== tc && pc !== 63 /* ? */ && !(textWild && tc === 63)) return false;
  }
  return true;
}

/** First offset in [from, end - piece.length] where `piece` fits `text`, or -1. */
function findPiece(piece: string, text: string, from: number, end: number, wildText: boolean): number {
  if (from + piece.length > end) return -1;
  if (!wildText && !piece.includes('?')) {
    const at = text.indexOf(piece, from);
    return at >= 0 && at + piece.length <= end ? at : -1;
  }
  return scanPiece(piece, text, from, end, wildText);
}

/**
 * Shift-and scan: bit i of the state says that piece[0..i] fits the text ending here. One
 * pass over the text, a word of state per 32 characters of the piece.
 */
function scanPiece(piece: string, text: string, from: number, end: number, wildText: boolean): number {
  const length = piece.length;
  const words = (length + 31) >>> 5;
  if ((end - from) * words > MAX_SCAN_STEPS) return -1;
  const anyChar = new Int32Array(words);
  const masks = new Map<number, Int32Array>();
  for (let i = 0; i < length; i++) {
    const c = piece.charCodeAt(i);
    const word = i >>> 5;
    const bit = 1 << (i & 31);
    if (c === 63) {
      anyChar[word] |= bit;
      continue;
    }
    let m = masks.get(c);
    if (!m) masks.set(c, (m = new Int32Array(words)));
    m[word] |= bit;
  }
  const state = new Int32Array(words);
  const lastWord = (length - 1) >>> 5;
  const lastBit = 1 << ((length - 1) & 31);
  for (let t = from; t < end; t++) {
    const c = text.charCodeAt(t);
    const everything = wildText && c === 63;
    const m = masks.get(c);
    let carry = 1;
    for (let w = 0; w < words; w++) {
      const s = state[w];
      const allowed = everything ? -1 : (m ? m[w] : 0) | anyChar[w];
      state[w] = ((s << 1) | carry) & allowed;
      carry = s >>> 31;
    }
    if (state[lastWord] & lastBit) return t - length + 1;
  }
  return -1;
}
