/**
 * Checks a set of files together through the workspace model, as the CLI does.
 */
import type { FileResult } from './engine';
import { Workspace, type WorkspaceOptions } from './workspace/workspace';

export interface SourceFile { path: string; text: string }

export interface AnalyzeOptions extends WorkspaceOptions {
  /**
   * An explicit manifest (`--manifest`): the only manifest, governing every file. Without
   * one, each `policy-handshake.json` governs its folder and below (the nearest one wins).
   */
  manifestPath?: string;
  /** The explicit manifest's text (the caller reads it). */
  manifest?: SourceFile;
  cwd?: string;
}

/** The files read together into one workspace (the explicit manifest, if any, governing all of them). */
export function workspaceOf(files: SourceFile[], options: AnalyzeOptions = {}): Workspace {
  const ws = new Workspace(options);
  const explicit = options.manifest ?? (options.manifestPath ? files.find((f) => f.path === options.manifestPath) : undefined);
  if (explicit) ws.setManifest(explicit.path, explicit.text);
  ws.updateFiles(files.filter((f) => f.path !== explicit?.path));
  return ws;
}

/** The files' results; `only`: the files to give results of, the others read as context (the CLI's files around those given). */
export function analyzeFiles(files: SourceFile[], options: AnalyzeOptions = {}, only?: ReadonlySet<string>): FileResult[] {
  const ws = workspaceOf(files, options);
  // Documents are parsed again when asked for: most files' trees are not kept (see Workspace).
  return (only ? files.filter((f) => only.has(f.path)) : files).map((f) => ({
    file: f.path,
    get discovered() { return ws.discovered(f.path); },
    findings: ws.findings(f.path),
    documentsChecked: ws.documentsChecked(f.path),
  }));
}
