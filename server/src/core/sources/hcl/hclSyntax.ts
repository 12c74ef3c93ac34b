/**
 * The HCL syntax tree the Terraform reader works on. The core does not load the parser (a
 * WebAssembly grammar, loaded asynchronously): the adapters load it once at start-up and hand
 * the core a synchronous parse function with `setHclParser`. Without one, `.tf` files give no
 * documents and no findings.
 *
 * The parser's tree is copied into plain nodes at once and freed: nothing downstream holds
 * parser memory. It is copied through a flat form (`flattenHcl`), which is also what a parse
 * function may return instead of the parser's tree: the CLI parses in a worker thread and
 * hands the flat trees over. Offsets are UTF-16 offsets into the text (the parser is given
 * the JS string).
 */

/**
 * What the reader needs of a parser's tree (web-tree-sitter's `Tree` has it): a cursor over
 * its nodes, whether any node is an error or missing, and the grammar's node types. The tree
 * is copied with the cursor, a few calls into the parser per node, rather than through node
 * objects, each of which the parser's binding makes and fills with several more calls.
 */
export interface HclParserTree {
  readonly rootNode: { readonly hasError: boolean };
  readonly language: HclParserLanguage;
  walk(): HclParserCursor;
  delete(): void;
}

/** The grammar: node type names by type id, and whether a type is named (not punctuation or a keyword). */
export interface HclParserLanguage {
  readonly types: readonly string[];
  nodeTypeIsNamed(typeId: number): boolean;
}

/** A cursor at one node of the tree, moved from node to node. */
export interface HclParserCursor {
  readonly nodeTypeId: number;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly nodeIsNamed: boolean;
  readonly nodeIsMissing: boolean;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  delete(): void;
}

/**
 * A parsed tree as numbers (`flattenHcl`), for a tree parsed in another thread and handed over
 * as one buffer: `NODE_FIELDS` numbers per node, depth first (a node, then its children's
 * subtrees in order): type id, start, end, flags (`NAMED`, `BROKEN`: the node or one below it
 * is an ERROR or MISSING node, or nesting was cut there), number of children.
 */
export interface HclFlatTree {
  /** The grammar's node type names by type id. */
  readonly types: readonly string[];
  readonly nodes: Int32Array;
  /** How many numbers of `nodes` hold the tree (the buffer may be longer). */
  readonly length: number;
}

export const NODE_FIELDS = 5;
export const NAMED = 1;
export const BROKEN = 2;

/** Parses HCL text synchronously, as the parser's tree or already flattened; null when the parser gave up. */
export type HclParse = (text: string) => HclParserTree | HclFlatTree | null;

/** A node of the copied tree. */
export interface HclNode {
  type: string;
  start: number;
  end: number;
  named: boolean;
  children: HclNode[];
  /** The node or one below it is an ERROR or MISSING node: the text there is not valid HCL yet. */
  broken: boolean;
}

let parser: HclParse | undefined;

/** Set (or clear) the parser the core reads `.tf` files with. Called by the adapters at start-up. */
export function setHclParser(parse: HclParse | undefined): void {
  parser = parse;
}

export function hasHclParser(): boolean {
  return parser !== undefined;
}

/** Deepest nesting copied; anything deeper is cut off and counts as broken. */
const MAX_DEPTH = 512;

/** Parse `text` into plain nodes; undefined when no parser is set or it gave up. */
export function parseHcl(text: string): HclNode | undefined {
  if (!parser) return undefined;
  let tree: HclParserTree | HclFlatTree | null;
  try {
    tree = parser(text);
  } catch {
    return undefined;
  }
  if (!tree) return undefined;
  if ('nodes' in tree) return unflatten(tree);
  try {
    return unflatten({ types: tree.language.types, ...flattenHcl(tree) });
  } finally {
    tree.delete();
  }
}

/** Whether each node type of a grammar is named, asked of the parser once per type. */
const namedTypes = new WeakMap<HclParserLanguage, (boolean | undefined)[]>();

/**
 * The parser's tree as numbers (see `HclFlatTree`), walked with one cursor, depth first. A
 * tree without errors has no ERROR or MISSING node, and its nodes are named as their types
 * are; a tree with errors is asked of each node (an error node's children may be named
 * otherwise). Nesting deeper than `MAX_DEPTH` is cut off and counts as broken.
 *
 * Each call on the cursor writes the cursor into the parser's memory first, so the calls per
 * node are kept few. In a tree without errors, a node below the root spans its children, from
 * the first one's start to the last one's end (the parser leaves trailing whitespace and
 * comments out of a node), so only the leaves' offsets are asked for. The root holds the
 * file's leading and trailing whitespace and comments, and error recovery may put them at the
 * edge of an ERROR node: the root, and every node of a tree with errors, is asked.
 */
export function flattenHcl(tree: HclParserTree): { nodes: Int32Array; length: number } {
  const cursor = tree.walk();
  try {
    const language = tree.language;
    const types = language.types;
    let named = namedTypes.get(language);
    if (!named) namedTypes.set(language, (named = []));
    const errors = tree.rootNode.hasError;
    let nodes = new Int32Array(NODE_FIELDS * 256);
    let length = 0;
    /** Writes the cursor's node, without its offsets; its place in `nodes`. */
    const here = (): number => {
      if (length + NODE_FIELDS > nodes.length) {
        const grown = new Int32Array(nodes.length * 2);
        grown.set(nodes);
        nodes = grown;
      }
      const id = cursor.nodeTypeId;
      const at = length;
      let isNamed: boolean;
      if (errors) isNamed = cursor.nodeIsNamed;
      else isNamed = named![id] ??= language.nodeTypeIsNamed(id);
      const broken = !types[id] || types[id] === 'ERROR' || (errors && cursor.nodeIsMissing);
      nodes[at] = id;
      nodes[at + 3] = (isNamed ? NAMED : 0) | (broken ? BROKEN : 0);
      nodes[at + 4] = 0;
      length += NODE_FIELDS;
      return at;
    };
    /** Writes the offsets of the cursor's node at `at`. */
    const offsets = (at: number) => {
      nodes[at + 1] = cursor.startIndex;
      nodes[at + 2] = cursor.endIndex;
    };
    const root = here();
    offsets(root);
    // The places of the nodes the cursor is below, the root first; the last one is the current node's parent.
    const above: number[] = [root];
    if (!cursor.gotoFirstChild()) return { nodes, length };
    for (;;) {
      const node = here();
      const parent = above[above.length - 1];
      nodes[parent + 4]++;
      if (errors) offsets(node);
      if (above.length > MAX_DEPTH) nodes[node + 3] |= BROKEN;
      else if (cursor.gotoFirstChild()) {
        above.push(node);
        continue;
      }
      if (!errors) offsets(node);
      if (nodes[node + 3] & BROKEN) nodes[parent + 3] |= BROKEN;
      // The node whose subtree was written last: the last child of the node done next.
      let last = node;
      while (!cursor.gotoNextSibling()) {
        cursor.gotoParent();
        const done = above.pop()!;
        if (above.length === 0) return { nodes, length };
        if (!errors) {
          nodes[done + 1] = nodes[done + NODE_FIELDS + 1];
          nodes[done + 2] = nodes[last + 2];
        }
        last = done;
        if (nodes[done + 3] & BROKEN) nodes[above[above.length - 1] + 3] |= BROKEN;
      }
    }
  } finally {
    cursor.delete();
  }
}

/** The plain nodes of a flattened tree. */
function unflatten({ types, nodes, length }: HclFlatTree): HclNode {
  const make = (at: number): HclNode => {
    const id = nodes[at];
    const flags = nodes[at + 3];
    return { type: types[id] || 'ERROR', start: nodes[at + 1], end: nodes[at + 2], named: (flags & NAMED) !== 0, children: [], broken: (flags & BROKEN) !== 0 };
  };
  const root = make(0);
  // The nodes whose children are being read, and how many children each still has to read.
  const open: HclNode[] = [root];
  const left: number[] = [nodes[4]];
  for (let at = NODE_FIELDS; at < length; at += NODE_FIELDS) {
    while (left.length > 1 && left[left.length - 1] === 0) { open.pop(); left.pop(); }
    const node = make(at);
    open[open.length - 1].children.push(node);
    left[left.length - 1]--;
    if (nodes[at + 4] > 0) { open.push(node); left.push(nodes[at + 4]); }
  }
  return root;
}

/** The named children (punctuation and keywords left out). */
export function named(n: HclNode | undefined): HclNode[] {
  return n ? n.children.filter((c) => c.named && c.type !== 'comment') : [];
}

export function childOfType(n: HclNode | undefined, type: string): HclNode | undefined {
  return n?.children.find((c) => c.type === type);
}
