/**
 * Text edits on statement element values that keep the surrounding formatting: remove one
 * array item with its comma, replace one item by several, replace a value.
 */
import type { JsonNode } from '../json/jsonDocument';

export interface ValueEdit { offset: number; length: number; newText: string }

/** Remove one child of an array or object (an item, or a whole property) together with the comma that separates it. */
export function removeChildEdit(parent: Pick<JsonNode, 'children'>, child: Pick<JsonNode, 'offset' | 'length'>): ValueEdit {
  const siblings = parent.children ?? [];
  const i = siblings.findIndex((c) => c.offset === child.offset);
  const end = child.offset + child.length;
  // Neighbours in the text: a sibling placed elsewhere (a Terraform statement's default Effect,
  // on its block's keyword) separates nothing.
  const prev = i > 0 ? siblings[i - 1] : undefined;
  if (prev && prev.offset + prev.length <= child.offset) {
    const start = prev.offset + prev.length;
    return { offset: start, length: end - start, newText: '' };
  }
  const next = i >= 0 ? siblings[i + 1] : undefined;
  if (next && next.offset >= end) {
    return { offset: child.offset, length: next.offset - child.offset, newText: '' };
  }
  return { offset: child.offset, length: child.length, newText: '' };
}

/** Remove one item of an array together with the comma that separates it. */
export function removeArrayItemEdit(array: JsonNode, item: JsonNode): ValueEdit {
  return removeChildEdit(array, item);
}

/** Remove one property of an object (key, colon and value) together with its comma. */
export function removePropertyEdit(property: JsonNode): ValueEdit {
  return removeChildEdit(property.parent ?? { children: [property] }, property);
}

/** The whitespace that starts the line `offset` is on. */
function indentationAt(text: string, offset: number): string {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  const m = /^[ \t]*/.exec(text.slice(start, offset));
  return m ? m[0] : '';
}

/** Lines longer than this get their new array items one a line. */
const MAX_LINE = 100;

/** Whether an array puts its items on lines of their own. */
function isMultiLine(text: string, array: JsonNode, item: JsonNode): boolean {
  return /[\r\n]/.test(text.slice(array.offset, item.offset));
}

/**
 * The document's indentation step: how much further than its first line the first line
 * indented further is (two spaces when none is). The first line's indentation is a margin
 * every line has: that of a JSON policy in an indented Terraform heredoc (`<<-EOT`), which
 * Terraform strips.
 */
function indentUnit(text: string): string {
  const margin = /^(?:[ \t]*\r?\n)*([ \t]*)/.exec(text)![1];
  const lines = /[\r\n]([ \t]*)\S/g;
  for (let m = lines.exec(text); m; m = lines.exec(text)) {
    if (m[1].length > margin.length && m[1].startsWith(margin)) return m[1].slice(margin.length);
  }
  return '  ';
}

/** Whether the document writes its arrays one item a line (its first array with items does). */
function documentWritesArraysMultiLine(node: JsonNode, text: string): boolean {
  let root = node;
  while (root.parent) root = root.parent;
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'array' && n.children?.length) {
      if (n.offset < n.children[0].offset && isMultiLine(text, n, n.children[0])) return true;
    }
    if (n.children) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  return false;
}

/** The length of the line holding `offset` once `[offset, offset + length)` is replaced by `newText` (its first line). */
function lineLengthWith(text: string, offset: number, length: number, newText: string): number {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  let end = offset + length;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  return offset - start + newText.length + (end - offset - length);
}

/** `[` then the items one a line, indented one step more than the line `offset` is on, then `]`. */
function multiLineArray(text: string, offset: number, items: string[]): string {
  const indent = indentationAt(text, offset);
  const inner = indent + indentUnit(text);
  return `[\n${inner}${items.join(`,\n${inner}`)}\n${indent}]`;
}

/**
 * Replace one array item by several strings, one a line when the array is written so. A
 * one-line array whose line would grow past MAX_LINE is written one item a line (when
 * nothing but commas and spaces stands between its items), unless `wrapLong` is false (a
 * policy held in a JSON string) or the whole document is one line. `write` writes one string
 * (JSON's literal unless told otherwise).
 */
export function replaceArrayItemEdit(text: string, array: JsonNode, item: JsonNode, values: string[], wrapLong = true, write: (v: string) => string = JSON.stringify): ValueEdit {
  if (isMultiLine(text, array, item)) {
    return { offset: item.offset, length: item.length, newText: values.map((v) => write(v)).join(`,\n${indentationAt(text, item.offset)}`) };
  }
  const oneLine: ValueEdit = { offset: item.offset, length: item.length, newText: values.map((v) => write(v)).join(', ') };
  if (!wrapLong || values.length < 2 || !/[\r\n]/.test(text) || lineLengthWith(text, oneLine.offset, oneLine.length, oneLine.newText) <= MAX_LINE) return oneLine;
  const children = array.children ?? [];
  const between = children.slice(1).map((c, i) => text.slice(children[i].offset + children[i].length, c.offset));
  const edges = children.length ? [text.slice(array.offset + 1, children[0].offset), text.slice(children[children.length - 1].offset + children[children.length - 1].length, array.offset + array.length - 1)] : [];
  if (![...between].every((b) => /^\s*,\s*$/.test(b)) || !edges.every((e) => /^\s*$/.test(e))) return oneLine;
  const items = children.flatMap((c) => (c === item ? values.map((v) => write(v)) : [text.slice(c.offset, c.offset + c.length)]));
  return { offset: array.offset, length: array.length, newText: multiLineArray(text, array.offset, items) };
}

/**
 * Replace a value (a string, usually) by a string or an array of strings. With the
 * document's `text`, an array is written one item a line when the document writes its
 * arrays so or when the line would grow past MAX_LINE (`wrapLong`); otherwise on one line.
 */
export function replaceValueEdit(node: JsonNode, value: string | string[], text?: string, wrapLong = true, write: (v: string) => string = JSON.stringify): ValueEdit {
  if (!Array.isArray(value)) return { offset: node.offset, length: node.length, newText: write(value) };
  const items = value.map((v) => write(v));
  const oneLine = `[${items.join(', ')}]`;
  if (text === undefined || items.length < 2) return { offset: node.offset, length: node.length, newText: oneLine };
  // A document written on one line (minified) stays on one line.
  const long = wrapLong && /[\r\n]/.test(text) && lineLengthWith(text, node.offset, node.length, oneLine) > MAX_LINE;
  const newText = long || documentWritesArraysMultiLine(node, text) ? multiLineArray(text, node.offset, items) : oneLine;
  return { offset: node.offset, length: node.length, newText };
}

/**
 * Adds strings after the last entry of a string-or-array element value (a string becomes an
 * array); undefined when the value is neither, or its last entry is not a string.
 */
export function appendValuesEdit(text: string, node: JsonNode | undefined, values: string[], wrapLong = true): ValueEdit | undefined {
  if (node?.type === 'string') return replaceValueEdit(node, [String(node.value), ...values], text, wrapLong);
  if (node?.type !== 'array' || !node.children?.length) return undefined;
  const last = node.children[node.children.length - 1];
  return last.type === 'string' ? replaceArrayItemEdit(text, node, last, [String(last.value), ...values], wrapLong) : undefined;
}
