/**
 * Editing open documents the way a user does, without saving: replacing text, applying a
 * completion item, and discarding the unsaved changes again before the workspace is cleaned
 * (closing an editor with unsaved changes would ask whether to save them).
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { parseMarkers } from '../../../support/fixture';
import { cleanWorkspace, type OpenedPolicy } from './editor';

async function applyReplacement(doc: vscode.TextDocument, range: vscode.Range, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, range, text);
  assert.ok(await vscode.workspace.applyEdit(edit), `editing ${vscode.workspace.asRelativePath(doc.uri)} failed`);
}

/** Replace the first occurrence of `find` in the document (unsaved). */
export async function replaceText(doc: vscode.TextDocument, find: string, replacement: string): Promise<void> {
  const at = doc.getText().indexOf(find);
  assert.ok(at >= 0, `${JSON.stringify(find)} is not in ${vscode.workspace.asRelativePath(doc.uri)}`);
  await applyReplacement(doc, new vscode.Range(doc.positionAt(at), doc.positionAt(at + find.length)), replacement);
}

/**
 * Replace the whole text of an opened policy by a new marked text (unsaved); returns the
 * policy with the new text's expected diagnostics, for `expectMarkedDiagnostics`.
 */
export async function retypePolicy(policy: OpenedPolicy, marked: string): Promise<OpenedPolicy> {
  const { doc } = policy;
  const parsed = parseMarkers(marked);
  await applyReplacement(doc, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), parsed.text);
  assert.strictEqual(doc.getText(), parsed.text);
  return {
    ...policy,
    expected: parsed.expected.map((e) => ({ code: e.checkId, range: new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.end)) })),
    cursor: undefined,
  };
}

/** Apply a completion item as accepting it does: its text over its replace range. */
export async function applyCompletion(doc: vscode.TextDocument, item: vscode.CompletionItem): Promise<void> {
  const range = item.range instanceof vscode.Range ? item.range : item.range?.replacing;
  assert.ok(range, `completion item "${typeof item.label === 'string' ? item.label : item.label.label}" has no range`);
  const label = typeof item.label === 'string' ? item.label : item.label.label;
  const text = item.insertText === undefined ? label : typeof item.insertText === 'string' ? item.insertText : item.insertText.value;
  await applyReplacement(doc, range, text);
}

/** Revert every document with unsaved changes to its file on disk. */
export async function discardChanges(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments) {
    if (!doc.isDirty || doc.isUntitled) continue;
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
}

/** `cleanWorkspace` for tests that edit: unsaved changes are discarded first. */
export async function cleanEditedWorkspace(): Promise<void> {
  await discardChanges();
  await cleanWorkspace();
}
