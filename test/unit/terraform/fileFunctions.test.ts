/**
 * `file()` and `templatefile()` policies in Terraform: the file they read is a policy of the
 * resource's owner (the key policy of that key, a policy of that role), with templatefile's
 * variables substituted; an edit of the .tf file refreshes the policy file.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { codeLens } from '../../../server/src/core/features/codeLens';
import { joinPath } from '../../../server/src/core/sources/terraformHcl';
import { withHclParser } from '../../support/hcl';
import { A, B, twoAccountManifest } from './twoAccounts';

withHclParser();

const MANIFEST = twoAccountManifest({ security: { workloads_account: B } });

const KEY_TF = `
variable "workloads_account" {}

resource "aws_kms_key" "app" {
  description = "app"
  policy      = templatefile("\${path.module}/policies/key.json.tpl", { workloads = var.workloads_account, unknown = aws_iam_role.x.arn })
}
`;

const KEY_TPL = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Own", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${A}:root"}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "Workloads", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::\${workloads}:root"}, "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"},
    {"Sid": "Unknown", "Effect": "Allow", "Principal": {"AWS": "\${unknown}"}, "Action": "kms:Decrypt", "Resource": "*"}
  ]
}`;

const ROLES_TF = `
resource "aws_iam_role" "reader" {
  name               = "Reader"
  assume_role_policy = file("trust.json")
}

resource "aws_iam_role_policy" "read" {
  role   = aws_iam_role.reader.name
  policy = file("\${path.module}/../workloads/read.json")
}
`;

const READ = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Read', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt'], Resource: `arn:aws:kms:us-west-2:${A}:key/*` }] }, null, 2);
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

function workspace(order: 'tf-first' | 'json-first' = 'tf-first'): Workspace {
  const ws = new Workspace();
  ws.updateFile('/w/policy-handshake.json', MANIFEST);
  const tf: [string, string][] = [['/w/security/key.tf', KEY_TF], ['/w/workloads/roles.tf', ROLES_TF]];
  const json: [string, string][] = [['/w/security/policies/key.json.tpl', KEY_TPL], ['/w/workloads/read.json', READ], ['/w/workloads/trust.json', TRUST]];
  for (const [p, t] of order === 'tf-first' ? [...tf, ...json] : [...json, ...tf]) ws.updateFile(p, t);
  return ws;
}

const ids = (ws: Workspace, file: string, only: string[]) => ws.findings(file).filter((f) => only.includes(f.checkId)).map((f) => f.checkId);

test('joinPath: relative to the file\'s folder, . and .. resolved', () => {
  assert.equal(joinPath('/w/security/key.tf', './policies/key.json'), '/w/security/policies/key.json');
  assert.equal(joinPath('/w/security/key.tf', '../workloads/read.json'), '/w/workloads/read.json');
  assert.equal(joinPath('/w/key.tf', '/etc/x.json'), '/etc/x.json');
  assert.equal(joinPath('C:\\w\\key.tf', 'p\\k.json'), 'C:\\w\\p\\k.json');
});

for (const order of ['tf-first', 'json-first'] as const) {
  test(`the files read by file() and templatefile() belong to the resource's owner (${order})`, () => {
    const ws = workspace(order);
    const [key] = ws.discovered('/w/security/policies/key.json.tpl')!.documents;
    assert.equal(key.kind, 'kms-key-policy');
    assert.equal(key.owner.label, 'aws_kms_key.app');
    assert.equal(key.owner.account, A);
    const principal = (key.root.children![1].children![1].children![1].children![2].children![1].children![0].children![1]);
    assert.equal(principal.value, `arn:aws:iam::${B}:root`);
    const [read] = ws.discovered('/w/workloads/read.json')!.documents;
    assert.equal(read.kind, 'iam-identity-policy');
    assert.deepEqual(read.owner.principals, [`arn:aws:iam::${B}:role/Reader`]);
    assert.equal(ws.discovered('/w/workloads/trust.json')!.documents[0].kind, 'iam-trust-policy');
    // The handshake: Reader's grant (file()) matches the key policy's trust (templatefile()).
    assert.deepEqual(ids(ws, '/w/security/policies/key.json.tpl', ['root-principal-without-grant', 'invalid-principal']), []);
    assert.deepEqual(codeLens(ws, '/w/security/policies/key.json.tpl').map((l) => l.title), ['1 role in workloads uses this key']);
  });
}

test('an edit of the .tf file refreshes the files it reads; without it they are checked alone', () => {
  const ws = workspace();
  // The role policy no longer read by file(): the key's trusted account has no grant.
  const affected = ws.updateFile('/w/workloads/roles.tf', ROLES_TF.replace('policy = file("${path.module}/../workloads/read.json")', 'policy = "{}"'), true);
  assert.ok(affected.includes('/w/workloads/read.json'), affected.join(', '));
  assert.ok(affected.includes('/w/security/policies/key.json.tpl'), affected.join(', '));
  assert.deepEqual(ids(ws, '/w/security/policies/key.json.tpl', ['root-principal-without-grant']), ['root-principal-without-grant']);
  assert.equal(ws.discovered('/w/workloads/read.json')!.documents[0].owner.principals, undefined);
  // The key's .tf removed: the template is a key policy by its content, its placeholders unknown.
  ws.removeFile('/w/security/key.tf');
  const [key] = ws.discovered('/w/security/policies/key.json.tpl')!.documents;
  assert.equal(key.owner.label, undefined);
  assert.deepEqual(ids(ws, '/w/security/policies/key.json.tpl', ['root-principal-without-grant', 'invalid-principal']), []);
});
