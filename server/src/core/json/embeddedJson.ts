/**
 * JSON text stored inside a JSON string literal (the `Policy` of `get-key-policy`,
 * URL-encoded documents of older exports). Decodes the literal and keeps, for every
 * decoded character, the offset of its first source character, so ranges found in the
 * decoded text map back into the file, escapes included.
 */

export interface DecodedString {
  text: string;
  /** map[i] = offset in the file of decoded character i; map[text.length] = offset of the closing quote. */
  map: Int32Array;
}

/** Decode the JSON string literal that starts at `literalOffset` (the opening quote) in `source`. */
export function decodeStringLiteral(source: string, literalOffset: number, literalLength: number): DecodedString {
  const end = literalOffset + literalLength - 1; // closing quote
  const chars: string[] = [];
  const offsets: number[] = [];
  let i = literalOffset + 1;
  while (i < end) {
    const c = source[i];
    if (c === '\\' && i + 1 < end) {
      const e = source[i + 1];
      let decoded: string;
      let width = 2;
      switch (e) {
        case 'n': decoded = '\n'; break;
        case 't': decoded = '\t'; break;
        case 'r': decoded = '\r'; break;
        case 'b': decoded = '\b'; break;
        case 'f': decoded = '\f'; break;
        case 'u': {
          const hex = source.slice(i + 2, i + 6);
          decoded = /^[0-9a-fA-F]{4}$/.test(hex) ? String.fromCharCode(parseInt(hex, 16)) : '\uFFFD';
          width = 6;
          break;
        }
        default: decoded = e; // \" \\ \/
      }
      chars.push(decoded);
      offsets.push(i);
      i += width;
    } else {
      chars.push(c);
      offsets.push(i);
      i++;
    }
  }
  offsets.push(end);
  return { text: chars.join(''), map: Int32Array.from(offsets) };
}

/** Map an offset in the decoded text to an offset in the file. */
export function mapDecodedOffset(d: DecodedString, offset: number): number {
  if (offset <= 0) return d.map[0];
  if (offset >= d.map.length) return d.map[d.map.length - 1];
  return d.map[offset];
}

/** Escape text for insertion inside a JSON string literal. */
export function escapeForStringLiteral(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
