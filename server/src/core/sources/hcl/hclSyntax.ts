/**
 * The HCL syntax tree the Terraform reader works on. The core does not load the parser (a
 * WebAssembly grammar, loaded asynchronously): the adapters load it once at start-up and hand
 * the core a synchronous parse function with `setHclParser`. Without one, `.tf` files give no
 * documents and no findings.
 *
 * The parser's tree is copied into plain nodes at once and freed: nothing downstream holds
 * parser memory. Offsets are UTF-16 offsets into the text (the parser is given the JS string).
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

/** Parses HCL text synchronously; null when the parser gave up. */
export type HclParse = (text: string) => HclParserTree | null;

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
  let tree: HclParserTree | null;
  try {
    tree = parser(text);
  } catch {
    return undefined;
  }
  if (!tree) return undefined;
  try {
    return copy(tree);
  } finally {
    tree.delete();
  }
}

/** Whether each node type of a grammar is named, asked of the parser once per type. */
const namedTypes = new WeakMap<HclParserLanguage, (boolean | undefined)[]>();

/**
 * The tree as plain nodes, walked with one cursor, depth first. A tree without errors has no
 * ERROR or MISSING node, and its nodes are named as their types are; a tree with errors is
 * asked of each node (an error node's children may be named otherwise).
 */
function copy(tree: HclParserTree): HclNode {
  const cursor = tree.walk();
  try {
    const language = tree.language;
    const types = language.types;
    let named = namedTypes.get(language);
    if (!named) namedTypes.set(language, (named = []));
    const errors = tree.rootNode.hasError;
    const here = (): HclNode => {
      const id = cursor.nodeTypeId;
      const type = types[id] || 'ERROR';
      let isNamed: boolean;
      if (errors) isNamed = cursor.nodeIsNamed;
      else isNamed = named![id] ??= language.nodeTypeIsNamed(id);
      return { type, start: cursor.startIndex, end: cursor.endIndex, named: isNamed, children: [], broken: type === 'ERROR' || (errors && cursor.nodeIsMissing) };
    };
    const root = here();
    // The nodes the cursor is below, the root first; the last one is the current node's parent.
    const above: HclNode[] = [root];
    if (!cursor.gotoFirstChild()) return root;
    for (;;) {
      const node = here();
      above[above.length - 1].children.push(node);
      if (above.length > MAX_DEPTH) node.broken = true;
      else if (cursor.gotoFirstChild()) {
        above.push(node);
        continue;
      }
      if (node.broken) above[above.length - 1].broken = true;
      while (!cursor.gotoNextSibling()) {
        cursor.gotoParent();
        const done = above.pop()!;
        if (above.length === 0) return root;
        if (done.broken) above[above.length - 1].broken = true;
      }
    }
  } finally {
    cursor.delete();
  }
}

/** The named children (punctuation and keywords left out). */
export function named(n: HclNode | undefined): HclNode[] {
  return n ? n.children.filter((c) => c.named && c.type !== 'comment') : [];
}

export function childOfType(n: HclNode | undefined, type: string): HclNode | undefined {
  return n?.children.find((c) => c.type === type);
}
