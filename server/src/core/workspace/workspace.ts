/**
 * The workspace model: every file's discovered documents, kept current one file at a
 * time. The editor and the CLI both drive it. Pure: callers supply file texts.
 */
import type { Catalog } from '../catalog/catalog';
import { checkDiscovered, DEFAULT_MAX_FILE_SIZE, type EngineOptions } from '../engine';
import type { Finding } from '../findings';
import { DEFAULT_PARSE_LIMITS } from '../json/jsonDocument';
import { discover, type DiscoveredFile } from '../sources/discover';

export interface WorkspaceOptions extends EngineOptions {
  catalog?: Catalog;
}

interface FileEntry {
  text: string;
  discovered: DiscoveredFile | undefined;
  skipped?: string;
  findings?: Finding[];
}

export class Workspace {
  private readonly files = new Map<string, FileEntry>();

  constructor(private options: WorkspaceOptions = {}) {}

  setOptions(options: WorkspaceOptions): string[] {
    this.options = options;
    for (const f of this.files.values()) f.findings = undefined;
    return [...this.files.keys()];
  }

  /**
   * Set or replace a file's text (editor contents or disk). Returns the files whose
   * findings may have changed, the file itself first.
   */
  updateFile(path: string, text: string): string[] {
    const max = this.options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
    const entry: FileEntry = text.length > max
      ? { text: '', discovered: undefined, skipped: `File is larger than ${max} bytes (policyHandshake.maxFileSize): not checked.` }
      : { text, discovered: discover(path, text, undefined, this.options.limits ?? DEFAULT_PARSE_LIMITS) };
    this.files.set(path, entry);
    return [path];
  }

  removeFile(path: string): string[] {
    return this.files.delete(path) ? [path] : [];
  }

  hasFile(path: string): boolean {
    return this.files.has(path);
  }

  filePaths(): string[] {
    return [...this.files.keys()];
  }

  text(path: string): string | undefined {
    return this.files.get(path)?.text;
  }

  discovered(path: string): DiscoveredFile | undefined {
    return this.files.get(path)?.discovered;
  }

  /** Findings of one file, computed on demand and cached until something it depends on changes. */
  findings(path: string): Finding[] {
    const entry = this.files.get(path);
    if (!entry) return [];
    if (!entry.findings) {
      if (entry.skipped) entry.findings = [{ checkId: 'file-skipped', severity: 'info', message: entry.skipped, span: { offset: 0, length: 0 } }];
      else entry.findings = entry.discovered ? checkDiscovered(entry.discovered, { ...this.options, workspace: this }) : [];
    }
    return entry.findings;
  }
}
