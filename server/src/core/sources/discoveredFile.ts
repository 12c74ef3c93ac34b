/**
 * What reading a file gives (its shape and policy documents) and what every reader of a
 * source shares: the manifest's binding of the file, making a document, parsing a policy
 * held in a JSON string.
 */
import { parseJson, type JsonDocument, type JsonNode, type ParseLimits } from '../json/jsonDocument';
import { decodeStringLiteral, mapDecodedOffset } from '../json/embeddedJson';
import { detectKind } from '../model/kind';
import type { PolicyDocument, PolicyKind, PolicyOwner, PolicySource } from '../model/policyDocument';
import type { TemplateContext } from '../model/templateValues';

/** What the manifest says about a file, when it says anything. */
export interface FileBinding {
  kind?: PolicyKind;
  owner?: PolicyOwner;
  template?: TemplateContext;
  /** For a Terraform file: its policy document blocks that other files of the module use, by block name. */
  documentUses?: Record<string, PolicyDocumentUse>;
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
  /** Other files this one says what they are (Terraform `file()` / `templatefile()` policies): the binding they get. */
  fileReferences?: FileReference[];
  /** Terraform: the policy document blocks the file declares, and those of other files of its module it uses. */
  policyDocuments?: { declared: string[]; used: Record<string, PolicyDocumentUse> };
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
 * The binding a reader gets for a file of that shape: templates, exports and Terraform
 * configuration name their own kinds and principals, so only the key, account and template
 * values apply to them.
 */
export function bindingForShape(b: FileBinding | undefined, shape: FileShape): FileBinding | undefined {
  if (!b || (shape !== 'cloudformation' && shape !== 'authorization-details' && shape !== 'terraform-plan' && shape !== 'terraform')) return b;
  const { principals: _principals, ...owner } = b.owner ?? {};
  return { owner, template: b.template, ...(b.documentUses ? { documentUses: b.documentUses } : {}) };
}
