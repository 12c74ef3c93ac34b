/**
 * Deleted files leave the server's model once no editor shows them.
 *
 * VS Code keeps a document open (no `textDocument/didClose`) for minutes after its last editor
 * tab closed, and a file deleted on disk keeps its document as long. The server keeps the text
 * of an open document over the disk's (an open file wins until it is closed), so a deleted file
 * would still count in the handshake with nothing on screen showing it. Here, a document of
 * the server's whose file is gone, that has no unsaved changes and no tab, is closed for the
 * server at once: when its file is deleted, or when its last tab closes. The server then reads
 * the disk, finds nothing, and drops it. A document deleted while a tab shows it keeps its text
 * until that tab closes. Should a tab show the same document again (VS Code still holding it),
 * it is opened for the server again.
 */
import { languages, TabInputText, TabInputTextDiff, Uri, window, workspace, type Disposable, type DocumentSelector, type FileSystemWatcher, type TextDocument } from 'vscode';
import { DidCloseTextDocumentNotification, DidOpenTextDocumentNotification, type LanguageClient, type Middleware } from 'vscode-languageclient/node';

/** The URIs the editor tabs show, as strings. */
function urisInTabs(): Set<string> {
  const out = new Set<string>();
  for (const tab of window.tabGroups.all.flatMap((g) => g.tabs)) {
    if (tab.input instanceof TabInputText) out.add(tab.input.uri.toString());
    else if (tab.input instanceof TabInputTextDiff) {
      out.add(tab.input.original.toString());
      out.add(tab.input.modified.toString());
    }
  }
  return out;
}

async function onDisk(uri: Uri): Promise<boolean> {
  return workspace.fs.stat(uri).then(() => true, () => false);
}

/** Whether `uri` is `folder` or inside it (a deleted folder takes its files). */
function isAtOrUnder(uri: Uri, folder: Uri): boolean {
  const u = uri.toString();
  const f = folder.toString();
  return u === f || u.startsWith(f.endsWith('/') ? f : `${f}/`);
}

export class GoneDocuments implements Disposable {
  private readonly subscriptions: Disposable[];

  constructor(
    private readonly client: () => LanguageClient | undefined,
    watcher: FileSystemWatcher,
    private readonly selector: DocumentSelector,
    private readonly log: { info(message: string): void; error(message: string): void },
  ) {
    this.subscriptions = [
      watcher.onDidDelete((deleted) => this.run(this.closeGone((doc) => isAtOrUnder(doc.uri, deleted)))),
      window.tabGroups.onDidChangeTabs((e) => {
        if (e.closed.length) this.run(this.closeGone(() => true));
        if (e.opened.length || e.changed.length) this.run(this.reopenShown());
      }),
    ];
  }

  /**
   * The client's middleware: a document VS Code closes is closed for the server only when it
   * is the one the server has open under its URI. A document closed here earlier is not closed
   * twice, and the close of a document VS Code replaced by another of the same URI does not
   * close the new one.
   */
  readonly middleware: Middleware = {
    didClose: async (doc, next) => {
      const c = this.client();
      if (c && this.syncedAs(c, doc.uri.toString()) !== doc) return;
      await next(doc);
    },
  };

  /** The documents the server has open. */
  private synced(c: LanguageClient): TextDocument[] {
    return [...c.getFeature(DidOpenTextDocumentNotification.method).openDocuments];
  }

  /** The document the server has open under `uri`, if any. */
  private syncedAs(c: LanguageClient, uri: string): TextDocument | undefined {
    return this.synced(c).find((d) => d.uri.toString() === uri);
  }

  private run(work: Promise<void>): void {
    work.catch((e) => this.log.error(`Closing or reopening documents of deleted files failed: ${String(e)}`));
  }

  /** After the server (re)started: it was sent every document VS Code holds, deleted files too. */
  async serverStarted(): Promise<void> {
    await this.closeGone(() => true);
  }

  /** Closes for the server the open documents (of those `which` picks) that no tab shows and whose file is gone. */
  private async closeGone(which: (doc: TextDocument) => boolean): Promise<void> {
    const c = this.client();
    if (!c?.isRunning()) return;
    const shown = urisInTabs();
    const candidates = this.synced(c).filter((d) => d.uri.scheme === 'file' && !d.isDirty && !shown.has(d.uri.toString()) && which(d));
    for (const doc of candidates) {
      if (await onDisk(doc.uri)) continue;
      // Checked again: a tab may have opened it, or an edit made it dirty, while the disk was asked.
      if (doc.isDirty || urisInTabs().has(doc.uri.toString()) || doc.isClosed) continue;
      await c.getFeature(DidCloseTextDocumentNotification.method).getProvider(doc)?.send(doc);
      this.log.info(`Closed for the server (its file is gone and no tab shows it): ${doc.uri.toString(true)}`);
    }
  }

  /**
   * Opens for the server every document of its languages that a tab shows and that it does not
   * have open: one closed here earlier whose tab is back, whatever VS Code did with it meanwhile.
   */
  private async reopenShown(): Promise<void> {
    const c = this.client();
    if (!c?.isRunning()) return;
    const shown = urisInTabs();
    const synced = new Set(this.synced(c).map((d) => d.uri.toString()));
    for (const doc of workspace.textDocuments) {
      const key = doc.uri.toString();
      if (!shown.has(key) || synced.has(key) || doc.isClosed || languages.match(this.selector, doc) === 0) continue;
      await c.getFeature(DidOpenTextDocumentNotification.method).getProvider(doc)?.send(doc);
      this.log.info(`Opened again for the server (a tab shows it again): ${doc.uri.toString(true)}`);
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
