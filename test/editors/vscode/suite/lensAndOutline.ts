/**
 * The code lens on a trusted account principal and the outline, in VS Code, on a copy of
 * examples/cross-account: clicking the lens peeks the IAM statements that grant the key
 * (issue 18, defect 5); a bare policy file has one outline, VS Code's own (defect 7).
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, workspaceUri } from '../support/editor';
import { cleanEditedWorkspace } from '../support/edits';
import { copyExample } from '../support/examples';
import { waitUntil } from '../support/poll';

const KEY_POLICY = 'security/keys/app-data.json';

async function openKeyPolicy(): Promise<vscode.TextDocument> {
  await copyExample('cross-account');
  const doc = await vscode.workspace.openTextDocument(workspaceUri(KEY_POLICY));
  await vscode.window.showTextDocument(doc);
  return doc;
}

describe('code lens and outline in VS Code (examples/cross-account)', () => {
  before(activateExtension);
  afterEach(cleanEditedWorkspace);

  it('the lens on the workloads root peeks the IAM statements that grant the key', async () => {
    const doc = await openKeyPolicy();
    // The example's files reach the server one by one: wait until the lens counts both roles.
    const lens = await waitUntil(async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
      return lenses.find((l) => l.command?.title === '2 roles in workloads use this key');
    }, 'the lens "2 roles in workloads use this key"');
    const root = doc.getText().indexOf('"arn:aws:iam::444455556666:root"');
    assert.strictEqual(lens.range.start.line, doc.positionAt(root).line);
    assert.strictEqual(lens.command!.command, 'policyHandshake.showReferences');
    const [uri, , locations] = lens.command!.arguments as [string, unknown, { uri: string; range: { start: { line: number } } }[]];
    assert.strictEqual(uri, doc.uri.toString());
    const peeked = locations.map((l) => `${vscode.workspace.asRelativePath(vscode.Uri.parse(l.uri))}:${l.range.start.line + 1}`).sort();
    assert.deepStrictEqual(peeked, ['workloads/exports/authorization-details.json:30', 'workloads/roles/app-reader/use-app-data-key.json:4']);
    // Clicking runs the command: VS Code's references peek opens on the lens's line (the key policy stays the active editor).
    await vscode.commands.executeCommand(lens.command!.command, ...lens.command!.arguments!);
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), doc.uri.toString());
    await vscode.commands.executeCommand('closeReferenceSearch');
  });

  it('a bare key policy has one outline: VS Code\'s JSON outline, without a second tree of the same statements', async () => {
    const doc = await openKeyPolicy();
    const symbols = await waitUntil(async () => {
      const s = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
      return s?.length ? s : undefined;
    }, 'the outline of the key policy');
    assert.deepStrictEqual(symbols.map((s) => s.name), ['Version', 'Id', 'Statement']);
    const statements = symbols.find((s) => s.name === 'Statement')!;
    assert.strictEqual(statements.children.length, 3);
  });
});
