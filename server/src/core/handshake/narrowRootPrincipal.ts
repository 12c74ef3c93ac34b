/**
 * Quick-fixes `narrow-root-to-role`: replace an account principal (`arn:aws:iam::B:root`
 * or `"B"`) by one role ARN, or by all principals that have a grant at once (the string
 * becomes an array; inside an array the item becomes several), and the alternative that
 * keeps the account principal and adds an `ArnEquals` `aws:PrincipalArn` condition.
 */
import type { LocalFix } from '../findings';
import type { JsonNode } from '../json/jsonDocument';
import { prop } from '../json/nodes';
import { replaceArrayItemEdit, replaceValueEdit } from '../model/valueEdits';
import { isIntrinsic, type PolicyDocument } from '../model/policyDocument';
import { stringValue } from '../json/nodes';
import { insertPropertyEdit } from './jsonEdits';
import { HclText, hclString, hclValue, insertHclElement, isBlockNode, isHclObject } from '../sources/hcl/hclEdits';
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
 * The edit that keeps how a CloudFormation account principal is written when it is a template
 * (`!Sub 'arn:${AWS::Partition}:iam::${Partner}:root'`): only its `root` becomes the role's
 * resource part, so the parameter and the partition stay. One ARN only, and not inside a list;
 * undefined otherwise.
 */
function templatedEdit(node: JsonNode, arns: string[]): { offset: number; length: number; newText: string } | undefined {
  if (arns.length !== 1 || node.parent?.type === 'array') return undefined;
  const resource = arns[0].split(':').slice(5).join(':');
  if (!resource || /["\\$]/.test(resource)) return undefined;
  // `{"Fn::Sub": "…:root"}` (a `!Sub` in YAML): the template string is replaced, the function kept.
  if (!isIntrinsic(node)) return undefined;
  const fn = node.children![0];
  const template = fn.children?.[1];
  if (stringValue(fn.children?.[0]) !== 'Fn::Sub' || template?.type !== 'string' || typeof template.value !== 'string' || !template.value.endsWith(':root')) return undefined;
  return { offset: template.offset, length: template.length, newText: JSON.stringify(`${template.value.slice(0, -'root'.length)}${resource}`) };
}

/** The fix's edits replacing the principal by `arns`, with `syntax: 'hcl'` when the edit is written in HCL as it is (a Terraform template string). */
function replaceEdits(doc: PolicyDocument, node: JsonNode, arns: string[]): Pick<LocalFix, 'edits' | 'syntax'> {
  const kept = templatedEdit(node, arns);
  if (kept) return { edits: [kept] };
  const write = hclTemplateWriter(doc, node);
  const parent = node.parent;
  // Several ARNs are written as the document writes its arrays (one a line when long); a policy in a JSON string stays on its lines.
  const edit = parent?.type === 'array'
    ? replaceArrayItemEdit(doc.json.text, parent, node, arns, !doc.embedded, write)
    : replaceValueEdit(node, arns.length === 1 ? arns[0] : arns, doc.json.text, !doc.embedded, write);
  return write ? { edits: [edit], syntax: 'hcl' } : { edits: [edit] };
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
      ...replaceEdits(doc, trust.node, [arn]),
    }));
    if (matching.length > 1) {
      fixes.push({
        title: `Narrow the principal to the ${matching.length} principals with a grant${unknown.length ? ' or that may have one' : ''}: ${matching.map(principalLabel).join(', ')}`,
        id: NARROW_FIX_ID,
        isPreferred: true,
        ...replaceEdits(doc, trust.node, matching),
      });
    }
    const rest: string[] = [];
    for (const a of others) {
      if (rest.length >= MAX_OTHER_CANDIDATES) break;
      if (!matching.includes(a)) rest.push(a);
    }
    for (const arn of rest) {
      fixes.push({ title: `Narrow the principal to ${arn} (${broken.includes(arn) ? 'its grant on this key does not work' : 'no grant on this key yet'})`, id: NARROW_FIX_ID, ...replaceEdits(doc, trust.node, [arn]) });
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
  const value = matching.length === 1 ? matching[0] : matching;
  const text = doc.json.text;
  if (doc.json.syntax === 'hcl') {
    // The role ARNs keep the principal's template (`${var.account}`), as the narrowing does.
    const write = hclTemplateWriter(doc, trust.node);
    const hcl = (arns: string | string[]) => (!write ? arns : Array.isArray(arns) ? arns.map((a) => new HclText(write(a))) : new HclText(write(arns)));
    // Terraform: one more `condition` block in a policy document's statement block (its
    // conditions are blocks of their own); in jsonencode, `Condition = {…}`, or its entries added
    // to the statement's Condition object and to that object's ArnEquals.
    if (isBlockNode(text, ts.statement.node)) {
      return insertHclElement(text, ts.statement.node, `condition {\n  test     = "ArnEquals"\n  variable = "aws:PrincipalArn"\n  values   = ${hclValue(hcl(matching), '')}\n}`);
    }
    const existing = ts.statement.elements.Condition?.value;
    if (!existing) return insertHclElement(text, ts.statement.node, `Condition = ${hclValue({ ArnEquals: { 'aws:PrincipalArn': hcl(value) } }, '')}`);
    if (!isHclObject(text, existing)) return undefined;
    const arnEquals = prop(existing, 'ArnEquals')?.value;
    if (arnEquals && !isHclObject(text, arnEquals)) return undefined;
    return arnEquals
      ? insertHclElement(text, arnEquals, `"aws:PrincipalArn" = ${hclValue(hcl(value), '')}`)
      : insertHclElement(text, existing, `ArnEquals = ${hclValue({ 'aws:PrincipalArn': hcl(value) }, '')}`);
  }
  const condition = ts.statement.elements.Condition?.value;
  if (!condition) return insertPropertyEdit(text, ts.statement.node, 'Condition', { ArnEquals: { 'aws:PrincipalArn': value } });
  if (condition.type !== 'object') return undefined;
  const arnEquals = prop(condition, 'ArnEquals')?.value;
  if (arnEquals?.type === 'object') return insertPropertyEdit(text, arnEquals, 'aws:PrincipalArn', value);
  if (arnEquals) return undefined;
  return insertPropertyEdit(text, condition, 'ArnEquals', { 'aws:PrincipalArn': value });
}
