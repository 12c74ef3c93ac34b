/** Small, allocation-light accessors over jsonc-parser nodes. */
import type { JsonNode } from './jsonDocument';
import { sized } from '../arrays';

export interface PropertyEntry {
  /** The key string node. */
  key: JsonNode;
  name: string;
  /** The value node; undefined when the property has no value (syntax error). */
  value: JsonNode | undefined;
  /** The whole property node (key, colon, value). */
  property: JsonNode;
}

export function properties(obj: JsonNode | undefined): PropertyEntry[] {
  const out: PropertyEntry[] = [];
  if (!obj || obj.type !== 'object' || !obj.children) return out;
  for (let i = 0; i < obj.children.length; i++) {
    const p = obj.children[i];
    const key = p.children?.[0];
    if (!key || key.type !== 'string') continue;
    out.push({ key, name: String(key.value), value: p.children?.[1], property: p });
  }
  return out;
}

/** The property with that exact name: the last one where it is given twice, as JSON readers take it. */
export function prop(obj: JsonNode | undefined, name: string): PropertyEntry | undefined {
  if (!obj || obj.type !== 'object' || !obj.children) return undefined;
  for (let i = obj.children.length - 1; i >= 0; i--) {
    const p = obj.children[i];
    const key = p.children?.[0];
    if (key && key.value === name) return { key, name, value: p.children?.[1], property: p };
  }
  return undefined;
}

export function propValue(obj: JsonNode | undefined, name: string): JsonNode | undefined {
  return prop(obj, name)?.value;
}

export function stringValue(node: JsonNode | undefined): string | undefined {
  return node && node.type === 'string' ? String(node.value) : undefined;
}

/** A string, or the string elements of an array (other elements are skipped). */
export function stringNodes(node: JsonNode | undefined): JsonNode[] {
  if (!node) return [];
  if (node.type === 'string') return [node];
  if (node.type === 'array') return (node.children ?? []).filter((c) => c.type === 'string');
  return [];
}

/** A single value, or the elements of an array. */
export function items(node: JsonNode | undefined): JsonNode[] {
  if (!node) return [];
  if (node.type === 'array') return node.children ?? [];
  return [node];
}

/**
 * A plain JS value for a node; objects get a null prototype so `__proto__` keys are plain
 * data. `kept`: values of objects and arrays by node, reused while the node is (a text being
 * edited keeps the nodes an edit did not touch); the values are then shared, so whoever
 * reads them must not change them.
 */
export function toValue(node: JsonNode | undefined, kept?: WeakMap<JsonNode, unknown>): unknown {
  if (!node) return undefined;
  if (node.type !== 'object' && node.type !== 'array') return node.value;
  let value = kept?.get(node);
  if (value !== undefined) return value;
  if (node.type === 'object') {
    const o: Record<string, unknown> = Object.create(null);
    const ps = properties(node);
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i];
      o[p.name] = toValue(p.value, kept);
    }
    value = o;
  } else {
    value = (node.children ?? []).map((c) => toValue(c, kept));
  }
  kept?.set(node, value);
  return value;
}

/** Offset of the content of a string node (after the opening quote). */
export function contentStart(node: JsonNode): number {
  return node.type === 'string' ? node.offset + 1 : node.offset;
}

/**
 * Copies every children array of a tree to its size, in place. A parser grows each array by
 * `push` (room for 17 entries after the first): for a tree kept as long as its file (a key
 * policy that is not being edited), most of that room is never used. Returns how many nodes
 * were visited. The nodes themselves stay the same objects.
 */
export function trimChildren(root: JsonNode | undefined): number {
  if (!root) return 0;
  let visited = 0;
  const stack: JsonNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    visited++;
    const children = n.children;
    if (!children) continue;
    (n as { children?: JsonNode[] }).children = sized(children);
    for (let i = 0; i < children.length; i++) {
      const c = children[i];
      stack.push(c);
    }
  }
  return visited;
}
