/**
 * Finds the policy documents of one file, from the sources the product reads: bare policy
 * files, `get-key-policy` output, authorization-details exports, CloudFormation templates
 * (JSON or YAML: both are read into the same nodes) and Terraform plan JSON. Files that are
 * none of these give no documents.
 */
import { parseJson, type JsonDocument, type JsonNode, type ParseLimits, DEFAULT_PARSE_LIMITS } from '../json/jsonDocument';
import { decodeStringLiteral, mapDecodedOffset } from '../json/embeddedJson';
import { items, prop, properties, propValue, stringValue } from '../json/nodes';
import { detectKind, looksLikePolicy } from '../model/kind';
import type { PolicyDocument, PolicyKind, PolicyOwner, PolicySource } from '../model/policyDocument';
import { readAuthorizationDetails } from './authorizationDetails';
import { readCloudFormation, type TemplateContext } from './cloudFormation';
import { isTerraformPlan, readTerraformPlan } from './terraformPlan';
import { parseSource } from './parseSource';
import { readTerraformHcl } from './terraformHcl';
import { isTerraformFile } from './hcl/hclSyntax';

/** What the manifest says about a file, when it says anything. */
export interface FileBinding {
  kind?: PolicyKind;
  owner?: PolicyOwner;
  template?: TemplateContext;
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
}

export function classify(root: JsonNode | undefined): FileShape {
  if (!root || root.type !== 'object') return 'not-a-policy';
  let shape: FileShape = 'not-a-policy';
  for (const p of properties(root)) {
    switch (p.name) {
      case 'Statement': if (looksLikePolicy(root)) return 'policy'; break;
      case 'Policy': if (p.value?.type === 'string') shape = 'get-key-policy'; break;
      case 'RoleDetailList': case 'UserDetailList': case 'GroupDetailList': return 'authorization-details';
      case 'Policies': if (p.value?.type === 'array' && shape === 'not-a-policy') shape = 'authorization-details-maybe' as FileShape; break;
      case 'Resources': if (p.value?.type === 'object') return 'cloudformation'; break;
      case 'AWSTemplateFormatVersion': return 'cloudformation';
      case 'planned_values': if (isTerraformPlan(root)) return 'terraform-plan'; break;
    }
  }
  if ((shape as string) === 'authorization-details-maybe') {
    const first = items(propValue(root, 'Policies'))[0];
    return first && prop(first, 'PolicyVersionList') ? 'authorization-details' : 'not-a-policy';
  }
  return shape;
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

export function discover(file: string, text: string, binding?: FileBinding, limits: ParseLimits = DEFAULT_PARSE_LIMITS): DiscoveredFile {
  if (isTerraformFile(file)) return readTerraformHcl(file, text, bindingForTerraform(binding), limits);
  const json = parseSource(file, text, limits);
  return discoverParsed(file, json, binding, limits);
}

export function discoverParsed(file: string, json: JsonDocument, binding?: FileBinding, limits: ParseLimits = DEFAULT_PARSE_LIMITS): DiscoveredFile {
  // A file the manifest binds as a policy is one even without Statement (the schema check says what is missing).
  const bound = binding?.kind && json.root?.type === 'object' && !prop(json.root, 'Policy') && !prop(json.root, 'Resources');
  const shape = bound ? 'policy' : classify(json.root);
  const out: DiscoveredFile = { file, json, shape, documents: [], embeddedProblems: [] };
  const root = json.root;
  if (!root) return out;
  switch (shape) {
    case 'policy':
      // Fragments cut out of CloudFormation templates keep their intrinsic functions.
      out.documents.push(makeDocument(file, json, root, 'file', undefined, binding, {}, { allowsIntrinsics: mentionsIntrinsic(json.text) }));
      break;
    case 'get-key-policy': {
      const str = propValue(root, 'Policy')!;
      const inner = embeddedDocument(json, str, limits);
      out.embeddedProblems.push(inner);
      if (inner.json.root?.type === 'object') {
        out.documents.push(
          makeDocument(file, inner.json, inner.json.root, 'get-key-policy', 'kms-key-policy', binding, {}, {
            toFileOffset: inner.toFileOffset,
            embedded: true,
          }),
        );
      }
      break;
    }
    case 'authorization-details':
      readAuthorizationDetails(file, json, binding, limits, out);
      break;
    case 'cloudformation':
      readCloudFormation(file, json, binding, out);
      break;
    case 'terraform-plan':
      readTerraformPlan(file, json, binding, limits, out);
      break;
  }
  return out;
}

export { stringValue };

/** A Terraform file declares its own owners: the binding gives the account, region and variables. */
export function bindingForTerraform(b: FileBinding | undefined): FileBinding | undefined {
  if (!b) return b;
  const { principals: _principals, ...owner } = b.owner ?? {};
  return { owner, template: b.template };
}

/** Whether a text has a key such as `"Ref":` or `"Fn::Sub":` (a CloudFormation fragment). */
function mentionsIntrinsic(text: string): boolean {
  // Most texts have neither. Plain searches that start with a rare letter rule them out for
  // a third of the pattern's cost (a search that starts with the quote stops at every string).
  return (text.includes('Fn::') || text.includes('Ref"')) && /"(Fn::[A-Za-z]+|Ref)"\s*:/.test(text);
}
