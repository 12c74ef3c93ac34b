/**
 * Fills the model with the workspace folders' JSON files from disk and keeps it current
 * from watched-file events. Work is done in the background in time slices of a few
 * milliseconds, so requests are answered while a large workspace is read.
 */
import { FileChangeType, type FileEvent, type WorkDoneProgressReporter } from 'vscode-languageserver/node';
import { promises as fs } from 'node:fs';
import { basename } from 'node:path';
import { describeError, type Log } from './guard';
import { SKIPPED_DIRS } from '../core/sourceFiles';
import { isJsonName, listJsonFiles, manifestFolderAbove, MANIFEST_NAME, mayHoldPolicies, TimeSlice, yieldToEventLoop } from './diskFiles';
import { readDiskText, type DiskRead } from '../runtime/readFile';
import type { DiagnosticsPublisher } from './diagnostics';
import type { ServerModel } from './model';
import type { Settings } from './settings';
import { isUnder } from './uris';
import { READ_AHEAD_FILES, startReadAhead } from '../runtime/readAhead';
import { compileWithoutInlining, TIGHT_HEAP_FILES, tightenHeapWhilePublishing, UNINLINED_PASS_FILES } from '../runtime/heap';

function isManifestFile(file: string): boolean {
  return basename(file) === MANIFEST_NAME;
}

/** Creates a work-done progress the client shows (a reporter that sends nothing when it cannot). */
export type ProgressFactory = () => Promise<WorkDoneProgressReporter>;

/** Least time between two progress reports. */
const PROGRESS_REPORT_MS = 250;

/**
 * Work-done progress for reading folders: begun when the client has created the token
 * (reading does not wait for it), reported at most every PROGRESS_REPORT_MS, and ended
 * once every file is read and its diagnostics are published.
 */
class ReadProgress {
  private reporter: WorkDoneProgressReporter | undefined;
  private ended = false;
  private read = 0;
  private total = 0;
  private listed = false;
  private lastReport = 0;

  constructor(create: ProgressFactory, log: Log) {
    create().then(
      (reporter) => {
        this.reporter = reporter;
        reporter.begin('Policy Handshake: reading policies', this.percentage(), this.message());
        // Finished before the client created the token: a client waiting for the end still gets one.
        if (this.ended) reporter.done();
      },
      (error) => log(`creating progress failed: ${describeError(error)}`),
    );
  }

  addTotal(files: number): void {
    this.total += files;
  }

  /** Every folder is listed: from now on the total is known. */
  listingDone(): void {
    this.listed = true;
  }

  fileRead(): void {
    this.read++;
    const now = performance.now();
    if (!this.reporter || now - this.lastReport < PROGRESS_REPORT_MS) return;
    this.lastReport = now;
    this.reporter.report(this.percentage(), this.message());
  }

  checking(): void {
    this.reporter?.report(100, `${this.read}/${this.total} files, publishing findings`);
  }

  done(): void {
    if (this.ended) return;
    this.ended = true;
    this.reporter?.done();
  }

  private percentage(): number {
    return this.total ? Math.floor((100 * this.read) / this.total) : 0;
  }

  private message(): string {
    return this.listed ? `${this.read}/${this.total} files` : 'listing files';
  }
}

export class DiskIndexer {
  /** Workspace folder path → its URI. */
  private readonly folders = new Map<string, string>();
  /**
   * Workspace folder path → the folder above it that holds the manifest governing it (the
   * outermost, see `manifestFolderAbove`): read with it as context, its other files not reported.
   */
  private readonly contextFolders = new Map<string, string>();
  private generation = 0;
  private readonly pendingEvents = new Map<string, FileChangeType>();
  private eventsScheduled = false;
  /**
   * Files read and left out of the model: they cannot hold a policy (see `mayHoldPolicies`) and
   * no manifest binds them. Read again when a manifest comes to bind them.
   */
  private readonly leftOut = new Set<string>();
  /** Files in the model only because a manifest binds them: they leave it when none does any longer. */
  private readonly boundOnly = new Set<string>();
  private followScheduled = false;
  /** Told of each folder above a workspace folder that is read as its context (its files change outside the workspace). */
  onContextFolder: (folder: string) => void = () => undefined;

  constructor(
    private readonly model: ServerModel,
    private readonly publisher: DiagnosticsPublisher,
    private readonly settings: (scopeUri: string | undefined) => Promise<Settings>,
    private readonly log: Log,
    private readonly createProgress: ProgressFactory,
    /** Informational messages for the user: how many files were read, and how long it took. */
    private readonly info: Log = () => undefined,
  ) {}

  /** Whether the folders were read once already (the first full pass is logged as such). */
  private passes = 0;

  /** The URI of the workspace folder holding `path`, innermost first. */
  folderUriOf(path: string): string | undefined {
    let best: string | undefined;
    for (const f of this.folders.keys()) if (isUnder(path, f) && (!best || f.length > best.length)) best = f;
    return best === undefined ? undefined : this.folders.get(best);
  }

  /** Whether a file is read from disk: it is in a workspace folder, or in the folder of a manifest above one (context). */
  isRead(path: string): boolean {
    if (this.folderUriOf(path)) return true;
    for (const c of this.contextFolders.values()) if (isUnder(path, c)) return true;
    return false;
  }

  /**
   * Read the folders; diagnostics of files that are not open wait until all are read. The
   * client sees it as work-done progress, which ends when those diagnostics are published.
   * A folder governed by a manifest above it is read from that manifest's folder, as the CLI
   * reads it: the files outside the workspace folders are context, not reported.
   */
  async addFolders(uris: string[]): Promise<void> {
    const generation = this.generation;
    const folders: string[] = [];
    for (const uri of uris) {
      const folder = this.model.uris.toPath(uri);
      if (folder === uri) continue; // not a file-system folder
      this.folders.set(folder, uri);
      folders.push(folder);
      const above = manifestFolderAbove(folder);
      if (above !== undefined) {
        this.contextFolders.set(folder, above);
        this.onContextFolder(above);
      } else this.contextFolders.delete(folder);
    }
    const roots = readRoots(folders.map((f) => this.contextFolders.get(f) ?? f));
    if (!roots.length) return; // nothing to read, nothing to show
    const release = this.publisher.holdClosedFiles();
    const progress = new ReadProgress(this.createProgress, this.log);
    const started = performance.now();
    const rereadBefore = this.model.workspace.textsReadAgain;
    let loosen: (() => void) | undefined;
    let inline: (() => void) | undefined;
    try {
      // Every folder is listed before any is read, so the progress counts all their files from the start.
      const listed: { root: string; files: string[] }[] = [];
      for (const root of roots) {
        const files = await listJsonFiles(root, this.cancelled(root, generation));
        progress.addTotal(files.length);
        listed.push({ root, files });
      }
      progress.listingDone();
      const read = listed.reduce((n, l) => n + l.files.length, 0);
      if (read >= UNINLINED_PASS_FILES) {
        inline = compileWithoutInlining().restore;
        this.info(`Reading ${read} files: functions optimized until their findings are published are compiled without inlining (a large workspace).`);
      }
      for (const { root, files } of listed) await this.indexFolder(root, files, generation, progress);
      if (read >= TIGHT_HEAP_FILES) {
        const tight = tightenHeapWhilePublishing();
        loosen = tight.restore;
        this.info(`Heap collected after reading ${read} files: ${Math.round(tight.usedBefore / 1e6)} → ${Math.round(tight.usedAfter / 1e6)} MB in use; held close to the live heap while their findings are published.`);
      }
      release();
      progress.checking();
      await this.publisher.idle();
      if (generation === this.generation) {
        const ms = Math.round(performance.now() - started);
        const what = this.passes++ === 0 ? 'First full pass' : 'Folders read again';
        const folders = roots.length === 1 ? roots[0] : `${roots.length} folders`;
        const again = Math.max(0, this.model.workspace.textsReadAgain - rereadBefore);
        this.info(`${what}: ${read} JSON file${read === 1 ? '' : 's'} read from ${folders} (${this.model.workspace.filePaths().length} in the model) and their findings published in ${ms} ms; ${again} file text${again === 1 ? '' : 's'} read again from disk.`);
      }
    } finally {
      loosen?.();
      inline?.();
      release();
      progress.done();
    }
  }

  removeFolder(uri: string): void {
    const folder = this.model.uris.toPath(uri);
    const root = this.contextFolders.get(folder) ?? folder;
    this.folders.delete(folder);
    this.contextFolders.delete(folder);
    this.forget((p) => isUnder(p, root) && !this.isRead(p));
    for (const p of this.model.workspace.filePaths()) {
      if (isUnder(p, root) && !this.isRead(p)) this.model.removeDiskFile(p);
    }
  }

  /** Read every folder again (after the model was reset). */
  async reindex(): Promise<void> {
    this.generation++;
    await this.addFolders([...this.folders.values()]);
  }

  /** `workspace/didChangeWatchedFiles`: events are merged and applied on the next turn. */
  fileEvents(events: FileEvent[]): void {
    for (const e of events) this.pendingEvents.set(this.model.uris.toPath(e.uri), e.type);
    if (this.eventsScheduled) return;
    this.eventsScheduled = true;
    setImmediate(() => {
      this.eventsScheduled = false;
      void this.applyEvents();
    });
  }

  private async applyEvents(): Promise<void> {
    const events = [...this.pendingEvents];
    this.pendingEvents.clear();
    for (const [path, type] of events) {
      try {
        if (type === FileChangeType.Deleted) this.deleted(path);
        else await this.changed(path);
      } catch (error) {
        this.log(`reading ${path} failed: ${describeError(error)}`);
      }
      await yieldToEventLoop();
    }
  }

  private deleted(path: string): void {
    this.forget((p) => isUnder(p, path));
    this.model.removeDiskFile(path);
    // A deleted folder takes its files with it.
    for (const p of this.model.workspace.filePaths()) if (isUnder(p, path) && p !== path) this.model.removeDiskFile(p);
  }

  private async changed(path: string): Promise<void> {
    // Events come for every path (folders must be watched: a folder created with its files
    // may report only the folder). Files that are not JSON, and skipped folders, cost nothing.
    const root = [...this.folders.keys()].find((r) => isUnder(path, r)) ?? '';
    const parts = path.slice(root.length).split(/[\\/]/);
    if (parts.some((p) => SKIPPED_DIRS.has(p))) return;
    const base = parts[parts.length - 1];
    if (!isJsonName(base) && base.includes('.')) return;
    const st = await fs.stat(path).catch(() => undefined);
    if (st?.isDirectory()) {
      for (const f of await listJsonFiles(path)) await this.load(f);
      return;
    }
    if (isJsonName(path)) await this.load(path);
  }

  /** Whether reading `root` for `generation` was overtaken (a new reading, or the folder removed). */
  private cancelled(root: string, generation: number): () => boolean {
    return () => generation !== this.generation || (!this.folders.has(root) && ![...this.contextFolders.values()].includes(root));
  }

  private async indexFolder(root: string, listed: string[], generation: number, progress: ReadProgress): Promise<void> {
    const cancelled = this.cancelled(root, generation);
    // Manifests first: the files they bind are then read with their owners at once.
    const files = [...listed].sort((a, b) => Number(isManifestFile(b)) - Number(isManifestFile(a)));
    // Files are read synchronously, many per slice: small reads are far cheaper that way,
    // and the slices keep requests answered. Many files are read ahead in a thread of their own.
    const reader = files.length >= READ_AHEAD_FILES ? startReadAhead(files, await this.maxFileSize(root)) : undefined;
    const slice = new TimeSlice();
    try {
      for (let i = 0; i < files.length; i++) {
        if (cancelled()) return;
        const file = files[i];
        try {
          this.apply(file, reader ? reader.take(i, await this.maxFileSize(file)) : await this.read(file));
        } catch (error) {
          this.log(`reading ${file} failed: ${describeError(error)}`);
        }
        progress.fileRead();
        await slice.yieldIfDue();
      }
    } finally {
      reader?.close();
    }
    if (reader) this.info(`Read ${reader.counts.thread} of ${files.length} files of ${root} in a reading thread, ${reader.counts.here} in the checking thread.`);
  }

  private async maxFileSize(file: string): Promise<number> {
    return (await this.settings(this.folderUriOf(file))).maxFileSize;
  }

  /** Read one file into the model (or out of it when it is gone, too large, or holds no policy). */
  private async load(file: string): Promise<void> {
    if (this.model.openDocument(file)) return;
    this.apply(file, await this.read(file));
  }

  private async read(file: string): Promise<DiskRead> {
    return readDiskText(file, await this.maxFileSize(file));
  }

  private apply(file: string, read: DiskRead): void {
    if (this.model.openDocument(file)) return;
    const text = this.kept(file, read);
    if (text !== undefined) this.model.setDiskText(file, text);
    else if (this.model.workspace.hasFile(file)) this.model.removeDiskFile(file);
  }

  /**
   * The text of a file read from disk, when the model should hold it: it may hold a policy, or
   * the manifest that governs it binds it (the manifest decides what a file is, as in the CLI).
   * Notes the files left out, and those kept only for their binding.
   */
  private kept(file: string, read: DiskRead): string | undefined {
    this.leftOut.delete(file);
    this.boundOnly.delete(file);
    if (read.kind !== 'text') return undefined;
    if (mayHoldPolicies(file, read.text)) return read.text;
    if (this.model.workspace.boundByManifest(file)) {
      this.boundOnly.add(file);
      return read.text;
    }
    this.leftOut.add(file);
    return undefined;
  }

  /** Forget the files left out or kept for their binding that `gone` says are gone. */
  private forget(gone: (path: string) => boolean): void {
    for (const set of [this.leftOut, this.boundOnly]) for (const p of set) if (gone(p)) set.delete(p);
  }

  /**
   * A manifest came, changed or went: files left out that a manifest now binds are read, and
   * files kept only for their binding that none binds any longer leave the model (on the next turn, once).
   */
  manifestsChanged(): void {
    if (this.followScheduled) return;
    this.followScheduled = true;
    setImmediate(() => {
      this.followScheduled = false;
      void this.followManifests();
    });
  }

  private async followManifests(): Promise<void> {
    const ws = this.model.workspace;
    for (const file of [...this.boundOnly]) {
      if (ws.boundByManifest(file)) continue;
      this.boundOnly.delete(file);
      this.leftOut.add(file);
      this.model.removeDiskFile(file);
    }
    for (const file of [...this.leftOut]) {
      if (!ws.boundByManifest(file)) continue;
      try {
        await this.load(file);
      } catch (error) {
        this.log(`reading ${file} failed: ${describeError(error)}`);
      }
    }
  }

  /** The disk text of a file that was just closed in the editor, when it should be in the model. */
  async diskTextForClosed(file: string): Promise<string | undefined> {
    if (!this.isRead(file)) return undefined;
    return this.kept(file, await this.read(file));
  }
}

/** The folders to read: each once, and none inside another (its files are listed with that one). */
function readRoots(folders: string[]): string[] {
  const unique = [...new Set(folders)];
  return unique.filter((f) => !unique.some((o) => o !== f && isUnder(f, o)));
}
