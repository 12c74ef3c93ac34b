/**
 * The value of one YAML string scalar with, for every character of the value, the offset in
 * the file of the text it comes from, so ranges found in the value (a policy written as JSON
 * text in a template) land on the characters of the file:
 * - single-quoted: `''` is one quote;
 * - double-quoted: escapes (`\"`, `\n`, `\u0041`, …) map to their backslash, an escaped line
 *   break joins the lines;
 * - plain and quoted scalars over several lines: a line break with the white space around it
 *   folds to one space (mapped to the line break), each empty line to a newline;
 * - literal block scalars (`|`): each line without its indentation, line breaks kept;
 * - folded block scalars (`>`): the same, except that a line break between two text lines
 *   indented alike folds to a space (mapped to the line break); empty lines between them are
 *   newlines, and lines indented further keep the breaks around them;
 * - block scalars of either kind end as their chomping indicator says (`-` strip, `+` keep).
 * The decoded value is compared with the value the YAML parser read: when they differ (a form
 * not handled here), there is no map.
 */
import type { DecodedString } from '../json/embeddedJson';

const DOUBLE_ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};
const HEX_WIDTH: Record<string, number> = { x: 2, u: 4, U: 8 };

/**
 * Decode the scalar written at `text[offset, offset + length)` (quotes included) whose parsed
 * value is `value`; undefined when the scalar's form is not one decoded here or the result differs.
 */
export function decodeYamlScalar(text: string, offset: number, length: number, value: string): DecodedString | undefined {
  const first = text[offset];
  let decoded: DecodedString | undefined;
  if (first === "'" || first === '"') {
    if (length < 2 || text[offset + length - 1] !== first) return undefined;
    decoded = flow(text, offset + 1, offset + length - 1, first);
  } else if (first === '|' || first === '>') {
    decoded = blockScalar(text, offset, blockEnd(text, offset, offset + length), first === '>');
  } else {
    decoded = flow(text, offset, offset + length, '');
  }
  return decoded && decoded.text === value ? decoded : undefined;
}

const isBlank = (c: string | undefined) => c === ' ' || c === '\t';

/**
 * A block scalar's node ends at its last character other than white space; its value may go on
 * with trailing spaces and (kept) empty lines: its end is the last line break before the next
 * text or the end of the text.
 */
function blockEnd(text: string, start: number, end: number): number {
  while (end > start && (isBlank(text[end - 1]) || isBreak(text[end - 1]))) end--;
  let j = end;
  while (j < text.length && (isBlank(text[j]) || isBreak(text[j]))) j++;
  // The last line break ends the last line: white space after it (at the end of the text too) is no line.
  const lastBreak = text.lastIndexOf('\n', j - 1);
  return lastBreak >= end ? lastBreak : j === text.length ? j : end;
}
const isBreak = (c: string | undefined) => c === '\n' || c === '\r';

/** Plain (`quote` empty), single- or double-quoted text between `from` and `to`. */
function flow(text: string, from: number, to: number, quote: string): DecodedString {
  const chars: string[] = [];
  const offsets: number[] = [];
  const emit = (s: string, at: number) => { chars.push(s); offsets.push(at); };
  /** Past the line break at `i` (`\r\n` is one). */
  const pastBreak = (i: number) => (text[i] === '\r' && text[i + 1] === '\n' ? i + 2 : i + 1);
  let i = from;
  while (i < to) {
    const c = text[i];
    if (isBlank(c)) {
      // White space before a line break is not part of the value.
      let j = i;
      while (j < to && isBlank(text[j])) j++;
      if (j < to && isBreak(text[j])) { i = j; continue; }
      for (; i < j; i++) emit(text[i], i);
      continue;
    }
    if (isBreak(c)) {
      // A line break folds to a space; each following empty line is a newline instead.
      const at = i;
      let j = pastBreak(i);
      let empty = 0;
      for (;;) {
        while (j < to && isBlank(text[j])) j++;
        if (j < to && isBreak(text[j])) { empty++; j = pastBreak(j); continue; }
        break;
      }
      if (empty === 0) emit(' ', at);
      else for (let k = 0; k < empty; k++) emit('\n', at);
      i = j;
      continue;
    }
    if (quote === "'" && c === "'" && text[i + 1] === "'") { emit("'", i); i += 2; continue; }
    if (quote === '"' && c === '\\') {
      const e = text[i + 1];
      if (isBreak(e)) {
        // An escaped line break: the lines join, without the next line's indentation.
        let j = pastBreak(i + 1);
        while (j < to && isBlank(text[j])) j++;
        i = j;
        continue;
      }
      const width = HEX_WIDTH[e];
      if (width !== undefined) {
        const hex = text.slice(i + 2, i + 2 + width);
        const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === width ? parseInt(hex, 16) : NaN;
        const s = Number.isNaN(code) || code > 0x10ffff ? '\uFFFD' : String.fromCodePoint(code);
        for (let k = 0; k < s.length; k++) emit(s[k], i);
        i += 2 + width;
        continue;
      }
      emit(DOUBLE_ESCAPES[e] ?? e, i);
      i += 2;
      continue;
    }
    emit(c, i);
    i++;
  }
  offsets.push(to);
  return { text: chars.join(''), map: Int32Array.from(offsets) };
}

/**
 * A block scalar (`|`, `>`, with chomping and indentation indicators: `|-`, `>+`, `|2`) from
 * its indicator to its end; `folded` for `>`.
 */
function blockScalar(text: string, from: number, to: number, folded: boolean): DecodedString | undefined {
  const headerEnd = text.indexOf('\n', from);
  if (headerEnd < 0 || headerEnd >= to) return undefined;
  const header = /^[|>]([1-9]?)([+-]?)([1-9]?)\s*(#.*)?\r?$/.exec(text.slice(from, headerEnd));
  if (!header) return undefined;
  const explicit = Number(header[1] || header[3] || 0);
  const chomp = header[2];
  // The lines of the block, with their offsets.
  const lines: { start: number; end: number }[] = [];
  for (let s = headerEnd + 1; s <= to;) {
    let e = text.indexOf('\n', s);
    if (e < 0 || e > to) e = to;
    lines.push({ start: s, end: e > s && text[e - 1] === '\r' ? e - 1 : e });
    s = e + 1;
  }
  let indent = 0;
  if (explicit) {
    // Relative to the indentation of the line that holds the indicator.
    const lineStart = text.lastIndexOf('\n', from - 1) + 1;
    let own = 0;
    while (text[lineStart + own] === ' ') own++;
    indent = own + explicit;
  } else {
    const firstFull = lines.find((l) => text.slice(l.start, l.end).trim() !== '');
    if (!firstFull) return undefined;
    while (text[firstFull.start + indent] === ' ') indent++;
  }
  const chars: string[] = [];
  const offsets: number[] = [];
  /** The previous text line: whether it was indented further; undefined before the first one. */
  let previous: { spaced: boolean; breakAt: number } | undefined;
  /** Empty lines since the previous text line, by the offset of their line break. */
  let empty: number[] = [];
  for (let j = 0; j < lines.length; j++) {
    const l = lines[j];
    const start = l.start + Math.min(indent, l.end - l.start);
    const blank = start >= l.end;
    if (folded && blank) { empty.push(l.end); continue; }
    if (folded) {
      const spaced = isBlank(text[start]);
      if (previous) {
        // Between two text lines indented alike, the break folds: to a space, or away before empty lines.
        if (previous.spaced || spaced || empty.length === 0) { chars.push(empty.length === 0 && !previous.spaced && !spaced ? ' ' : '\n'); offsets.push(previous.breakAt); }
      }
      for (let i = 0; i < empty.length; i++) {
        const at = empty[i]; chars.push('\n'); offsets.push(at); }
      empty = [];
      previous = { spaced, breakAt: l.end };
      for (let k = start; k < l.end; k++) { chars.push(text[k]); offsets.push(k); }
      continue;
    }
    for (let k = start; k < l.end; k++) { chars.push(text[k]); offsets.push(k); }
    chars.push('\n');
    offsets.push(l.end);
  }
  if (folded && previous) {
    // The last text line's break and the empty lines after it, for chomping.
    chars.push('\n');
    offsets.push(previous.breakAt);
    for (let i = 0; i < empty.length; i++) {
      const at = empty[i]; chars.push('\n'); offsets.push(at); }
  }
  // Chomping: `-` keeps no final line break, clip one, `+` all of them.
  let n = chars.length;
  while (n > 0 && chars[n - 1] === '\n') n--;
  const keep = chomp === '+' ? chars.length : chomp === '-' ? n : Math.min(chars.length, n + 1);
  const map = offsets.slice(0, keep);
  map.push(keep < offsets.length ? offsets[keep] : to);
  return { text: chars.slice(0, keep).join(''), map: Int32Array.from(map) };
}
