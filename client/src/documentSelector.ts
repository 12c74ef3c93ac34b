/**
 * The documents the language server is given: by language where VS Code knows one, and by
 * file ending for every ending the server's sources registry reads
 * (`server/src/core/sources/registry.ts`; `test/unit/client/documentSelector.test.ts` fails
 * when the two disagree). The server reads only the files that hold policies.
 */

/** One entry of a language client's `documentSelector`. */
export interface SelectorEntry {
  scheme: 'file' | 'untitled';
  language?: string;
  pattern?: string;
}

/** The file endings the server reads (with the dot), grouped as the patterns name them. */
export const SELECTED_ENDINGS: readonly (readonly string[])[] = [
  // CloudFormation YAML templates (the server reads only those that are templates).
  ['.yaml', '.yml', '.template'],
  // Terraform configuration (the server reads only files that hold policies). Variables files
  // (`.tfvars`) hold no policy: the server reads them from disk, and the file watcher tells it of saves.
  ['.tf'],
  // Templated JSON policies (Terraform templatefile, envsubst): only JSON templates with a policy are read.
  ['.tpl', '.tftpl'],
];

/** The glob of files with one of `endings` in any folder (a brace list for several endings). */
export function endingsPattern(endings: readonly string[]): string {
  const names = endings.map((e) => e.slice(1));
  return names.length === 1 ? `**/*.${names[0]}` : `**/*.{${names.join(',')}}`;
}

export const DOCUMENT_SELECTOR: readonly SelectorEntry[] = [
  { scheme: 'file', language: 'json' },
  { scheme: 'file', language: 'jsonc' },
  { scheme: 'untitled', language: 'json' },
  { scheme: 'untitled', language: 'jsonc' },
  { scheme: 'file', language: 'yaml' },
  { scheme: 'untitled', language: 'yaml' },
  { scheme: 'file', language: 'terraform' },
  ...SELECTED_ENDINGS.map((endings): SelectorEntry => ({ scheme: 'file', pattern: endingsPattern(endings) })),
];
