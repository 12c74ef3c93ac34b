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
import { TabInputText, TabInputTextDiff, Uri, window, workspace, type Disposable, type FileSystemWatcher, type TextDocument } from 'vscode';
import { DidCloseTextDocumentNotification, DidOpenTextDocumentNotification, type LanguageClient } from 'vscode-languageclient/node';

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
  /** Documents closed for the server while VS Code still holds them. */
  private readonly closedEarly = new Set<string>();
  private readonly subscriptions: Disposable[];

  constructor(private readonly client: () => LanguageClient | undefined, watcher: FileSystemWatcher, private readonly logError: (message: string) => void) {
    this.subscriptions = [
      watcher.onDidDelete((deleted) => this.run(this.closeGone((doc) => isAtOrUnder(doc.uri, deleted)))),
      window.tabGroups.onDidChangeTabs((e) => {
        if (e.closed.length) this.run(this.closeGone(() => true));
        if (e.opened.length) this.run(this.reopenShown());
      }),
      workspace.onDidCloseTextDocument((doc) => this.closedEarly.delete(doc.uri.toString())),
    ];
  }

  /** The documents the server has open. */
  private synced(c: LanguageClient): TextDocument[] {
    return [...c.getFeature(DidOpenTextDocumentNotification.method).openDocuments];
  }

  private run(work: Promise<void>): void {
    work.catch((e) => this.logError(`Closing or reopening documents of deleted files failed: ${String(e)}`));
  }

  /** After the server (re)started: it was sent every document VS Code holds, deleted files too. */
  async serverStarted(): Promise<void> {
    this.closedEarly.clear();
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
      this.closedEarly.add(doc.uri.toString());
    }
  }

  /** Opens for the server again a document closed early that a tab shows again. */
  private async reopenShown(): Promise<void> {
    const c = this.client();
    if (!c?.isRunning() || !this.closedEarly.size) return;
    const shown = urisInTabs();
    for (const doc of workspace.textDocuments) {
      const key = doc.uri.toString();
      if (!this.closedEarly.has(key) || !shown.has(key)) continue;
      this.closedEarly.delete(key);
      await c.getFeature(DidOpenTextDocumentNotification.method).getProvider(doc)?.send(doc);
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
