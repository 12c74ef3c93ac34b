/** Hovers from the language server, asked for as VS Code's editor asks. */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { ACCOUNT_PRINCIPAL_HEADING } from '../../../../server/src/core/features/principalHover';
import { activateExtension, cleanWorkspace, cursorOf, hoverText, openMarkedPolicy } from '../support/editor';

describe('hover in VS Code', () => {
  before(activateExtension);
  afterEach(cleanWorkspace);

  it('explains a root principal in a key policy as the account principal', async () => {
    const policy = await openMarkedPolicy('keys/app-data.json', `{
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
      "Sid": "AllowWorkloadsToDecrypt",
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::4444$055556666:root" },
      "Action": "kms:Decrypt",
      "Resource": "*"
    }
  ]
}
`);
    const at = cursorOf(policy);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', policy.doc.uri, at);
    // The hovered word is the whole string, quotes included.
    const quoted = '"arn:aws:iam::444455556666:root"';
    const start = policy.doc.getText().indexOf(quoted);
    const word = new vscode.Range(policy.doc.positionAt(start), policy.doc.positionAt(start + quoted.length));
    assert.ok(hovers.some((h) => h.range?.isEqual(word)), `no hover spans ${quoted}: ${JSON.stringify(hovers.map((h) => h.range))}`);
    const text = await hoverText(policy.doc.uri, at);
    assert.ok(text.includes(`${ACCOUNT_PRINCIPAL_HEADING} of`), `hover does not name the account principal:\n${text}`);
    assert.match(text, /444455556666/);
  });
});
