/**
 * Checks a set of files together through the workspace model, as the CLI does.
 */
import type { FileResult } from './engine';
import { Workspace, type WorkspaceOptions } from './workspace/workspace';

export interface SourceFile { path: string; text: string }

export interface AnalyzeOptions extends WorkspaceOptions {
  /** An explicit manifest (`--manifest`); otherwise `policy-handshake.json` is looked for. */
  manifestPath?: string;
  /** The explicit manifest's text (the caller reads it). */
  manifest?: SourceFile;
  /**
   * Folders whose root `policy-handshake.json` is the manifest. Undefined: a
   * `policy-handshake.json` in any folder is the manifest for that folder.
   */
  roots?: string[];
  cwd?: string;
}

export function analyzeFiles(files: SourceFile[], options: AnalyzeOptions = {}): FileResult[] {
  const ws = new Workspace(options);
  if (options.roots) ws.setWorkspaceRoots(options.roots);
  const explicit = options.manifest ?? (options.manifestPath ? files.find((f) => f.path === options.manifestPath) : undefined);
  if (explicit) ws.setManifest(explicit.path, explicit.text);
  ws.updateFiles(files.filter((f) => f.path !== explicit?.path));
  // Documents are parsed again when asked for: most files' trees are not kept (see Workspace).
  return files.map((f) => ({
    file: f.path,
    get discovered() { return ws.discovered(f.path); },
    findings: ws.findings(f.path),
  }));
}
