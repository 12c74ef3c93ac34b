/**
 * Quoted scalars whose continuation lines are indented no deeper than the line they start on.
 *
 * YAML 1.2 (and the `yaml` library) rejects
 *
 *     PolicyDocument: !Sub '{
 *         "Statement": [ … ]
 *     }'
 *
 * because the closing line is not indented past its key. PyYAML, which the AWS CLI, cfn-lint and
 * cfn-flip read templates with, does not check indentation inside quoted scalars, and real
 * templates rely on it. Such a template is read here as those tools read it: each
 * under-indented continuation line is padded to one column past the line the scalar starts on
 * (a quoted scalar folds leading white space away, so its value is unchanged), and the offsets
 * of the padded text map back to the original.
 */

/** Spaces put in at original offsets, in order. */
export interface Padding {
  readonly text: string;
  /** Original offsets where spaces were put in, ascending. */
  readonly at: readonly number[];
  /** How many spaces at each. */
  readonly count: readonly number[];
  /** Where each run of spaces starts in the padded text. */
  readonly paddedAt: readonly number[];
}

/** The padded text, or undefined when no quoted scalar has an under-indented continuation line. */
export function padQuotedContinuations(text: string): Padding | undefined {
  const at: number[] = [];
  const count: number[] = [];
  let quote: '"' | "'" | undefined;
  let quoteIndent = 0;
  let blockIndent = -1;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    let indent = 0;
    while (text.charCodeAt(lineStart + indent) === 32) indent++;
    const blank = lineStart + indent >= lineEnd || text[lineStart + indent] === '\r';
    let i = lineStart + indent;
    if (quote) {
      if (!blank && indent <= quoteIndent) {
        at.push(lineStart);
        count.push(quoteIndent + 1 - indent);
      }
      i = closeQuote(text, i, lineEnd, quote);
      if (i < 0) {
        lineStart = lineEnd + 1;
        continue;
      }
      quote = undefined;
    } else if (blockIndent >= 0) {
      if (blank || indent > blockIndent) {
        lineStart = lineEnd + 1;
        continue;
      }
      blockIndent = -1;
    }
    // Outside a quoted scalar: find where one opens on this line (and whether it closes).
    for (; i < lineEnd; i++) {
      const c = text[i];
      if (c === '#' && (i === lineStart || isBlank(text[i - 1]))) break;
      if ((c === '"' || c === "'") && tokenStart(text, lineStart + indent, i)) {
        const end = closeQuote(text, i + 1, lineEnd, c);
        if (end < 0) {
          quote = c;
          quoteIndent = indent;
          break;
        }
        i = end - 1;
        continue;
      }
      if ((c === '|' || c === '>') && tokenStart(text, lineStart + indent, i) && /^[|>][-+0-9]*[ \t]*(#.*)?\r?$/.test(text.slice(i, lineEnd))) {
        blockIndent = indent;
        break;
      }
    }
    lineStart = lineEnd + 1;
  }
  if (at.length === 0) return undefined;
  let padded = '';
  let from = 0;
  const paddedAt: number[] = [];
  for (let k = 0; k < at.length; k++) {
    padded += text.slice(from, at[k]);
    paddedAt.push(padded.length);
    padded += ' '.repeat(count[k]);
    from = at[k];
  }
  padded += text.slice(from);
  return { text: padded, at, count, paddedAt };
}

/**
 * An offset in the padded text as an offset in the original (inside padding: where it was put
 * in). A binary search: every node of the tree is mapped, and a text may have many padded lines.
 */
export function originalOffset(p: Padding, padded: number): number {
  // The last run of spaces that starts at or before `padded`.
  let lo = 0;
  let hi = p.paddedAt.length - 1;
  let k = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (p.paddedAt[mid] <= padded) {
      k = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (k < 0) return padded;
  const runEnd = p.paddedAt[k] + p.count[k];
  if (padded < runEnd) return p.at[k];
  return padded - (runEnd - p.at[k]);
}

/** The offset just past the closing quote on this line, or -1 when the scalar goes on. */
function closeQuote(text: string, i: number, lineEnd: number, quote: '"' | "'"): number {
  for (; i < lineEnd; i++) {
    const c = text[i];
    if (quote === '"' && c === '\\') {
      i++;
      continue;
    }
    if (c !== quote) continue;
    if (quote === "'" && text[i + 1] === "'") {
      i++;
      continue;
    }
    return i + 1;
  }
  return -1;
}

/** Whether a quote or block indicator at `i` starts a value (not the middle of a plain scalar). */
function tokenStart(text: string, contentStart: number, i: number): boolean {
  if (i === contentStart) return true;
  const prev = text[i - 1];
  if (prev === '[' || prev === '{' || prev === ',') return true;
  if (!isBlank(prev)) return false;
  let j = i - 1;
  while (j >= contentStart && isBlank(text[j])) j--;
  if (j < contentStart) return true;
  const before = text[j];
  if (before === ':' || before === '-' || before === '?' || before === ',' || before === '[' || before === '{') return true;
  // After a tag or an anchor: `!Sub '…`, `&name "…`.
  let k = j;
  while (k >= contentStart && !isBlank(text[k])) k--;
  const word = text[k + 1];
  return word === '!' || word === '&';
}

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}
