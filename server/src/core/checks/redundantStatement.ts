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
      for (const p of properties(node)) if (p.value) byName.set(p.name, p.value);
      return `{${[...byName.keys()].sort().map((k) => `${JSON.stringify(k)}:${canonical(byName.get(k)!, lowerStrings)}`).join(',')}}`;
    }
    case 'string':
      return JSON.stringify(lowerStrings ? String(node.value).toLowerCase() : node.value);
    default:
      return JSON.stringify(node.value ?? null);
  }
}

/** What a statement grants or denies, Sid aside, as text; undefined when it has elements other than the policy grammar's. */
function meaning(s: Statement): string | undefined {
  const known = new Set<string>(STATEMENT_ELEMENTS);
  if (properties(s.node).some((p) => !known.has(p.name))) return undefined;
  const parts: string[] = [];
  for (const name of STATEMENT_ELEMENTS) {
    if (name === 'Sid') continue;
    const v = s.elements[name]?.value;
    if (!v) continue;
    // Action names are case-insensitive; everything else is compared as written.
    parts.push(`${name}:${canonical(v, name === 'Action' || name === 'NotAction')}`);
  }
  return parts.join('|');
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
    const seen = new Map<string, Statement>();
    // Only the statements of the Statement list itself (not alternatives chosen by Fn::If).
    const list: JsonNode | undefined = prop(ctx.doc.root, 'Statement')?.value;
    if (list?.type !== 'array') return;
    for (const s of ctx.statements) {
      if (s.node.type !== 'object' || s.node.parent !== list) continue;
      const m = meaning(s);
      if (m === undefined) continue;
      const earlier = seen.get(m);
      if (!earlier) { seen.set(m, s); continue; }
      const which = earlier.sid ? `statement "${earlier.sid}"` : `statement ${earlier.index + 1}`;
      const key = s.elements.Sid?.value ?? s.elements.Effect?.key ?? s.node;
      ctx.report(key, `This statement grants or denies exactly what ${which} does: it is redundant. Remove it.`, {
        fixes: [{ title: 'Remove the redundant statement', id: 'remove-redundant-statement', edits: [removeChildEdit(list, s.node)] }],
        relatedHere: [{ span: { offset: earlier.node.offset, length: earlier.node.length }, message: 'the same statement' }],
      });
    }
  },
};
