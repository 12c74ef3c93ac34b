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
import type { KmsGrant } from '../model/kmsGrants';

/** What the manifest says about a file, when it says anything. */
export interface FileBinding {
  kind?: PolicyKind;
  owner?: PolicyOwner;
  template?: TemplateContext;
  /** For a Terraform file: its policy document blocks that other files of the module use, by block name. */
  documentUses?: Record<string, PolicyDocumentUse>;
  /**
   * KMS grants other files declare on this file's keys, by the key they name: a Terraform key
   * address of the same module (`aws_kms_key.app`) or a key ARN (the key the manifest binds here).
   */
  keyGrants?: Record<string, KmsGrant[]>;
}

/** How a Terraform resource uses a policy document block (`data.aws_iam_policy_document.NAME.json`). */
export interface PolicyDocumentUse {
  kind: PolicyKind;
  owner: PolicyOwner;
  extra: { isManagedPolicy?: boolean; isInlinePolicy?: boolean; policyArn?: string };
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
   * the export has that list (`RoleDetailList`, `UserDetailList`; a filtered export may lack one).
   */
  listed?: { roles?: string[]; users?: string[] };
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
 * JSON string, a YAML scalar of any quoting or a literal block): parsed with a map from every
 * character of the string's value back to the file, and a writer that puts an edit into the
 * string only where its range is written character for character in the file. With `sub`, the
 * string is an `Fn::Sub` template: each string of the policy that names a `${…}` value becomes
 * that string's `Fn::Sub`, resolved as the template's other ones are; `${!Literal}` alone is
 * the literal `${Literal}`. Undefined when the string's form has no exact map.
 */
export function templateStringDocument(outer: JsonDocument, stringNode: JsonNode, limits: ParseLimits, sub: boolean) {
  const yaml = outer.syntax === 'yaml';
  const decoded = yaml
    ? decodeYamlScalar(outer.text, stringNode.offset, stringNode.length, String(stringNode.value))
    : decodeStringLiteral(outer.text, stringNode.offset, stringNode.length);
  if (!decoded) return undefined;
  const json = parseJson(decoded.text, limits);
  if (sub && json.root) substitutions(json.root);
  const quote = yaml ? outer.text[stringNode.offset] : '"';
  const writeInString = (offset: number, length: number, newText: string): string | undefined => {
    // Within one line of the file: an edit across a folded line break has no safe form.
    const raw = outer.text.slice(mapDecodedOffset(decoded, offset), mapDecodedOffset(decoded, offset + length));
    if (/[\r\n]/.test(raw)) return undefined;
    if (quote === '"') return escapeForStringLiteral(newText);
    if (/[\r\n]/.test(newText)) return undefined;
    if (quote === "'") return newText.replace(/'/g, "''");
    // A plain scalar or a literal block: written as is, where that cannot end the scalar or start a comment.
    if (raw !== decoded.text.slice(offset, offset + length)) return undefined;
    return quote === '|' || !/: | #/.test(newText) ? newText : undefined;
  };
  return { json, toFileOffset: (o: number) => mapDecodedOffset(decoded, o), writeInString };
}

type Writable = { -readonly [K in keyof JsonNode]: JsonNode[K] };

/** The strings of an `Fn::Sub` template's policy that hold `${…}`, as CloudFormation reads them. */
function substitutions(root: JsonNode): void {
  const stack: JsonNode[] = [root];
  while (stack.length) {
    const n = stack.pop()! as Writable;
    if (n.type === 'property') { if (n.children?.[1]) stack.push(n.children[1]); continue; }
    if (n.children) { for (const c of n.children) stack.push(c); continue; }
    if (n.type !== 'string' || !String(n.value).includes('${')) continue;
    const value = String(n.value);
    if (!/\$\{[^!]/.test(value)) { n.value = value.replace(/\$\{!/g, '${'); continue; }
    // The string becomes {"Fn::Sub": "<string>"}, every node on the string's range.
    const key: Writable = { type: 'string', offset: n.offset, length: n.length, value: 'Fn::Sub' };
    const inner: Writable = { type: 'string', offset: n.offset, length: n.length, value };
    const p: Writable = { type: 'property', offset: n.offset, length: n.length, colonOffset: n.offset, children: [key, inner], parent: n };
    key.parent = p;
    inner.parent = p;
    n.type = 'object';
    n.value = undefined;
    n.children = [p];
  }
}

/**
 * The binding a reader gets for a file of that shape: templates, exports and Terraform
 * configuration name their own kinds and principals, so only the key, account and template
 * values apply to them.
 */
export function bindingForShape(b: FileBinding | undefined, shape: FileShape): FileBinding | undefined {
  if (!b || (shape !== 'cloudformation' && shape !== 'authorization-details' && shape !== 'terraform-plan' && shape !== 'terraform')) return b;
  const { principals: _principals, ...owner } = b.owner ?? {};
  return { owner, template: b.template, ...(b.documentUses ? { documentUses: b.documentUses } : {}), ...(b.keyGrants ? { keyGrants: b.keyGrants } : {}) };
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
