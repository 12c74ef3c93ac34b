/**
 * Spans of parts of a string value (the `kms` of `"kms:Decrypt"`) in the text, through any
 * escapes the literal is written with. YAML scalars: plain and simply quoted ones part by
 * part, others as a whole.
 */
import type { Span } from '../findings';
import { decodeStringLiteral } from './embeddedJson';
import type { JsonNode } from './jsonDocument';

/** The span in `text` of characters [start, end) of the string node's value. */
export function valueSpan(text: string, node: JsonNode, start: number, end: number): Span {
  const value = String(node.value);
  const first = text[node.offset];
  const quoted = first === '"' || first === "'";
  if (node.length === value.length + 2 && quoted) return { offset: node.offset + 1 + start, length: end - start };
  // A plain YAML scalar is its value as written.
  if (node.length === value.length && !quoted) return { offset: node.offset + start, length: end - start };
  // Other YAML scalars (escapes, folded or block text): the whole scalar.
  if (first !== '"') return { offset: node.offset, length: node.length };
  const decoded = decodeStringLiteral(text, node.offset, node.length);
  const from = decoded.map[Math.min(start, decoded.map.length - 1)];
  const to = decoded.map[Math.min(end, decoded.map.length - 1)];
  return { offset: from, length: Math.max(0, to - from) };
}
