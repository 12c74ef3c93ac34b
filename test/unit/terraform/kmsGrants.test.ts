/**
 * `aws_kms_grant` in the handshake: a grant gives its grantee its operations on the key with no
 * key-policy trust and no IAM grant, so findings that say a principal cannot use the key count
 * grants; the hover and the code lens on the trusted principal name them.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { hoverAt } from '../../../server/src/core/features/hover';
import { codeLens } from '../../../server/src/core/features/codeLens';
import { KeyGrants } from '../../../server/src/core/workspace/keyGrants';
import type { KmsGrant } from '../../../server/src/core/model/kmsGrants';
import { withHclParser } from '../../support/hcl';
import { A, B, KEY_ARN, appKeyTf, ec2Role, twoAccountManifest } from './twoAccounts';

withHclParser();

const MANIFEST = twoAccountManifest({ keyFile: 'security/key.tf', workloads: { key_arn: KEY_ARN } });

/** A key trusting the workloads root (or a role of it) for Decrypt and Encrypt, with the grants given. */
function keyTf(principal: string, grants: string): string {
  return `${appKeyTf(`{ Sid = "Workloads", Effect = "Allow", Principal = { AWS = "${principal}" }, Action = ["kms:Decrypt", "kms:Encrypt"], Resource = "*" }`)}${grants}`;
}

const grant = (name: string, grantee: string, ops: string, extra = '') => `
resource "aws_kms_grant" "${name}" {
  name              = "${name}"
  key_id            = aws_kms_key.app.key_id
  grantee_principal = "${grantee}"
  operations        = [${ops}]
${extra}}
`;

/** Roles of workloads: Reader has an IAM grant on the key for Decrypt; Auditor has none on this key. */
const ROLES = `
variable "key_arn" {}
${ec2Role('Reader')}${ec2Role('Auditor')}
resource "aws_iam_role_policy" "auditor_logs" {
  role   = aws_iam_role.auditor.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::logs/*" }] })
}
`;

const READER = `arn:aws:iam::${B}:role/Reader`;
const AUDITOR = `arn:aws:iam::${B}:role/Auditor`;

function workspace(key: string, roles = ROLES): Workspace {
  const ws = new Workspace();
  ws.updateFile('/w/policy-handshake.json', MANIFEST);
  ws.updateFile('/w/security/key.tf', key);
  ws.updateFile('/w/workloads/roles.tf', roles);
  return ws;
}

function messages(ws: Workspace, file: string, id: string): string[] {
  return ws.findings(file).filter((f) => f.checkId === id).map((f) => f.message);
}

test('the grant is read: grantee, operations (grant operations only), constraint, on the key it names', () => {
  const ws = workspace(keyTf(`arn:aws:iam::${B}:root`, grant('reader', READER, '"Decrypt", "Encrypt", "ListGrants"', `  retiring_principal = "arn:aws:iam::${A}:role/Admin"
  constraints {
    encryption_context_equals = { Department = "Finance" }
  }
`)));
  const doc = ws.discovered('/w/security/key.tf')!.documents.find((d) => d.kind === 'kms-key-policy')!;
  const [g] = doc.kmsGrants!;
  assert.equal(g.label, 'aws_kms_grant.reader');
  assert.equal(g.grantee, READER);
  assert.deepEqual([...g.operations].sort(), ['decrypt', 'encrypt']);
  assert.deepEqual(g.constraint, { type: 'equals', context: { Department: 'Finance' } });
  assert.equal(g.retiring, `arn:aws:iam::${A}:role/Admin`);
  const text = ws.text('/w/security/key.tf')!;
  assert.equal(text.slice(g.span.offset, g.span.offset + 31), 'resource "aws_kms_grant" "reade');
});

test('root-principal-without-grant: a grant to a role of the account covering the trusted actions silences it; a partial one leaves the rest', () => {
  const root = `arn:aws:iam::${B}:root`;
  // No IAM grant, no KMS grant: the finding.
  assert.equal(messages(workspace(keyTf(root, '')), '/w/security/key.tf', 'root-principal-without-grant').length, 1);
  // A grant of both operations to a role of the account.
  assert.deepEqual(messages(workspace(keyTf(root, grant('reader', READER, '"Decrypt", "Encrypt"'))), '/w/security/key.tf', 'root-principal-without-grant'), []);
  // A grant of Decrypt alone: Encrypt is still without a grant.
  const ws = workspace(keyTf(root, grant('reader', READER, '"Decrypt"')));
  const [f] = ws.findings('/w/security/key.tf').filter((x) => x.checkId === 'root-principal-without-grant');
  assert.match(f.message, /^Nobody in workloads \(444455556666\) can use kms:Encrypt: grant it in IAM there, or remove the trust\. No IAM grant for it on this key/);
  assert.match(f.message, / role\/Reader has kms:Decrypt through the KMS grant aws_kms_grant\.reader\.$/);
  const rel = f.related!.find((r) => r.message.startsWith('KMS grant'))!;
  assert.equal(rel.message, 'KMS grant aws_kms_grant.reader: kms:Decrypt for role/Reader');
  assert.equal(ws.text('/w/security/key.tf')!.slice(rel.span.offset, rel.span.offset + 24), 'resource "aws_kms_grant"');
  // A grant to the account itself is not a way in for its roles (they still need IAM), nor is one on another key.
  assert.equal(messages(workspace(keyTf(root, grant('acct', root, '"Decrypt", "Encrypt"'))), '/w/security/key.tf', 'root-principal-without-grant').length, 1);
  const otherKey = keyTf(root, grant('reader', READER, '"Decrypt", "Encrypt"').replace('aws_kms_key.app.key_id', 'aws_kms_key.other.key_id'));
  assert.equal(messages(workspace(otherKey), '/w/security/key.tf', 'root-principal-without-grant').length, 1);
});

test('external-principal-without-grant: the named role with a grant of the trusted actions is not flagged', () => {
  assert.equal(messages(workspace(keyTf(AUDITOR, '')), '/w/security/key.tf', 'external-principal-without-grant').length, 1);
  assert.deepEqual(messages(workspace(keyTf(AUDITOR, grant('auditor', AUDITOR, '"Decrypt", "Encrypt", "DescribeKey"'))), '/w/security/key.tf', 'external-principal-without-grant'), []);
  // The grantee by reference to a role of another module is not known: it counts for nobody.
  const [m] = messages(workspace(keyTf(AUDITOR, grant('auditor', READER, '"Decrypt", "Encrypt"'))), '/w/security/key.tf', 'external-principal-without-grant');
  assert.match(m, /^role\/Auditor cannot use the 2 trusted actions: grant them in its IAM policy, or remove the trust\. Account workloads \(444455556666\): /);
});

test('iam-grant-without-key-trust: an IAM grant the key policy does not trust is not flagged when a KMS grant gives the principal its actions', () => {
  const roles = `${ROLES}
resource "aws_iam_role_policy" "reader_key" {
  role   = aws_iam_role.reader.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = ["kms:Decrypt", "kms:Encrypt"], Resource = var.key_arn }] })
}
`;
  // The key trusts Auditor only: Reader's IAM grant has no effect.
  const without = workspace(keyTf(AUDITOR, ''), roles);
  assert.equal(messages(without, '/w/workloads/roles.tf', 'iam-grant-without-key-trust').length, 1);
  // With a KMS grant of Decrypt to Reader the IAM grant still lacks Encrypt.
  const partial = workspace(keyTf(AUDITOR, grant('reader', READER, '"Decrypt"')), roles);
  const [m] = messages(partial, '/w/workloads/roles.tf', 'iam-grant-without-key-trust');
  assert.match(m, /: the grant has no effect\. role\/Reader has kms:Decrypt through the KMS grant aws_kms_grant\.reader\.$/);
  // A grant of both: Reader can use the key; nothing to report.
  assert.deepEqual(messages(workspace(keyTf(AUDITOR, grant('reader', READER, '"Decrypt", "Encrypt"')), roles), '/w/workloads/roles.tf', 'iam-grant-without-key-trust'), []);
  // The hover on the key ARN of the identity policy names the KMS grant.
  const ws = workspace(keyTf(AUDITOR, grant('reader', READER, '"Decrypt"', '  constraints {\n    encryption_context_subset = { App = "reports" }\n  }\n')), roles);
  const text = ws.text('/w/workloads/roles.tf')!;
  const h = hoverAt(ws, '/w/workloads/roles.tf', text.indexOf('var.key_arn }') + 2)!;
  assert.match(h.markdown, /`role\/Reader` has kms:Decrypt through the KMS grant `aws_kms_grant\.reader` at security\/key\.tf:\d+ \(encryption context containing \{"App":"reports"\}\)\./);
});

test('hover and code lens on the trusted principal name the grants', () => {
  const root = `arn:aws:iam::${B}:root`;
  const ws = workspace(keyTf(root, grant('reader', READER, '"Decrypt"', '  constraints {\n    encryption_context_equals = { Department = "Finance" }\n  }\n')));
  const text = ws.text('/w/security/key.tf')!;
  const at = text.indexOf(`"${root}"`) + 3;
  const h = hoverAt(ws, '/w/security/key.tf', at)!;
  const line = text.slice(0, text.indexOf('resource "aws_kms_grant"')).split('\n').length;
  assert.ok(h.markdown.includes(`Through KMS grants (no key-policy trust or IAM grant needed):\n- \`role/Reader\`: kms:Decrypt — KMS grant \`aws_kms_grant.reader\` at security/key.tf:${line} (encryption context equal to {"Department":"Finance"})`), h.markdown);
  const lenses = codeLens(ws, '/w/security/key.tf');
  assert.deepEqual(lenses.map((l) => l.title), ['role/Reader in workloads uses this key through a KMS grant']);
  assert.equal(lenses[0].references![0].span.offset, text.indexOf('resource "aws_kms_grant"'));
  // Without the grant: nobody.
  assert.deepEqual(codeLens(workspace(keyTf(root, '')), '/w/security/key.tf').map((l) => l.title), ['No principal in workloads uses this key']);
});

/** The key (trusting the workloads root for Decrypt and Encrypt) without grants, and a grants file beside it or elsewhere. */
function keyAndGrants(grantsPath: string, grants: string): Workspace {
  const ws = workspace(keyTf(`arn:aws:iam::${B}:root`, ''));
  ws.updateFile(grantsPath, grants);
  return ws;
}
const keyDoc = (ws: Workspace) => ws.discovered('/w/security/key.tf')!.documents.find((d) => d.kind === 'kms-key-policy')!;

test('a grant in another file of the module names the key by address (.key_id, .arn, .id): it is part of that key\'s handshake', () => {
  for (const attr of ['key_id', 'arn', 'id']) {
    const ws = keyAndGrants('/w/security/grants.tf', grant('reader', READER, '"Decrypt", "Encrypt"').replace('aws_kms_key.app.key_id', `aws_kms_key.app.${attr}`));
    assert.deepEqual(keyDoc(ws).kmsGrants?.map((g) => [g.label, g.file, g.grantee]), [['aws_kms_grant.reader', '/w/security/grants.tf', READER]], attr);
    assert.deepEqual(messages(ws, '/w/security/key.tf', 'root-principal-without-grant'), [], attr);
  }
  // Decrypt only: the finding names the grant, and its related information points into the grants file.
  const ws = keyAndGrants('/w/security/grants.tf', grant('reader', READER, '"Decrypt"'));
  const [f] = ws.findings('/w/security/key.tf').filter((x) => x.checkId === 'root-principal-without-grant');
  assert.match(f.message, / role\/Reader has kms:Decrypt through the KMS grant aws_kms_grant\.reader\.$/);
  const rel = f.related!.find((r) => r.message.startsWith('KMS grant'))!;
  assert.equal(rel.file, '/w/security/grants.tf');
  assert.equal(ws.text('/w/security/grants.tf')!.slice(rel.span.offset, rel.span.offset + 33), 'resource "aws_kms_grant" "reader"');
  // An edit of the grants file reaches the key: the grant of both operations silences the finding, removing it brings it back.
  assert.ok(ws.updateFile('/w/security/grants.tf', grant('reader', READER, '"Decrypt", "Encrypt"')).includes('/w/security/key.tf'));
  assert.deepEqual(messages(ws, '/w/security/key.tf', 'root-principal-without-grant'), []);
  assert.ok(ws.updateFile('/w/security/grants.tf', '# no grants\n').includes('/w/security/key.tf'));
  assert.equal(messages(ws, '/w/security/key.tf', 'root-principal-without-grant').length, 1);
  assert.equal(keyDoc(ws).kmsGrants, undefined);
  // Read in the other order (the grants file first), the key still gets it.
  const first = new Workspace();
  first.updateFile('/w/policy-handshake.json', MANIFEST);
  first.updateFile('/w/security/grants.tf', grant('reader', READER, '"Decrypt", "Encrypt"'));
  first.updateFile('/w/security/key.tf', keyTf(`arn:aws:iam::${B}:root`, ''));
  first.updateFile('/w/workloads/roles.tf', ROLES);
  assert.deepEqual(messages(first, '/w/security/key.tf', 'root-principal-without-grant'), []);
  // Removing the grants file takes the grant away.
  assert.ok(first.removeFile('/w/security/grants.tf').includes('/w/security/key.tf'));
  assert.equal(messages(first, '/w/security/key.tf', 'root-principal-without-grant').length, 1);
});

test('a grant naming aws_kms_key.app from another folder (another module) is not on this key', () => {
  const ws = keyAndGrants('/w/workloads/grants.tf', grant('reader', READER, '"Decrypt", "Encrypt"'));
  assert.equal(keyDoc(ws).kmsGrants, undefined);
  assert.equal(messages(ws, '/w/security/key.tf', 'root-principal-without-grant').length, 1);
});

test('a grant naming the key by ARN (a literal, or a variable the manifest binds) is on the key the manifest binds to that ARN', () => {
  const literal = keyAndGrants('/w/workloads/grants.tf', grant('reader', READER, '"Decrypt", "Encrypt"').replace('aws_kms_key.app.key_id', `"${KEY_ARN}"`));
  assert.deepEqual(keyDoc(literal).kmsGrants?.map((g) => [g.label, g.file]), [['aws_kms_grant.reader', '/w/workloads/grants.tf']]);
  assert.deepEqual(messages(literal, '/w/security/key.tf', 'root-principal-without-grant'), []);
  // var.key_arn: the manifest's workloads parameters give it KEY_ARN.
  const bound = keyAndGrants('/w/workloads/grants.tf', `variable "key_arn" {}\n${grant('reader', READER, '"Decrypt"').replace('aws_kms_key.app.key_id', 'var.key_arn')}`);
  const [f] = bound.findings('/w/security/key.tf').filter((x) => x.checkId === 'root-principal-without-grant');
  assert.match(f.message, /^Nobody in workloads \(444455556666\) can use kms:Encrypt: .* role\/Reader has kms:Decrypt through the KMS grant aws_kms_grant\.reader\.$/);
  assert.equal(f.related!.find((r) => r.message.startsWith('KMS grant'))!.file, '/w/workloads/grants.tf');
  // Another key's ARN, an alias ARN, or a variable nothing binds: no grant on this key, and no error.
  for (const keyId of [`"${KEY_ARN.replace('1234abcd', '9999abcd')}"`, `"arn:aws:kms:us-west-2:${A}:alias/app"`, 'var.unbound']) {
    const ws = keyAndGrants('/w/workloads/grants.tf', `variable "unbound" {}\n${grant('reader', READER, '"Decrypt", "Encrypt"').replace('aws_kms_key.app.key_id', keyId)}`);
    assert.equal(keyDoc(ws).kmsGrants, undefined, keyId);
    assert.deepEqual(ws.findings('/w/workloads/grants.tf').map((x) => x.checkId), [], keyId);
    assert.equal(messages(ws, '/w/security/key.tf', 'root-principal-without-grant').length, 1, keyId);
  }
  // A manifest that binds the key file to another ARN takes the grant away.
  const ws = keyAndGrants('/w/workloads/grants.tf', grant('reader', READER, '"Decrypt", "Encrypt"').replace('aws_kms_key.app.key_id', `"${KEY_ARN}"`));
  const other = JSON.parse(MANIFEST) as { keys: { arn: string }[] };
  other.keys[0].arn = KEY_ARN.replace('1234abcd', '9999abcd');
  assert.ok(ws.updateFile('/w/policy-handshake.json', JSON.stringify(other)).includes('/w/security/key.tf'));
  assert.equal(keyDoc(ws).kmsGrants, undefined);
});

test('a key file is read again for its own keys only when another file of the module grants on one of them', () => {
  const grants = new KeyGrants();
  const none = () => [];
  const g: KmsGrant = { label: 'aws_kms_grant.reader', file: '/m/grants.tf', span: { offset: 0, length: 1 }, operations: new Set(['decrypt']) };
  // Nobody grants on aws_kms_key.app: adding the key file asks for no file to be read again.
  assert.deepEqual(grants.set('/m/key.tf', { keys: ['aws_kms_key.app'], foreign: [] }, none), []);
  // A grant on it from another file: the key file is read again (its binding gives the grant).
  assert.deepEqual(grants.set('/m/grants.tf', { keys: [], foreign: [{ key: 'aws_kms_key.app', grant: g }] }, none), ['/m/key.tf']);
  // The key file's keys changed: read again itself, as a grant names one of its keys (before).
  assert.deepEqual(grants.set('/m/key.tf', { keys: ['aws_kms_key.other'], foreign: [] }, none), ['/m/key.tf']);
  // Another key file whose key nobody grants on: nothing.
  assert.deepEqual(grants.set('/m/key2.tf', { keys: ['aws_kms_key.lone'], foreign: [] }, none), []);
  assert.deepEqual(grants.grantsFor('/m/key.tf', undefined), undefined);
});
