import type { Check, CheckContext } from './check';
import type { JsonNode } from '../json/jsonDocument';
import { properties, stringValue } from '../json/nodes';
import { statementConditions } from '../model/conditions';
import { statementItems, RESOURCE_ELEMENTS } from '../model/policyDocument';
import { variablesEnabled } from '../model/policyVariables';
import { arnPartsProblem, arnResourceProblem, itemResourceFact, resourceFact, type ResourceFact } from '../model/resourceFacts';
import { valueSpan } from '../json/stringRange';
import { resolveString } from '../model/templateValues';

/**
 * Malformed ARNs in Resource/NotResource and in the values of Arn condition operators.
 * Wildcards are fine; policy variables count as "some value" under Version 2012-10-17 and as
 * literal text otherwise (then only a note, never an error). Intrinsic functions are checked
 * when the template context resolves them (the finding shows the resolved value), else skipped.
 */
export const invalidArn: Check = {
  id: 'invalid-arn',
  defaultSeverity: 'error',
  summary: 'Malformed ARN in Resource/NotResource or an Arn condition',
  statementLocal: true,
  run(ctx) {
    const variables = variablesEnabled(ctx.doc.root);
    for (const s of ctx.statements) {
      for (const name of RESOURCE_ELEMENTS) {
        for (const item of statementItems(s, name)) {
          if (item.value !== undefined) {
            const fact = itemResourceFact(item, variables);
            checkArn(ctx, item.node, item.value, variables, name, undefined, fact);
            if (fact) checkParts(ctx, item.node, fact, name);
          } else if (item.intrinsic) checkResolved(ctx, item.node, variables, name);
        }
      }
      for (const c of statementConditions(s)) {
        if (c.operator.base === undefined || !c.operator.base.startsWith('Arn')) continue;
        for (const item of c.values) {
          // Values that do not even look like ARNs are condition-value-type's to report.
          if (item.value !== undefined && /^arn:/i.test(item.value)) checkArn(ctx, item.node, item.value, variables, `${c.operator.text} value`);
          else if (item.intrinsic) checkResolved(ctx, item.node, variables, `${c.operator.text} value`, true);
        }
      }
    }
  },
};

/** `fact`: the value's facts when the caller has them at hand. */
function checkArn(ctx: CheckContext, node: JsonNode, value: string, variables: boolean, where: string, resolvedFrom?: string, fact = resourceFact(value, variables)): void {
  const { hasVariable, problem } = fact;
  if (hasVariable && !variables) {
    const shown = resolvedFrom ? `${resolvedFrom}, which resolves to "${value}",` : `"${value}"`;
    ctx.report(node, `${shown} contains \${…}, which is literal text here: policy variables need "Version": "2012-10-17".`, { severity: 'info' });
    return;
  }
  if (problem) ctx.report(node, `Invalid ARN in ${where}${resolvedFrom ? ` (${resolvedFrom} resolves to "${value}")` : ''}: ${problem}.`);
}

/**
 * A well-formed Resource ARN whose Region or account its service's ARNs do not have, or lack
 * (see `arnPartsProblem`), or whose resource part no resource type of its service has (see
 * `arnResourceProblem`; reported on the resource part).
 */
function checkParts(ctx: CheckContext, node: JsonNode, fact: ResourceFact, where: string): void {
  const problem = arnPartsProblem(ctx.catalog, fact);
  if (problem) {
    ctx.report(node, `Invalid ARN in ${where}: ${problem}.`);
    return;
  }
  const resource = arnResourceProblem(ctx.catalog, fact);
  if (!resource) return;
  const shown = resource.formats.slice(0, MAX_FORMATS_SHOWN).map((f) => `${f.type} (${f.arn})`).join(', ') + (resource.formats.length > MAX_FORMATS_SHOWN ? ', …' : '');
  ctx.report(valueSpan(ctx.doc.json.text, node, resource.start, fact.value.length),
    `Invalid ARN resource in ${where}: "${fact.value.slice(resource.start)}" does not match the expected ARN format of any ${fact.service} resource type. Update the resource portion of the ARN; ${fact.service} ARNs are: ${shown}.`);
}

/** How many of a service's ARN formats a message lists. */
const MAX_FORMATS_SHOWN = 3;

/**
 * An intrinsic function (`Ref`, `Fn::Sub`, `Fn::Join`) the template context resolves: its
 * value is checked like a literal one. Unresolved intrinsics are unknown values, never errors.
 * In Arn conditions, resolved values that do not look like ARNs are left alone (as literals are).
 */
function checkResolved(ctx: CheckContext, node: JsonNode, variables: boolean, where: string, arnLikeOnly = false): void {
  const value = resolveString(node, ctx.doc.template);
  if (value === undefined || (arnLikeOnly && !/^arn:/i.test(value))) return;
  checkArn(ctx, node, value, variables, where, describeIntrinsic(node));
}

/** `Ref CodestarConnectionArn`, `Fn::Sub`, `Fn::Join`: how an intrinsic is named in messages. */
function describeIntrinsic(node: JsonNode): string {
  const [p] = properties(node);
  const ref = p.name === 'Ref' ? stringValue(p.value) : undefined;
  return ref ? `{"Ref": "${ref}"}` : p.name;
}
