/**
 * Where a file offset falls in the policy documents of a file: which document, the
 * offset in that document's own text (policies embedded in a JSON string are mapped
 * back through their escapes), the JSON node there, and its place in the policy
 * (statement, path of element names, property name or value).
 */
import { findNodeAtOffset } from 'jsonc-parser';
import type { Span } from '../findings';
import type { JsonNode } from '../json/jsonDocument';
import { readStatements, type PolicyDocument, type Statement } from '../model/policyDocument';
import type { DiscoveredFile } from '../sources/discoveredFile';
import type { Workspace } from '../workspace/workspace';

export interface DocumentOffset {
  doc: PolicyDocument;
  /** The offset in `doc.json.text`. */
  offset: number;
}

function docEnd(doc: PolicyDocument): number {
  return doc.root.offset + doc.root.length;
}

/**
 * The document offset whose file offset is the greatest one not after `fileOffset`
 * (`toFileOffset` never decreases), or undefined when the document cannot be mapped
 * character by character (every offset maps to one place).
 */
export function toDocumentOffset(doc: PolicyDocument, fileOffset: number): number | undefined {
  const first = doc.root.offset;
  const last = docEnd(doc);
  if (last > first && doc.toFileOffset(first) === doc.toFileOffset(last)) return undefined;
  if (fileOffset < doc.toFileOffset(first) || fileOffset > doc.toFileOffset(last)) return undefined;
  let lo = first;
  let hi = last;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (doc.toFileOffset(mid) <= fileOffset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The innermost policy document of the file that contains the file offset (its end included). */
export function documentAt(ws: Workspace, path: string, fileOffset: number): DocumentOffset | undefined {
  const found = ws.discovered(path);
  return found && documentIn(found, fileOffset);
}

/** The innermost policy document of what reading a file gave that contains the file offset. */
export function documentIn(found: DiscoveredFile, fileOffset: number): DocumentOffset | undefined {
  let best: DocumentOffset | undefined;
  let bestSize = Infinity;
  for (const doc of found.documents) {
    const offset = toDocumentOffset(doc, fileOffset);
    if (offset === undefined) continue;
    const size = doc.toFileOffset(docEnd(doc)) - doc.toFileOffset(doc.root.offset);
    if (size < bestSize) {
      best = { doc, offset };
      bestSize = size;
    }
  }
  return best;
}

/** A span of the document's text as a span of the file. */
export function fileSpan(doc: PolicyDocument, offset: number, length: number): Span {
  const start = doc.toFileOffset(offset);
  const end = doc.toFileOffset(offset + length);
  return { offset: start, length: Math.max(0, end - start) };
}

export interface NodeContext {
  doc: PolicyDocument;
  node: JsonNode;
  /** The statement the node is in, if any. */
  statement?: Statement;
  /**
   * Property names and array indices from the statement (or from the policy object when
   * outside every statement) down to the node. For a property name, its last entry is that name.
   */
  path: (string | number)[];
  /** The node is a property name (not a value). */
  isKey: boolean;
}

export function isPropertyKey(node: JsonNode): boolean {
  return node.parent?.type === 'property' && node.parent.children?.[0] === node;
}

/** Where a node of the document sits in the policy; undefined when it is outside the policy object. */
export function nodeContext(doc: PolicyDocument, node: JsonNode): NodeContext | undefined {
  const statements = readStatements(doc.root);
  const byNode = new Map(statements.map((s) => [s.node, s]));
  const path: (string | number)[] = [];
  const isKey = isPropertyKey(node);
  let current: JsonNode = node;
  if (isKey) {
    path.unshift(String(node.value));
    current = node.parent!;
  }
  for (;;) {
    const statement = byNode.get(current);
    if (statement) return { doc, node, statement, path, isKey };
    if (current === doc.root) return { doc, node, path, isKey };
    const parent: JsonNode | undefined = current.parent;
    if (!parent) return undefined;
    if (parent.type === 'property') {
      const key = parent.children?.[0];
      if (key && key !== current) path.unshift(String(key.value));
    } else if (parent.type === 'array') {
      path.unshift(parent.children?.indexOf(current) ?? 0);
    }
    current = parent;
  }
}

/** The string node, property name or value, that the offset is inside (quotes excluded, end of an unterminated string included). */
export function stringAt(doc: PolicyDocument, offset: number): JsonNode | undefined {
  const node = findNodeAtOffset(doc.root, offset, true);
  if (!node || node.type !== 'string') return undefined;
  // A plain YAML scalar has no quotes: its first character is inside it already.
  if (offset < node.offset || (offset === node.offset && isQuoted(doc, node))) return undefined;
  if (isTerminated(doc, node) && offset >= node.offset + node.length) return undefined;
  return node;
}

/** Whether a string node's text starts with a quote (always in JSON; not for plain or block YAML scalars). */
export function isQuoted(doc: PolicyDocument, node: JsonNode): boolean {
  if (doc.json.syntax !== 'yaml') return true;
  const c = doc.json.text[node.offset];
  return c === '"' || c === "'";
}

/** Whether a string node ends with its closing quote (not cut off by the end of a line). */
export function isTerminated(doc: PolicyDocument, node: JsonNode): boolean {
  if (node.length < 2 || !isQuoted(doc, node)) return false;
  const text = doc.json.text;
  const end = node.offset + node.length - 1;
  // YAML's single-quoted scalars end with `'` (`''` inside is an escaped quote; the reader checked the text).
  if (doc.json.syntax === 'yaml' && text[node.offset] === "'") return text[end] === "'";
  if (text[end] !== '"') return false;
  let backslashes = 0;
  for (let i = end - 1; i > node.offset && text[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 0;
}

/** The content of a string node: from after the opening quote to before the closing quote (or the end of the node); a plain YAML scalar's whole text. */
export function contentSpan(doc: PolicyDocument, node: JsonNode): { offset: number; end: number } {
  if (!isQuoted(doc, node)) return { offset: node.offset, end: node.offset + node.length };
  const offset = node.offset + 1;
  const end = isTerminated(doc, node) ? node.offset + node.length - 1 : node.offset + node.length;
  return { offset, end: Math.max(offset, end) };
}
