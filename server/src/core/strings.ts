/**
 * A copy of a string that shares no memory with the text it was cut from. V8 keeps a
 * substring of 13 characters or more as a slice of the whole string, so a value read from
 * a file and kept in a long-lived memo would keep the whole file text alive.
 */
export function detach(s: string): string {
  // Shorter strings are always copied; a concatenation is flattened into new memory when
  // sliced, and the slice then points into that copy.
  return s.length < 13 ? s : (' ' + s).slice(1);
}
