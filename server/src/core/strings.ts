/**
 * A copy of a string that shares no memory with the text it was cut from. V8 keeps a
 * substring of 13 characters or more as a slice of the whole string, so a value read from
 * a file and kept in a long-lived memo would keep the whole file text alive.
 */
export function detach(s: string): string {
  // Shorter strings are always copied. A string parsed from JSON text is a plain, flat copy:
  // a memo key compared with often is then one object, not a slice and its text.
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/**
 * Orders names without the locale: case-insensitively by code point, then by code point. The
 * same order on every machine, and no collator to build (`localeCompare` builds ICU's on its
 * first call, a cost a short CLI run notices).
 */
export function compareNames(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  if (la !== lb) return la < lb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
