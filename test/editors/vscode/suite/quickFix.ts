/** Quick-fixes from the language server, applied as VS Code applies a code action. */
import * as assert from 'assert';
import { activateExtension, applyCodeAction, diagnosticCode, expectMarkedDiagnostics, openMarkedPolicy, quickFixes, waitForDiagnostics } from '../support/editor';
import { cleanEditedWorkspace } from '../support/edits';

const keyPolicy = (action: string) => `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowUseOfTheKey",
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::111122223333:role/AppReader" },
      "Action": ["kms:DescribeKey", "${action}"],
      "Resource": "*"
    }
  ]
}
`;

describe('quick-fixes in VS Code', () => {
  before(activateExtension);
  afterEach(cleanEditedWorkspace);

  it('corrects a misspelt action (unknown-action) and the error goes away', async () => {
    const policy = await openMarkedPolicy('keys/app-data.json', keyPolicy('kms:«unknown-action:Decrpyt»'));
    const [diagnostic] = await expectMarkedDiagnostics(policy, ['unknown-action']);
    const fixes = await quickFixes(policy.doc.uri, diagnostic);
    const preferred = fixes.filter((f) => f.isPreferred);
    assert.strictEqual(preferred.length, 1, `preferred fixes: ${fixes.map((f) => `${f.title}${f.isPreferred ? ' (preferred)' : ''}`).join('; ')}`);
    await applyCodeAction(preferred[0]);
    assert.strictEqual(policy.doc.getText(), keyPolicy('kms:Decrypt'));
    const after = await waitForDiagnostics(policy.doc.uri, (ds) => !ds.some((d) => diagnosticCode(d) === 'unknown-action'));
    assert.deepStrictEqual(after.filter((d) => diagnosticCode(d) === 'unknown-action'), []);
  });
});
