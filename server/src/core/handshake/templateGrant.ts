/**
 * The `add-iam-grant` fix for a role or user a template declares, when it has no policy the fix
 * can add a statement to: a policy of its own, written into the template in its syntax.
 * - Terraform: an `aws_iam_role_policy` (`aws_iam_user_policy`) resource after the role's
 *   (user's), its policy in `jsonencode`, laid out as `terraform fmt` writes it.
 * - CloudFormation and SAM, JSON or YAML: an item of the resource's `Policies` (the property
 *   added when it has none), in the template's indentation.
 * The key's ARN is written as the template can name it: `aws_kms_key.NAME.arn` for a key of the
 * same module, `Fn::GetAtt` for a key of the same template, else the literal ARN. CDK output is
 * generated: it gets no edit.
 */
import type { JsonDocument, JsonNode } from '../json/jsonDocument';
import { items, propValue, stringValue } from '../json/nodes';
import type { PolicyDocument } from '../model/policyDocument';
import { terraformKeyRef } from '../model/templateValues';
import { hclString, hclValue, HclText } from '../sources/hcl/hclEdits';
import { plainOrQuoted } from '../yaml/yamlEdits';
import { appendItemEdit, formatValue, insertPropertyEdit, lineIndent } from './jsonEdits';
import type { DeclaringTemplate } from './world';
import type { DeclaredPrincipal } from '../sources/discoveredFile';

/** The statement a grant adds; `Resource` is the key's ARN, or undefined where only the template can name the key. */
export interface TemplateGrantStatement { Sid: string; Effect: string; Action: string[]; Resource: string | undefined }

export interface TemplateGrant {
  /** The edit of the template's text (in `\n` line breaks). */
  edit: { offset: number; length: number; newText: string };
  /** Where the policy goes, for the fix's title: `aws_iam_role_policy.app_use_key`, `policy UseKey1234abcd of AppRole`. */
  place: string;
}

/**
 * The policy granting the statement, added to the template that declares the principal;
 * undefined when the template cannot take it here (generated, only naming the principal, the
 * key's ARN not known and the key not in the template).
 */
export function templateGrant(template: DeclaringTemplate, text: string, keyDoc: PolicyDocument, statement: TemplateGrantStatement): TemplateGrant | undefined {
  const d = template.declared;
  if (!d || d.generated) return undefined;
  if (template.shape === 'terraform') return terraformGrant(text, template.file, d, keyDoc, statement);
  if (template.shape === 'cloudformation' && template.json?.root) return cloudFormationGrant(template.json, template.file, d, keyDoc, statement);
  return undefined;
}

// ---- Terraform ----

/** `aws_kms_key.NAME` when the key policy is that key's, of the same module (folder) as `file` (see `terraformKeyRef`). */
function moduleKey(keyDoc: PolicyDocument, file: string): string | undefined {
  const module = terraformKeyRef(file, '');
  const ref = keyDoc.source === 'terraform' ? keyDoc.owner.keyRefs?.find((r) => r.startsWith(module)) : undefined;
  return ref?.slice(module.length);
}

/** A resource name of the type not yet used in the text: `base`, else `base_2`, `base_3`… */
function freeResourceName(text: string, type: string, base: string): string {
  const used = (n: string) => new RegExp(`resource\\s+"${type}"\\s+"${n}"`).test(text);
  let name = base;
  for (let i = 2; used(name); i++) name = `${base}_${i}`;
  return name;
}

/**
 * `resource "aws_iam_role_policy" "<role>_use_key"` after the role's resource. As `terraform fmt`
 * lays it out: two-space indentation, the `=` of adjacent one-line arguments aligned (an
 * argument whose value opens a bracket it does not close takes no part).
 */
function terraformGrant(text: string, file: string, d: DeclaredPrincipal, keyDoc: PolicyDocument, statement: TemplateGrantStatement): TemplateGrant | undefined {
  const key = moduleKey(keyDoc, file);
  const resource = key ? new HclText(`${key}.arn`) : statement.Resource;
  if (resource === undefined) return undefined;
  const type = d.kind === 'role' ? 'aws_iam_role_policy' : 'aws_iam_user_policy';
  const name = freeResourceName(text, type, `${d.name.slice(d.name.indexOf('.') + 1)}_use_key`);
  const entries: [string, string][] = [
    ['Sid', hclString(statement.Sid)],
    ['Effect', hclString(statement.Effect)],
    ['Action', hclValue(statement.Action, '')],
    ['Resource', hclValue(resource, '')],
  ];
  const width = Math.max(...entries.map(([k]) => k.length));
  const body = [
    `resource "${type}" "${name}" {`,
    `  name = ${hclString(statement.Sid)}`,
    `  ${d.kind} = ${d.name}.${d.kind === 'role' ? 'id' : 'name'}`,
    '  policy = jsonencode({',
    '    Version = "2012-10-17"',
    '    Statement = [',
    '      {',
    ...entries.map(([k, v]) => `        ${k.padEnd(width)} = ${v}`),
    '      },',
    '    ]',
    '  })',
    '}',
  ];
  return { edit: { offset: d.offset + d.length, length: 0, newText: `\n\n${body.join('\n')}` }, place: `${type}.${name}` };
}

// ---- CloudFormation ----

/** The logical id of the key when the key policy is that of a key of this template. */
function templateKey(keyDoc: PolicyDocument, file: string): string | undefined {
  const ref = keyDoc.owner.keyRefs?.find((r) => r.startsWith(`${file}#`));
  return keyDoc.source === 'cloudformation' && keyDoc.file === file && ref ? ref.slice(file.length + 1) : undefined;
}

/** A policy name the resource's `Policies` do not use yet: `base`, else `base2`, `base3`… */
function freePolicyName(policies: JsonNode | undefined, base: string): string {
  const used = new Set(items(policies).map((p) => stringValue(propValue(p, 'PolicyName'))));
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}${i}`;
  return name;
}

/** An item of the resource's `Policies`: after the last one, or as the first of a new `Policies` property. */
function cloudFormationGrant(json: JsonDocument, file: string, d: DeclaredPrincipal, keyDoc: PolicyDocument, statement: TemplateGrantStatement): TemplateGrant | undefined {
  const props = propValue(propValue(propValue(json.root, 'Resources'), d.name), 'Properties');
  if (props?.type !== 'object') return undefined;
  const policies = propValue(props, 'Policies');
  if (policies && policies.type !== 'array') return undefined;
  const logical = templateKey(keyDoc, file);
  const yaml = json.syntax === 'yaml';
  const resource = logical ? (yaml ? new YamlTag(`!GetAtt ${logical}.Arn`) : { 'Fn::GetAtt': [logical, 'Arn'] }) : statement.Resource;
  if (resource === undefined) return undefined;
  const policyName = freePolicyName(policies, statement.Sid);
  const item = { PolicyName: policyName, PolicyDocument: { Version: '2012-10-17', Statement: [{ ...statement, Resource: resource }] } };
  const edit = yaml ? yamlPolicyEdit(json, props, policies, item) : jsonPolicyEdit(json.text, props, policies, item);
  return edit && { edit, place: `policy ${policyName} of ${d.name}` };
}

/** The item after the last of `Policies`, in `Policies: []` one property a line as the properties are, or a `Policies` property added. */
function jsonPolicyEdit(text: string, props: JsonNode, policies: JsonNode | undefined, item: unknown) {
  const first = props.children?.[0];
  if (policies && !policies.children?.length && first && /\n/.test(text.slice(props.offset, first.offset))) {
    const indent = lineIndent(text, policies.offset);
    const own = lineIndent(text, props.offset);
    const step = indent.startsWith(own) && indent.length > own.length ? indent.slice(own.length) : '  ';
    return { offset: policies.offset, length: policies.length, newText: `[\n${indent}${step}${formatValue(item, indent + step, step, true, '\n')}\n${indent}]` };
  }
  if (policies) return appendItemEdit(text, policies, item);
  const { into: _into, ...edit } = insertPropertyEdit(text, props, 'Policies', [item]);
  return edit;
}

// ---- YAML ----

/** A value written as it is (a short-form intrinsic function: `!GetAtt Key.Arn`). */
class YamlTag {
  constructor(readonly text: string) {}
}

/** How a YAML document indents: a mapping's entries below its key, and a block sequence's dashes below its key. */
interface YamlStyle { step: number; sequence: number }

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function column(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/**
 * The document's indentation: `step` from the resource's properties below `Properties`, and
 * `sequence` from the first block sequence below a key (its dashes at the key's column, or
 * indented); two spaces each when the document does not say.
 */
function yamlStyle(text: string, root: JsonNode, props: JsonNode): YamlStyle {
  const key = props.parent?.children?.[0];
  const first = props.children?.[0];
  const step = key && first && text[props.offset] !== '{' ? column(text, first.offset) - column(text, key.offset) : 2;
  let sequence: number | undefined;
  const stack = [root];
  while (stack.length && sequence === undefined) {
    const n = stack.pop()!;
    const p = n.parent;
    if (n.type === 'array' && n.children?.length && p?.type === 'property' && text[n.offset] !== '[') {
      const dash = text.lastIndexOf('-', n.children[0].offset - 1);
      if (dash >= 0 && text.slice(lineStart(text, dash), dash).trim() === '' && lineStart(text, dash) > p.offset) sequence = column(text, dash) - column(text, p.offset);
    }
    if (n.children) stack.push(...[...n.children].reverse());
  }
  return { step: step > 0 ? step : 2, sequence: sequence !== undefined && sequence >= 0 ? sequence : 2 };
}

/** A value after `key:` whose key is at column `col`: a scalar on its line, a mapping or sequence below. */
function yamlAfterKey(v: unknown, col: number, style: YamlStyle): string {
  if (v instanceof YamlTag) return ` ${v.text}`;
  if (Array.isArray(v)) {
    const dash = col + style.sequence;
    return v.map((x) => `\n${' '.repeat(dash)}- ${yamlItem(x, dash, style)}`).join('');
  }
  if (v !== null && typeof v === 'object') return Object.entries(v).map(([k, x]) => `\n${' '.repeat(col + style.step)}${plainOrQuoted(k)}:${yamlAfterKey(x, col + style.step, style)}`).join('');
  return ` ${typeof v === 'string' ? plainOrQuoted(v) : JSON.stringify(v)}`;
}

/** A sequence item after its `- ` at column `dash`: a mapping's entries at `dash + 2`. */
function yamlItem(v: unknown, dash: number, style: YamlStyle): string {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof YamlTag) return yamlAfterKey(v, dash, style).slice(1);
  return Object.entries(v).map(([k, x], i) => `${i ? `\n${' '.repeat(dash + 2)}` : ''}${plainOrQuoted(k)}:${yamlAfterKey(x, dash + 2, style)}`).join('');
}

/**
 * The item in block YAML: after the last item of a block `Policies`, or a `Policies:` entry
 * after the last property of a block `Properties`. Flow collections are not written into.
 */
function yamlPolicyEdit(json: JsonDocument, props: JsonNode, policies: JsonNode | undefined, item: unknown) {
  const { text } = json;
  const style = yamlStyle(text, json.root!, props);
  if (policies && text[policies.offset] === '[') {
    // `Policies: []` of a block mapping becomes a block sequence below its key.
    const key = policies.parent;
    if (policies.children?.length || key?.type !== 'property' || key.colonOffset === undefined || text[props.offset] === '{') return undefined;
    const from = key.colonOffset + 1;
    return { offset: from, length: policies.offset + policies.length - from, newText: yamlAfterKey([item], column(text, key.offset), style) };
  }
  if (policies) {
    const last = policies.children?.[policies.children.length - 1];
    if (!last) return undefined;
    const dash = text.lastIndexOf('-', last.offset - 1);
    if (dash < 0 || text.slice(lineStart(text, dash), dash).trim() !== '' || text.slice(dash + 1, last.offset).trim() !== '') return undefined;
    const col = column(text, dash);
    return { offset: last.offset + last.length, length: 0, newText: `\n${' '.repeat(col)}- ${yamlItem(item, col, style)}` };
  }
  const last = props.children?.[props.children.length - 1];
  if (!last || text[props.offset] === '{') return undefined;
  const col = column(text, last.offset);
  return { offset: last.offset + last.length, length: 0, newText: `\n${' '.repeat(col)}Policies:${yamlAfterKey([item], col, style)}` };
}
