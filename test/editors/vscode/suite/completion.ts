/** Completions from the language server, listed and accepted as in VS Code's suggest widget. */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, completionLabels, cursorOf, openMarkedPolicy } from '../support/editor';
import { applyCompletion, cleanEditedWorkspace } from '../support/edits';

const keyPolicy = (action: string) => `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowUseOfTheKey",
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::111122223333:role/AppReader" },
      "Action": "${action}",
      "Resource": "*"
    }
  ]
}
`;

async function completionItem(uri: vscode.Uri, at: vscode.Position, label: string): Promise<vscode.CompletionItem> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, at);
  const found = list.items.filter((i) => (typeof i.label === 'string' ? i.label : i.label.label) === label);
  assert.strictEqual(found.length, 1, `expected one completion "${label}", got ${found.length}`);
  return found[0];
}

describe('completion in VS Code', () => {
  before(activateExtension);
  afterEach(cleanEditedWorkspace);

  it('offers the KMS actions after "kms:" and inserts the full action', async () => {
    const policy = await openMarkedPolicy('keys/app-data.json', keyPolicy('kms:$0'));
    const at = cursorOf(policy);
    const labels = await completionLabels(policy.doc.uri, at);
    for (const name of ['Decrypt', 'Encrypt', 'GenerateDataKey', 'DescribeKey']) assert.ok(labels.includes(name), `"${name}" not offered: ${labels.slice(0, 20).join(', ')}…`);
    assert.ok(!labels.includes('GetObject'), 'an S3 action is offered after "kms:"');
    await applyCompletion(policy.doc, await completionItem(policy.doc.uri, at, 'Decrypt'));
    assert.strictEqual(policy.doc.getText(), keyPolicy('kms:Decrypt'));
  });

  it('replaces the part of the action name already typed', async () => {
    const policy = await openMarkedPolicy('keys/app-data.json', keyPolicy('kms:Dec$0'));
    await applyCompletion(policy.doc, await completionItem(policy.doc.uri, cursorOf(policy), 'Decrypt'));
    assert.strictEqual(policy.doc.getText(), keyPolicy('kms:Decrypt'));
  });
});
