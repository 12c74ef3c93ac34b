import type { Check } from './check';
import { properties } from '../json/nodes';
import { CONDITION_OPERATORS, parseOperator } from '../model/conditions';
import { isIntrinsic } from '../model/policyDocument';
import { nearestName } from '../nearestName';

/** Every operator as AWS accepts it: base, `…IfExists`, and both with a set qualifier. */
const VALID_OPERATORS: string[] = (() => {
  const plain = Object.keys(CONDITION_OPERATORS).flatMap((b) => (b === 'Null' ? [b] : [b, `${b}IfExists`]));
  return [...plain, ...['ForAllValues', 'ForAnyValue'].flatMap((q) => plain.map((p) => `${q}:${p}`))];
})();
const VALID_SET = new Set(VALID_OPERATORS);
const BY_LOWER = new Map(VALID_OPERATORS.map((o) => [o.toLowerCase(), o]));

/** Unknown condition operator, wrong case (operators are case-sensitive), or a bad qualifier/IfExists composition. */
export const unknownConditionOperator: Check = {
  id: 'unknown-condition-operator',
  defaultSeverity: 'error',
  summary: 'Unknown condition operator or bad ForAllValues:/IfExists composition',
  statementLocal: true,
  run(ctx) {
    for (let j = 0; j < ctx.statements.length; j++) {
      const s = ctx.statements[j];
      const condition = s.elements.Condition?.value;
      if (!condition || (ctx.doc.allowsIntrinsics && isIntrinsic(condition))) continue;
      const ops = properties(condition);
      // A block renamed to a name another block has: a JSON reader keeps the last, and the other's keys are lost.
      const taken = (name: string, self: typeof ops[number]) => ops.some((o) => o !== self && o.name === name);
      for (let i = 0; i < ops.length; i++) {
        const op = ops[i];
        if (op.name === 'ForAllValues:Null' || op.name === 'ForAnyValue:Null') {
          // Valid, but the qualifier does not fit Null (Access Analyzer's NULL_WITH_QUALIFIER, a suggestion).
          ctx.report(op.key, `Null asks whether a key is in the request at all; ${op.name.split(':')[0]} iterates over the key's values, so with Null the result is fixed rather than asked (ForAllValues:Null is always true, ForAnyValue:Null always false). Write "Null".`, {
            severity: 'info',
            fixes: taken('Null', op) ? undefined : [{ title: 'Change to "Null"', id: 'replace-operator', isPreferred: true, edits: [{ offset: op.key.offset, length: op.key.length, newText: '"Null"' }] }],
          });
          continue;
        }
        if (VALID_SET.has(op.name)) continue;
        const parsed = parseOperator(op.name);
        const caseOnly = BY_LOWER.get(op.name.toLowerCase());
        // Null takes neither IfExists nor a set qualifier.
        const nullFix = parsed.base === 'Null' && parsed.ifExists ? 'Null' : undefined;
        const suggestion = caseOnly ?? nullFix ?? nearestName(op.name, VALID_OPERATORS);
        let message: string;
        if (caseOnly) message = `Condition operators are case-sensitive: write "${caseOnly}", not "${op.name}".`;
        else if (parsed.problem && parsed.base && Object.prototype.hasOwnProperty.call(CONDITION_OPERATORS, parsed.base)) {
          message = `${parsed.problem}${suggestion ? ` Did you mean "${suggestion}"?` : ''}`;
        } else message = `Unknown condition operator "${op.name}"${suggestion ? `: did you mean "${suggestion}"?` : ': correct it, or remove it.'}`;
        ctx.report(op.key, message, suggestion && !taken(suggestion, op) ? {
          fixes: [{ title: `Change to "${suggestion}"`, id: 'replace-operator', isPreferred: true, edits: [{ offset: op.key.offset, length: op.key.length, newText: JSON.stringify(suggestion) }] }],
        } : undefined);
      }
    }
  },
};
