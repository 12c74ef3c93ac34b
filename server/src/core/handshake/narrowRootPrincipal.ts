/**
 * Quick-fixes `narrow-root-to-role`: replace an account principal (`arn:aws:iam::B:root`
 * or `"B"`) by one role ARN, or by all principals that have a grant at once (the string
 * becomes an array; inside an array the item becomes several), and the alternative that
 * keeps the account principal and adds an `ArnEquals` `aws:PrincipalArn` condition.
 */
import { getNodeValue } from 'jsonc-parser';
import type { LocalFix } from '../findings';
import type { JsonNode } from '../json/jsonDocument';
import { prop } from '../json/nodes';
import { replaceArrayItemEdit, replaceValueEdit } from '../model/valueEdits';
import { isIntrinsic, type PolicyDocument } from '../model/policyDocument';
import { stringValue } from '../json/nodes';
import { formatValue, insertPropertyEdit } from './jsonEdits';
import { HclText, addHclConditionEdit, hclString } from '../sources/hcl/hclEdits';
import type { Trust, TrustStatement } from './keyPolicyTrusts';
import { principalLabel } from './world';

export const NARROW_FIX_ID = 'narrow-root-to-role';
export const NARROW_CONDITION_FIX_ID = 'narrow-root-with-condition';

/** At most this many single-principal fixes for principals without a grant. */
const MAX_OTHER_CANDIDATES = 5;

/**
 * For an account principal written as a Terraform template string (`"arn:aws:iam::${var.account}:root"`):
 * how an ARN is written in its place, so the variable stays. An ARN of the account the template
 * resolves to keeps the template's text before `root` (`"arn:aws:iam::${var.account}:role/R"`);
 * any other ARN is a plain string. Undefined for any other principal.
 */
function hclTemplateWriter(doc: PolicyDocument, node: JsonNode): ((arn: string) => string) | undefined {
  if (doc.json.syntax !== 'hcl' || node.type !== 'string' || typeof node.value !== 'string' || !node.value.endsWith(':root')) return undefined;
  const raw = doc.json.text.slice(node.offset, node.offset + node.length);
  if (!/^"[^"]*\$\{[^"]*:root"$/.test(raw)) return undefined;
  const resolved = node.value.slice(0, -'root'.length);
  const template = raw.slice(0, -'root"'.length);
  return (arn) => {
    const resource = arn.slice(resolved.length);
    return arn.startsWith(resolved) && resource && !/["\\$%]/.test(resource) ? `${template}${resource}"` : hclString(arn);
  };
}

/**
 * The string of a CloudFormation account principal written with `Fn::Sub` (`!Sub` in YAML) that
 * ends in `root`: the function's text, or in the list form (`[text, {Var: value}]`) its first
 * item. Undefined for any other principal.
 */
function subTemplate(node: JsonNode): JsonNode | undefined {
  if (!isIntrinsic(node)) return undefined;
  const fn = node.children![0];
  if (stringValue(fn.children?.[0]) !== 'Fn::Sub') return undefined;
  const arg = fn.children?.[1];
  const template = arg?.type === 'array' ? arg.children?.[0] : arg;
  return template?.type === 'string' && typeof template.value === 'string' && template.value.endsWith(':root') ? template : undefined;
}

/**
 * The `Fn::Sub` text naming `arn` in place of the account principal `template` names
 * (`arn:${AWS::Partition}:iam::${Partner}:root` → `arn:${AWS::Partition}:iam::${Partner}:role/R`):
 * only `root` becomes the ARN's resource, so the parameter and the partition stay. Undefined for
 * an ARN of another account than the trusted one.
 */
function subText(template: JsonNode, trust: Trust, arn: string): string | undefined {
  const parts = arn.split(':');
  const resource = parts.slice(5).join(':');
  if (parts[4] !== trust.account || !resource || /["\\$]/.test(resource)) return undefined;
  return `${String(template.value).slice(0, -'root'.length)}${resource}`;
}

/**
 * The edit that keeps how a CloudFormation account principal is written when it is a template
 * (`!Sub 'arn:${AWS::Partition}:iam::${Partner}:root'`) and is narrowed to one ARN: only the
 * template string changes, the function (and the list form's variables) kept. Undefined otherwise.
 */
function templatedEdit(node: JsonNode, trust: Trust, arns: string[]): { offset: number; length: number; newText: string } | undefined {
  const template = arns.length === 1 ? subTemplate(node) : undefined;
  const text = template && subText(template, trust, arns[0]);
  return text === undefined ? undefined : { offset: template!.offset, length: template!.length, newText: JSON.stringify(text) };
}

/**
 * For a CloudFormation account principal written with `Fn::Sub`, narrowed to several ARNs (or to
 * one inside a list): each ARN of the trusted account as a copy of the function naming it (see
 * `subText`), any other as a string. In a JSON template a copy is the function's own text with
 * its string changed when it is written on one line; YAML writes a copy from its JSON form in
 * the template's own style (`!Sub` stays `!Sub`, see yamlEdits). Undefined for any other principal.
 */
function subWriter(doc: PolicyDocument, trust: Trust): ((arn: string) => string) | undefined {
  const node = trust.node;
  const template = subTemplate(node);
  if (!template) return undefined;
  const text = doc.json.text;
  const own = text.slice(node.offset, node.offset + node.length);
  const asWritten = (doc.json.syntax ?? 'json') === 'json' && !/[\r\n]/.test(own);
  return (arn) => {
    const sub = subText(template, trust, arn);
    if (sub === undefined) return JSON.stringify(arn);
    if (asWritten) return `${text.slice(node.offset, template.offset)}${JSON.stringify(sub)}${text.slice(template.offset + template.length, node.offset + node.length)}`;
    return formatValue(subValue(node, sub), '', '', false, '\n');
  };
}

/** The value of the `Fn::Sub` principal `node` with `sub` for its text (the list form's variables kept). */
function subValue(node: JsonNode, sub: string): unknown {
  const arg = (getNodeValue(node) as Record<string, unknown>)['Fn::Sub'];
  return { 'Fn::Sub': Array.isArray(arg) ? [sub, ...arg.slice(1)] : sub };
}

/**
 * Each ARN as the condition names it: for a principal written with `Fn::Sub`, an ARN of the
 * trusted account as a copy of the function naming it (see `subText`), as the narrowing writes it.
 */
function conditionValues(trust: Trust, arns: string[]): unknown[] {
  const template = subTemplate(trust.node);
  return arns.map((arn) => {
    const sub = template && subText(template, trust, arn);
    return sub === undefined ? arn : subValue(trust.node, sub);
  });
}

/** The fix's edits replacing the principal by `arns`, with `syntax: 'hcl'` when the edit is written in HCL as it is (a Terraform template string). */
function replaceEdits(doc: PolicyDocument, trust: Trust, arns: string[]): Pick<LocalFix, 'edits' | 'syntax'> {
  const node = trust.node;
  const kept = templatedEdit(node, trust, arns);
  if (kept) return { edits: [kept] };
  const hcl = hclTemplateWriter(doc, node);
  const write = hcl ?? subWriter(doc, trust);
  const parent = node.parent;
  // Several ARNs are written as the document writes its arrays (one a line when long); a policy
  // in a JSON string stays on its lines; YAML writes the items of a block sequence one a line itself.
  const wrapLong = !doc.embedded && doc.json.syntax !== 'yaml';
  const edit = parent?.type === 'array'
    ? replaceArrayItemEdit(doc.json.text, parent, node, arns, wrapLong, write)
    : replaceValueEdit(node, arns.length === 1 ? arns[0] : arns, doc.json.text, wrapLong, write);
  return hcl ? { edits: [edit], syntax: 'hcl' } : { edits: [edit] };
}

/**
 * `matching`: the principals that use the key (have a grant on it), or may (`unknown`: their
 * only grants are in policies or statements whose content is not known). `broken`: principals
 * with a grant on the key that does not work (a Deny removes it, a condition never holds, no
 * request meets both its condition and the statement's).
 */
export function narrowRootFixes(doc: PolicyDocument, ts: TrustStatement, trust: Trust, matching: string[], others: string[], unknown: readonly string[] = [], broken: readonly string[] = []): LocalFix[] {
  const fixes: LocalFix[] = [];
  if (trust.form === 'root') {
    matching.forEach((arn, i) => fixes.push({
      title: `Narrow the principal to ${arn} (${unknown.includes(arn) ? 'may have a grant on this key: not all of its policy is known' : 'has a grant on this key'})`,
      id: NARROW_FIX_ID,
      isPreferred: matching.length === 1 && i === 0,
      ...replaceEdits(doc, trust, [arn]),
    }));
    if (matching.length > 1) {
      fixes.push({
        title: `Narrow the principal to the ${matching.length} principals with a grant${unknown.length ? ' or that may have one' : ''}: ${matching.map(principalLabel).join(', ')}`,
        id: NARROW_FIX_ID,
        isPreferred: true,
        ...replaceEdits(doc, trust, matching),
      });
    }
    const rest: string[] = [];
    for (const a of others) {
      if (rest.length >= MAX_OTHER_CANDIDATES) break;
      if (!matching.includes(a)) rest.push(a);
    }
    for (const arn of rest) {
      fixes.push({ title: `Narrow the principal to ${arn} (${broken.includes(arn) ? 'its grant on this key does not work' : 'no grant on this key yet'})`, id: NARROW_FIX_ID, ...replaceEdits(doc, trust, [arn]) });
    }
  }
  const condition = conditionEdit(doc, ts, trust, matching);
  if (condition) {
    fixes.push({
      title: `Keep ${trust.form === 'root' ? 'the account principal' : `"*" limited to ${trust.account}`} and allow only ${matching.map(principalLabel).join(', ')} (ArnEquals aws:PrincipalArn condition)`,
      id: NARROW_CONDITION_FIX_ID,
      edits: [condition],
      ...(doc.json.syntax === 'hcl' ? { syntax: 'hcl' as const } : {}),
    });
  }
  return fixes;
}

/** The condition alternative, when the trust is the statement's only principal and it has no aws:PrincipalArn limit yet. */
function conditionEdit(doc: PolicyDocument, ts: TrustStatement, trust: Trust, matching: string[]) {
  if (matching.length === 0 || ts.principalArnPatterns || ts.trusts.length !== 1 || ts.trusts[0] !== trust) return undefined;
  const text = doc.json.text;
  if (doc.json.syntax === 'hcl') {
    const value = matching.length === 1 ? matching[0] : matching;
    // The role ARNs keep the principal's template (`${var.account}`), as the narrowing does.
    const write = hclTemplateWriter(doc, trust.node);
    const hcl = (arns: string | string[]) => (!write ? arns : Array.isArray(arns) ? arns.map((a) => new HclText(write(a))) : new HclText(write(arns)));
    // Terraform: one more `condition` block in a policy document's statement block; in
    // jsonencode, `Condition = {…}`, or merged into the statement's Condition and its ArnEquals.
    return addHclConditionEdit(text, ts.statement.node, ts.statement.elements.Condition?.value, 'ArnEquals', 'aws:PrincipalArn', hcl(value));
  }
  // The role ARNs keep the principal's template (`Fn::Sub`), as the narrowing does.
  const values = conditionValues(trust, matching);
  const value = values.length === 1 ? values[0] : values;
  const condition = ts.statement.elements.Condition?.value;
  if (!condition) return insertPropertyEdit(text, ts.statement.node, 'Condition', { ArnEquals: { 'aws:PrincipalArn': value } });
  if (condition.type !== 'object') return undefined;
  const arnEquals = prop(condition, 'ArnEquals')?.value;
  if (arnEquals?.type === 'object') return insertPropertyEdit(text, arnEquals, 'aws:PrincipalArn', value);
  if (arnEquals) return undefined;
  return insertPropertyEdit(text, condition, 'ArnEquals', { 'aws:PrincipalArn': value });
}
