/**
 * The server never stays down by accident: killed, it is restarted by the extension and
 * answers again for the open documents; the restart command replaces it on request.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, expectMarkedDiagnostics, openMarkedPolicy } from '../support/editor';
import { cleanEditedWorkspace, retypePolicy } from '../support/edits';
import { waitUntil } from '../support/poll';
import { languageClient, processAlive, runningServerPid, serverOtherThan } from '../support/server';

/** A key policy whose second statement has or lacks a principal; `sid` and `action` may carry markers. */
const keyPolicy = (o: { principal: boolean; sid: string; action: string }) => `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "EnableIAMPoliciesOfTheKeyAccount",
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::111122223333:root" },
      "Action": "kms:*",
      "Resource": "*"
    },
    {
      "Sid": ${o.sid},
      "Effect": "Allow",${o.principal ? '\n      "Principal": { "AWS": "arn:aws:iam::111122223333:role/AppReader" },' : ''}
      "Action": ["kms:DescribeKey", "${o.action}"],
      "Resource": "*"
    }
  ]
}
`;

/** Opened with one finding: the second statement has no principal. */
const OPENED = { principal: false, sid: '«principal-missing:"AllowUseOfTheKey"»', action: 'kms:Decrypt' };
const CODES = ['principal-missing', 'unknown-action'];

describe('language server restarts in VS Code', () => {
  before(activateExtension);
  afterEach(cleanEditedWorkspace);

  it('comes back after the server process is killed, and checks edits again', async () => {
    const policy = await openMarkedPolicy('keys/app-data.json', keyPolicy(OPENED));
    await expectMarkedDiagnostics(policy, CODES);
    const client = languageClient();
    const pid = await runningServerPid();

    process.kill(pid, 'SIGKILL');
    await waitUntil(() => !processAlive(pid), `server process ${pid} to end`);
    const restarted = await serverOtherThan(pid);
    assert.strictEqual(languageClient(), client, 'a crash restarts the same client');

    // The restarted server has the open document again and checks its edits.
    const edited = await retypePolicy(policy, keyPolicy({ ...OPENED, action: 'kms:«unknown-action:Decrpyt»' }));
    await expectMarkedDiagnostics(edited, CODES);
    assert.strictEqual(languageClient().serverProcess?.pid, restarted);
  });

  it('restarts the server with the policyHandshake.restartServer command', async () => {
    const policy = await openMarkedPolicy('keys/app-data.json', keyPolicy(OPENED));
    await expectMarkedDiagnostics(policy, CODES);
    const previous = languageClient();
    const pid = await runningServerPid();

    await vscode.commands.executeCommand('policyHandshake.restartServer');
    const restarted = await serverOtherThan(pid);
    assert.notStrictEqual(languageClient(), previous, 'the command starts a new client');
    await waitUntil(() => !processAlive(pid), `the old server process ${pid} to end`);

    // The new server checks the edit: a principal added (principal-missing goes), an action misspelt.
    const edited = await retypePolicy(policy, keyPolicy({ principal: true, sid: '"AllowUseOfTheKey"', action: 'kms:«unknown-action:Decrpyt»' }));
    await expectMarkedDiagnostics(edited, CODES);
    assert.strictEqual(languageClient().serverProcess?.pid, restarted);
  });
});
