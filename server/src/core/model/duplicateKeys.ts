/**
 * Keys given more than once in one object of a JSON text (the manifest, a policy). JSON parsers
 * keep the last of them (`JSON.parse`, the schema's validator, other tools reading the file), so
 * the product reads them that way too, and each later key is reported, saying which one is used:
 * the earlier ones would otherwise be lost without a word.
 */
import type { LocalFix } from '../findings';
import type { JsonNode } from '../json/jsonDocument';
import { properties, type PropertyEntry } from '../json/nodes';
import { removePropertyEdit } from './valueEdits';

/** A key given again in its object (the manifest's `ManifestProblem`s and the schema check's findings are made from it). */
export interface DuplicateKeyProblem {
  node: JsonNode;
  message: string;
  fixes: LocalFix[];
  /** The other places the key is given. */
  related: { node: JsonNode; message: string }[];
}

/** An object's properties as JSON parsers read it: of a key given more than once, the last only. */
export function lastOfEachKey(obj: JsonNode | undefined): PropertyEntry[] {
  const all = properties(obj);
  if (all.length < 2 || !hasRepeatedKey(obj!)) return all;
  const last = new Map<string, PropertyEntry>();
  for (const p of all) last.set(p.name, p);
  return all.filter((p) => last.get(p.name) === p);
}

/** Longest key shown whole in a message; longer ones are cut (the finding's range shows it all). */
const SHOWN_KEY = 40;

const shown = (name: string) => JSON.stringify(name.length > SHOWN_KEY ? `${name.slice(0, SHOWN_KEY - 1)}…` : name);

/**
 * One problem on each key given again in its object, in text order, with the earlier key's
 * removal as its fix. `label` names the root in messages ("the manifest", "the policy").
 */
export function duplicateKeyProblems(root: JsonNode, label = 'the manifest'): DuplicateKeyProblem[] {
  let out: DuplicateKeyProblem[] | undefined;
  // Objects and lists to visit; no recursion (nesting is bounded by the parser only). Strings,
  // numbers and the like are never visited, and nothing is made for an object without a key
  // given twice (almost all of them): its place in words is worked out only for a problem.
  const stack: JsonNode[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    const children = node.children ?? [];
    if (node.type === 'array') {
      for (let i = children.length - 1; i >= 0; i--) if (isContainer(children[i])) stack.push(children[i]);
      continue;
    }
    if (node.type !== 'object') continue;
    if (hasRepeatedKey(node)) {
      const byName = new Map<string, PropertyEntry[]>();
      for (const p of properties(node)) {
        const same = byName.get(p.name);
        if (same) same.push(p);
        else byName.set(p.name, [p]);
      }
      const where = placeOf(node, root) || label;
      for (const same of byName.values()) if (same.length > 1) (out ??= []).push(...repeated(same, where));
    }
    for (let i = children.length - 1; i >= 0; i--) {
      const value = children[i].children?.[1];
      if (isContainer(value)) stack.push(value!);
    }
  }
  return out ? out.sort((a, b) => a.node.offset - b.node.offset) : [];
}

/** Where a node is below the root, in words: `principals[0].policies`, `Statement[2].Condition`; empty for the root. */
function placeOf(node: JsonNode, root: JsonNode): string {
  const parts: string[] = [];
  let n: JsonNode = node;
  while (n !== root) {
    const parent: JsonNode | undefined = n.parent;
    if (!parent) break;
    if (parent.type === 'array') {
      parts.push(`[${parent.children!.indexOf(n)}]`);
      n = parent;
    } else if (parent.type === 'property') {
      parts.push(`.${shown(String(parent.children![0].value)).slice(1, -1)}`);
      // The property's object.
      if (!parent.parent) break;
      n = parent.parent;
    } else {
      n = parent;
    }
  }
  return parts.reverse().join('').replace(/^\./, '');
}

const isContainer = (n: JsonNode | undefined) => n !== undefined && (n.type === 'object' || n.type === 'array');

/** Whether an object gives a key twice: a small one compared in place, with no list or set made (most objects have a few keys, all different). */
function hasRepeatedKey(obj: JsonNode): boolean {
  const ps = obj.children ?? [];
  if (ps.length > 16) {
    const seen = new Set<unknown>();
    for (let i = 0; i < ps.length; i++) {
      const k = ps[i].children?.[0];
      if (k?.type !== 'string') continue;
      if (seen.has(k.value)) return true;
      seen.add(k.value);
    }
    return false;
  }
  for (let i = 1; i < ps.length; i++) {
    const k = ps[i].children?.[0];
    if (k?.type !== 'string') continue;
    for (let j = 0; j < i; j++) if (ps[j].children?.[0]?.value === k.value) return true;
  }
  return false;
}

/** The problems of one key given `same.length` times in one object: one on each but the first. */
function repeated(same: PropertyEntry[], where: string): DuplicateKeyProblem[] {
  const n = same.length;
  const name = shown(same[0].name);
  const times = n === 2 ? 'twice' : `${n} times`;
  // Objects and lists are merged (two lists of principals are both wanted); values, one is kept.
  const todo = same.every((p) => p.value?.type === 'object' || p.value?.type === 'array') ? 'merge them into one' : 'keep one';
  const lead = `${name} is given ${times} in ${where}: ${todo}.`;
  const out: DuplicateKeyProblem[] = [];
  for (let k = 1; k < n; k++) {
    const last = k === n - 1;
    const which = !last
      ? 'This one is ignored: the last one is used (JSON keeps the last).'
      : `This ${n === 2 ? 'later' : 'last'} one is used (JSON keeps the last); ${n === 2 ? 'the first is' : 'the others are'} ignored.`;
    const related = last
      ? same.slice(0, -1).map((p, i) => ({ node: p.key, message: `${i === 0 ? 'The first' : 'An earlier'} ${name}, ignored` }))
      : [{ node: same[n - 1].key, message: `The last ${name}, used` }];
    const before = same[k - 1];
    out.push({
      node: same[k].key,
      message: `${lead} ${which}`,
      related,
      fixes: [{ title: `Remove the ${k === 1 ? 'first' : 'earlier'} ${name} (ignored)`, id: 'remove-element', edits: [removePropertyEdit(before.property)] }],
    });
  }
  return out;
}
