/**
 * A copy of a policy document that keeps only some of its statements, for what other files
 * read of it (the workspace's cross-file index). The other statements are left out of the
 * `Statement` array, except the last, which stays as an empty object in its place: a new
 * statement is appended after it. Offsets are those of the original; the copy shares no
 * node with the original parse tree, which can then be collected. Copies live as long as their file: every node is made in one shape with
 * all its fields (a field added later goes to a separate property store), and string values
 * are flat copies (a slice of the file text would keep the whole text alive), shared between
 * copies where they are equal (property names, `2012-10-17`, action names and key ARNs repeat
 * across thousands of files).
 *
 * A copy keeps only what the cross-file checks and features read: of the policy object, its
 * place and its Statement property (Version and Id are read by the file's own checks alone);
 * of a kept statement, every element but its Sid. A copy that keeps no statement (an identity
 * policy that grants nothing on KMS) is then five nodes: the policy object, its Statement
 * property (key and array) and the last statement's place, where a new statement goes.
 */
import type { JsonDocument, JsonNode, JsonProblem } from '../json/jsonDocument';
import { prop } from '../json/nodes';
import { isIntrinsic, type PolicyDocument } from './policyDocument';
import { detach } from '../strings';
import { none } from '../arrays';
import { boundedMemo } from '../recentCache';

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
  const statementProperty = prop(doc.root, 'Statement');
  const statement = statementProperty?.value;
  // The places a statement can be: items of the Statement array, or the Statement object itself.
  const slots = new Set<JsonNode>(statement?.type === 'array' ? statement.children ?? [] : statement ? [statement] : []);
  // `{"Fn::If": …}` holds statements in its branches: kept whole.
  const dropped = (child: JsonNode) => slots.has(child) && child.type === 'object' && !keep.has(child) && !isIntrinsic(child);
  const copy = (n: JsonNode, parent: JsonNode | undefined): JsonNode => {
    const c = shell(n, parent);
    if (n.children) {
      const last = n.children[n.children.length - 1];
      const children = n === doc.root && statementProperty ? [statementProperty.property] : keep.has(n) ? n.children.filter((p) => !isSid(p)) : n.children;
      // Built by `map`, so each array is exactly as long as it needs to be (arrays grown by
      // `push` hold room for 17 entries: most nodes have one or two children).
      c.children = children.filter((child) => (child === last || !dropped(child)) && !leaveOut.has(child))
        .map((child) => (dropped(child) ? emptied(child, c) : copy(child, c)));
    }
    return c;
  };
  const root = copy(doc.root, undefined);
  const json: JsonDocument = text ? new RereadJson(root, text, doc.json.syntax) : { text: doc.json.text, root, problems: none(), ...(doc.json.syntax ? { syntax: doc.json.syntax } : {}) };
  return { ...doc, root, json };
}

/**
 * The JSON of a copy that holds no text: its text is read through `read` each time it is
 * asked for. One class, so that every such object has the same small shape (a getter defined
 * on each object made each one a dictionary of its own, about 280 bytes).
 */
class RereadJson implements JsonDocument {
  readonly problems: JsonProblem[] = none();

  constructor(readonly root: JsonNode | undefined, private readonly read: () => string, readonly syntax: JsonDocument['syntax']) {}

  get text(): string {
    return this.read();
  }
}

/** A statement's `Sid` property: no cross-file reader reads an identity statement's Sid. */
function isSid(p: JsonNode): boolean {
  return p.type === 'property' && p.children?.[0]?.value === 'Sid';
}

function emptied(n: JsonNode, parent: JsonNode): JsonNode {
  const c = shell(n, parent);
  c.children = none();
  return c;
}

/** Strings of copies up to this length are shared between copies (longer ones are rarely equal). */
const SHARED_MAX = 128;
/** Distinct shared strings kept; the table starts over when full (sharing is an economy, never needed). */
const SHARED_ENTRIES = 65_536;
const shared = new Map<string, string>();

/** A flat copy of a node's string, the same one for equal strings. */
function sharedString(s: string): string {
  return s.length > SHARED_MAX ? detach(s) : boundedMemo(shared, s, SHARED_ENTRIES, (kept) => kept);
}

/** jsonc-parser's node type is read-only; the copy is built before anyone reads it. */
type MutableNode = { -readonly [K in keyof JsonNode]: JsonNode[K] };

function shell(n: JsonNode, parent: JsonNode | undefined): MutableNode {
  const value = typeof n.value === 'string' ? sharedString(n.value) : n.value;
  return { type: n.type, offset: n.offset, length: n.length, parent, value, colonOffset: n.colonOffset, children: undefined };
}
