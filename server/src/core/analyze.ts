/**
 * Checks a set of files together through the workspace model, as the CLI does.
 */
import type { FileResult } from './engine';
import { Workspace, type WorkspaceOptions } from './workspace/workspace';

export interface SourceFile { path: string; text: string }

export interface AnalyzeOptions extends WorkspaceOptions {
  /** An explicit manifest (`--manifest`); otherwise `policy-handshake.json` is looked for. */
  manifestPath?: string;
  cwd?: string;
}

export function analyzeFiles(files: SourceFile[], options: AnalyzeOptions = {}): FileResult[] {
  const ws = new Workspace(options);
  for (const f of files) ws.updateFile(f.path, f.text);
  return files.map((f) => ({ file: f.path, discovered: ws.discovered(f.path), findings: ws.findings(f.path) }));
}
