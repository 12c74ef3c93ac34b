/**
 * A deleted file leaves the handshake in VS Code, which holds a document open (no didClose)
 * for minutes after its tab closed: the extension closes it for the server once its file is
 * gone and no tab shows it. A file deleted while its tab is open keeps counting until the tab
 * closes. On a copy of examples/cross-account, where role/AppReader (its own policy file) and
 * role/DataPipeline (the authorization-details export) use the key of security/keys/app-data.json.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { DidOpenTextDocumentNotification } from 'vscode-languageclient/node';
import type { PolicyHandshakeApi } from '../../../../client/src/extension';
import { activateExtension, workspaceUri } from '../support/editor';
import { cleanEditedWorkspace } from '../support/edits';
import { copyExample } from '../support/examples';
import { keyBlock, shownKeyAccess } from '../support/keyAccess';
import { waitUntil } from '../support/poll';

const KEY_FILE = 'security/keys/app-data.json';
const APP_READER = 'workloads/roles/app-reader/use-app-data-key.json';
const EXPORT = 'workloads/exports/authorization-details.json';

describe('deleted files in VS Code', () => {
  let api: PolicyHandshakeApi;
  before(async () => {
    api = (await activateExtension()).exports as PolicyHandshakeApi;
  });
  afterEach(cleanEditedWorkspace);

  /** The key's lines in the Key access view once `accept` holds for them; a timeout shows the last ones seen. */
  const keyLines = (accept: (block: string[]) => boolean, what: string) => {
    let last: string[] | undefined;
    return waitUntil(async () => {
      const block = keyBlock((await shownKeyAccess(api.keyAccess)).lines, KEY_FILE);
      last = block;
      return block && accept(block) ? block : undefined;
    }, () => `${what}; the view showed last:\n${last?.join('\n') ?? '(no such key)'}`);
  };
  const names = (role: string) => (block: string[]) => block.some((l) => l.includes(role));

  async function openInEditor(rel: string): Promise<void> {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceUri(rel)));
  }

  /**
   * Waits until the client has sent the server the document of `rel` as open. The view may
   * show the file's role before that, read from disk; a deletion sent ahead of the open would
   * then be a deletion of a closed file.
   */
  async function openForServer(rel: string): Promise<void> {
    const uri = workspaceUri(rel).toString();
    await waitUntil(() => [...api.client.getFeature(DidOpenTextDocumentNotification.method).openDocuments].some((d) => d.uri.toString() === uri), `${rel} to be open for the server`);
  }

  // Each test deletes a file no earlier test opened: what VS Code still holds of a document
  // closed and deleted before is not what these tests are about.
  it('a file closed in the editor and then deleted no longer counts', async () => {
    await copyExample('cross-account');
    await openInEditor(EXPORT);
    await openForServer(EXPORT);
    await keyLines((b) => names('role/AppReader')(b) && names('role/DataPipeline')(b), 'both roles in the view');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(workspaceUri(EXPORT), { useTrash: false });
    const block = await keyLines((b) => !names('role/DataPipeline')(b), 'role/DataPipeline (of the deleted export) to leave the view');
    assert.ok(names('role/AppReader')(block), block.join('\n'));
  });

  it('a policy deleted while its tab is open counts until the tab closes', async () => {
    await copyExample('cross-account');
    await openInEditor(APP_READER);
    await openForServer(APP_READER);
    await keyLines((b) => names('role/AppReader')(b) && names('role/DataPipeline')(b), 'both roles in the view');
    // Deleted together with a closed file: once the closed one has left, the open one is still there.
    await vscode.workspace.fs.delete(workspaceUri(EXPORT), { useTrash: false });
    await vscode.workspace.fs.delete(workspaceUri(APP_READER), { useTrash: false });
    // The view is read until the export's role has left and the open policy's role is there: the
    // server may hear of the deletions and of the open in either order, and then shows the open
    // document again. The wait fails if the open policy's role does not come back.
    await keyLines(
      (b) => !names('role/DataPipeline')(b) && names('role/AppReader')(b),
      'role/DataPipeline (of the deleted export) to leave the view while role/AppReader (its tab still open) stays',
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await keyLines((b) => !names('role/AppReader')(b), 'role/AppReader to leave the view once its tab is closed');
  });
});
