/**
 * The Key access view in VS Code, on a copy of examples/cross-account: the view lists the
 * key, its accounts and the principals of workloads that can use it, and selecting a
 * principal opens the IAM statement that grants it the key.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { PolicyHandshakeApi } from '../../../../client/src/extension';
import { activateExtension } from '../support/editor';
import { cleanEditedWorkspace } from '../support/edits';
import { copyExample } from '../support/examples';
import { keyBlock, shownKeyAccess } from '../support/keyAccess';
import { waitUntil } from '../support/poll';

const KEY = 'key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('the Key access view (examples/cross-account)', () => {
  let api: PolicyHandshakeApi;
  before(async () => {
    api = (await activateExtension()).exports as PolicyHandshakeApi;
  });
  afterEach(cleanEditedWorkspace);

  it('shows the key, its accounts and the principals that can use it, and opens the granting statement', async () => {
    await copyExample('cross-account');
    await vscode.commands.executeCommand('policyHandshake.keyAccess.focus');
    // The example's files reach the server one by one: wait until both roles of workloads are in the view.
    // Other suites' files may still be in the server's workspace: the example's key is the one of its key-policy file.
    const { lines, items } = await waitUntil(async () => {
      const s = await shownKeyAccess(api.keyAccess);
      const block = keyBlock(s.lines, 'security/keys/app-data.json');
      return block && block.some((l) => l.includes('role/AppReader')) && block.some((l) => l.includes('role/DataPipeline')) ? { lines: block, items: s.items } : undefined;
    }, 'the view to list role/AppReader and role/DataPipeline');
    assert.deepStrictEqual(lines, [
      `${KEY} — security · security/keys/app-data.json`,
      '  security (111122223333) — own account · kms:*',
      '    The account\'s IAM policies decide who can use kms:*.',
      '  workloads (444455556666) — whole account trusted · kms:CreateGrant, kms:Decrypt and 10 more',
      '    role/AppReader — kms:Decrypt, kms:DescribeKey',
      '    role/DataPipeline — kms:Encrypt, kms:GenerateDataKey',
      '    No effect: kms:CreateGrant, kms:ListGrants, kms:RevokeGrant — no principal of the account has an IAM grant for them on this key',
    ]);
    const appReader = items.find((i) => i.label === 'role/AppReader' && i.description === 'kms:Decrypt, kms:DescribeKey')!;
    assert.ok(appReader.command, 'the principal entry has a command');
    await vscode.commands.executeCommand(appReader.command.command, ...(appReader.command.arguments ?? []));
    const editor = await waitUntil(() => {
      const e = vscode.window.activeTextEditor;
      return e && vscode.workspace.asRelativePath(e.document.uri) === 'workloads/roles/app-reader/use-app-data-key.json' ? e : undefined;
    }, 'AppReader\'s policy in the editor');
    assert.strictEqual(editor.selection.start.line, 3);
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
  });
});
