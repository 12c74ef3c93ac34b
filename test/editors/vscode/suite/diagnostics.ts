/** Diagnostics published by the language server show up in VS Code with codes and exact ranges. */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, cleanWorkspace, expectMarkedDiagnostics, openMarkedPolicy } from '../support/editor';

describe('diagnostics in VS Code', () => {
  before(activateExtension);
  afterEach(cleanWorkspace);

  it('flags Principal in an identity policy', async () => {
    // A CloudFormation template: the container says the document is an identity policy.
    const policy = await openMarkedPolicy('stacks/app-role.json', `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "ReadBucketPolicy": {
      "Type": "AWS::IAM::Policy",
      "Properties": {
        "PolicyName": "read-bucket",
        "Roles": ["app-role"],
        "PolicyDocument": {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Effect": "Allow",
              «principal-not-allowed:"Principal"»: { "AWS": "arn:aws:iam::111122223333:root" },
              "Action": "s3:GetObject",
              "Resource": "arn:aws:s3:::example-bucket/*"
            }
          ]
        }
      }
    }
  }
}
`);
    const [d] = await expectMarkedDiagnostics(policy, ['principal-not-allowed']);
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
  });

  it('flags a key policy statement without a principal', async () => {
    const policy = await openMarkedPolicy('keys/app-data.json', `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "EnableRootPermissions",
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::111122223333:root" },
      "Action": "kms:*",
      "Resource": "*"
    },
    {
      "Sid": «principal-missing:"AllowUseOfTheKey"»,
      "Effect": "Allow",
      "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
      "Resource": "*"
    }
  ]
}
`);
    await expectMarkedDiagnostics(policy, ['principal-missing']);
  });
});
