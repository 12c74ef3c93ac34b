/**
 * The file names the sources read (registry.ts), in a module of their own that loads nothing
 * else: the CLI's entry lists the files to check before it loads the rest of the CLI
 * (cli/early.ts). Each source's `extensions` in registry.ts are among these, and every one of
 * these is a source's (test/unit/core/sourceRegistry.test.ts).
 */

/** The file name endings read in a folder walk (CLI and server alike). */
export const SOURCE_FILE_EXTENSIONS: readonly string[] = ['.tf', '.tfvars', '.yaml', '.yml', '.template', '.tpl', '.tftpl', '.json'];

/** Whether a folder walk reads this file (by its name). */
export function isSourceFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return SOURCE_FILE_EXTENSIONS.some((e) => lower.endsWith(e));
}

/** Whether a path is a Terraform configuration file. */
export function isTerraformFile(path: string): boolean {
  return /\.tf$/i.test(path);
}
