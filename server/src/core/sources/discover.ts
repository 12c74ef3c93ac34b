/**
 * Finds the policy documents of one file, from the sources the product reads: bare policy
 * files, `get-key-policy` output, authorization-details exports, CloudFormation templates
 * (JSON or YAML: both are read into the same nodes) and Terraform plan JSON. Files that are
 * none of these give no documents. The syntax a file is read in, and a source that reads its
 * documents itself (Terraform HCL), come from the sources registry (registry.ts).
 */
import { type JsonDocument, type JsonNode, type ParseLimits, DEFAULT_PARSE_LIMITS } from '../json/jsonDocument';
import { items, prop, properties, propValue } from '../json/nodes';
import { looksLikePolicy } from '../model/kind';
import { readAuthorizationDetails } from './authorizationDetails';
import { readCloudFormation } from './cloudFormation';
import { attachBoundGrants, bindingForShape, embeddedDocument, makeDocument, type DiscoveredFile, type FileBinding, type FileShape } from './discoveredFile';
import { isTerraformPlan, readTerraformPlan } from './terraformPlan';
import { sourceFor } from './registry';
import { hasPlaceholder, isTerraformTemplate } from './templatedJson';

export function classify(root: JsonNode | undefined): FileShape {
  if (!root || root.type !== 'object') return 'not-a-policy';
  let shape: FileShape = 'not-a-policy';
  const ps = properties(root);
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i];
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

export interface DiscoverOptions {
  /** The file's last parse (a file being edited): the new one may build on it, and it is given up. */
  previous?: JsonDocument;
  /** The text is an editor's (its nodes may be kept from one edit to the next). */
  edited?: boolean;
  /** Give the reader only what the binding says about a file of its shape (`bindingForShape`). */
  bindByShape?: boolean;
}

/** A file's documents, read by the source that claims it (see registry.ts). */
export function discover(file: string, text: string, binding?: FileBinding, limits: ParseLimits = DEFAULT_PARSE_LIMITS, options: DiscoverOptions = {}): DiscoveredFile {
  const source = sourceFor(file, text);
  // Grants other files declare on the keys the manifest binds here are the keys' own.
  if (source.read) return attachBoundGrants(source.read(file, text, binding, limits), binding?.keyGrants);
  const json = source.parse!(text, limits, options.previous, binding);
  if (options.edited) json.edited = true;
  return attachBoundGrants(discoverParsed(file, json, options.bindByShape ? bindingForShape(binding, classify(json.root)) : binding, limits), binding?.keyGrants);
}

export function discoverParsed(file: string, json: JsonDocument, binding?: FileBinding, limits: ParseLimits = DEFAULT_PARSE_LIMITS): DiscoveredFile {
  // A file the manifest binds as a policy is one even without Statement (the schema check says what is missing).
  const bound = binding?.kind && json.root?.type === 'object' && !prop(json.root, 'Policy') && !prop(json.root, 'Resources');
  const shape = bound ? 'policy' : classify(json.root);
  const out: DiscoveredFile = { file, json, shape, documents: [], embeddedProblems: [] };
  const root = json.root;
  if (!root) return out;
  switch (shape) {
    case 'policy': {
      // Fragments cut out of CloudFormation templates keep their intrinsic functions.
      const rendered = isTerraformTemplate(file, binding);
      out.documents.push(makeDocument(file, json, root, 'file', undefined, binding, {}, {
        allowsIntrinsics: mentionsIntrinsic(json.text) || hasPlaceholder(json.text, rendered),
        ...(rendered ? { templateFile: true } : {}),
      }));
      break;
    }
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
      readCloudFormation(file, json, binding, limits, out);
      break;
    case 'terraform-plan':
      readTerraformPlan(file, json, binding, limits, out);
      break;
  }
  return out;
}

/** Whether a text has a key such as `"Ref":` or `"Fn::Sub":` (a CloudFormation fragment). */
function mentionsIntrinsic(text: string): boolean {
  // Most texts have neither. Plain searches that start with a rare letter rule them out for
  // a third of the pattern's cost (a search that starts with the quote stops at every string).
  return (text.includes('Fn::') || text.includes('Ref"')) && /"(Fn::[A-Za-z]+|Ref)"\s*:/.test(text);
}
