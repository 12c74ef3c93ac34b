/**
 * One client session, created on `initialize`: the model, the publisher, the disk index
 * and the settings, and the reactions to document, file, folder and settings events.
 * Request handlers (server.ts) reach the model through `current()`.
 */
import {
  CodeLensRefreshRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  type ClientCapabilities,
  type Connection,
  type FileEvent,
  type InitializeParams,
  type TextDocuments,
  type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_MAX_FILE_SIZE } from '../core/engine';
import type { LineIndex } from '../core/positions';
import { DiagnosticsPublisher } from './diagnostics';
import { DiskIndexer } from './diskIndex';
import { readDiskText } from '../runtime/readFile';
import { KeyAccessChangedNotification } from './keyAccess';
import { connectionInfo, describeError, type Log } from './guard';
import { ServerModel } from './model';
import { SettingsStore, type Settings } from './settings';

/** Delay before asking the client to refresh code lenses after other files changed. */
const LENS_REFRESH_DELAY_MS = 300;
/** Delay before telling the client the Key access view is stale (edits come in bursts). */
const KEY_ACCESS_NOTICE_DELAY_MS = 300;

export interface SessionOptions {
  /** Delay after the last edit before a document is checked. */
  debounceMs: number;
}

/** `initializationOptions` the server understands. */
export interface InitializationOptions {
  /**
   * Report `json-syntax` for open `json`/`jsonc` documents (default true). A client with its
   * own JSON support (VS Code) sends false: its JSON language features already underline
   * syntax errors in open documents. Files that are not open, and documents of other
   * languages, keep the finding either way: nothing else reports those.
   */
  reportSyntaxErrors?: boolean;
  /**
   * The client shows its own outline of `json`/`jsonc` documents (VS Code sends true; default
   * false): document symbols are then given only where they add to it (see
   * core/features/documentSymbols).
   */
  jsonOutline?: boolean;
  /**
   * The client runs `policyHandshake.showReferences` (VS Code's client sends true; default
   * false): code lenses then peek the IAM statements they count when clicked. Other clients
   * get the lenses as labels.
   */
  showReferencesCommand?: boolean;
  /**
   * The client shows the Key access view (VS Code's client sends true; default false): after
   * the workspace changes and the findings are out, it gets `policyHandshake/keyAccessChanged`
   * and asks `policyHandshake/keyAccess` again.
   */
  keyAccessView?: boolean;
  /**
   * The client's hovers do not show the diagnostics at the place (Neovim's; default false, as
   * VS Code's do): hovers then never leave out what a finding there says.
   */
  fullHovers?: boolean;
}

export function readInitializationOptions(raw: unknown): Required<InitializationOptions> {
  const r = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  return { reportSyntaxErrors: r.reportSyntaxErrors !== false, jsonOutline: r.jsonOutline === true, showReferencesCommand: r.showReferencesCommand === true, keyAccessView: r.keyAccessView === true, fullHovers: r.fullHovers === true };
}

export class Session {
  readonly model: ServerModel;
  readonly publisher: DiagnosticsPublisher;
  readonly indexer: DiskIndexer;
  readonly settings: SettingsStore;
  private readonly justOpened = new Set<string>();
  private lensRefresh: NodeJS.Timeout | undefined;
  /** The client has its own outline of JSON documents (initializationOptions.jsonOutline). */
  readonly jsonOutline: boolean;
  /** The client runs policyHandshake.showReferences (initializationOptions.showReferencesCommand). */
  readonly showReferencesCommand: boolean;
  /** The client shows the Key access view (initializationOptions.keyAccessView): it is told when to ask again. */
  readonly keyAccessView: boolean;
  /** Hovers repeat what findings at the place say (initializationOptions.fullHovers). */
  readonly fullHovers: boolean;
  private keyAccessNotice: NodeJS.Timeout | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    readonly capabilities: ClientCapabilities,
    private readonly params: InitializeParams,
    options: SessionOptions,
    private readonly log: Log,
  ) {
    const init = readInitializationOptions(params.initializationOptions);
    this.jsonOutline = init.jsonOutline;
    this.showReferencesCommand = init.showReferencesCommand;
    this.keyAccessView = init.keyAccessView;
    this.fullHovers = init.fullHovers;
    this.settings = new SettingsStore(connection, !!capabilities.workspace?.configuration);
    const info = connectionInfo(connection);
    // Files that are not open keep no text in the model: it is read from disk again when needed.
    this.model = new ServerModel(documents, { readText: (path) => this.diskText(path) }, (paths) => this.affected(paths), info);
    this.publisher = new DiagnosticsPublisher(
      connection,
      documents,
      this.model,
      (path, uri) => this.settingsFor(path, uri),
      // Files are reported when in a workspace folder; those read as context around one are not (see DiskIndexer).
      { debounceMs: options.debounceMs, reportSyntaxErrors: init.reportSyntaxErrors, reportsClosed: (path) => this.indexer.folderUriOf(path) !== undefined },
      log,
    );
    this.indexer = new DiskIndexer(this.model, this.publisher, (scope) => this.settings.get(scope), log, () => connection.window.createWorkDoneProgress(), info);
    this.model.onManifestsChanged = () => this.indexer.manifestsChanged();
    this.indexer.onContextFolder = (folder) => this.watchContextFolder(folder);
    // Documents opened before the folders are read would get handshake findings from themselves alone.
    if (this.initialFolders().length) this.releaseStartHold = this.publisher.holdClosedFiles();
  }

  /** Held from the start until the first reading of the folders takes its own hold (see `initialized`). */
  private releaseStartHold: (() => void) | undefined;

  /** Paths whose findings may have changed, the changed file first. */
  private affected(paths: string[]): void {
    this.publisher.markDirty(paths);
    if (this.keyAccessView) this.keyAccessChanged();
    // Lenses of other open documents (cross-account counts) are stale: ask the client to fetch them again.
    if (this.capabilities.workspace?.codeLens?.refreshSupport && paths.slice(1).some((p) => this.model.openDocument(p))) {
      if (this.lensRefresh) return;
      this.lensRefresh = setTimeout(() => {
        this.lensRefresh = undefined;
        this.connection.sendRequest(CodeLensRefreshRequest.type).catch((e) => this.log(`code lens refresh failed: ${describeError(e)}`));
      }, LENS_REFRESH_DELAY_MS);
    }
  }

  /** Tells the client, once the findings are out, that the Key access view is stale (one notice per burst of changes). */
  private keyAccessChanged(): void {
    if (this.keyAccessNotice) return;
    this.keyAccessNotice = setTimeout(() => {
      void this.publisher.idle().then(() => {
        this.keyAccessNotice = undefined;
        return this.connection.sendNotification(KeyAccessChangedNotification);
      }).catch((e) => this.log(`key access notice failed: ${describeError(e)}`));
    }, KEY_ACCESS_NOTICE_DELAY_MS);
  }

  /** Settings for a file: its own when open, else its workspace folder's. */
  settingsFor(path: string, uri: string): Promise<Settings> {
    return this.settings.get(this.model.openDocument(path) ? uri : this.indexer.folderUriOf(path));
  }

  /** The path of the workspace folder holding `path` (the innermost), if any. */
  folderOf(path: string): string | undefined {
    const uri = this.indexer.folderUriOf(path);
    return uri === undefined ? undefined : this.model.uris.toPath(uri);
  }

  /** `initialized`: dynamic registrations, then the workspace is read in the background. */
  async initialized(): Promise<void> {
    const ws = this.capabilities.workspace;
    if (ws?.didChangeWatchedFiles?.dynamicRegistration) {
      await this.connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] })
        .catch((e) => this.log(`registering file watchers failed: ${describeError(e)}`));
    }
    if (ws?.didChangeConfiguration?.dynamicRegistration) {
      await this.connection.client
        .register(DidChangeConfigurationNotification.type, { section: 'policyHandshake' })
        .catch((e) => this.log(`registering for settings changes failed: ${describeError(e)}`));
    }
    if (ws?.workspaceFolders) {
      this.connection.workspace.onDidChangeWorkspaceFolders((e) => this.foldersChanged(e));
    }
    try {
      await this.applyWindowSettings();
      // addFolders takes its hold before its first await: the start's hold can go once it is called.
      const reading = this.indexer.addFolders(this.initialFolders());
      this.releaseStartHold?.();
      await reading;
    } finally {
      this.releaseStartHold?.();
      this.releaseStartHold = undefined;
    }
  }

  /** Folders above the workspace folders watched for their files' changes (see `watchContextFolder`). */
  private readonly watchedContext = new Set<string>();

  /**
   * A folder above a workspace folder, read for the manifest that governs it: the client
   * watches only the workspace folders, so the server asks it to watch this one too (a
   * relative pattern, LSP 3.17), once. Without the client's support, changes made there
   * outside the editor are picked up when the folders are read again.
   */
  private watchContextFolder(folder: string): void {
    const watched = this.capabilities.workspace?.didChangeWatchedFiles;
    if (!watched?.dynamicRegistration || !watched.relativePatternSupport || this.watchedContext.has(folder)) return;
    this.watchedContext.add(folder);
    void this.connection.client
      .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: { baseUri: this.model.uris.toUri(folder), pattern: '**/*' } }] })
      .catch((e) => this.log(`watching ${folder} failed: ${describeError(e)}`));
  }

  /** A file's text on disk (as the model read it), undefined when it is gone or over the size limit. */
  private diskText(path: string): string | undefined {
    const read = readDiskText(path, this.model.workspaceOptions.maxFileSize ?? DEFAULT_MAX_FILE_SIZE);
    return read.kind === 'text' ? read.text : undefined;
  }

  private initialFolders(): string[] {
    if (this.params.workspaceFolders?.length) return this.params.workspaceFolders.map((f) => f.uri);
    if (this.params.rootUri) return [this.params.rootUri];
    return [];
  }

  /** The window-level size limit applies to the model; a change starts it over. Returns whether it did. */
  private async applyWindowSettings(): Promise<boolean> {
    const { maxFileSize } = await this.settings.get(undefined);
    if (maxFileSize === (this.model.workspaceOptions.maxFileSize ?? DEFAULT_MAX_FILE_SIZE)) return false;
    this.model.reset({ ...this.model.workspaceOptions, maxFileSize });
    for (const d of this.documents.all()) this.publisher.documentChanged(d.uri, 0);
    return true;
  }

  async configurationChanged(settings: unknown): Promise<void> {
    this.settings.changed(settings);
    if (await this.applyWindowSettings()) await this.indexer.reindex();
    else this.publisher.republishAll();
  }

  private foldersChanged(e: WorkspaceFoldersChangeEvent): void {
    for (const f of e.removed) this.indexer.removeFolder(f.uri);
    if (e.added.length) void this.indexer.addFolders(e.added.map((f) => f.uri)).catch((err) => this.log(`reading folders failed: ${describeError(err)}`));
  }

  fileEvents(changes: FileEvent[]): void {
    this.indexer.fileEvents(changes);
  }

  documentOpened(uri: string): void {
    this.justOpened.add(uri);
  }

  documentChanged(uri: string): void {
    this.publisher.documentChanged(uri, this.justOpened.delete(uri) ? 0 : undefined);
  }

  async documentClosed(uri: string): Promise<void> {
    this.justOpened.delete(uri);
    this.publisher.documentClosed(uri);
    const path = this.model.uris.toPath(uri);
    const diskText = await this.indexer.diskTextForClosed(path);
    if (this.documents.get(uri)) return; // opened again meanwhile
    this.model.closeDocument(uri, diskText);
  }

  /**
   * The model brought up to the open document, for a request: the document, its path and
   * the line index of the text the model holds. Undefined when the document is not open.
   */
  current(uri: string): { doc: TextDocument; path: string; index: LineIndex; version: number } | undefined {
    const doc = this.documents.get(uri);
    if (!doc) return undefined;
    this.model.syncDocument(uri);
    const path = this.model.uris.toPath(uri);
    const text = this.model.workspace.text(path);
    if (text === undefined) return undefined;
    return { doc, path, index: this.model.lineIndexes.get(path, text), version: doc.version };
  }

  /** True when the document is still at `version` (a request computed for it may answer). */
  isAt(uri: string, version: number): boolean {
    return this.documents.get(uri)?.version === version;
  }

  dispose(): void {
    if (this.lensRefresh) clearTimeout(this.lensRefresh);
    if (this.keyAccessNotice) clearTimeout(this.keyAccessNotice);
    this.publisher.dispose();
  }
}
