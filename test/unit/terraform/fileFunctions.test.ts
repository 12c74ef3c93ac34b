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

/** The key's .tf with the given policy expression, its template beside it, and the workloads side. */
function keyWith(policy: string, tpl: string, extra = '', manifest = MANIFEST): Workspace {
  const ws = new Workspace();
  ws.updateFile('/w/policy-handshake.json', manifest);
  ws.updateFile('/w/security/key.tf', `variable "workloads_account" {}\n${extra}\nresource "aws_kms_key" "app" {\n  policy = ${policy}\n}\n`);
  ws.updateFile(tpl, KEY_TPL);
  ws.updateFile('/w/workloads/roles.tf', ROLES_TF);
  ws.updateFile('/w/workloads/read.json', READ);
  ws.updateFile('/w/workloads/trust.json', TRUST);
  return ws;
}
const keyOwner = (ws: Workspace, file: string) => ws.discovered(file)!.documents.map((d) => [d.kind, d.owner.label]);

test('paths built from path.module, format(), join() and variables with a literal default or a manifest parameter are resolved', () => {
  const cases: [string, string, string][] = [
    // [policy expression, extra declarations, the file it reads]
    ['templatefile("${path.module}/policies/key.json.tpl", { workloads = var.workloads_account })', '', '/w/security/policies/key.json.tpl'],
    ['templatefile(format("%s/policies/key.json.tpl", path.module), { workloads = var.workloads_account })', '', '/w/security/policies/key.json.tpl'],
    ['templatefile(format("%s/%s/%s.json.tpl", path.module, "policies", var.name), { workloads = var.workloads_account })', 'variable "name" {\n  default = "key"\n}', '/w/security/policies/key.json.tpl'],
    ['templatefile(join("/", [path.module, "policies", "key.json.tpl"]), { workloads = var.workloads_account })', '', '/w/security/policies/key.json.tpl'],
    ['templatefile("${path.module}/${var.name}.tpl", { workloads = var.workloads_account })', 'variable "name" {\n  default = "app-key"\n}', '/w/security/app-key.tpl'],
    ['templatefile("${path.module}/${local.dir}/${var.name}.tpl", { workloads = var.workloads_account })', 'variable "name" {\n  default = "app-key"\n}\nlocals {\n  dir = "keys"\n}', '/w/security/keys/app-key.tpl'],
  ];
  for (const [policy, extra, file] of cases) {
    const ws = keyWith(policy, file, extra);
    assert.deepEqual(keyOwner(ws, file), [['kms-key-policy', 'aws_kms_key.app']], policy);
    // The template's ${workloads} is the security side's parameter: the workloads root, whose Reader has its grant.
    assert.deepEqual(ids(ws, file, ['root-principal-without-grant', 'invalid-principal']), [], policy);
  }
  // The variable's value from the manifest's parameters wins over its default.
  const manifest = twoAccountManifest({ security: { workloads_account: B, name: 'bound-key' } });
  const ws = keyWith('templatefile("${path.module}/${var.name}.tpl", { workloads = var.workloads_account })', '/w/security/bound-key.tpl', 'variable "name" {\n  default = "app-key"\n}', manifest);
  assert.deepEqual(keyOwner(ws, '/w/security/bound-key.tpl'), [['kms-key-policy', 'aws_kms_key.app']]);
});

test('a path known only at plan time reads no file: the template is checked alone, and nothing is an error', () => {
  const cases: [string, string][] = [
    ['templatefile("${path.module}/${var.name}.tpl", { workloads = var.workloads_account })', 'variable "name" {}'],
    ['templatefile("${path.module}/${each.key}.tpl", {})', ''],
    ['templatefile(format("%s/%s.tpl", path.module), {})', ''],
    ['templatefile(format("%5s/app-key.tpl", path.module), {})', ''],
    ['templatefile(format("%s/app-key.tpl", path.module, "extra"), {})', ''],
    ['templatefile(format("%d/app-key.tpl", path.module), {})', ''],
    ['templatefile(join("/", concat([path.module], local.parts)), {})', ''],
    ['templatefile(format(var.spec, path.module), {})', 'variable "spec" {}'],
    ['file(abspath("${path.module}/app-key.tpl"))', ''],
    ['templatefile("${path.root}/app-key.tpl", {})', ''],
  ];
  for (const [policy, extra] of cases) {
    const ws = keyWith(policy, '/w/security/app-key.tpl', extra);
    // The template is a key policy by its content, with no owner; its placeholders are unknown values.
    assert.deepEqual(keyOwner(ws, '/w/security/app-key.tpl'), [['kms-key-policy', undefined]], policy);
    assert.deepEqual(ws.findings('/w/security/key.tf').map((f) => f.checkId), [], policy);
    assert.deepEqual(ids(ws, '/w/security/app-key.tpl', ['invalid-principal', 'internal-error']), [], policy);
  }
});

test('format() and join() of known parts are strings inside jsonencode too', () => {
  const ws = new Workspace();
  ws.updateFile('/w/policy-handshake.json', MANIFEST);
  ws.updateFile('/w/security/key.tf', `
resource "aws_kms_key" "app" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Principal = { AWS = format("arn:aws:iam::%s:root", data.aws_caller_identity.current.account_id) }, Action = "kms:*", Resource = "*" },
      { Effect = "Allow", Principal = { AWS = join(":", ["arn:aws:iam:", "999988887777", "rot"]) }, Action = "kms:Decrypt", Resource = "*" },
    ]
  })
}
`);
  const [doc] = ws.discovered('/w/security/key.tf')!.documents;
  const principals = doc.root.children![1].children![1].children!.map((s) => s.children!.find((p) => p.children![0].value === 'Principal')!.children![1].children![0].children![1].value);
  assert.deepEqual(principals, [`arn:aws:iam::${A}:root`, 'arn:aws:iam::999988887777:rot']);
  assert.deepEqual(ws.findings('/w/security/key.tf').filter((f) => f.checkId === 'invalid-principal').length, 1);
});
