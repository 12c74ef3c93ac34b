/** What checks produce. Only the LSP layer turns these into Diagnostics. */

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';

/** A span in a file's text, as UTF-16 offsets. */
export interface Span { offset: number; length: number }

export interface TextEdit { offset: number; length: number; newText: string }

/** Edits to one file; `file` undefined means the file the finding is in. */
export interface FileEdit { file?: string; edits: TextEdit[]; /** create the file with this content when absent */ create?: boolean }

export interface Fix {
  title: string;
  /** Stable id of the fix kind, e.g. `narrow-root-to-role`. */
  id: string;
  isPreferred?: boolean;
  changes: FileEdit[];
}

export interface RelatedInfo { file: string; span: Span; message: string }

export interface Finding {
  checkId: string;
  severity: Severity;
  message: string;
  /** Span in the file the finding is reported in. */
  span: Span;
  related?: RelatedInfo[];
  /** Some checks make their fixes when this is first read (a getter); read it only when needed. */
  fixes?: Fix[];
}
