/** What the CLI and the language server agree on when they read a workspace from disk. */

/** Folders never searched for policies: dependencies, version control, build output. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn', 'out', 'dist', '.vscode-test']);

/** File text without a leading byte-order mark. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Keys that every source of policies has at least one of: a bare policy (`Statement`), a
 * get-key-policy output (`Policy`), an authorization-details export (`RoleDetailList`, …,
 * `PolicyDocument`), a CloudFormation template (`Resources`, `Policies`, `KeyPolicy`, …).
 */
const POLICY_KEY = /"(Statement|Policy|Policies|PolicyDocument|KeyPolicy|RoleDetailList|UserDetailList|GroupDetailList|Resources|AWSTemplateFormatVersion)"/;

/**
 * A cheap screen: whether a text names a policy key at all. The server indexes no disk file
 * that does not; the engine reports syntax errors of a file it cannot classify only when it does.
 */
export function namesPolicyKey(text: string): boolean {
  return POLICY_KEY.test(text);
}

/** The file name endings read in a folder walk (CLI and server alike). */
export const POLICY_FILE_EXTENSIONS: readonly string[] = ['.json', '.yaml', '.yml', '.template', '.tf', '.tpl', '.tftpl'];

/** Whether a folder walk reads this file (by its name): JSON, CloudFormation YAML and templates, Terraform configuration and template files. */
export function isPolicyFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return POLICY_FILE_EXTENSIONS.some((e) => lower.endsWith(e));
}

/** The same, under the name the Terraform reader uses. */
export const isPolicySourceName = isPolicyFileName;

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
