/** Terraform files over the protocol: the server loads the HCL parser at start-up and checks `.tf` files from disk and open in the editor. */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeActionRequest, type CodeAction, type TextDocumentEdit, type TextEdit } from 'vscode-languageserver-protocol/node';
import { applyTextEdits, assertDiagnostics, markedDiagnostics } from './expect';
import { DEFAULT_CAPABILITIES, fileUri, LspClient, makeWorkspace, serverMissing } from './lspClient';
import { KeyAccessRequest } from '../../server/src/lsp/keyAccess';
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

const GRANT = `resource "aws_kms_grant" "reader" {
  key_id            = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  grantee_principal = "«invalid-principal:444455556666»"
  operations        = ["Decrypt", "«unknown-action:kms:Encrypt»"]
}
`;

describe('an aws_kms_grant over stdio', skip, () => {
  const grant = markedDiagnostics(GRANT);
  let root: string;
  let client: LspClient;

  before(async () => {
    root = makeWorkspace({});
    ({ client } = await LspClient.start({ root }));
  });
  after(async () => {
    await client?.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('an opened grant gets diagnostics on its operation and its principal, and the fix of the operation as a versioned edit', async () => {
    const uri = fileUri(path.join(root, 'grant.tf'));
    await client.open(uri, grant.text, 'terraform');
    const p = await client.diagnosticsForVersion(uri, 1);
    assertDiagnostics(p.diagnostics, grant.expected, ['unknown-action', 'invalid-principal']);
    const range = grant.expected.find((e) => e.code === 'unknown-action')!.range;
    const actions = (await client.withTimeout(client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics: [] } }), 'codeAction') ?? []) as CodeAction[];
    const fix = actions.find((a) => a.diagnostics?.some((d) => d.code === 'unknown-action'));
    assert.ok(fix, JSON.stringify(actions));
    const changes = fix.edit?.documentChanges as TextDocumentEdit[];
    assert.deepEqual(changes.map((c) => c.textDocument), [{ uri, version: 1 }]);
    const fixed = applyTextEdits(grant.text, changes[0].edits as TextEdit[]);
    assert.match(fixed, /operations {8}= \["Decrypt", "Encrypt"\]/);
    const v = await client.change(uri, fixed);
    const after = await client.diagnosticsForVersion(uri, v);
    assert.deepEqual(after.diagnostics.map((d) => d.code), ['invalid-principal']);
  });
});

// Issue 18: a KMS grant in the Key access view's data, with the grant's declaration as the place to open.
describe('the Key access request with an aws_kms_grant', skip, () => {
  const A = '111122223333';
  const B = '444455556666';
  const KEY_TF = `resource "aws_kms_key" "app" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "Own", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${A}:root" }, Action = "kms:*", Resource = "*" }]
  })
}

resource "aws_kms_grant" "reader" {
  name              = "reader"
  key_id            = aws_kms_key.app.key_id
  grantee_principal = "arn:aws:iam::${B}:role/Reader"
  operations        = ["Decrypt"]
}
`;
  let root: string;
  let client: LspClient;

  before(async () => {
    root = makeWorkspace({
      'policy-handshake.json': JSON.stringify({
        accounts: { [A]: { name: 'security' }, [B]: { name: 'workloads' } },
        keys: [{ policy: 'security/key.tf', arn: `arn:aws:kms:us-west-2:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab` }],
        templates: [{ files: 'security/*.tf', account: A, region: 'us-west-2' }],
      }),
      'security/key.tf': KEY_TF,
    });
    ({ client } = await LspClient.start({ root, capabilities: { ...DEFAULT_CAPABILITIES, window: { workDoneProgress: true } }, initializationOptions: { keyAccessView: true } }));
    await client.event((e) => e.kind === 'progress' && e.value.kind === 'end', 'the end of the reading');
  });
  after(async () => {
    await client?.dispose();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  test('the grantee is under its account with the grant\'s operations, marked as a grant, opening the grant', async () => {
    const keys = await client.withTimeout(client.connection.sendRequest(KeyAccessRequest, null), 'policyHandshake/keyAccess');
    const workloads = keys[0].accounts.find((a) => a.account === B)!;
    assert.ok(workloads, JSON.stringify(keys[0].accounts.map((a) => a.account)));
    const p = workloads.principals as unknown as { label: string; actions: string[]; grant?: string; conditions: string[]; places: { uri: string; range: { start: { line: number; character: number } } }[] }[];
    assert.deepEqual(p.map((x) => [x.label, x.actions, x.grant, x.conditions]), [['role/Reader', ['kms:Decrypt'], 'aws_kms_grant.reader', []]]);
    assert.deepEqual(p[0].places.map((x) => [x.uri, x.range.start.line, x.range.start.character]), [[fileUri(path.join(root, 'security/key.tf')), 7, 0]]);
  });
});
