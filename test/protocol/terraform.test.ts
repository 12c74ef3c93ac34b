/** Terraform files over the protocol: the server loads the HCL parser at start-up and checks `.tf` files from disk and open in the editor. */
import { after, before, describe, test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertDiagnostics, markedDiagnostics } from './expect';
import { fileUri, LspClient, makeWorkspace, serverMissing } from './lspClient';
import { needs } from '../support/needs';

const skip = needs('build', serverMissing());

const ROLE = `resource "aws_iam_role_policy" "p" {
  role = "App"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["kms:«unknown-action:Decrpyt»"], Resource = "*" }]
  })
}
`;

const DOCUMENT = `data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["sts:«unknown-action:AssumeRol»"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}
resource "aws_iam_role" "r" {
  name               = "App"
  assume_role_policy = data.aws_iam_policy_document.d.json
}
`;

describe('Terraform files over stdio', skip, () => {
  const onDisk = markedDiagnostics(ROLE);
  const opened = markedDiagnostics(DOCUMENT);
  let root: string;
  let client: LspClient;

  before(async () => {
    root = makeWorkspace({ 'infra/role.tf': onDisk.text });
    ({ client } = await LspClient.start({ root }));
  });
  after(async () => {
    await client?.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('a .tf file read from disk gets diagnostics inside its jsonencode policy', async () => {
    const p = await client.diagnostics(fileUri(path.join(root, 'infra/role.tf')), (d) => d.diagnostics.length > 0);
    assertDiagnostics(p.diagnostics, onDisk.expected);
  });

  test('an opened Terraform document (language terraform) gets diagnostics in its policy document block', async () => {
    const uri = fileUri(path.join(root, 'infra/trust.tf'));
    await client.open(uri, opened.text, 'terraform');
    const p = await client.diagnosticsForVersion(uri, 1);
    assertDiagnostics(p.diagnostics, opened.expected);
  });
});
