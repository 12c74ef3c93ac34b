/** What the CLI and the language server agree on when they read a workspace from disk. */

/** Folders never searched for policies: dependencies, version control, build output. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn', 'out', 'dist', '.vscode-test']);

/** Whether a file name is one the product reads: JSON, and Terraform configuration (`*.tf`). */
export function isPolicySourceName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.endsWith('.json') || lower.endsWith('.tf');
}

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
