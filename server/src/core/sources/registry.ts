/**
 * The sources of policies by syntax, in one place: which file names a folder walk reads,
 * which syntax a file is read in (by its name and the start of its text), the cheap screen
 * that keeps files without policies out of the model, and the reader. The workspace, the
 * engine, the CLI's folder walk and the server's disk index all ask this registry; a new
 * source is one entry of `SOURCES` (see CONTRIBUTING.md, "Adding a source").
 *
 * A source either gives a node tree (`parse`: JSON and YAML), whose documents are then found
 * by content (bare policy, get-key-policy output, authorization details, CloudFormation,
 * Terraform plan: `discoverParsed`), or reads its documents itself (`read`: Terraform HCL).
 */
import { parseJson, type JsonDocument, type ParseLimits } from '../json/jsonDocument';
import { reparse } from '../json/incremental';
import { parseYaml } from '../yaml/yamlDocument';
import { bindingForShape, type DiscoveredFile, type FileBinding } from './discoveredFile';
import { readTerraformVars } from './terraformVars';
import { readTerraformHcl } from './terraformHcl';
import { isTerraformFile } from './fileNames';
import { hasPlaceholder, isTemplateFileName, parseTemplatedJson, parseWithPlaceholders } from './templatedJson';

export { isSourceFileName, isTerraformFile, SOURCE_FILE_EXTENSIONS } from './fileNames';

export interface FileSource {
  /** The syntax the source reads. */
  id: 'terraform' | 'tfvars' | 'yaml' | 'template' | 'json';
  /** File name endings (lower case, with the dot) a folder walk reads for this source. */
  extensions: readonly string[];
  /** Whether a file is read by this source, by its name (any case) and its text. Sources are tried in order. */
  claims(name: string, text: string): boolean;
  /** A cheap screen for files read from disk: whether the text may hold a policy at all (files that may not are not parsed). */
  mayHoldPolicies(text: string): boolean;
  /**
   * The text as a node tree; `previous`, the file's last parse (an edited file), may be built
   * on; `binding`, what the manifest says of the file (template parameters for placeholders).
   */
  parse?(text: string, limits: ParseLimits, previous?: JsonDocument, binding?: FileBinding): JsonDocument;
  /** For a source that finds its documents itself: the file read whole. */
  read?(file: string, text: string, binding: FileBinding | undefined, limits: ParseLimits): DiscoveredFile;
}

/**
 * Keys that every source of policies in JSON or YAML has at least one of: a bare policy
 * (`Statement`), a get-key-policy output (`Policy`), an authorization-details export
 * (`RoleDetailList`, …, `PolicyDocument`), a CloudFormation template (`Resources`,
 * `Policies`, `KeyPolicy`, …).
 */
const POLICY_KEY = /"(Statement|Policy|Policies|PolicyDocument|KeyPolicy|RoleDetailList|UserDetailList|GroupDetailList|Resources|AWSTemplateFormatVersion)"/;

/**
 * A cheap screen: whether a text names a policy key at all. The server indexes no disk file
 * that does not; the engine reports syntax errors of a file it cannot classify only when it does.
 */
export function namesPolicyKey(text: string): boolean {
  return POLICY_KEY.test(text);
}

/**
 * A cheap screen: whether a YAML text may be a CloudFormation template (it names
 * `AWSTemplateFormatVersion`, a `Resources` key and an `AWS::` type, or a SAM `Transform`).
 * Other YAML (workflows, Kubernetes manifests, compose files) is not parsed at all.
 */
export function mayBeYamlTemplate(text: string): boolean {
  if (text.includes('AWSTemplateFormatVersion')) return true;
  if (!text.includes('AWS::')) return false;
  return /(^|[\s{,])["']?(Resources|Transform)["']?\s*:/.test(text);
}

/**
 * Whether a file is read as YAML: `*.yaml` and `*.yml` always, `*.json` and `*.jsonc` never;
 * a `*.template` when its text does not start like JSON (`{`, `[` or a comment); any other
 * name (an explicit CLI argument) when it does not start like JSON and looks like a
 * CloudFormation template (other text stays JSON, and a malformed one gets `json-syntax`).
 */
export function isYamlFile(name: string, text: string): boolean {
  const lower = name.toLowerCase();
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return true;
  if (lower.endsWith('.json') || lower.endsWith('.jsonc')) return false;
  if (/^\s*([{[]|\/\/|\/\*|$)/.test(text.slice(0, 4096))) return false;
  return lower.endsWith('.template') || mayBeYamlTemplate(text);
}

/** Terraform configuration: read from the HCL (see terraformHcl.ts). */
const TERRAFORM: FileSource = {
  id: 'terraform',
  extensions: ['.tf'],
  claims: (name) => isTerraformFile(name),
  // A Terraform file that can hold a policy names one (`policy`, `assume_role_policy`, a policy document).
  mayHoldPolicies: (text) => text.includes('policy'),
  read: (file, text, binding, limits) => readTerraformHcl(file, text, bindingForShape(binding, 'terraform'), limits),
};

/** Terraform variable files: values of the module's variables, no policy (see terraformVars.ts). */
const TFVARS: FileSource = {
  id: 'tfvars',
  extensions: ['.tfvars'],
  claims: (name) => /\.tfvars$/i.test(name),
  mayHoldPolicies: (text) => text.includes('='),
  read: (file, text) => readTerraformVars(file, text),
};

/** CloudFormation templates in YAML. YAML that is not a template has no tree and no problems. */
const YAML: FileSource = {
  id: 'yaml',
  extensions: ['.yaml', '.yml', '.template'],
  claims: isYamlFile,
  mayHoldPolicies: mayBeYamlTemplate,
  // Parsed whole on every change.
  parse: (text, limits) => (mayBeYamlTemplate(text) ? parseYaml(text, limits) : { text, root: undefined, problems: [], syntax: 'yaml' }),
};

/**
 * Templated JSON policy files (Terraform `templatefile()`, envsubst): `${…}` placeholders are
 * unknown values, or the manifest template's parameters (see templatedJson.ts). Parsed whole.
 */
const TEMPLATE: FileSource = {
  id: 'template',
  extensions: ['.tpl', '.tftpl'],
  claims: (name) => isTemplateFileName(name),
  mayHoldPolicies: namesPolicyKey,
  // `$${` is an escape unless the file is read by `file()` alone (see `isTerraformTemplate`).
  parse: (text, limits, _previous, binding) => parseTemplatedJson(text, limits, binding?.template?.parameters, binding?.readBy !== 'file'),
};

/**
 * JSON: every file no other source claims. A bare policy holding placeholders is read as a
 * template; a file a `templatefile()` reads is one, with its `$${` escapes (see `isTerraformTemplate`).
 */
const JSON_SOURCE: FileSource = {
  id: 'json',
  extensions: ['.json'],
  claims: () => true,
  mayHoldPolicies: namesPolicyKey,
  // An edited file is parsed again only where the edit changed it (a templated one whole).
  parse: (text, limits, previous, binding) => (binding?.readBy === 'templatefile'
    ? parseTemplatedJson(text, limits, binding.template?.parameters, true)
    : parseWithPlaceholders(text, limits, binding?.template?.parameters,
      () => (previous && previous.syntax !== 'yaml' && !hasPlaceholder(previous.text) && reparse(previous, text, limits)) || parseJson(text, limits))),
};

/** Every source, in the order they are tried: the first that claims a file reads it. */
export const SOURCES: readonly FileSource[] = [TERRAFORM, TFVARS, YAML, TEMPLATE, JSON_SOURCE];

/** The source that reads a file. */
export function sourceFor(name: string, text: string): FileSource {
  return SOURCES.find((s) => s.claims(name, text))!;
}

/** Whether a file read from disk may hold policies (see `FileSource.mayHoldPolicies`). */
export function mayHoldPolicies(name: string, text: string): boolean {
  return sourceFor(name, text).mayHoldPolicies(text);
}
