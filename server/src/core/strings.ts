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

/** A text's line break: `\r\n` when it has one, else `\n`. */
export function lineBreakOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** `s` with each `\n` line break written as `nl` (a `\r\n` stays one). */
export function withLineBreaks(s: string, nl: string): string {
  return nl === '\n' || !s.includes('\n') ? s : s.replace(/\r?\n/g, nl);
}

/**
 * A short signature of a text for telling whether two texts are the same (64 bits of two
 * FNV-1a hashes): kept in place of the text where only equality is asked.
 */
export function signature(s: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  // Four UTF-16 units: a flat string of 8 bytes of content (a longer one built by `+` would be two strings and a pair).
  return String.fromCharCode(a & 0xffff, a >>> 16, b & 0xffff, b >>> 16);
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

/** Only ASCII characters: lower-casing the whole text is then the same as lower-casing each character. */
export function isAscii(s: string): boolean {
  return /^[\x00-\x7f]*$/.test(s);
}
