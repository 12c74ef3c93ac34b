import type { Check } from './check';
import type { JsonNode } from '../json/jsonDocument';
import { properties, prop } from '../json/nodes';
import { statementConditions } from '../model/conditions';
import { isIntrinsic, ITEM_ELEMENTS, PRINCIPAL_ELEMENTS } from '../model/policyDocument';
import { removePropertyEdit } from '../model/valueEdits';

const isEmptyObject = (n: JsonNode | undefined): boolean => n?.type === 'object' && (n.children?.length ?? 0) === 0;

const isEmptyArray = (n: JsonNode | undefined): boolean => n?.type === 'array' && (n.children?.length ?? 0) === 0;

/**
 * `[]` where a value is required: the statement list, Action/NotAction, Resource/NotResource,
 * the lists of a Principal, and condition values; also a Principal/NotPrincipal of `{}`. An empty list matches nothing, so the
 * statement (or the condition) does not do what it seems to. An empty Condition (or operator)
 * object compares nothing: a suggestion (info) to remove it.
 */
export const emptyArray: Check = {
  id: 'empty-array',
  defaultSeverity: 'info',
  summary: 'Empty array where a value is required',
  // The one finding on the document, an empty statement list, comes only when there is no statement.
  statementLocal: true,
  run(ctx) {
    const statementList = prop(ctx.doc.root, 'Statement')?.value;
    if (statementList && isEmptyArray(statementList)) ctx.report(statementList, 'The policy has no statements: it grants and denies nothing.');
    for (let k = 0; k < ctx.statements.length; k++) {
      const s = ctx.statements[k];
      for (let i = 0; i < ITEM_ELEMENTS.length; i++) {
        const name = ITEM_ELEMENTS[i];
        const v = s.elements[name]?.value;
        if (v && isEmptyArray(v)) ctx.report(v, `${name} is an empty list: this statement matches no ${name.endsWith('Action') ? 'action' : 'resource'} and has no effect.`);
      }
      for (let j = 0; j < PRINCIPAL_ELEMENTS.length; j++) {
        const name = PRINCIPAL_ELEMENTS[j];
        const v = s.elements[name]?.value;
        if (v && isEmptyArray(v)) { ctx.report(v, `${name} is an empty list: it names no principal.`); continue; }
        if (v?.type !== 'object' || isIntrinsic(v)) continue;
        if ((v.children?.length ?? 0) === 0) { ctx.report(v, `${name} is an empty object: it names no principal.`); continue; }
        const ps = properties(v);
        for (let i = 0; i < ps.length; i++) {
          const p = ps[i];
          if (p.value && isEmptyArray(p.value)) ctx.report(p.value, `${name}.${p.name} is an empty list: it names no principal.`);
        }
      }
      const condition = s.elements.Condition;
      if (condition && isEmptyObject(condition.value)) {
        ctx.report(condition.value!, 'The Condition block is empty: it does not affect the statement, which applies unconditionally.',
          { fixes: [{ title: 'Remove the empty Condition', id: 'remove-empty-condition', edits: [removePropertyEdit(condition.property)] }] });
      }
      const ops = properties(condition?.value);
      for (let i = 0; i < ops.length; i++) {
        const op = ops[i];
        if (!isEmptyObject(op.value)) continue;
        ctx.report(op.value!, `The ${op.name} block is empty: it compares nothing and does not affect the statement.`,
          { fixes: [{ title: `Remove the empty ${op.name}`, id: 'remove-empty-condition', edits: [removePropertyEdit(op.property)] }] });
      }
      const cs = statementConditions(s);
      for (let i = 0; i < cs.length; i++) {
        const c = cs[i];
        if (!c.valueNode || !isEmptyArray(c.valueNode)) continue;
        const note = c.operator.set === 'ForAllValues' || c.operator.ifExists
          ? `; with ${c.operator.set === 'ForAllValues' ? 'ForAllValues' : 'IfExists'} it matches only when the key is absent (the Null operator says that plainly)`
          : '';
        ctx.report(c.valueNode, `The condition on ${c.key} has no values to compare with${note}.`);
      }
    }
  },
};
