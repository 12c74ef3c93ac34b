import type { Check } from './check';
import type { JsonNode } from '../json/jsonDocument';
import { prop, properties } from '../json/nodes';
import { STATEMENT_ELEMENTS, type Statement } from '../model/policyDocument';
import { removeChildEdit } from '../model/valueEdits';

/**
 * A value as text in a form where lists are sets: array items deduplicated and sorted, a
 * one-item list as the item, object keys sorted (a repeated key: the last one, as JSON
 * readers take it). Read from the nodes directly: no plain value is built.
 */
function canonical(node: JsonNode, lowerStrings: boolean): string {
  switch (node.type) {
    case 'array': {
      const unique = [...new Set((node.children ?? []).map((c) => canonical(c, lowerStrings)))].sort();
      return unique.length === 1 ? unique[0] : `[${unique.join(',')}]`;
    }
    case 'object': {
      const byName = new Map<string, JsonNode>();
      const ps = properties(node);
      for (let i = 0; i < ps.length; i++) {
        const p = ps[i];
        if (p.value) byName.set(p.name, p.value);
      }
      return `{${[...byName.keys()].sort().map((k) => `${JSON.stringify(k)}:${canonical(byName.get(k)!, lowerStrings)}`).join(',')}}`;
    }
    case 'string':
      return JSON.stringify(lowerStrings ? String(node.value).toLowerCase() : node.value);
    default:
      return JSON.stringify(node.value ?? null);
  }
}

const KNOWN_ELEMENTS: ReadonlySet<string> = new Set(STATEMENT_ELEMENTS);

/** Whether every element of the statement is one of the policy grammar's. */
function onlyKnownElements(s: Statement): boolean {
  // The keys are read in place: only their names matter here.
  const ps = s.node.children ?? [];
  for (let i = 0; i < ps.length; i++) {
    const key = ps[i].children?.[0];
    if (key?.type === 'string' && !KNOWN_ELEMENTS.has(String(key.value))) return false;
  }
  return true;
}

/** What a statement grants or denies, Sid aside, as text (its elements are the grammar's). */
function meaning(s: Statement): string {
  const parts: string[] = [];
  for (let i = 0; i < STATEMENT_ELEMENTS.length; i++) {
    const name = STATEMENT_ELEMENTS[i];
    if (name === 'Sid') continue;
    const v = s.elements[name]?.value;
    if (!v) continue;
    // Action names are case-insensitive; everything else is compared as written.
    parts.push(`${name}:${canonical(v, name === 'Action' || name === 'NotAction')}`);
  }
  return parts.join('|');
}

/**
 * The shortest and longest text of a value's strings and object keys (keys counted
 * negative), as `canonical` would write them: the same for two values with the same
 * canonical text, whatever their order, repeats and one-item lists. Reads only lengths, so
 * it is cheap where `canonical` is not; statements whose bounds differ cannot be the same.
 */
function lengthBounds(node: JsonNode, lowerStrings: boolean, bounds: [number, number]): void {
  switch (node.type) {
    case 'array': {
      const cs = node.children ?? [];
      for (let i = 0; i < cs.length; i++) lengthBounds(cs[i], lowerStrings, bounds);
      return;
    }
    case 'object': {
      // Keys and values are read in place (no entry objects). A repeated key: the last one
      // counts, as in `canonical`; a long object looks repeats up in a map.
      const ps = node.children ?? [];
      const last = ps.length > MAX_SCANNED_KEYS ? lastByName(ps) : undefined;
      for (let i = 0; i < ps.length; i++) {
        const p = ps[i];
        const key = p.children?.[0];
        const value = p.children?.[1];
        if (key?.type !== 'string' || !value) continue;
        const name = String(key.value);
        if (last ? last.get(name) !== p : repeatedAfter(ps, i, name)) continue;
        bound(-1 - name.length, bounds);
        lengthBounds(value, lowerStrings, bounds);
      }
      return;
    }
    case 'string': {
      const text = String(node.value);
      // Lower-casing keeps the length of every character but U+0130.
      bound(lowerStrings && text.includes('\u0130') ? text.toLowerCase().length : text.length, bounds);
      return;
    }
    default:
      bound(-1, bounds);
  }
}

/** Objects with more properties than this find their repeated keys through a map, not by scanning. */
const MAX_SCANNED_KEYS = 8;

/** Whether a property after the `i`-th has the key `name`. */
function repeatedAfter(ps: readonly JsonNode[], i: number, name: string): boolean {
  for (let j = i + 1; j < ps.length; j++) {
    const key = ps[j].children?.[0];
    if (key?.type === 'string' && String(key.value) === name) return true;
  }
  return false;
}

/** The last property node of each key name. */
function lastByName(ps: readonly JsonNode[]): Map<string, JsonNode> {
  const last = new Map<string, JsonNode>();
  for (let i = 0; i < ps.length; i++) {
    const key = ps[i].children?.[0];
    if (key?.type === 'string') last.set(String(key.value), ps[i]);
  }
  return last;
}

function bound(n: number, bounds: [number, number]): void {
  if (n < bounds[0]) bounds[0] = n;
  if (n > bounds[1]) bounds[1] = n;
}

/** A key that two statements with the same `meaning` share: their elements' length bounds. */
function roughMeaning(s: Statement): string {
  let key = '';
  for (let i = 0; i < STATEMENT_ELEMENTS.length; i++) {
    const name = STATEMENT_ELEMENTS[i];
    if (name === 'Sid') continue;
    const v = s.elements[name]?.value;
    if (!v) continue;
    const bounds: [number, number] = [Infinity, -Infinity];
    lengthBounds(v, name === 'Action' || name === 'NotAction', bounds);
    key += `${name}:${bounds[0]},${bounds[1]}|`;
  }
  return key;
}

/**
 * A statement that says exactly what an earlier statement of the policy says (the same
 * effect, principals, actions, resources and conditions, in any order; the Sid aside): it
 * adds nothing. The quick-fix removes it.
 */
export const redundantStatement: Check = {
  id: 'redundant-statement',
  defaultSeverity: 'info',
  summary: 'Statement that repeats what an earlier statement of the policy grants or denies',
  run(ctx) {
    // Statements are put side by side by a cheap key first; only those that share it are
    // written out as canonical text (most policies have no two statements that do).
    const groups = new Map<string, { first: Statement; byMeaning?: Map<string, Statement> }>();
    // Only the statements of the Statement list itself (not alternatives chosen by Fn::If).
    const list: JsonNode | undefined = prop(ctx.doc.root, 'Statement')?.value;
    if (list?.type !== 'array') return;
    for (let i = 0; i < ctx.statements.length; i++) {
      const s = ctx.statements[i];
      if (s.node.type !== 'object' || s.node.parent !== list || !onlyKnownElements(s)) continue;
      const rough = roughMeaning(s);
      const group = groups.get(rough);
      if (!group) { groups.set(rough, { first: s }); continue; }
      group.byMeaning ??= new Map([[meaning(group.first), group.first]]);
      const m = meaning(s);
      const earlier = group.byMeaning.get(m);
      if (!earlier) { group.byMeaning.set(m, s); continue; }
      const which = earlier.sid ? `statement "${earlier.sid}"` : `statement ${earlier.index + 1}`;
      const key = s.elements.Sid?.value ?? s.elements.Effect?.key ?? s.node;
      ctx.report(key, `This statement is redundant (it grants or denies exactly what ${which} does): remove it.`, {
        fixes: [{ title: 'Remove the redundant statement', id: 'remove-redundant-statement', edits: [removeChildEdit(list, s.node)] }],
        relatedHere: [{ span: { offset: earlier.node.offset, length: earlier.node.length }, message: 'the same statement' }],
      });
    }
  },
};
