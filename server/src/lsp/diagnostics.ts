/**
 * Publishes diagnostics. Edits are debounced per document; the model is updated when the
 * delay ends, and every path the update affects is queued. A pump drains the queue (open
 * documents first), yielding every few milliseconds, and drops any result whose document changed
 * meanwhile: a pending edit publishes its own. What was published is kept per document
 * (version, findings) for the code action handler.
 */
import type { Connection, Diagnostic, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { allCheckMetadata } from '../core/checks/registry';
import type { Finding } from '../core/findings';
import { LineIndex } from '../core/positions';
import { toDiagnostic } from './convert';
import { TimeSlice } from './diskFiles';
import { describeError, type Log } from './guard';
import type { ServerModel } from './model';
import type { Settings } from './settings';
import { effectiveSeverity } from '../core/checkSettings';

export interface PublisherOptions {
  /** Delay after the last edit before a document is checked. */
  debounceMs: number;
  /** Whether `json-syntax` is reported for open JSON documents (see server.ts). */
  reportSyntaxErrors: boolean;
  /** Whether a file that is not open is reported: files read only as context (outside the workspace folders) are not. */
  reportsClosed: (path: string) => boolean;
}

export interface Published {
  /** Open document version, or null for a file that is not open. */
  version: number | null;
  findings: Finding[];
  diagnostics: Diagnostic[];
}

/** What is kept of diagnostics published for a file that is not open (see `publish`). */
const CLOSED_PUBLISHED: Published = Object.freeze({ version: null, findings: [], diagnostics: [] });

/** Languages whose syntax errors the client reports itself when it says it has JSON support. */
const CLIENT_JSON_LANGUAGES = new Set(['json', 'jsonc']);

export class DiagnosticsPublisher {
  /** Pending checks of edited documents: how to cancel each. */
  private readonly timers = new Map<string, () => void>();
  private readonly dirtyOpen = new Set<string>();
  private readonly dirtyClosed = new Set<string>();
  private readonly published = new Map<string, Published>();
  /** Checks whose findings depend on other files (the handshake): held back from open documents while the workspace is first read. */
  private readonly workspaceChecks = new Set(allCheckMetadata().filter((m) => m.scope === 'workspace').map((m) => m.id));
  /** Open documents published while held, without their workspace findings: published again on release. */
  private readonly partial = new Set<string>();
  private pumping = false;
  private holdClosed = 0;
  private disposed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly model: ServerModel,
    private readonly settingsFor: (path: string, uri: string) => Promise<Settings>,
    private readonly options: PublisherOptions,
    private readonly log: Log,
  ) {}

  /** An open document changed: check it when the edits pause. */
  documentChanged(uri: string, delay = this.options.debounceMs): void {
    if (this.disposed) return;
    this.timers.get(uri)?.();
    const check = () => {
      this.timers.delete(uri);
      try {
        this.model.syncDocument(uri);
        this.markDirty([this.model.uris.toPath(uri)]);
      } catch (error) {
        this.log(`checking ${uri} failed: ${describeError(error)}`);
      }
    };
    // No delay means the next turn of the event loop, not a timer (Node waits at least 1 ms for one).
    if (delay <= 0) {
      const immediate = setImmediate(check);
      this.timers.set(uri, () => clearImmediate(immediate));
    } else {
      const timer = setTimeout(check, delay);
      this.timers.set(uri, () => clearTimeout(timer));
    }
  }

  documentClosed(uri: string): void {
    this.timers.get(uri)?.();
    this.timers.delete(uri);
  }

  /** Queue paths whose findings may have changed. */
  markDirty(paths: string[]): void {
    if (this.disposed) return;
    for (const p of paths) {
      if (this.model.openDocument(p)) this.dirtyOpen.add(p);
      else this.dirtyClosed.add(p);
    }
    void this.pump();
  }

  /** While held (initial indexing), files that are not open wait: their findings depend on files not read yet. */
  holdClosedFiles(): () => void {
    this.holdClosed++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holdClosed--;
      if (this.holdClosed === 0 && this.partial.size) {
        const paths = [...this.partial];
        this.partial.clear();
        this.markDirty(paths);
      }
      void this.pump();
    };
  }

  /** Whether the workspace is being read for the first time (or again): cross-file findings wait. */
  get reading(): boolean {
    return this.holdClosed > 0;
  }

  /** Everything published, again (settings changed). */
  republishAll(): void {
    this.markDirty([...new Set([...this.model.workspace.filePaths(), ...[...this.published.keys()].map((u) => this.model.uris.toPath(u))])]);
  }

  /** Resolves when nothing waits to be published (files held back by indexing count as waiting). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.disposed || (!this.pumping && this.dirtyOpen.size === 0 && this.dirtyClosed.size === 0);
  }

  private wakeIdleWaiters(): void {
    if (!this.idleWaiters.length || !this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  lastPublished(uri: string): Published | undefined {
    return this.published.get(uri);
  }

  dispose(): void {
    this.disposed = true;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    this.wakeIdleWaiters();
  }

  private next(): string | undefined {
    for (const set of this.holdClosed > 0 ? [this.dirtyOpen] : [this.dirtyOpen, this.dirtyClosed]) {
      const first = set.values().next();
      if (!first.done) {
        set.delete(first.value);
        return first.value;
      }
    }
    return undefined;
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      const slice = new TimeSlice();
      for (let path = this.next(); path !== undefined && !this.disposed; path = this.next()) {
        try {
          await this.publish(path);
        } catch (error) {
          this.log(`publishing diagnostics for ${path} failed: ${describeError(error)}`);
        }
        await slice.yieldIfDue();
      }
    } finally {
      this.pumping = false;
      this.wakeIdleWaiters();
    }
  }

  private async publish(path: string): Promise<void> {
    const uri = this.model.uris.toUri(path);
    const doc = this.documents.get(uri);
    // A pending edit of an open document publishes when its delay ends.
    if (doc && !this.model.isCurrent(uri)) return;
    const version = doc ? doc.version : null;
    const settings = await this.settingsFor(path, uri);
    const now = this.documents.get(uri);
    if ((now ? now.version : null) !== version || !this.model.isCurrent(uri)) return;

    // A file read only as context gets no diagnostics unless open; one just closed has its own cleared.
    if (!doc && !this.options.reportsClosed(path)) {
      if (this.published.delete(uri)) this.connection.sendDiagnostics({ uri, diagnostics: [] });
      return;
    }
    const ws = this.model.workspace;
    const inModel = ws.hasFile(path);
    const found = inModel ? ws.findings(path) : [];
    // Most files have no findings: they need no line index (nor, for a file that keeps no text, a read of it).
    const index = found.length ? this.model.lineIndex(path) ?? new LineIndex('') : undefined;
    const hideSyntax = !this.options.reportSyntaxErrors && !!doc && CLIENT_JSON_LANGUAGES.has(doc.languageId);
    const findings: Finding[] = [];
    const diagnostics: Diagnostic[] = [];
    // While the workspace is first read, an open document's handshake findings would be made from
    // the files read so far ("nobody uses this key" before the roles are read): they wait for the pass.
    const held = this.reading;
    if (held) this.partial.add(path);
    for (const f of found) {
      if (hideSyntax && f.checkId === 'json-syntax') continue;
      if (held && this.workspaceChecks.has(f.checkId)) continue;
      const severity = effectiveSeverity(f, settings.checks);
      if (!severity) continue;
      diagnostics.push(toDiagnostic(f, severity, index!, { version, index: findings.length }, (file) => this.model.target(file)));
      findings.push(f);
    }
    if (!inModel) this.model.lineIndexes.delete(path);
    // A file that is not open needs its findings and cross-file analyses again only if asked:
    // they are made again then (on a large workspace, most of the memory they take).
    if (!doc) ws.releaseFindings(path);
    // Files that are not open and never had diagnostics need no message.
    if (!doc && diagnostics.length === 0 && !this.published.has(uri)) return;
    this.connection.sendDiagnostics({ uri, version: doc?.version, diagnostics });
    if (!doc && diagnostics.length === 0) this.published.delete(uri);
    // Quick fixes are offered only on open documents: of the others, only that something was published is kept.
    else this.published.set(uri, doc ? { version, findings, diagnostics } : CLOSED_PUBLISHED);
  }
}
