/**
 * Quick-fixes `narrow-root-to-role`: replace an account principal (`arn:aws:iam::B:root`
 * or `"B"`) by one role ARN, or by all principals that have a grant at once (the string
 * becomes an array; inside an array the item becomes several), and the alternative that
 * keeps the account principal and adds an `ArnEquals` `aws:PrincipalArn` condition. A principal
 * written as a template expression (Terraform `${var.x}`, CloudFormation `Fn::Sub`, `Fn::Join`,
 * `Ref` of an account or root ARN parameter, a templated JSON file's `${name}`) keeps it: each role ARN, in the principal or in the
 * condition, is written with the same account and partition expression. A principal an `Fn::If`
 * chooses is narrowed in its own branch (the other branch, another deployment's, kept), without
 * the condition alternative (a condition holds for every branch). A CloudFormation expression
 * not written so (`Fn::ImportValue`, `Fn::FindInMap`, …) gets neither fix: a literal ARN would be
 * wrong for every other deployment of the template.
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

/** The text of a string of a templated JSON file written with a placeholder (`arn:aws:iam::${workload_account}:root`), without its quotes; else undefined. */
function placeholderText(doc: PolicyDocument, node: JsonNode): string | undefined {
  if ((doc.json.syntax ?? 'json') !== 'json' || doc.embedded || node.type !== 'string' || typeof node.value !== 'string') return undefined;
  const quoted = doc.json.text[node.offset] === '"';
  const raw = doc.json.text.slice(node.offset + (quoted ? 1 : 0), node.offset + node.length - (quoted ? 1 : 0));
  return raw !== node.value && raw.includes('${') ? raw : undefined;
}

/**
 * For an account principal of a templated JSON file (Terraform `templatefile`, envsubst) written
 * with a placeholder and read with the manifest's value: an ARN of that account as a string
 * written with the same placeholder, so it stays: the text before `root`
 * (`arn:aws:iam::${workload_account}:root` → `arn:aws:iam::${workload_account}:role/R`), or for
 * the account id alone (`${workload_account}`) `arn:aws:iam::${workload_account}:role/R`.
 * Undefined for any other ARN, and for any other principal.
 */
function placeholderValue(doc: PolicyDocument, trust: Trust): ((arn: string) => string | undefined) | undefined {
  const raw = placeholderText(doc, trust.node);
  if (raw === undefined || /["\\]/.test(raw)) return undefined;
  const resourceOf = (arn: string): string | undefined => {
    const parts = arn.split(':');
    const resource = parts.slice(5).join(':');
    return parts[4] === trust.account && resource && !/["\\$%]/.test(resource) ? resource : undefined;
  };
  if (trust.value.endsWith(':root') && raw.endsWith(':root')) {
    const template = raw.slice(0, -'root'.length);
    return (arn) => {
      const resource = resourceOf(arn);
      return resource === undefined ? undefined : `${template}${resource}`;
    };
  }
  if (trust.value !== trust.account || raw.includes(':')) return undefined;
  return (arn) => {
    const resource = resourceOf(arn);
    return resource === undefined ? undefined : `arn:${arn.split(':')[1]}:iam::${raw}:${resource}`;
  };
}

/** An ARN written by an account expression: its value, and the changes to the principal's text (node, JSON text) that make it. */
interface Written { value: unknown; changes: [JsonNode, string][] }

/**
 * How a CloudFormation account principal writes the account when it is a template expression:
 * `write` gives an ARN of the trusted account written the same way, undefined for any other ARN.
 * The expression is the principal's node, or for a principal an `Fn::If` chooses, the branch
 * that writes it (see `writtenNode`).
 * - `Fn::Sub` (`!Sub`) whose text ends in `root`, or in the list form (`[text, {Var: value}]`)
 *   whose first item does: only `root` becomes the ARN's resource
 *   (`arn:${AWS::Partition}:iam::${Partner}:root` → `…:role/R`), the variables kept;
 * - `Fn::Sub` whose text is the account id (`${Partner}`): the text becomes
 *   `arn:${AWS::Partition}:iam::${Partner}:` and the resource;
 * - `Fn::Join` (CDK writes `["arn:", {Ref: AWS::Partition}, ":iam::", {Ref: AWS::AccountId}, ":root"]`)
 *   whose last part is a string ending in `root`: only that part changes (`":role/R"`);
 * - `Ref` of a parameter holding the account id: `Fn::Sub` of `arn:${AWS::Partition}:iam::${Param}:`
 *   and the resource, so the parameter stays;
 * - `Ref` of a parameter holding the root ARN: `Fn::Sub` of `arn:${AWS::Partition}:iam::${Account}:`
 *   and the resource, `Account` the ARN's fifth field (`Fn::Select` 4 of its `Fn::Split` at `:`).
 * Undefined for any other principal.
 */
function accountExpression(doc: PolicyDocument, trust: Trust): ((arn: string) => Written | undefined) | undefined {
  const node = writtenNode(trust);
  if (doc.json.syntax === 'hcl' || !isIntrinsic(node)) return undefined;
  const fn = node.children![0];
  const name = stringValue(fn.children?.[0]);
  const arg = fn.children?.[1];
  const value = getNodeValue(node) as Record<string, unknown>;
  const resourceOf = (arn: string): string | undefined => {
    const parts = arn.split(':');
    const resource = parts.slice(5).join(':');
    return parts[4] === trust.account && resource && !/["\\$]/.test(resource) ? resource : undefined;
  };
  const isRoot = trust.value.endsWith(':root');
  const endsInRoot = (n: JsonNode | undefined): n is JsonNode => n?.type === 'string' && typeof n.value === 'string' && n.value.endsWith('root') && isRoot;
  /** The string `leaf` with `root` at its end replaced by the ARN's resource. */
  const rooted = (leaf: JsonNode, arn: string): string | undefined => {
    const resource = resourceOf(arn);
    return resource === undefined ? undefined : `${String(leaf.value).slice(0, -'root'.length)}${resource}`;
  };
  if (name === 'Fn::Sub') {
    const template = arg?.type === 'array' ? arg.children?.[0] : arg;
    const args = value['Fn::Sub'];
    const withText = (sub: string): Written => ({ value: { 'Fn::Sub': Array.isArray(args) ? [sub, ...args.slice(1)] : sub }, changes: [[template!, JSON.stringify(sub)]] });
    if (endsInRoot(template)) {
      return (arn) => {
        const sub = rooted(template, arn);
        return sub === undefined ? undefined : withText(sub);
      };
    }
    // The account id alone (`${Partner}`, `${AWS::AccountId}`).
    const text = stringValue(template);
    if (text === undefined || trust.value !== trust.account || !/^[^:"\\]+$/.test(text)) return undefined;
    return (arn) => {
      const resource = resourceOf(arn);
      return resource === undefined ? undefined : withText(`arn:\${AWS::Partition}:iam::${text}:${resource}`);
    };
  }
  if (name === 'Fn::Join') {
    const parts = arg?.type === 'array' && arg.children?.length === 2 ? arg.children[1] : undefined;
    const last = parts?.type === 'array' ? parts.children?.[parts.children.length - 1] : undefined;
    const args = value['Fn::Join'] as [unknown, unknown[]];
    if (!endsInRoot(last)) return undefined;
    return (arn) => {
      const text = rooted(last, arn);
      if (text === undefined) return undefined;
      return { value: { 'Fn::Join': [args[0], [...args[1].slice(0, -1), text]] }, changes: [[last, JSON.stringify(text)]] };
    };
  }
  const param = stringValue(arg);
  if (name !== 'Ref' || !param || !/^[A-Za-z0-9]+(::[A-Za-z0-9]+)?$/.test(param)) return undefined;
  if (trust.value === trust.account) {
    return (arn) => {
      const resource = resourceOf(arn);
      if (resource === undefined) return undefined;
      const sub = `arn:\${AWS::Partition}:iam::\${${param}}:${resource}`;
      return { value: { 'Fn::Sub': sub }, changes: [[fn.children![0], JSON.stringify('Fn::Sub')], [arg!, JSON.stringify(sub)]] };
    };
  }
  if (!isRoot || param.includes('::')) return undefined;
  // The parameter holds `arn:aws:iam::B:root`: the account is its fifth field.
  const account = { 'Fn::Select': [4, { 'Fn::Split': [':', { Ref: param }] }] };
  return (arn) => {
    const resource = resourceOf(arn);
    if (resource === undefined) return undefined;
    const sub = [`arn:\${AWS::Partition}:iam::\${Account}:${resource}`, { Account: account }];
    return { value: { 'Fn::Sub': sub }, changes: [[fn.children![0], JSON.stringify('Fn::Sub')], [arg!, formatValue(sub, '', '', false, '\n')]] };
  };
}

/** The node that writes the trust's principal: the `Fn::If` branch that chooses it, else the principal's own node. */
function writtenNode(trust: Trust): JsonNode {
  return trust.written ?? trust.node;
}

/**
 * The edit narrowing an account expression to one ARN in place when only one string of it
 * changes (the `Fn::Sub` text, the `Fn::Join` last part): the function, its other parts and its
 * layout kept. Undefined otherwise.
 */
function inPlaceEdit(write: ((arn: string) => Written | undefined) | undefined, arns: string[]): { offset: number; length: number; newText: string } | undefined {
  const written = write && arns.length === 1 ? write(arns[0]) : undefined;
  if (written?.changes.length !== 1) return undefined;
  const [node, newText] = written.changes[0];
  return { offset: node.offset, length: node.length, newText };
}

/**
 * For a CloudFormation account expression narrowed to several ARNs (or to one inside a list,
 * or a `Ref` that becomes a `Fn::Sub`): each ARN of the trusted account as the expression
 * writes it (see `accountExpression`), any other as a string. In a JSON template a copy is the
 * function's own text with its changes made when it is written on one line; YAML writes a copy
 * from its JSON form in the template's own style (`!Sub` stays `!Sub`, see yamlEdits).
 */
function expressionWriter(doc: PolicyDocument, node: JsonNode, write: (arn: string) => Written | undefined): (arn: string) => string {
  const text = doc.json.text;
  const own = text.slice(node.offset, node.offset + node.length);
  const asWritten = (doc.json.syntax ?? 'json') === 'json' && !/[\r\n]/.test(own);
  return (arn) => {
    const written = write(arn);
    if (!written) return JSON.stringify(arn);
    if (!asWritten) return formatValue(written.value, '', '', false, '\n');
    let copy = '';
    let at = node.offset;
    for (const [changed, newText] of written.changes) {
      copy += text.slice(at, changed.offset) + newText;
      at = changed.offset + changed.length;
    }
    return copy + text.slice(at, node.offset + node.length);
  };
}

/**
 * The fix's edits replacing the principal by `arns`, with `syntax: 'hcl'` when the edit is written
 * in HCL as it is (a Terraform template string). A principal an `Fn::If` chooses is narrowed in
 * its branch, the condition and the other branch kept: several ARNs are a list there
 * (`whole`: in YAML too, one value in place of the branch, not items of the `Fn::If`).
 */
function replaceEdits(doc: PolicyDocument, trust: Trust, arns: string[]): Pick<LocalFix, 'edits' | 'syntax'> {
  const node = writtenNode(trust);
  const expression = accountExpression(doc, trust);
  const kept = inPlaceEdit(expression, arns);
  if (kept) return { edits: [kept] };
  const hcl = hclTemplateWriter(doc, node);
  const placeholder = placeholderValue(doc, trust);
  const write = hcl ?? (expression && expressionWriter(doc, node, expression)) ?? (placeholder && ((arn: string) => JSON.stringify(placeholder(arn) ?? arn)));
  const parent = node.parent;
  // Several ARNs are written as the document writes its arrays (one a line when long); a policy
  // in a JSON string stays on its lines; YAML writes the items of a block sequence one a line itself.
  const wrapLong = !doc.embedded && doc.json.syntax !== 'yaml';
  if (isBranch(node)) {
    const edit = replaceValueEdit(node, arns.length === 1 ? arns[0] : arns, doc.json.text, wrapLong, write);
    return { edits: [arns.length > 1 ? { ...edit, whole: true } : edit] };
  }
  const edit = parent?.type === 'array'
    ? replaceArrayItemEdit(doc.json.text, parent, node, arns, wrapLong, write)
    : replaceValueEdit(node, arns.length === 1 ? arns[0] : arns, doc.json.text, wrapLong, write);
  return hcl ? { edits: [edit], syntax: 'hcl' } : { edits: [edit] };
}

/** Whether a node is a branch of an `Fn::If` (its second or third argument). */
function isBranch(node: JsonNode): boolean {
  const args = node.parent;
  const fn = args?.parent;
  return args?.type === 'array' && fn?.type === 'property' && fn.children?.[0]?.value === 'Fn::If' && args.children!.indexOf(node) > 0;
}

/**
 * Whether the narrowing fixes would write the principal's account as a literal where a
 * CloudFormation template computes it (an expression `accountExpression` does not write,
 * `Fn::ImportValue`, `Fn::FindInMap`, …) or a templated JSON file has a placeholder
 * `placeholderValue` does not write (`${trusted_root_arn}`): the fixed template would be wrong
 * for every other deployment of it, so they are not offered.
 */
function hardCodes(doc: PolicyDocument, trust: Trust): boolean {
  if (doc.json.syntax === 'hcl') return false;
  if (isIntrinsic(writtenNode(trust))) return !accountExpression(doc, trust);
  return placeholderText(doc, trust.node) !== undefined && !placeholderValue(doc, trust);
}

/**
 * `matching`: the principals that use the key (have a grant on it), or may (`unknown`: their
 * only grants are in policies or statements whose content is not known). `broken`: principals
 * with a grant on the key that does not work (a Deny removes it, a condition never holds, no
 * request meets both its condition and the statement's).
 */
export function narrowRootFixes(doc: PolicyDocument, ts: TrustStatement, trust: Trust, matching: string[], others: string[], unknown: readonly string[] = [], broken: readonly string[] = []): LocalFix[] {
  const fixes: LocalFix[] = [];
  if (hardCodes(doc, trust)) return fixes;
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

/** The condition alternative, when the trust is the statement's only principal, not one an `Fn::If` chooses, and it has no aws:PrincipalArn limit yet. */
function conditionEdit(doc: PolicyDocument, ts: TrustStatement, trust: Trust, matching: string[]) {
  if (matching.length === 0 || trust.written || ts.principalArnPatterns || ts.trusts.length !== 1 || ts.trusts[0] !== trust) return undefined;
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
  // The role ARNs keep the principal's expression (`Fn::Sub`, `Fn::Join`) or placeholder, as the narrowing does.
  const expression = accountExpression(doc, trust);
  const placeholder = placeholderValue(doc, trust);
  const values = matching.map((arn) => expression?.(arn)?.value ?? placeholder?.(arn) ?? arn);
  const value = values.length === 1 ? values[0] : values;
  const condition = ts.statement.elements.Condition?.value;
  if (!condition) return insertPropertyEdit(text, ts.statement.node, 'Condition', { ArnEquals: { 'aws:PrincipalArn': value } });
  if (condition.type !== 'object') return undefined;
  const arnEquals = prop(condition, 'ArnEquals')?.value;
  if (arnEquals?.type === 'object') return insertPropertyEdit(text, arnEquals, 'aws:PrincipalArn', value);
  if (arnEquals) return undefined;
  return insertPropertyEdit(text, condition, 'ArnEquals', { 'aws:PrincipalArn': value });
}
