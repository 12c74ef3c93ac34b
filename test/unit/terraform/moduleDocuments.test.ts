/**
 * A `data "aws_iam_policy_document"` block used by a resource of another file of the same
 * module (folder): the block is read with that resource's owner, and an edit of either file
 * reaches the other.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { codeLens } from '../../../server/src/core/features/codeLens';
import { ModuleDocuments } from '../../../server/src/core/workspace/moduleDocuments';
import { withHclParser } from '../../support/hcl';
import { A, B, appKeyTf, ec2Role, twoAccountManifest } from './twoAccounts';

withHclParser();

const MANIFEST = twoAccountManifest();

const KEY_TF = appKeyTf(`{ Sid = "Workloads", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${B}:root" }, Action = ["kms:Decrypt"], Resource = "*" }`);

const DATA_TF = `
data "aws_iam_policy_document" "read" {
  statement {
    sid       = "Read"
    actions   = ["kms:Decrypt"]
    resources = ["arn:aws:kms:us-west-2:${A}:key/*"]
  }
}
`;

const ROLES_TF = `${ec2Role('Reader')}
resource "aws_iam_role_policy" "read" {
  role   = aws_iam_role.reader.name
  policy = data.aws_iam_policy_document.read.json
}
`;

function workspace(order: string[]): Workspace {
  const files: Record<string, string> = { '/w/security/key.tf': KEY_TF, '/w/workloads/data.tf': DATA_TF, '/w/workloads/roles.tf': ROLES_TF };
  const ws = new Workspace();
  ws.updateFile('/w/policy-handshake.json', MANIFEST);
  for (const f of order) ws.updateFile(f, files[f]);
  return ws;
}

const ids = (ws: Workspace, file: string) => ws.findings(file).filter((f) => f.checkId === 'root-principal-without-grant').map((f) => f.checkId);
const lens = (ws: Workspace) => codeLens(ws, '/w/security/key.tf').map((l) => l.title);

for (const order of [['/w/security/key.tf', '/w/workloads/data.tf', '/w/workloads/roles.tf'], ['/w/workloads/roles.tf', '/w/workloads/data.tf', '/w/security/key.tf']]) {
  test(`a block of another file of the module is read with the owner of the resource that uses it (${order[0]} first)`, () => {
    const ws = workspace(order);
    const [doc] = ws.discovered('/w/workloads/data.tf')!.documents;
    assert.equal(doc.kind, 'iam-identity-policy');
    assert.deepEqual(doc.owner.principals, [`arn:aws:iam::${B}:role/Reader`]);
    assert.equal(doc.owner.label, 'aws_iam_role_policy.read');
    assert.deepEqual(ids(ws, '/w/security/key.tf'), []);
    assert.deepEqual(lens(ws), ['1 role in workloads uses this key']);
  });
}

test('edits reach the other file: the using resource changed, the block changed', () => {
  const ws = workspace(['/w/security/key.tf', '/w/workloads/data.tf', '/w/workloads/roles.tf']);
  // The role policy no longer uses the block: the block is a policy of the account with no known principal.
  let affected = ws.updateFile('/w/workloads/roles.tf', ROLES_TF.replace('data.aws_iam_policy_document.read.json', '"{}"'), true);
  assert.ok(affected.includes('/w/workloads/data.tf'), affected.join(', '));
  assert.ok(affected.includes('/w/security/key.tf'), affected.join(', '));
  assert.equal(ws.discovered('/w/workloads/data.tf')!.documents[0].owner.principals, undefined);
  assert.deepEqual(lens(ws), ['1 policy of unknown principals in workloads uses this key']);
  ws.updateFile('/w/workloads/roles.tf', ROLES_TF, true);
  assert.deepEqual(lens(ws), ['1 role in workloads uses this key']);
  // An edit of the block refreshes the file that uses it, and the key's findings follow.
  affected = ws.updateFile('/w/workloads/data.tf', DATA_TF.replace('"kms:Decrypt"', '"kms:Encrypt"'), true);
  assert.ok(affected.includes('/w/workloads/roles.tf'), affected.join(', '));
  assert.deepEqual(ids(ws, '/w/security/key.tf'), ['root-principal-without-grant']);
  // The declaring file removed: nothing left that reads the block.
  ws.removeFile('/w/workloads/data.tf');
  assert.deepEqual(ids(ws, '/w/security/key.tf'), ['root-principal-without-grant']);
});

test('a block of a file in another folder (another module) is not used', () => {
  const ws = workspace(['/w/security/key.tf', '/w/workloads/roles.tf']);
  ws.updateFile('/w/workloads/other/data.tf', DATA_TF);
  assert.equal(ws.discovered('/w/workloads/other/data.tf')!.documents[0].owner.principals, undefined);
  assert.deepEqual(ids(ws, '/w/security/key.tf'), ['root-principal-without-grant']);
});

test('a file is read again for its own blocks only when another file of the module uses one of them', () => {
  const docs = new ModuleDocuments();
  // Nobody else uses `read`: adding the declaring file asks for no file to be read again.
  assert.deepEqual(docs.set('/m/data.tf', { declared: ['read'], used: {} }), []);
  // A file using `read` from the other file: the declaring file is read again (its binding gives the use).
  const use = { kind: 'iam-identity-policy' as const, owner: { label: 'aws_iam_role_policy.read' }, extra: {} };
  assert.deepEqual(docs.set('/m/roles.tf', { declared: [], used: { read: use } }), ['/m/data.tf']);
  // The declaring file changed its blocks: read again itself (first), the using file with it.
  assert.deepEqual(docs.set('/m/data.tf', { declared: ['read', 'write'], used: {} }), ['/m/data.tf', '/m/roles.tf']);
  // Its blocks unchanged: only the using file.
  assert.deepEqual(docs.set('/m/data.tf', { declared: ['read', 'write'], used: {} }), ['/m/roles.tf']);
  // A block nobody uses, in another file: only files sharing a name are named.
  assert.deepEqual(docs.set('/m/other.tf', { declared: ['other'], used: {} }), []);
  assert.deepEqual(docs.usesFor('/m/data.tf'), { read: use });
});
