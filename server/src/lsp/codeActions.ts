/**
 * Quick-fixes from the fixes attached to the findings last published for a document.
 * Edits are versioned (`documentChanges` with `{uri, version}`), so a client refuses a fix
 * computed for text that has changed since; when the document has already changed when
 * the request arrives, no fix is offered at all.
 */
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type CreateFile,
  type TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { FileEdit, Fix } from '../core/findings';
import { LineIndex } from '../core/positions';
import { rangesIntersect, toRange } from './convert';
import type { DiagnosticsPublisher } from './diagnostics';
import type { ServerModel } from './model';

export interface EditSupport {
  /** The client applies `documentChanges` (versioned edits). */
  documentChanges: boolean;
  /** The client can create files in a workspace edit. */
  createFiles: boolean;
}

export function wantsQuickFixes(only: string[] | undefined): boolean {
  if (!only || only.length === 0) return true;
  return only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(k + '.') || k === CodeActionKind.Empty);
}

export function quickFixes(params: CodeActionParams, model: ServerModel, publisher: DiagnosticsPublisher, support: EditSupport): CodeAction[] {
  if (!wantsQuickFixes(params.context.only)) return [];
  const uri = params.textDocument.uri;
  const doc = model.openDocument(model.uris.toPath(uri));
  const published = publisher.lastPublished(uri);
  if (!doc || !published || published.version !== doc.version || !model.isCurrent(uri)) return [];
  const out: CodeAction[] = [];
  published.findings.forEach((finding, i) => {
    const diagnostic = published.diagnostics[i];
    if (!finding.fixes?.length || !rangesIntersect(diagnostic.range, params.range)) return;
    for (const fix of finding.fixes) {
      const edit = workspaceEdit(fix, uri, doc.version, model, support);
      if (!edit) continue;
      const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit };
      if (fix.isPreferred) action.isPreferred = true;
      out.push(action);
    }
  });
  return out;
}

/** The fix as a workspace edit; undefined when the client cannot apply it. */
export function workspaceEdit(fix: Fix, uri: string, version: number, model: ServerModel, support: EditSupport): WorkspaceEdit | undefined {
  const ws = model.workspace;
  const documentChanges: (TextDocumentEdit | CreateFile)[] = [];
  const changes: Record<string, TextEdit[]> = {};
  for (const change of fix.changes) {
    const target = targetOf(change, uri, version, model);
    if (!target) return undefined;
    const text = ws.text(target.path);
    const creating = change.create === true && text === undefined;
    if (creating && !(support.documentChanges && support.createFiles)) return undefined;
    if (!creating && text === undefined) return undefined;
    const index = new LineIndex(text ?? '');
    const edits: TextEdit[] = change.edits.map((e) => ({ range: toRange(index, e), newText: e.newText }));
    if (creating) documentChanges.push({ kind: 'create', uri: target.uri, options: { ignoreIfExists: true } });
    documentChanges.push({ textDocument: { uri: target.uri, version: creating ? null : target.version }, edits });
    (changes[target.uri] ??= []).push(...edits);
  }
  return support.documentChanges ? { documentChanges } : { changes };
}

function targetOf(change: FileEdit, uri: string, version: number, model: ServerModel): { path: string; uri: string; version: number | null } | undefined {
  if (change.file === undefined) return { path: model.uris.toPath(uri), uri, version };
  const targetUri = model.uris.toUri(change.file);
  const open = model.openDocument(change.file);
  // Another open document: its edits are for the text the model holds.
  if (open) {
    const held = model.syncedVersion(targetUri);
    return held === undefined ? undefined : { path: change.file, uri: targetUri, version: held };
  }
  return { path: change.file, uri: targetUri, version: null };
}
