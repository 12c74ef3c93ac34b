/**
 * Insertions into JSON objects and arrays that follow the surrounding layout: one property
 * or item a line, indented like its siblings, when the container is written that way;
 * inline otherwise. The rest of the text is left as it is.
 */
import type { JsonNode } from '../json/jsonDocument';
import type { ContainerSpan } from '../findings';
import type { TextEdit } from '../findings';
import { lineBreakOf } from '../strings';

/** The whitespace that starts the line `offset` is on. */
export function lineIndent(text: string, offset: number): string {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  let end = start;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  return text.slice(start, end);
}

function isMultiLine(text: string, node: JsonNode): boolean {
  return /[\r\n]/.test(text.slice(node.offset, node.offset + node.length));
}

/** The indentation step of a container: its children's indent minus its own, or two spaces. */
function indentStep(text: string, container: JsonNode, childIndent: string): string {
  const own = lineIndent(text, container.offset);
  return childIndent.startsWith(own) && childIndent.length > own.length ? childIndent.slice(own.length) : '  ';
}

/** JSON text of a value laid out from `indent` with `step` (multi-line) or on one line. */
export function formatValue(value: unknown, indent: string, step: string, multiLine: boolean, nl: string): string {
  if (!multiLine) return inline(value);
  return JSON.stringify(value, null, step.includes('\t') ? '\t' : step.length).split('\n').join(nl + indent);
}

function inline(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(inline).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v);
    return entries.length ? `{ ${entries.map(([k, x]) => `${JSON.stringify(k)}: ${inline(x)}`).join(', ')} }` : '{}';
  }
  return JSON.stringify(v);
}

/** Add a property at the end of an object (the edit names the object: see ContainerSpan). */
export function insertPropertyEdit(text: string, obj: JsonNode, name: string, value: unknown): TextEdit & { into: ContainerSpan } {
  return { ...insertPropertyText(text, obj, name, value), into: { offset: obj.offset, length: obj.length } };
}

function insertPropertyText(text: string, obj: JsonNode, name: string, value: unknown): TextEdit {
  const props = obj.children ?? [];
  const nl = lineBreakOf(text);
  const multiLine = isMultiLine(text, obj);
  if (props.length === 0) {
    const indent = lineIndent(text, obj.offset);
    const step = '  ';
    const inner = `${JSON.stringify(name)}: ${formatValue(value, indent + step, step, multiLine, nl)}`;
    return { offset: obj.offset, length: obj.length, newText: multiLine ? `{${nl}${indent}${step}${inner}${nl}${indent}}` : `{ ${inner} }` };
  }
  const last = props[props.length - 1];
  const end = last.offset + last.length;
  if (!multiLine) return { offset: end, length: 0, newText: `, ${JSON.stringify(name)}: ${formatValue(value, '', '', false, nl)}` };
  const indent = lineIndent(text, last.offset);
  const step = indentStep(text, obj, indent);
  return { offset: end, length: 0, newText: `,${nl}${indent}${JSON.stringify(name)}: ${formatValue(value, indent, step, true, nl)}` };
}

/** Add an item at the end of an array. */
export function appendItemEdit(text: string, array: JsonNode, value: unknown): TextEdit {
  const children = array.children ?? [];
  const nl = lineBreakOf(text);
  const multiLine = isMultiLine(text, array) || (value !== null && typeof value === 'object' && children.length === 0 && isMultiLine(text, array.parent ?? array));
  if (children.length === 0) {
    const indent = lineIndent(text, array.offset);
    const step = '  ';
    return { offset: array.offset, length: array.length, newText: multiLine ? `[${nl}${indent}${step}${formatValue(value, indent + step, step, true, nl)}${nl}${indent}]` : `[${formatValue(value, '', '', false, nl)}]` };
  }
  const last = children[children.length - 1];
  const end = last.offset + last.length;
  if (!multiLine) return { offset: end, length: 0, newText: `, ${formatValue(value, '', '', false, nl)}` };
  const indent = lineIndent(text, last.offset);
  const step = indentStep(text, array, indent);
  return { offset: end, length: 0, newText: `,${nl}${indent}${formatValue(value, indent, step, true, nl)}` };
}
