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
  if (i > 0) {
    const prev = siblings[i - 1];
    const start = prev.offset + prev.length;
    return { offset: start, length: child.offset + child.length - start, newText: '' };
  }
  if (i === 0 && siblings.length > 1) {
    return { offset: child.offset, length: siblings[1].offset - child.offset, newText: '' };
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
