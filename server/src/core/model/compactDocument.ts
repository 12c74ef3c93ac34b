/**
 * A copy of a policy document that keeps only some of its statements, for what other files
 * read of it (the workspace's cross-file index). Every other statement becomes an empty
 * object in the same place, so offsets, statement positions and the layout of the
 * `Statement` array are those of the original; the copy shares no node with the original
 * parse tree, which can then be collected.
 */
import type { JsonNode } from '../json/jsonDocument';
import { prop } from '../json/nodes';
import { isIntrinsic, type PolicyDocument } from './policyDocument';

/** `keep`: statement nodes of `doc` (as `readStatements` gives them) whose content the copy holds. */
export function compactDocument(doc: PolicyDocument, keep: ReadonlySet<JsonNode>): PolicyDocument {
  const statement = prop(doc.root, 'Statement')?.value;
  // The places a statement can be: items of the Statement array, or the Statement object itself.
  const slots = new Set<JsonNode>(statement?.type === 'array' ? statement.children ?? [] : statement ? [statement] : []);
  const copy = (n: JsonNode, parent: JsonNode | undefined): JsonNode => {
    const c = shell(n, parent);
    if (n.children) {
      c.children = n.children.map((child) => {
        // `{"Fn::If": …}` holds statements in its branches: kept whole.
        if (slots.has(child) && child.type === 'object' && !keep.has(child) && !isIntrinsic(child)) return { ...shell(child, c), children: [] };
        return copy(child, c);
      });
    }
    return c;
  };
  const root = copy(doc.root, undefined);
  return { ...doc, root, json: { text: doc.json.text, root, problems: [] } };
}

/** jsonc-parser's node type is read-only; the copy is built before anyone reads it. */
type MutableNode = { -readonly [K in keyof JsonNode]: JsonNode[K] };

function shell(n: JsonNode, parent: JsonNode | undefined): MutableNode {
  const c: MutableNode = { type: n.type, offset: n.offset, length: n.length, parent };
  if (n.value !== undefined) c.value = n.value;
  if (n.colonOffset !== undefined) c.colonOffset = n.colonOffset;
  return c;
}
