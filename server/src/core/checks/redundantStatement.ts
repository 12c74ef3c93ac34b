import type { Check } from './check';
import type { JsonNode } from '../json/jsonDocument';
import { prop, properties, toValue } from '../json/nodes';
import { STATEMENT_ELEMENTS, type Statement } from '../model/policyDocument';
import { removeChildEdit } from '../model/valueEdits';

/** A value in a form where lists are sets: arrays sorted, object keys sorted, one-item lists as the item. */
function canonical(value: unknown, lowerStrings = false): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => JSON.stringify(canonical(v, lowerStrings)));
    const unique = [...new Set(items)].sort();
    return unique.length === 1 ? JSON.parse(unique[0]) : unique.map((i) => JSON.parse(i));
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = canonical((value as Record<string, unknown>)[k], lowerStrings);
    return out;
  }
  return lowerStrings && typeof value === 'string' ? value.toLowerCase() : value;
}

/** What a statement grants or denies, Sid aside, as text; undefined when it has elements other than the policy grammar's. */
function meaning(s: Statement): string | undefined {
  const known = new Set<string>(STATEMENT_ELEMENTS);
  if (properties(s.node).some((p) => !known.has(p.name))) return undefined;
  const parts: Record<string, unknown> = {};
  for (const name of STATEMENT_ELEMENTS) {
    if (name === 'Sid') continue;
    const v = s.elements[name]?.value;
    if (!v) continue;
    // Action names are case-insensitive; everything else is compared as written.
    parts[name] = canonical(toValue(v), name === 'Action' || name === 'NotAction');
  }
  return JSON.stringify(parts);
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
