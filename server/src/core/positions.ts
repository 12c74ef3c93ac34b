/** Offsets inside, line/character only here. Characters are UTF-16 code units, as in LSP. */
import { RecentCache } from './recentCache';

export interface Position { line: number; character: number }
export interface LineRange { start: Position; end: Position }

/**
 * A text's lines in a compact form, without the text: each line's length (its line break
 * included), one character each, the last line's too. A length of 0xFFFF or more is the
 * character 0xFFFF then its high and low 16 bits. Lines shorter than 256 characters, as
 * almost all are, make a one-byte string: about a byte a line.
 */
export type PackedLines = string & { readonly packedLines: true };

function startsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** The lines of a text, kept in place of the text where only positions are needed. */
export function packLines(text: string): PackedLines {
  const codes: number[] = [];
  const add = (length: number) => {
    if (length < 0xffff) codes.push(length);
    else codes.push(0xffff, Math.floor(length / 0x10000), length % 0x10000);
  };
  if (text.indexOf('\r') < 0) {
    // Line feeds only, as most files: found by `indexOf` (every file read from disk is packed).
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      add(nl + 1 - start);
      start = nl + 1;
    }
    add(text.length - start);
  } else {
    const starts = startsOf(text);
    for (let i = 0; i < starts.length; i++) add((i + 1 < starts.length ? starts[i + 1] : text.length) - starts[i]);
  }
  let out = '';
  for (let i = 0; i < codes.length; i += 4096) out += String.fromCharCode(...codes.slice(i, i + 4096));
  // One flat string (a string built in parts is a tree of them).
  return (codes.length > 4096 ? JSON.parse(JSON.stringify(out)) : out) as PackedLines;
}

/** The length of the line packed at `i` (see `PackedLines`). */
function packedLength(packed: PackedLines, i: number): number {
  const length = packed.charCodeAt(i);
  return length === 0xffff ? packed.charCodeAt(i + 1) * 0x10000 + packed.charCodeAt(i + 2) : length;
}

/** Where the line packed after the one at `i` is. */
function nextPacked(packed: PackedLines, i: number): number {
  return packed.charCodeAt(i) === 0xffff ? i + 3 : i + 1;
}

function unpackLines(packed: PackedLines): { starts: number[]; length: number } {
  const starts: number[] = [];
  let offset = 0;
  for (let i = 0; i < packed.length; i = nextPacked(packed, i)) {
    starts.push(offset);
    offset += packedLength(packed, i);
  }
  return { starts: starts.length ? starts : [0], length: offset };
}

/** The line (0-based) of an offset, from a text's `packLines`: as `new LineIndex(packed, true).position(offset).line`, without making the index. */
export function packedLineAt(packed: PackedLines, offset: number): number {
  let start = 0;
  for (let line = 0, i = 0; i < packed.length; line++) {
    start += packedLength(packed, i);
    i = nextPacked(packed, i);
    // The last line is the line of every offset past it (an offset is clamped to the text).
    if (start > offset || i >= packed.length) return line;
  }
  return 0;
}

export class LineIndex {
  private readonly starts: number[];
  /** Length of the text. */
  private readonly length: number;

  /** From a text, or from its `packLines` (the same positions without the text). */
  constructor(text: string);
  constructor(packed: PackedLines, isPacked: true);
  constructor(source: string, isPacked = false) {
    if (isPacked) {
      const { starts, length } = unpackLines(source as PackedLines);
      this.starts = starts;
      this.length = length;
    } else {
      this.starts = startsOf(source);
      this.length = source.length;
    }
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }
  offset(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.starts.length) return this.length;
    const lineEnd = pos.line + 1 < this.starts.length ? this.starts[pos.line + 1] : this.length;
    return Math.min(this.starts[pos.line] + Math.max(0, pos.character), lineEnd);
  }
  range(offset: number, length: number): LineRange {
    return { start: this.position(offset), end: this.position(offset + length) };
  }
}

/**
 * The line (0-based) of an offset, as `new LineIndex(text).position(offset).line` gives it,
 * without building the index: for one lookup in a small text, counting is cheaper.
 */
export function lineAt(text: string, offset: number): number {
  const end = Math.max(0, Math.min(offset, text.length));
  let line = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) {
        if (i + 1 >= end) break; // between \r and \n: still the \r's line
        i++;
      }
      line++;
    }
  }
  return line;
}

/** Line indexes of file texts, rebuilt only when the text changes, for the `max` files used last. */
export class LineIndexCache {
  private readonly recent: RecentCache<string, { text: string; packed: boolean; index: LineIndex }>;

  constructor(max = 256) {
    this.recent = new RecentCache(max);
  }

  /** The index of a file's text, or of its `packLines` (`packed`). */
  get(path: string, text: string): LineIndex;
  get(path: string, lines: PackedLines, packed: true): LineIndex;
  get(path: string, text: string, packed = false): LineIndex {
    const e = this.recent.get(path);
    if (e && e.text === text && e.packed === packed) return e.index;
    const index = packed ? new LineIndex(text as PackedLines, true) : new LineIndex(text);
    this.recent.set(path, { text, packed, index });
    return index;
  }

  delete(path: string): void {
    this.recent.delete(path);
  }
}
