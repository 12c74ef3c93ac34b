/**
 * What the CLI and the language server agree on when they read a workspace from disk. Which
 * files are read, and how, is the sources registry's (sources/registry.ts).
 */

/** Files larger than this are not read (the `maxFileSize` setting's and the CLI's `--max-file-size` default). */
export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

/** Folders never searched for policies: dependencies, version control, build output. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn', 'out', 'dist', '.vscode-test']);

/** File text without a leading byte-order mark. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
