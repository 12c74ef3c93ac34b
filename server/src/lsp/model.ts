/**
 * Keeps the workspace model in step with the editor: open documents override disk
 * contents, files read from disk fill in the rest. The model is brought up to an open
 * document's version lazily (when diagnostics are due or a request needs it), so typing
 * costs nothing until then. Every change reports the paths whose findings may differ.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocuments } from 'vscode-languageserver/node';
import { LineIndex, LineIndexCache } from '../core/positions';
import { manifestSummary } from '../core/workspace/manifestFindings';
import { Workspace, type WorkspaceOptions } from '../core/workspace/workspace';
import type { RelatedTarget } from './convert';
import { UriMap } from './uris';

export class ServerModel {
  readonly uris = new UriMap();
  /** Line indexes of the texts the model holds (open documents, files that keep their text). */
  readonly lineIndexes = new LineIndexCache();
  private ws: Workspace;
  /** Open document URI → the version the model holds. */
  private readonly synced = new Map<string, number>();
  /** Called after a manifest came, changed or went (which files the manifests bind may differ). */
  onManifestsChanged: () => void = () => undefined;

  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private options: WorkspaceOptions,
    private readonly onAffected: (paths: string[]) => void,
    /** Informational messages for the user (the Output channel): manifests loaded and dropped. */
    private readonly info: (message: string) => void = () => undefined,
  ) {
    this.ws = new Workspace(options);
  }

  get workspace(): Workspace {
    return this.ws;
  }

  get workspaceOptions(): WorkspaceOptions {
    return this.options;
  }

  /** Starts over with new options (e.g. a new size limit); the caller reloads files. */
  reset(options: WorkspaceOptions): void {
    const previous = this.ws.filePaths();
    this.options = options;
    this.ws = new Workspace(options);
    this.synced.clear();
    this.onAffected(previous);
  }

  openDocument(path: string): TextDocument | undefined {
    return this.documents.get(this.uris.toUri(path));
  }

  isCurrent(uri: string): boolean {
    const doc = this.documents.get(uri);
    return !doc || this.synced.get(uri) === doc.version;
  }

  /** Brings the model up to the open document's text; nothing to do when it already is. */
  syncDocument(uri: string): void {
    const doc = this.documents.get(uri);
    if (!doc || this.synced.get(uri) === doc.version) return;
    const path = this.uris.toPath(uri);
    let text = doc.getText();
    // A byte order mark some clients keep: a space of the same length keeps offsets right.
    if (text.charCodeAt(0) === 0xfeff) text = ' ' + text.slice(1);
    this.synced.set(uri, doc.version);
    this.tracked(path, false, () => this.ws.updateFile(path, text, true));
  }

  /** The document was closed: the disk contents (given by the caller) or nothing take its place. */
  closeDocument(uri: string, diskText: string | undefined): void {
    this.synced.delete(uri);
    const path = this.uris.toPath(uri);
    if (diskText !== undefined) this.tracked(path, true, () => this.ws.updateFile(path, diskText));
    else this.tracked(path, true, () => this.ws.removeFile(path));
  }

  /** Text read from disk; ignored while the file is open in the editor. */
  setDiskText(path: string, text: string): void {
    if (this.openDocument(path)) return;
    this.tracked(path, true, () => this.ws.updateFile(path, text));
  }

  /** The file is gone from disk (or no longer indexed); an open document keeps its contents. */
  removeDiskFile(path: string): void {
    if (this.openDocument(path)) return;
    this.tracked(path, true, () => this.ws.removeFile(path));
  }

  /**
   * Applies a change of one file and reports what it affected; a manifest that comes into
   * effect is logged (again when read from disk, not at every edit), one that goes is logged too.
   */
  private tracked(path: string, fromDisk: boolean, change: () => string[]): void {
    const was = this.ws.manifest(path);
    const affected = change();
    const now = this.ws.manifest(path);
    if (now && (fromDisk || !was)) this.info(`Manifest loaded: ${path} (${manifestSummary(now, this.options)}); it governs its folder and below.`);
    else if (was && !now) this.info(`Manifest dropped: ${path} (${this.ws.hasFile(path) ? 'no longer a manifest' : 'removed'}); the files it governed go to the nearest manifest above, or are checked alone.`);
    this.onAffected(affected);
    if (was !== now) this.onManifestsChanged();
  }

  /**
   * The line index of a file's content as the model holds it: from the lines kept for a
   * file that keeps no text (no read from disk), else from its text. Undefined when it has none.
   */
  lineIndex(path: string): LineIndex | undefined {
    const packed = this.ws.packedLines(path);
    if (packed) return this.lineIndexes.get(path, packed, true);
    const text = this.ws.text(path);
    return text === undefined ? undefined : this.lineIndexes.get(path, text);
  }

  /** Where places in a file (related locations, definitions, references) land for the client. */
  target(path: string): RelatedTarget | undefined {
    const index = this.lineIndex(path);
    return index && { uri: this.uris.toUri(path), index };
  }

  /** The version the model holds for an open document. */
  syncedVersion(uri: string): number | undefined {
    return this.synced.get(uri);
  }
}
