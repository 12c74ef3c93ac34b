/**
 * Text edits on statement element values that keep the surrounding formatting: remove one
 * array item with its comma, replace one item by several, replace a value.
 */
import type { JsonNode } from '../json/jsonDocument';

export interface ValueEdit { offset: number; length: number; newText: string }

/** Remove one item of an array together with the comma that separates it. */
export function removeArrayItemEdit(array: JsonNode, item: JsonNode): ValueEdit {
  const siblings = array.children ?? [];
  const i = siblings.findIndex((c) => c.offset === item.offset);
  if (i > 0) {
    const prev = siblings[i - 1];
    const start = prev.offset + prev.length;
    return { offset: start, length: item.offset + item.length - start, newText: '' };
  }
  if (i === 0 && siblings.length > 1) {
    return { offset: item.offset, length: siblings[1].offset - item.offset, newText: '' };
  }
  return { offset: item.offset, length: item.length, newText: '' };
}

/** The whitespace that starts the line `offset` is on. */
function indentationAt(text: string, offset: number): string {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  const m = /^[ \t]*/.exec(text.slice(start, offset));
  return m ? m[0] : '';
}

/** Whether an array puts its items on lines of their own. */
function isMultiLine(text: string, array: JsonNode, item: JsonNode): boolean {
  return /[\r\n]/.test(text.slice(array.offset, item.offset));
}

/** Replace one array item by several strings, one a line when the array is written so. */
export function replaceArrayItemEdit(text: string, array: JsonNode, item: JsonNode, values: string[]): ValueEdit {
  const separator = isMultiLine(text, array, item) ? `,\n${indentationAt(text, item.offset)}` : ', ';
  return { offset: item.offset, length: item.length, newText: values.map((v) => JSON.stringify(v)).join(separator) };
}

/** Replace a value (a string, usually) by a string or an array of strings on one line. */
export function replaceValueEdit(node: JsonNode, value: string | string[]): ValueEdit {
  const newText = Array.isArray(value) ? `[${value.map((v) => JSON.stringify(v)).join(', ')}]` : JSON.stringify(value);
  return { offset: node.offset, length: node.length, newText };
}
