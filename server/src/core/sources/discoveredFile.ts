/**
 * What reading a file gives (its shape and policy documents) and what every reader of a
 * source shares: the manifest's binding of the file, making a document, parsing a policy
 * held in a JSON string.
 */
import { parseJson, type JsonDocument, type JsonNode, type ParseLimits } from '../json/jsonDocument';
import { decodeStringLiteral, escapeForStringLiteral, mapDecodedOffset } from '../json/embeddedJson';
import { decodeYamlScalar } from '../yaml/scalarText';
import { detectKind } from '../model/kind';
import type { PolicyDocument, PolicyKind, PolicyOwner, PolicySource } from '../model/policyDocument';
import type { TemplateContext } from '../model/templateValues';
import type { GrantDeclaration, KmsGrant } from '../model/kmsGrants';
import { jsonNode, link, propertyNode, unknownNode } from './hcl/hclValues';

/** What the manifest says about a file, when it says anything. */
export interface FileBinding {
  kind?: PolicyKind;
  owner?: PolicyOwner;
  template?: TemplateContext;
  /**
   * For a file a Terraform `file()` or `templatefile()` of the workspace reads: which one.
   * `templatefile()` renders it as a template (`${…}` is Terraform's, `$${` writes `${`);
   * `file()` reads it as it is. See `isTerraformTemplate`.
   */
  readBy?: 'file' | 'templatefile';
  /** For a Terraform file: its policy document blocks that other files of the module use, by block name. */
  documentUses?: Record<string, PolicyDocumentUse>;
  /**
   * KMS grants other files declare on this file's keys, by the key they name: a Terraform key
   * address of the same module (`aws_kms_key.app`) or a key ARN (the key the manifest binds here).
   */
  keyGrants?: Record<string, KmsGrant[]>;
  /**
   * For a Terraform file: literal values of its module's variables from the other files of its
   * folder: `variable` defaults declared there, and what `terraform.tfvars` / `*.auto.tfvars`
   * assign (which win over any default). The manifest's `parameters` win over both.
   */
  moduleVariables?: { defaults: Record<string, string>; assigned: Record<string, string> };
}

/** How a Terraform resource uses a policy document block (`data.aws_iam_policy_document.NAME.json`). */
export interface PolicyDocumentUse {
  kind: PolicyKind;
  owner: PolicyOwner;
  extra: { isManagedPolicy?: boolean; isInlinePolicy?: boolean; policyArn?: string };
}

/**
 * Two uses of one policy document block: the block is the policy of every principal of both
 * (two roles' `aws_iam_role_policy` naming one `data.aws_iam_policy_document`). A use whose
 * principals are not known makes the block attached to principals not listed too. Uses of
 * other kinds (a key's and a role's) keep the first.
 */
export function mergeDocumentUse<T extends { kind: PolicyKind; owner: PolicyOwner }>(a: T, b: T): T {
  if (a.kind !== b.kind || a.kind === 'kms-key-policy') return a;
  const principals = [...(a.owner.principals ?? [])];
  for (const p of b.owner.principals ?? []) if (!principals.includes(p)) principals.push(p);
  const unlisted = !a.owner.principals?.length || !b.owner.principals?.length || !!a.owner.alsoAttached || !!b.owner.alsoAttached;
  return { ...a, owner: { ...a.owner, principals, ...(unlisted ? { alsoAttached: true } : {}) } };
}

export type FileShape = 'policy' | 'get-key-policy' | 'authorization-details' | 'cloudformation' | 'terraform-plan' | 'terraform' | 'not-a-policy';

export interface DiscoveredFile {
  file: string;
  json: JsonDocument;
  shape: FileShape;
  documents: PolicyDocument[];
  /** Problems found while reading embedded documents (syntax errors inside a `Policy` string). */
  embeddedProblems: { json: JsonDocument; toFileOffset: (o: number) => number }[];
  /**
   * An authorization-details export's lists of every role and every user of its account, when
   * the export has that list (`RoleDetailList`, `UserDetailList`; a filtered export may lack one),
   * and (any source) the roles and users with a permissions boundary, which the handshake does
   * not evaluate (`bounded`).
   */
  listed?: { roles?: string[]; users?: string[]; bounded?: string[] };
  /** Other files this one says what they are (Terraform `file()` / `templatefile()` policies): the binding they get. */
  fileReferences?: FileReference[];
  /** Terraform: the policy document blocks the file declares, and those of other files of its module it uses. */
  policyDocuments?: { declared: string[]; used: Record<string, PolicyDocumentUse> };
  /**
   * Terraform: the keys the file declares (`aws_kms_key.NAME`, which grants of other files of
   * the module may name), and its grants on keys it does not declare, by the key they name (an
   * address of another file of the module, or a key ARN).
   */
  kmsGrants?: { keys: string[]; foreign: { key: string; grant: KmsGrant }[] };
  /** Terraform: what each `aws_kms_grant` of the file writes as literal strings, whatever key it names (checks read it). */
  grantDeclarations?: GrantDeclaration[];
  /**
   * Terraform: literal values the file gives its module's variables: `variable` blocks'
   * defaults (`.tf`), and assignments of a variables file Terraform loads by itself
   * (`terraform.tfvars`, `*.auto.tfvars`), which win over defaults.
   */
  moduleVariables?: { defaults?: Record<string, string>; assigned?: Record<string, string>; used?: string[] };
  /**
   * A template's roles and users of known ARN (CloudFormation `AWS::IAM::Role` / `User`,
   * Terraform `aws_iam_role` / `aws_iam_user`): where a policy of theirs can be added to it.
   */
  declaredPrincipals?: DeclaredPrincipal[];
}

/** A role or user a template declares (see `DiscoveredFile.declaredPrincipals`). */
export interface DeclaredPrincipal {
  arn: string;
  kind: 'role' | 'user';
  /** The resource's name in the template: a logical id, or a Terraform address (`aws_iam_role.app`). */
  name: string;
  /** The resource's range in the file. */
  offset: number;
  length: number;
  /** CDK output: the template is generated (`aws:cdk:path` metadata), not written by hand. */
  generated?: boolean;
}

/** A policy file another file names, with the kind, owner and template values it gives it. */
export interface FileReference {
  /** The referenced file's path, in the form the referring file's path is given. */
  target: string;
  binding: FileBinding;
}

export function makeDocument(
  file: string,
  json: JsonDocument,
  root: JsonNode,
  source: PolicySource,
  container: PolicyKind | undefined,
  binding: FileBinding | undefined,
  owner: PolicyOwner,
  extra: Partial<PolicyDocument> = {},
): PolicyDocument {
  let kind: PolicyKind;
  let kindReason: PolicyDocument['kindReason'];
  if (binding?.kind) { kind = binding.kind; kindReason = 'manifest'; }
  else if (container) { kind = container; kindReason = 'container'; }
  else { kind = detectKind(root); kindReason = 'content'; }
  return {
    file,
    kind,
    kindReason,
    source,
    owner: { ...owner, ...binding?.owner },
    json,
    root,
    toFileOffset: (o) => o,
    embedded: false,
    allowsIntrinsics: source === 'cloudformation',
    ...(binding?.template ? { template: binding.template } : {}),
    ...extra,
  };
}

/** Parse a policy held in a JSON string node of `outer`; offsets map back through escapes. */
export function embeddedDocument(outer: JsonDocument, stringNode: JsonNode, limits: ParseLimits) {
  const decoded = decodeStringLiteral(outer.text, stringNode.offset, stringNode.length);
  const json = parseJson(decoded.text, limits);
  return { json, toFileOffset: (o: number) => mapDecodedOffset(decoded, o) };
}

/**
 * A policy written as JSON text in a string of a template (`PolicyDocument: !Sub '{…}'`, a
 * JSON string, a YAML scalar of any quoting, a literal or folded block): parsed with a map from every
 * character of the string's value back to the file, and a writer that puts an edit into the
 * string only where its range is written character for character in the file. With `sub`, the
 * string is an `Fn::Sub` template: each string of the policy that names a `${…}` value becomes
 * that string's `Fn::Sub` (with the template's variable map, `!Sub ['{…}', {Var: …}]`, when it
 * has one), resolved as the template's other ones are; `${!Literal}` alone is the literal
 * `${Literal}`. Undefined when the string's form has no exact map.
 */
export function templateStringDocument(outer: JsonDocument, stringNode: JsonNode, limits: ParseLimits, sub: { vars?: JsonNode } | undefined) {
  const yaml = outer.syntax === 'yaml';
  const decoded = yaml
    ? decodeYamlScalar(outer.text, stringNode.offset, stringNode.length, String(stringNode.value))
    : decodeStringLiteral(outer.text, stringNode.offset, stringNode.length);
  if (!decoded) return undefined;
  const json = parseJson(decoded.text, limits);
  if (sub && json.root) substitutions(json.root, sub.vars);
  const quote = yaml ? outer.text[stringNode.offset] : '"';
  const writeInString = (offset: number, length: number, newText: string): string | undefined => {
    // Within one line of the file: an edit across a folded line break has no safe form.
    const raw = outer.text.slice(mapDecodedOffset(decoded, offset), mapDecodedOffset(decoded, offset + length));
    if (/[\r\n]/.test(raw)) return undefined;
    if (quote === '"') return escapeForStringLiteral(newText);
    if (/[\r\n]/.test(newText)) return undefined;
    if (quote === "'") return newText.replace(/'/g, "''");
    // A plain scalar or a block scalar: written as is, where that cannot end the scalar or start a comment.
    if (raw !== decoded.text.slice(offset, offset + length)) return undefined;
    if (quote === '|' || quote === '>') return keepsLineStart(outer.text, mapDecodedOffset(decoded, offset), raw.length, newText) ? newText : undefined;
    return !/: | #/.test(newText) ? newText : undefined;
  };
  return { json, toFileOffset: (o: number) => mapDecodedOffset(decoded, o), writeInString };
}

/**
 * In a block scalar, an edit of one line that leaves how the line starts as it was: a line
 * whose text would start with white space (or become empty) changes the block's indentation
 * or, folded, which line breaks fold.
 */
function keepsLineStart(text: string, at: number, length: number, newText: string): boolean {
  let lineStart = at;
  while (lineStart > 0 && text[lineStart - 1] === ' ') lineStart--;
  const atContentStart = lineStart === 0 || text[lineStart - 1] === '\n' || text[lineStart - 1] === '\r';
  if (!atContentStart) return true;
  const after = text[at + length];
  const first = newText ? newText[0] : after;
  const opens = (c: string | undefined) => c !== undefined && !/[ \t\r\n]/.test(c);
  return opens(first) && opens(text[at]);
}

type Writable = { -readonly [K in keyof JsonNode]: JsonNode[K] };

/**
 * The strings of an `Fn::Sub` template's policy that hold `${…}`, as CloudFormation reads them:
 * each becomes `{"Fn::Sub": "<string>"}`, or `{"Fn::Sub": ["<string>", vars]}` with a copy of the
 * template's variable map; every new node lies on the string's range (the map is written
 * outside the policy's text).
 */
function substitutions(root: JsonNode, vars: JsonNode | undefined): void {
  const stack: JsonNode[] = [root];
  while (stack.length) {
    const n = stack.pop()! as Writable;
    if (n.type === 'property') { if (n.children?.[1]) stack.push(n.children[1]); continue; }
    if (n.children) { for (const c of n.children) stack.push(c); continue; }
    if (n.type !== 'string' || !String(n.value).includes('${')) continue;
    const value = String(n.value);
    if (!/\$\{[^!]/.test(value)) { n.value = value.replace(/\$\{!/g, '${'); continue; }
    const at = (type: JsonNode['type'], parent: JsonNode, extra: Partial<Writable> = {}): Writable => ({ type, offset: n.offset, length: n.length, parent, ...extra });
    const p = at('property', n, { colonOffset: n.offset });
    const inner = at('string', p, { value });
    let arg: Writable = inner;
    if (vars) {
      arg = at('array', p);
      inner.parent = arg;
      arg.children = [inner, namedVars(vars, value, arg, n.offset, n.length)];
    }
    p.children = [at('string', p, { value: 'Fn::Sub' }), arg];
    n.type = 'object';
    n.value = undefined;
    n.children = [p];
  }
}

/** Most nodes of one variable's value copied into a string's `Fn::Sub`; a larger value is unknown (null). */
const MAX_VAR_NODES = 64;

/** The variables of `vars` that `text` names, copied onto the range `offset, length`. */
function namedVars(vars: JsonNode, text: string, parent: JsonNode, offset: number, length: number): JsonNode {
  const map: Writable = { type: 'object', offset, length, parent, children: [] };
  for (const p of vars.children ?? []) {
    const [key, value] = p.children ?? [];
    if (p.type !== 'property' || key?.type !== 'string' || !text.includes(`\${${String(key.value)}}`)) continue;
    const prop: Writable = { type: 'property', offset, length, parent: map, colonOffset: offset };
    const budget = { left: MAX_VAR_NODES };
    const copied = value && copyAt(value, prop, offset, length, budget);
    prop.children = [{ type: 'string', offset, length, parent: prop, value: key.value }, copied && budget.left >= 0 ? copied : { type: 'null', offset, length, parent: prop, value: null }];
    map.children!.push(prop);
  }
  return map;
}

/** A copy of a node of another text, every node of it on the range `offset, length`; stops when the budget is spent. */
function copyAt(node: JsonNode, parent: JsonNode, offset: number, length: number, budget: { left: number }): Writable {
  const copy: Writable = { type: node.type, offset, length, parent };
  budget.left -= 1 + (node.children?.length ?? 0);
  if (budget.left < 0) return copy;
  if (node.value !== undefined) copy.value = node.value;
  if (node.colonOffset !== undefined) copy.colonOffset = offset;
  // Each child counts once above: they are not counted again as they are copied.
  if (node.children) copy.children = node.children.map((c) => { budget.left++; return copyAt(c, copy, offset, length, budget); });
  return copy;
}

/**
 * The binding a reader gets for a file of that shape: templates, exports and Terraform
 * configuration name their own kinds and principals, so only the key, account and template
 * values apply to them.
 */
export function bindingForShape(b: FileBinding | undefined, shape: FileShape): FileBinding | undefined {
  if (!b || (shape !== 'cloudformation' && shape !== 'authorization-details' && shape !== 'terraform-plan' && shape !== 'terraform')) return b;
  const { principals: _principals, ...owner } = b.owner ?? {};
  return { owner, template: b.template, ...(b.documentUses ? { documentUses: b.documentUses } : {}), ...(b.keyGrants ? { keyGrants: b.keyGrants } : {}), ...(b.moduleVariables ? { moduleVariables: b.moduleVariables } : {}) };
}

/** Give the file's key policies whose key ARN the binding's grants name those grants. */
export function attachBoundGrants(out: DiscoveredFile, grants: Record<string, KmsGrant[]> | undefined): DiscoveredFile {
  if (!grants) return out;
  for (const d of out.documents) {
    const list = d.kind === 'kms-key-policy' && d.owner.keyArn ? grants[d.owner.keyArn] : undefined;
    if (list) (d.kmsGrants ??= []).push(...list);
  }
  return out;
}

/**
 * The root of a policy whose text is not known (see `PolicyDocument.unknownContent`):
 * `{"Statement": <unknown value>}`, every node on the range that names the policy.
 */
export function unknownPolicyRoot(offset: number, length: number, source: string): JsonNode {
  const statement = propertyNode(jsonNode('string', offset, length, 'Statement'), unknownNode(offset, length, source), offset, offset + length);
  return link(jsonNode('object', offset, length), [statement]);
}

/** Marks a role or user as having a permissions boundary (see `DiscoveredFile.listed`). */
export function markBounded(out: DiscoveredFile, arn: string | undefined): void {
  if (arn) ((out.listed ??= {}).bounded ??= []).push(arn);
}
