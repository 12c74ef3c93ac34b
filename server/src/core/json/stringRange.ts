/**
 * Spans of parts of a string value (the `kms` of `"kms:Decrypt"`) in the text, through any
 * escapes the literal is written with (a template file's `$${` too). YAML scalars: plain and
 * simply quoted ones part by part, others as a whole.
 */
import type { Span } from '../findings';
import { decodeStringLiteral, type DecodedString } from './embeddedJson';
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
  const map = decoded.text === value ? decoded.map : withoutTemplateEscapes(decoded, value) ?? decoded.map;
  const from = map[Math.min(start, map.length - 1)];
  const to = map[Math.min(end, map.length - 1)];
  return { offset: from, length: Math.max(0, to - from) };
}

/**
 * The map of a string of a file Terraform renders, whose value the reader wrote with each `$${`
 * and `%%{` escape as the `${` and `%{` it stands for: the value's `$` of an escape maps to
 * the first of the two, so a range over `${…}` covers `$${…}` in the file. Undefined when the
 * value is not the literal's text read so.
 */
function withoutTemplateEscapes(d: DecodedString, value: string): Int32Array | undefined {
  const t = d.text;
  const map: number[] = [];
  let read = '';
  for (let k = 0; k < t.length; k++) {
    map.push(d.map[k]);
    read += t[k];
    if ((t[k] === '$' || t[k] === '%') && t[k + 1] === t[k] && t[k + 2] === '{') k++;
  }
  map.push(d.map[t.length]);
  return read === value ? Int32Array.from(map) : undefined;
}
