/** Offsets inside, line/character only here. Characters are UTF-16 code units, as in LSP. */
import { RecentCache } from './recentCache';

export interface Position { line: number; character: number }
export interface LineRange { start: Position; end: Position }

/**
 * A text's line starts in a compact form, without the text: the offset of every line's start,
 * then the text's length. 16-bit entries when the text is shorter than 64 KB.
 */
export type LineStarts = Uint16Array | Uint32Array;

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

/** The line starts of a text, kept in place of the text where only positions are needed. */
export function lineStarts(text: string): LineStarts {
  const starts = startsOf(text);
  const out = text.length < 0x10000 ? new Uint16Array(starts.length + 1) : new Uint32Array(starts.length + 1);
  out.set(starts);
  out[starts.length] = text.length;
  return out;
}

export class LineIndex {
  private readonly starts: ArrayLike<number>;
  /** Number of lines. */
  private readonly lines: number;
  /** Length of the text. */
  private readonly length: number;

  /** From a text, or from its `lineStarts` (the same positions without the text). */
  constructor(source: string | LineStarts) {
    if (typeof source === 'string') {
      const starts = startsOf(source);
      this.starts = starts;
      this.lines = starts.length;
      this.length = source.length;
    } else {
      this.starts = source;
      this.lines = source.length - 1;
      this.length = source[source.length - 1];
    }
  }
  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.length));
    let lo = 0;
    let hi = this.lines - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }
  offset(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.lines) return this.length;
    const lineEnd = pos.line + 1 < this.lines ? this.starts[pos.line + 1] : this.length;
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
  private readonly recent: RecentCache<string, { text: string; index: LineIndex }>;

  constructor(max = 256) {
    this.recent = new RecentCache(max);
  }

  get(path: string, text: string): LineIndex {
    const e = this.recent.get(path);
    if (e && e.text === text) return e.index;
    const index = new LineIndex(text);
    this.recent.set(path, { text, index });
    return index;
  }

  delete(path: string): void {
    this.recent.delete(path);
  }
}
