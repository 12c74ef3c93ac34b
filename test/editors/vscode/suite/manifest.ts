/**
 * "Policy Handshake: Create manifest" in VS Code, on a copy of examples/cross-account without
 * its manifest: the draft opens as an unsaved document at the manifest's place, and nothing is
 * written.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, workspaceUri } from '../support/editor';
import { cleanEditedWorkspace } from '../support/edits';
import { copyExample } from '../support/examples';
import { waitUntil } from '../support/poll';

describe('Create manifest in VS Code (examples/cross-account without its manifest)', () => {
  before(activateExtension);
  afterEach(cleanEditedWorkspace);

  it('proposes the accounts, the key and the principals as an unsaved policy-handshake.json', async () => {
    await copyExample('cross-account', ['policy-handshake.json']);
    // The server has read the example once its draft names the key and both roles with their
    // account (read from the authorization-details export); the copied files' events reach the
    // server in no fixed order, so the key policy may come last.
    const doc = await waitUntil(async () => {
      const d = await vscode.commands.executeCommand<vscode.TextDocument | undefined>('policyHandshake.createManifest');
      const draft = d && JSON.parse(d.getText());
      const roles = draft?.principals?.filter((p: { policies: string[] }) => p.policies[0].startsWith('workloads/'));
      const key = draft?.keys?.some((k: { policy: string }) => k.policy === 'security/keys/app-data.json');
      if (key && roles?.length === 2 && roles.every((p: { arn: string }) => !p.arn.includes('ACCOUNT-ID'))) return d;
      if (d) await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      return undefined;
    }, 'a draft naming both roles');
    try {
      assert.strictEqual(doc.uri.scheme, 'untitled');
      assert.strictEqual(doc.uri.path, workspaceUri('policy-handshake.json').path);
      const draft = JSON.parse(doc.getText());
      // Files other suites wrote may still be known to the server: the example's are those under its folders.
      assert.deepStrictEqual(draft.keys.filter((k: { policy: string }) => k.policy.startsWith('security/')), [{ policy: 'security/keys/app-data.json', arn: 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' }]);
      assert.deepStrictEqual(draft.principals.filter((p: { policies: string[] }) => p.policies[0].startsWith('workloads/')).map((p: { arn: string }) => p.arn), ['arn:aws:iam::444455556666:role/AppReader', 'arn:aws:iam::444455556666:role/ReportBuilder']);
      const written = await vscode.workspace.fs.stat(workspaceUri('policy-handshake.json')).then(() => true, () => false);
      assert.strictEqual(written, false, 'the draft is not written to disk');
    } finally {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });
});
