/**
 * Parsing an edited text again from the previous parse: only the smallest array or object
 * that holds the whole change (strictly inside its brackets) is parsed again. The result is
 * the tree a full parse of the new text gives, node for node; the tests compare the two.
 *
 * Nodes outside the changed value are kept (those after it are moved by the change's
 * length), and the nodes on the path from the root to it are new objects. So a node object
 * found in both trees has the same text in both; memos keyed by such nodes stay true,
 * as long as they hold nodes rather than offsets. The previous tree is given up: its kept
 * nodes now belong to the new one.
 *
 * Syntax errors may be on either side. The parser reads one token at a time and never looks
 * past the current one, so a value that ends with its own closing bracket when parsed alone
 * is parsed the same way inside the whole text, with the same errors; and the text around
 * it, unchanged, is parsed as before. The problems are those of the previous parse around
 * the value and those of the value.
 *
 * Falls back (returns undefined) whenever that is not certain: the change reaches a bracket
 * of every enclosing value but the root, the changed value alone runs to the end of its text
 * or has an error at either bracket, or the previous parse had a problem at one of them.
 */
import { parseTree, type ParseError } from 'jsonc-parser';
import { findExcessiveNesting, JSON_PARSE_OPTIONS, syntaxProblem, type JsonDocument, type JsonNode, type ParseLimits } from './jsonDocument';

/** jsonc-parser's nodes are read-only to its users; this module moves the ones it keeps. */
type MovableNode = { -readonly [K in keyof JsonNode]: JsonNode[K] };

export function reparse(previous: JsonDocument, text: string, limits: ParseLimits): JsonDocument | undefined {
  const root = previous.root;
  if (!root || previous.problems.some((p) => p.kind !== 'syntax') || (root.type !== 'object' && root.type !== 'array')) return undefined;
  const old = previous.text;
  const limit = Math.min(old.length, text.length);
  const start = commonPrefix(old, text, limit);
  const tail = commonSuffix(old, text, limit - start);
  const oldEnd = old.length - tail;
  const delta = text.length - old.length;

  // The path from the root to the innermost container that holds [start, oldEnd) strictly inside its brackets.
  const path: JsonNode[] = [];
  let node: JsonNode | undefined = root;
  while (node) {
    path.push(node);
    node = childHolding(node, start, oldEnd);
  }
  if (path.length < 2) return undefined;
  const target = path[path.length - 1];
  if (target.type !== 'object' && target.type !== 'array') return undefined;

  // The nesting limit is checked as a full parse checks it, over the whole text.
  if (findExcessiveNesting(text, limits.maxDepth) >= 0) return undefined;
  const source = text.slice(target.offset, target.offset + target.length + delta);
  const errors: ParseError[] = [];
  let fresh: JsonNode | undefined;
  try {
    fresh = parseTree(source, errors, JSON_PARSE_OPTIONS);
  } catch {
    return undefined;
  }
  if (!fresh || fresh.type !== target.type || fresh.offset !== 0 || fresh.length !== source.length) return undefined;
  // The value must end with its own closing bracket: an error there or at the end means the
  // parse ran out of text, where a full parse would have read on past it.
  if (errors.some((e) => e.offset === 0 || e.offset + e.length >= source.length)) return undefined;
  // Problems of the previous text at the value's first or last token may be its parent's or
  // its own: which ones a full parse reports again is not known here.
  const end = target.offset + target.length;
  if (previous.problems.some((p) => p.offset === target.offset || (p.offset >= end - 1 && p.offset <= end))) return undefined;
  shift(fresh, target.offset);
  const problems = [
    ...previous.problems.filter((p) => p.offset < target.offset),
    ...errors.map((e) => syntaxProblem(e, target.offset)),
    ...previous.problems.filter((p) => p.offset > end).map((p) => ({ ...p, offset: p.offset + delta })),
  ];

  // New objects for the ancestors, from the changed value up; their other children are kept.
  let replaced = fresh;
  let was = target;
  for (let i = path.length - 2; i >= 0; i--) {
    const parent = path[i];
    const copy: JsonNode = { ...parent, length: parent.length + delta, children: parent.children!.slice() };
    const at = copy.children!.indexOf(was);
    copy.children![at] = replaced;
    for (let c = 0; c < copy.children!.length; c++) {
      const child = copy.children![c];
      if (c > at && delta !== 0) shift(child, delta);
      (child as MovableNode).parent = copy;
    }
    replaced = copy;
    was = parent;
  }
  return { text, root: replaced, problems, edited: previous.edited };
}

/** Characters compared at once (as strings) before the loop finds the first difference in a block. */
const BLOCK = 256;

/** Length of the common start of `a` and `b`, at most `limit`. */
function commonPrefix(a: string, b: string, limit: number): number {
  let i = 0;
  while (i + BLOCK <= limit && a.slice(i, i + BLOCK) === b.slice(i, i + BLOCK)) i += BLOCK;
  while (i < limit && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Length of the common end of `a` and `b`, at most `limit`. */
function commonSuffix(a: string, b: string, limit: number): number {
  let i = 0;
  while (i + BLOCK <= limit && a.slice(a.length - i - BLOCK, a.length - i) === b.slice(b.length - i - BLOCK, b.length - i)) i += BLOCK;
  while (i < limit && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

/** Whether a container holds [start, end) strictly inside its brackets. */
function holds(node: JsonNode, start: number, end: number): boolean {
  return (node.type === 'object' || node.type === 'array') && start > node.offset && end < node.offset + node.length;
}

/**
 * The child of `node` on the way to the innermost container that holds [start, end): a
 * container that holds it, or a property whose value does (then that value). Undefined when
 * no child holds the whole range.
 */
function childHolding(node: JsonNode, start: number, end: number): JsonNode | undefined {
  const children = node.children;
  if (!children) return undefined;
  if (node.type === 'property') return children[1] && holds(children[1], start, end) ? children[1] : undefined;
  for (let i = 0; i < children.length; i++) {
    const child = children[i];
    if (child.offset + child.length <= start) continue;
    if (child.type === 'property') return child.children?.[1] && holds(child.children[1], start, end) ? child : undefined;
    return holds(child, start, end) ? child : undefined;
  }
  return undefined;
}

/** Moves a subtree by `delta` (offsets and colon offsets). */
function shift(node: JsonNode, delta: number): void {
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()! as MovableNode;
    n.offset += delta;
    if (n.colonOffset !== undefined) n.colonOffset += delta;
    const children = n.children;
    if (children) for (let i = 0; i < children.length; i++) stack.push(children[i]);
  }
}
