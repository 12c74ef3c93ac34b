/**
 * What the extension-host tests do in VS Code: write policy files into the test workspace,
 * open them, wait for the language server's diagnostics, and ask VS Code for hovers,
 * completions and code actions the way the editor does. Expected ranges are written in the
 * policy text with the fixture markers of `test/support/fixture.ts` (`«check-id:` … `»`), and
 * `$0` marks a cursor.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { parseMarkers } from '../../../support/fixture';

export const EXTENSION_ID = 'policy-handshake.policy-handshake';
export const SOURCE = 'policy-handshake';
/** How long to wait for the server to answer before a test fails. */
export const WAIT_MS = 30_000;

export interface ExpectedDiagnostic { code: string; range: vscode.Range }
export interface OpenedPolicy {
  doc: vscode.TextDocument;
  editor: vscode.TextEditor;
  /** The ranges marked in the text, converted to document positions. */
  expected: ExpectedDiagnostic[];
  /** Where `$0` stood in the text, if it had one. */
  cursor?: vscode.Position;
}

const CURSOR = '$0';
/** Stands in for the cursor while the range markers are parsed (a private-use character). */
const CURSOR_STAND_IN = '\uE000';

const written = new Set<string>();

export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  await ext.activate();
  return ext;
}

export function workspaceUri(relPath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test run has no workspace folder');
  return vscode.Uri.joinPath(folder.uri, ...relPath.split('/'));
}

/** Write a file into the test workspace (removed again by `cleanWorkspace`). */
export async function writeWorkspaceFile(relPath: string, text: string): Promise<vscode.Uri> {
  const uri = workspaceUri(relPath);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  written.add(uri.toString());
  return uri;
}

/**
 * Open a document just written to disk. A document of the same path opened by an earlier
 * test may still be held by VS Code with its old text: wait until VS Code has read the new
 * file (it reloads documents without unsaved changes when their file changes).
 */
export async function openWrittenDocument(uri: vscode.Uri, text: string, timeoutMs = WAIT_MS): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(uri);
  if (doc.getText() === text) return doc;
  await new Promise<void>((resolve) => {
    const done = () => {
      sub.dispose();
      clearTimeout(timer);
      resolve();
    };
    const sub = vscode.workspace.onDidChangeTextDocument((e) => { if (e.document === doc && doc.getText() === text) done(); });
    const timer = setTimeout(done, timeoutMs);
    if (doc.getText() === text) done();
  });
  assert.strictEqual(doc.getText(), text, `VS Code still holds the old text of ${vscode.workspace.asRelativePath(uri)}`);
  return doc;
}

/**
 * Write a policy text into the workspace (range markers and the `$0` cursor stripped) and open
 * it in an editor.
 */
export async function openMarkedPolicy(relPath: string, marked: string): Promise<OpenedPolicy> {
  assert.ok(!marked.includes(CURSOR_STAND_IN), 'the text may not contain U+E000');
  const parsed = parseMarkers(marked.replace(CURSOR, CURSOR_STAND_IN));
  const at = parsed.text.indexOf(CURSOR_STAND_IN);
  const text = at < 0 ? parsed.text : parsed.text.replace(CURSOR_STAND_IN, '');
  const shift = (offset: number) => (at >= 0 && offset > at ? offset - 1 : offset);
  const uri = await writeWorkspaceFile(relPath, text);
  const doc = await openWrittenDocument(uri, text);
  const editor = await vscode.window.showTextDocument(doc);
  return {
    doc,
    editor,
    expected: parsed.expected.map((e) => ({ code: e.checkId, range: new vscode.Range(doc.positionAt(shift(e.offset)), doc.positionAt(shift(e.end))) })),
    cursor: at < 0 ? undefined : doc.positionAt(at),
  };
}

export function cursorOf(policy: OpenedPolicy): vscode.Position {
  assert.ok(policy.cursor, 'the policy text has no $0 cursor');
  return policy.cursor;
}

/** Close all editors and delete the files the test wrote. */
export async function cleanWorkspace(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  for (const u of written) await vscode.workspace.fs.delete(vscode.Uri.parse(u), { useTrash: false }).then(undefined, () => undefined);
  written.clear();
}

export function diagnosticCode(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return String(typeof c === 'object' ? c.value : c);
}

/** This extension's diagnostics for a document. */
export function policyDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

/**
 * Wait until `accept` holds for the document's policy diagnostics, re-testing whenever VS Code
 * reports a change; on timeout, return what was last seen (the caller's assertion then fails
 * with it).
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (ds: vscode.Diagnostic[]) => boolean,
  timeoutMs = WAIT_MS,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve) => {
    const done = () => {
      sub.dispose();
      clearTimeout(timer);
      resolve(policyDiagnostics(uri));
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString()) && accept(policyDiagnostics(uri))) done();
    });
    const timer = setTimeout(done, timeoutMs);
    if (accept(policyDiagnostics(uri))) done();
  });
}

function describe(code: string | undefined, r: vscode.Range): string {
  return `${code} ${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`;
}

/**
 * Wait for the opened policy's diagnostics (of the `only` codes, default all) to equal the marked
 * ones — codes and exact ranges — and assert it. With nothing marked this holds at once, before
 * the server has answered: to show that a finding is absent, first wait for one that is present.
 */
export async function expectMarkedDiagnostics(policy: OpenedPolicy, only?: string[]): Promise<vscode.Diagnostic[]> {
  const keep = (code: string | undefined) => !only || (code !== undefined && only.includes(code));
  const want = policy.expected.filter((e) => keep(e.code)).map((e) => describe(e.code, e.range)).sort();
  const actual = (ds: vscode.Diagnostic[]) => ds.filter((d) => keep(diagnosticCode(d))).map((d) => describe(diagnosticCode(d), d.range)).sort();
  const seen = await waitForDiagnostics(policy.doc.uri, (ds) => JSON.stringify(actual(ds)) === JSON.stringify(want));
  assert.deepStrictEqual(actual(seen), want, `diagnostics of ${vscode.workspace.asRelativePath(policy.doc.uri)}`);
  return seen.filter((d) => keep(diagnosticCode(d)));
}

/** The hover text VS Code shows at a position (all providers, markdown joined). */
export async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n\n');
}

/** The labels VS Code would offer for completion at a position. */
export async function completionLabels(uri: vscode.Uri, position: vscode.Position): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, position);
  return list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
}

/** The quick fixes VS Code offers for a diagnostic (as the light bulb would). */
export async function quickFixes(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
  const isCommand = (a: vscode.CodeAction | vscode.Command): a is vscode.Command => typeof a.command === 'string';
  const code = diagnosticCode(diagnostic);
  return actions
    .filter((a): a is vscode.CodeAction => !isCommand(a))
    .filter((a) => !a.diagnostics || a.diagnostics.some((d) => diagnosticCode(d) === code));
}

/** Apply a code action the way VS Code does: its workspace edit, then its command. */
export async function applyCodeAction(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `the edit of "${action.title}" was not applied`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}
