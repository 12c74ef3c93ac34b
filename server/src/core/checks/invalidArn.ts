import type { Check, CheckContext } from './check';
import type { JsonNode } from '../json/jsonDocument';
import { arnProblem } from '../model/arnSyntax';
import { conditionEntries } from '../model/conditions';
import { valueItems } from '../model/policyDocument';
import { hasVariable, replaceVariables, variablesEnabled } from '../model/policyVariables';

/**
 * Malformed ARNs in Resource/NotResource and in the values of Arn condition operators.
 * Wildcards are fine; policy variables count as "some value" under Version 2012-10-17 and as
 * literal text otherwise (then only a note, never an error). Intrinsic functions are skipped.
 */
export const invalidArn: Check = {
  id: 'invalid-arn',
  defaultSeverity: 'error',
  summary: 'Malformed ARN in Resource/NotResource or an Arn condition',
  run(ctx) {
    const variables = variablesEnabled(ctx.doc.root);
    for (const s of ctx.statements) {
      for (const name of ['Resource', 'NotResource'] as const) {
        for (const item of valueItems(s.elements[name]?.value)) {
          if (item.value !== undefined) checkArn(ctx, item.node, item.value, variables, name);
        }
      }
      for (const c of conditionEntries(s.elements.Condition?.value)) {
        if (c.operator.base === undefined || !c.operator.base.startsWith('Arn')) continue;
        for (const item of c.values) {
          // Values that do not even look like ARNs are condition-value-type's to report.
          if (item.value !== undefined && /^arn:/i.test(item.value)) checkArn(ctx, item.node, item.value, variables, `${c.operator.text} value`);
        }
      }
    }
  },
};

function checkArn(ctx: CheckContext, node: JsonNode, value: string, variables: boolean, where: string): void {
  if (hasVariable(value) && !variables) {
    ctx.report(node, `"${value}" contains \${…}, which is literal text here: policy variables need "Version": "2012-10-17".`, { severity: 'info' });
    return;
  }
  const problem = arnProblem(variables ? replaceVariables(value) : value);
  if (problem) ctx.report(node, `Invalid ARN in ${where}: ${problem}.`);
}
