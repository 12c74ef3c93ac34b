/**
 * What the extension-host tests do in VS Code: write policy files into the test workspace,
 * open them, and wait for the language server's diagnostics. Expected ranges are written in
 * the policy text with the fixture markers of `test/support/fixture.ts` (`«check-id:` … `»`).
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
}

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

/** Write a marked policy text (markers stripped) into the workspace and open it in an editor. */
export async function openMarkedPolicy(relPath: string, marked: string): Promise<OpenedPolicy> {
  const { text, expected } = parseMarkers(marked);
  const uri = await writeWorkspaceFile(relPath, text);
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc);
  return {
    doc,
    editor,
    expected: expected.map((e) => ({ code: e.checkId, range: new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.end)) })),
  };
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
 * ones — codes and exact ranges — and assert it.
 */
export async function expectMarkedDiagnostics(policy: OpenedPolicy, only?: string[]): Promise<vscode.Diagnostic[]> {
  const keep = (code: string | undefined) => !only || (code !== undefined && only.includes(code));
  const want = policy.expected.filter((e) => keep(e.code)).map((e) => describe(e.code, e.range)).sort();
  const actual = (ds: vscode.Diagnostic[]) => ds.filter((d) => keep(diagnosticCode(d))).map((d) => describe(diagnosticCode(d), d.range)).sort();
  const seen = await waitForDiagnostics(policy.doc.uri, (ds) => JSON.stringify(actual(ds)) === JSON.stringify(want));
  assert.deepStrictEqual(actual(seen), want, `diagnostics of ${vscode.workspace.asRelativePath(policy.doc.uri)}`);
  return seen.filter((d) => keep(diagnosticCode(d)));
}
