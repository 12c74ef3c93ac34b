import type { Check, CheckContext } from './check';
import type { JsonNode } from '../json/jsonDocument';
import { items, properties, propValue, stringValue } from '../json/nodes';
import { parseArn } from '../model/arn';
import { statementConditions } from '../model/conditions';
import { statementItems, RESOURCE_ELEMENTS } from '../model/policyDocument';
import { variablesEnabled } from '../model/policyVariables';
import { arnPartsProblem, arnResourceProblem, itemResourceFact, resourceFact, type ResourceFact } from '../model/resourceFacts';
import { valueSpan } from '../json/stringRange';
import { getAttArn, resolveString } from '../model/templateValues';

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
  // The fix of an ARN given as `Fn::GetAtt X.Arn` depends on the type of X, outside the statement.
  documentInput: (doc) => (doc.source === 'cloudformation'
    ? properties(propValue(doc.json.root, 'Resources')).map((r) => `${r.name}=${stringValue(propValue(r.value, 'Type')) ?? ''}`).join(',')
    : ''),
  readsShorthandParameters: true,
  run(ctx) {
    const variables = variablesEnabled(ctx.doc.root);
    // A SAM policy template as expanded: only its parameters are written in the file.
    const shorthand = ctx.doc.expandedFrom !== undefined;
    for (let k = 0; k < ctx.statements.length; k++) {
      const s = ctx.statements[k];
      for (let j = 0; j < RESOURCE_ELEMENTS.length; j++) {
        const name = RESOURCE_ELEMENTS[j];
        const items = statementItems(s, name);
        for (let i = 0; i < items.length; i++) {
          const item = items[i];
          if (item.value !== undefined) {
            if (shorthand) continue;
            const fact = itemResourceFact(item, variables);
            checkArn(ctx, item.node, item.value, variables, name, undefined, fact);
            if (fact) checkParts(ctx, item.node, fact, name);
          } else if (item.intrinsic && !checkSubArnVariables(ctx, item.node) && !shorthand) checkResolved(ctx, item.node, variables, name);
        }
      }
      if (shorthand) continue;
      const cs = statementConditions(s);
      for (let j = 0; j < cs.length; j++) {
        const c = cs[j];
        if (c.operator.base === undefined || !c.operator.base.startsWith('Arn')) continue;
        for (let i = 0; i < c.values.length; i++) {
          const item = c.values[i];
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
  if (!problem) return;
  const detail = `${problem[0].toUpperCase()}${problem.slice(1)}${resolvedFrom ? ` (${resolvedFrom} resolves to "${value}")` : ''}.`;
  ctx.report(node, `Invalid ARN in ${where}: write it as arn:partition:service:region:account:resource. ${detail}`);
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
    `Invalid ARN resource in ${where}: update the resource part to one of the ${fact.service} ARN formats. "${fact.value.slice(resource.start)}" does not match the expected ARN format of any ${fact.service} resource type; ${fact.service} ARNs are: ${shown}.`);
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

/**
 * `Fn::Sub [text, {Var: value}]` whose text is an ARN that writes `${Var}` after its start while
 * the value is an ARN itself (`key/${Id}` with `Id: arn:aws:kms:…:key/…`): the result names
 * nothing. SAM's KMS policy templates are such a text with the template's `KeyId`. Reported on
 * the value; the fix leaves the part the ARN needs there (the key id, `Ref` of a key for its
 * `Fn::GetAtt …Arn`). True when something was reported.
 */
function checkSubArnVariables(ctx: CheckContext, node: JsonNode): boolean {
  const sub = node.type === 'object' && node.children?.length === 1 ? propValue(node, 'Fn::Sub') : undefined;
  if (sub?.type !== 'array') return false;
  const [template, vars] = items(sub);
  const text = stringValue(template);
  if (text === undefined || !/^arn:/i.test(text)) return false;
  let reported = false;
  const vs = properties(vars);
  for (let i = 0; i < vs.length; i++) {
    const v = vs[i];
    const at = text.indexOf(`\${${v.name}}`);
    const value = v.value;
    const arn = at > 0 && value ? arnValue(ctx, value) : undefined;
    if (!arn || !value) continue;
    const before = text.slice(0, at);
    const sam = ctx.doc.expandedFrom;
    // What comes out, from the last part of the text before the variable: `"…:key/arn:aws:kms:…"`.
    const shown = `"…${before.slice(before.lastIndexOf(':'))}${arn.shown}"`;
    const written = text.replace(`\${${v.name}}`, '${KeyId}');
    // SAM builds the key's ARN in the stack's own account and Region: a key of another one
    // cannot be named there, and its id alone would name a different key.
    const elsewhere = sam ? otherStack(ctx, value) : undefined;
    const message = elsewhere
      ? `${sam![0].toUpperCase()}${sam!.slice(1)} cannot name a key of ${elsewhere.key}: grant ${arn.describe} in an inline policy statement instead. `
        + `It builds the key's ARN "${written}" in the stack's own ${elsewhere.stack}: the ARN as KeyId makes ${shown}, which names no key, and the key id alone would name another key, of the stack's.`
      : sam
      ? `${sam[0].toUpperCase()}${sam.slice(1)} writes its KeyId into "${written}": it takes a key id, and ${arn.describe} makes ${shown}, which names no key. Give the key id only.`
      : `\${${v.name}} is written inside the ARN "${text}", and its value ${arn.describe} is an ARN itself: the result is ${shown}, which names nothing. Give only the part the ARN needs there.`;
    // A copy of the map made for a policy written as JSON text lies on the string: no edit there.
    const copied = value.offset === node.offset && value.length === node.length;
    const replacement = copied || elsewhere ? undefined : arn.part(before);
    ctx.report(value, message, replacement === undefined ? undefined : {
      fixes: [{ title: `Replace with ${replacement.title}`, id: 'arn-variable-part', isPreferred: true, edits: [{ offset: value.offset, length: value.length, newText: replacement.newText }] }],
    });
    reported = true;
  }
  return reported;
}

/**
 * A literal key ARN given to a SAM KMS policy template whose account or Region is not the
 * stack's (as the template's binding gives them): what differs, in words; undefined when the
 * ARN is the stack's own or either side is not known.
 */
function otherStack(ctx: CheckContext, value: JsonNode): { key: string; stack: string } | undefined {
  const arn = value.type === 'string' ? parseArn(String(value.value)) : undefined;
  const t = ctx.doc.template;
  if (!arn || !t) return undefined;
  const account = t.account !== undefined && /^\d{12}$/.test(arn.account) && arn.account !== t.account;
  const region = t.region !== undefined && arn.region !== '' && arn.region !== t.region;
  if (!account && !region) return undefined;
  const key = account && region ? `account ${arn.account} in ${arn.region}` : account ? `account ${arn.account}` : `Region ${arn.region}`;
  const stack = account && region ? `account and Region (${t.account}, ${t.region})` : account ? `account (${t.account})` : `Region (${t.region})`;
  return { key, stack };
}

interface ArnValue {
  /** How the value is named in the message. */
  describe: string;
  /** The value as it appears in the result. */
  shown: string;
  /** What to write instead, given the text before the variable; undefined when there is nothing certain. */
  part(before: string): { title: string; newText: string } | undefined;
}

/** A variable value that is an ARN: a literal `arn:…`, `Fn::GetAtt <Key>.Arn`, an `Fn::Sub` text starting with `arn:`. */
function arnValue(ctx: CheckContext, value: JsonNode): ArnValue | undefined {
  if (value.type === 'string') {
    const v = String(value.value);
    const arn = parseArn(v);
    if (!arn) return undefined;
    return {
      describe: `"${v}"`,
      shown: v,
      part: (before) => {
        // `…:key/${Id}` with `…:key/1234`: the resource id after the same resource type.
        const slash = arn.resource.indexOf('/');
        const type = slash > 0 ? arn.resource.slice(0, slash + 1) : undefined;
        const id = type ? arn.resource.slice(slash + 1) : '';
        if (!type || !before.endsWith(`:${type}`) || !id || /[/*?$]/.test(id)) return undefined;
        return { title: `${type === 'key/' ? 'the key id' : 'the id'} ${id}`, newText: JSON.stringify(id) };
      },
    };
  }
  const logical = getAttArn(value);
  if (logical !== undefined) {
    const type = stringValue(propValue(propValue(propValue(ctx.doc.json.root, 'Resources'), logical), 'Type'));
    return {
      describe: `Fn::GetAtt ${logical}.Arn`,
      shown: `<ARN of ${logical}>`,
      // `Ref` of a KMS key is its key id.
      part: (before) => (type === 'AWS::KMS::Key' && before.endsWith(':key/') ? { title: `the key id (Ref ${logical})`, newText: JSON.stringify({ Ref: logical }) } : undefined),
    };
  }
  const sub = value.type === 'object' && value.children?.length === 1 ? propValue(value, 'Fn::Sub') : undefined;
  const subText = stringValue(sub) ?? stringValue(sub?.children?.[0]);
  if (subText !== undefined && /^arn:/i.test(subText)) return { describe: `"${subText}"`, shown: subText, part: () => undefined };
  return undefined;
}

/** `Ref CodestarConnectionArn`, `Fn::Sub`, `Fn::Join`: how an intrinsic is named in messages. */
function describeIntrinsic(node: JsonNode): string {
  const [p] = properties(node);
  const ref = p.name === 'Ref' ? stringValue(p.value) : undefined;
  return ref ? `{"Ref": "${ref}"}` : p.name;
}
