/**
 * The HCL syntax tree the Terraform reader works on. The core does not load the parser (a
 * WebAssembly grammar, loaded asynchronously): the adapters load it once at start-up and hand
 * the core a synchronous parse function with `setHclParser`. Without one, `.tf` files give no
 * documents and no findings.
 *
 * The parser's tree is copied into plain nodes at once and freed: nothing downstream holds
 * parser memory. Offsets are UTF-16 offsets into the text (the parser is given the JS string).
 */

/** What the reader needs of a parser's node (web-tree-sitter's `Node` has it). */
export interface HclParserNode {
  readonly type: string;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly isNamed: boolean;
  readonly isMissing: boolean;
  readonly children: readonly (HclParserNode | null)[];
}

export interface HclParserTree {
  readonly rootNode: HclParserNode;
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
    return copy(tree.rootNode, 0);
  } finally {
    tree.delete();
  }
}

function copy(n: HclParserNode, depth: number): HclNode {
  const node: HclNode = { type: n.type, start: n.startIndex, end: n.endIndex, named: n.isNamed, children: [], broken: n.type === 'ERROR' || n.isMissing };
  if (depth > MAX_DEPTH) { node.broken = true; return node; }
  for (const c of n.children) {
    if (!c) continue;
    const child = copy(c, depth + 1);
    if (child.broken) node.broken = true;
    node.children.push(child);
  }
  return node;
}

/** The named children (punctuation and keywords left out). */
export function named(n: HclNode | undefined): HclNode[] {
  return n ? n.children.filter((c) => c.named && c.type !== 'comment') : [];
}

export function childOfType(n: HclNode | undefined, type: string): HclNode | undefined {
  return n?.children.find((c) => c.type === type);
}
