/**
 * A copy of a policy document that keeps only some of its statements, for what other files
 * read of it (the workspace's cross-file index). The other statements are left out of the
 * `Statement` array, except the last, which stays as an empty object in its place: a new
 * statement is appended after it. Offsets are those of the original; the copy shares no
 * node with the original parse tree, which can then be collected. (Most identity policies
 * keep no statement at all: their copy is the policy object, its Version and an array of
 * one empty object.) Copies live as long as their file: every node is made in one shape with
 * all its fields (a field added later goes to a separate property store), and string values
 * are flat copies (a slice of the file text would keep the whole text alive).
 */
import type { JsonNode } from '../json/jsonDocument';
import { prop } from '../json/nodes';
import { isIntrinsic, type PolicyDocument } from './policyDocument';
import { detach } from '../strings';

/**
 * `keep`: statement nodes of `doc` (as `readStatements` gives them) whose content the copy
 * holds. `leaveOut`: array items inside them that the copy leaves out too (the workspace
 * leaves out action names of other services: only KMS actions are read from its copies).
 */
/**
 * `text`: when given, the copy holds no text: `json.text` asks it each time it is read (the
 * workspace reads a file's text again instead of keeping it; see `WorkspaceOptions.readText`).
 */
export function compactDocument(doc: PolicyDocument, keep: ReadonlySet<JsonNode>, leaveOut: ReadonlySet<JsonNode> = new Set(), text?: () => string): PolicyDocument {
  const statement = prop(doc.root, 'Statement')?.value;
  // The places a statement can be: items of the Statement array, or the Statement object itself.
  const slots = new Set<JsonNode>(statement?.type === 'array' ? statement.children ?? [] : statement ? [statement] : []);
  const copy = (n: JsonNode, parent: JsonNode | undefined): JsonNode => {
    const c = shell(n, parent);
    if (n.children) {
      const last = n.children[n.children.length - 1];
      // `{"Fn::If": …}` holds statements in its branches: kept whole.
      const dropped = (child: JsonNode) => slots.has(child) && child.type === 'object' && !keep.has(child) && !isIntrinsic(child);
      // Built by `map`, so each array is exactly as long as it needs to be (arrays grown by
      // `push` hold room for 17 entries: most nodes have one or two children).
      c.children = n.children.filter((child) => (child === last || !dropped(child)) && !leaveOut.has(child))
        .map((child) => (dropped(child) ? emptied(child, c) : copy(child, c)));
    }
    return c;
  };
  const root = copy(doc.root, undefined);
  const json = { text: doc.json.text, root, problems: [], ...(doc.json.syntax ? { syntax: doc.json.syntax } : {}) };
  if (text) Object.defineProperty(json, 'text', { get: text, enumerable: true });
  return { ...doc, root, json };
}

function emptied(n: JsonNode, parent: JsonNode): JsonNode {
  const c = shell(n, parent);
  c.children = [];
  return c;
}

/** jsonc-parser's node type is read-only; the copy is built before anyone reads it. */
type MutableNode = { -readonly [K in keyof JsonNode]: JsonNode[K] };

function shell(n: JsonNode, parent: JsonNode | undefined): MutableNode {
  const value = typeof n.value === 'string' ? detach(n.value) : n.value;
  return { type: n.type, offset: n.offset, length: n.length, parent, value, colonOffset: n.colonOffset, children: undefined };
}
