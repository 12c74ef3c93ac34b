/**
 * `aws_kms_grant` arguments KMS (and Terraform) reject: an operation that is not a grant
 * operation (`unknown-action`: a `kms:` prefix, a typo, a KMS action grants cannot allow, a name
 * in the wrong case) and a grantee or retiring principal that is no principal ARN
 * (`invalid-principal`), each at the literal string it is on. Values from references stay
 * silent; the handshake reads only the grant operations.
 */
import { test, after, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import type { Finding } from '../../../server/src/core/findings';
import { applyFix } from '../handshake/workspaceFixture';
import { withHclParser } from '../../support/hcl';
import { runIn } from '../../support/cli';
import { A, B, KEY_ARN, appKeyTf, ec2Role, twoAccountManifest } from './twoAccounts';

withHclParser();

const GRANT = `resource "aws_kms_grant" "g" {
  name              = "g"
  key_id            = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  grantee_principal = "arn:aws:iam::444455556666:role/app"
  operations        = ["Encrypt", "kms:Decrypt", "GenerateDataKeyy"]
}
`;

/** A grant on `aws_kms_key.app` with the arguments given (HCL lines). */
const grantOn = (args: string) => `
resource "aws_kms_grant" "reader" {
  name   = "reader"
  key_id = aws_kms_key.app.key_id
${args}}
`;

const IDS = ['unknown-action', 'invalid-principal'];

/** The findings of the grant checks, as `id line:col-line:col "text under the range" message` (0-based lines and columns). */
function shown(text: string, findings: Finding[]): string[] {
  const pos = (o: number) => {
    const before = text.slice(0, o).split('\n');
    return `${before.length - 1}:${before[before.length - 1].length}`;
  };
  return findings.filter((f) => IDS.includes(f.checkId)).sort((a, b) => a.span.offset - b.span.offset)
    .map((f) => `${f.checkId} ${pos(f.span.offset)}-${pos(f.span.offset + f.span.length)} ${JSON.stringify(text.slice(f.span.offset, f.span.offset + f.span.length))} ${f.message}`);
}

function workspaceWith(files: Record<string, string>): Workspace {
  const ws = new Workspace();
  for (const [file, text] of Object.entries(files)) ws.updateFile(file, text);
  return ws;
}

function findingsOf(text: string, file = '/w/main.tf'): { ws: Workspace; lines: string[] } {
  const ws = workspaceWith({ [file]: text });
  return { ws, lines: shown(text, ws.findings(file)) };
}

/** The one fix of the finding on `written` (an operation or principal as the file writes it), applied: the file's text after it. */
function fixed(text: string, written: string, file = '/w/main.tf'): string {
  const ws = workspaceWith({ [file]: text });
  const at = text.indexOf(`"${written}"`) + 1;
  const f = ws.findings(file).find((x) => x.span.offset === at && IDS.includes(x.checkId));
  assert.ok(f, `a finding on ${written}`);
  assert.equal(f.fixes?.length, 1, `one fix on ${written}`);
  applyFix(ws, file, f.fixes[0]);
  return ws.text(file)!;
}

let dir = '';
before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-grant-values-')); });
after(() => { fs.rmSync(dir, { recursive: true, force: true }); });

test('the CLI reports each operation of a grant that is not a grant operation, at its text (a grant on a key ARN of no file)', () => {
  fs.writeFileSync(path.join(dir, 'main.tf'), GRANT);
  const run = runIn(dir, 'check', '.', '--format', 'json');
  assert.equal(run.code, 1);
  assert.deepEqual(JSON.parse(run.stdout), [
    {
      file: 'main.tf', range: { start: { line: 4, character: 35 }, end: { line: 4, character: 46 } }, severity: 'error', code: 'unknown-action',
      message: 'Unknown grant operation "kms:Decrypt": write "Decrypt". Grant operations are KMS API names, without the kms: prefix.',
    },
    {
      file: 'main.tf', range: { start: { line: 4, character: 50 }, end: { line: 4, character: 66 } }, severity: 'error', code: 'unknown-action',
      message: 'Unknown grant operation "GenerateDataKeyy": did you mean "GenerateDataKey"?',
    },
  ]);
});

test('unknown-action on grant operations: prefix, typo, typo with prefix, wrong case, an action grants cannot allow, an unknown name', () => {
  const text = grantOn(`  grantee_principal = "arn:aws:iam::${B}:role/Reader"
  operations = [
    "Decrypt",
    "kms:Encrypt",
    "Decrpyt",
    "kms:GenerateDataKeyy",
    "decrypt",
    "PutKeyPolicy",
    "kms:ScheduleKeyDeletion",
    "ListGrants",
    "ReadEverything",
    "DeriveSharedSecret",
    "kms:ReEncrypt",
  ]
`);
  assert.deepEqual(findingsOf(text).lines, [
    'unknown-action 7:5-7:16 "kms:Encrypt" Unknown grant operation "kms:Encrypt": write "Encrypt". Grant operations are KMS API names, without the kms: prefix.',
    'unknown-action 8:5-8:12 "Decrpyt" Unknown grant operation "Decrpyt": did you mean "Decrypt"?',
    'unknown-action 9:5-9:25 "kms:GenerateDataKeyy" Unknown grant operation "kms:GenerateDataKeyy": did you mean "GenerateDataKey"?',
    'unknown-action 10:5-10:12 "decrypt" Unknown grant operation "decrypt": write "Decrypt". Grant operation names are case-sensitive.',
    'unknown-action 11:5-11:17 "PutKeyPolicy" A grant cannot allow PutKeyPolicy: remove it, and allow it in the key policy if needed. Grants allow only cryptographic operations, DescribeKey, GetPublicKey, CreateGrant and RetireGrant.',
    'unknown-action 12:5-12:28 "kms:ScheduleKeyDeletion" A grant cannot allow ScheduleKeyDeletion: remove it, and allow it in the key policy if needed. Grants allow only cryptographic operations, DescribeKey, GetPublicKey, CreateGrant and RetireGrant.',
    'unknown-action 13:5-13:15 "ListGrants" A grant cannot allow ListGrants: remove it, and allow it in the key policy if needed. Grants allow only cryptographic operations, DescribeKey, GetPublicKey, CreateGrant and RetireGrant.',
    'unknown-action 14:5-14:19 "ReadEverything" Unknown grant operation "ReadEverything": correct it, or remove it. CreateGrant accepts only KMS grant operations (Decrypt, Encrypt, Sign…).',
    'unknown-action 16:5-16:18 "kms:ReEncrypt" Unknown grant operation "kms:ReEncrypt": write "ReEncryptFrom" and "ReEncryptTo", one for each key of a re-encryption.',
  ]);
});

test('unknown-action on grant operations: the fix writes the grant operation', () => {
  const text = grantOn(`  grantee_principal = "arn:aws:iam::${B}:role/Reader"
  operations        = ["kms:Decrypt", "GenerateDataKeyy", "kms:Decrpyt", "encrypt"]
`);
  assert.match(fixed(text, 'kms:Decrypt'), /operations {8}= \["Decrypt", "GenerateDataKeyy", "kms:Decrpyt", "encrypt"\]/);
  assert.match(fixed(text, 'GenerateDataKeyy'), /operations {8}= \["kms:Decrypt", "GenerateDataKey", "kms:Decrpyt", "encrypt"\]/);
  assert.match(fixed(text, 'kms:Decrpyt'), /operations {8}= \["kms:Decrypt", "GenerateDataKeyy", "Decrypt", "encrypt"\]/);
  assert.match(fixed(text, 'encrypt'), /operations {8}= \["kms:Decrypt", "GenerateDataKeyy", "kms:Decrpyt", "Encrypt"\]/);
  assert.match(fixed(text.replace('"encrypt"', '"ReEncrypt"'), 'ReEncrypt'), /operations {8}= \["kms:Decrypt", "GenerateDataKeyy", "kms:Decrpyt", "ReEncryptFrom", "ReEncryptTo"\]/);
  // The file checked again after every fix: nothing left.
  let all = text;
  for (const written of ['kms:Decrypt', 'GenerateDataKeyy', 'kms:Decrpyt', 'encrypt']) all = fixed(all, written);
  assert.match(all, /operations {8}= \["Decrypt", "GenerateDataKey", "Decrypt", "Encrypt"\]/);
  assert.deepEqual(findingsOf(all).lines, []);
});

test('invalid-principal on a grant: grantee and retiring principals that are not principal ARNs, at the value; valid ones and references are silent', () => {
  const bad = (grantee: string, retiring: string) => grantOn(`  grantee_principal  = "${grantee}"
  retiring_principal = "${retiring}"
  operations         = ["Decrypt"]
`);
  assert.deepEqual(findingsOf(bad(`arn:aws:iam::${B}:role/app-*`, B)).lines, [
    'invalid-principal 4:24-4:60 "arn:aws:iam::444455556666:role/app-*" A principal ARN cannot contain wildcards: use "*" with a condition on aws:PrincipalArn instead.',
    `invalid-principal 5:24-5:36 "${B}" A grant principal is an ARN: write arn:aws:iam::${B}:root for the account. Grants take no bare account id.`,
  ]);
  assert.deepEqual(findingsOf(bad(`arn:aws:iam::${B}:group/Readers`, '*')).lines, [
    'invalid-principal 4:24-4:63 "arn:aws:iam::444455556666:group/Readers" This IAM ARN names no principal: use root, role/NAME or user/NAME (groups cannot be principals). "group/Readers" is none of these.',
    'invalid-principal 5:24-5:25 "*" This is not a grant principal: name an IAM role, user or account by ARN, or a service principal. "*" is none of these.',
  ]);
  assert.deepEqual(findingsOf(bad(`arn:aws:iam::${B}:role/Reader`, 'Reader')).lines, [
    'invalid-principal 5:24-5:30 "Reader" This is not a grant principal: name an IAM role, user or account by ARN, or a service principal. "Reader" is none of these.',
  ]);
  // Valid: a role, a user, the account root, an assumed-role session, a service principal.
  for (const [grantee, retiring] of [[`arn:aws:iam::${B}:role/Reader`, `arn:aws:iam::${A}:root`], [`arn:aws:iam::${B}:user/ci`, `arn:aws:sts::${B}:assumed-role/Reader/session`], ['dynamodb.amazonaws.com', `arn:aws-us-gov:iam::${A}:role/Admin`]]) {
    assert.deepEqual(findingsOf(bad(grantee, retiring)).lines, [], `${grantee} ${retiring}`);
  }
  // References, variables and templates are not known here: silent.
  const refs = `variable "grantee" {}
resource "aws_iam_role" "reader" { name = "Reader" }
${grantOn(`  grantee_principal  = aws_iam_role.reader.arn
  retiring_principal = "\${var.grantee}"
  operations         = [var.operation, "\${var.operation}", local.op]
`)}`;
  assert.deepEqual(findingsOf(refs).lines, []);
});

test('the handshake reads only the grant operations of a grant: an operation the checks report grants nothing', () => {
  const MANIFEST = twoAccountManifest({ keyFile: 'security/key.tf', workloads: { key_arn: KEY_ARN } });
  const key = (ops: string) => `${appKeyTf(`{ Sid = "Workloads", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${B}:root" }, Action = ["kms:Decrypt", "kms:Encrypt"], Resource = "*" }`)}${grantOn(`  grantee_principal = "arn:aws:iam::${B}:role/Reader"
  operations        = [${ops}]
`)}`;
  const operations = (ops: string) => {
    const ws = workspaceWith({ '/w/policy-handshake.json': MANIFEST, '/w/security/key.tf': key(ops), '/w/workloads/roles.tf': `variable "key_arn" {}\n${ec2Role('Reader')}` });
    const doc = ws.discovered('/w/security/key.tf')!.documents.find((d) => d.kind === 'kms-key-policy')!;
    return { ops: [...doc.kmsGrants![0].operations].sort(), withoutGrant: ws.findings('/w/security/key.tf').filter((f) => f.checkId === 'root-principal-without-grant').length };
  };
  // Valid grants: as before.
  assert.deepEqual(operations('"Decrypt", "Encrypt"'), { ops: ['decrypt', 'encrypt'], withoutGrant: 0 });
  assert.deepEqual(operations('"Decrypt", "Encrypt", "DeriveSharedSecret"'), { ops: ['decrypt', 'derivesharedsecret', 'encrypt'], withoutGrant: 0 });
  // A prefixed or miscased name is rejected by CreateGrant: the grant gives nothing through it.
  assert.deepEqual(operations('"kms:Decrypt", "encrypt", "Decrypt"'), { ops: ['decrypt'], withoutGrant: 1 });
});

test('unknown-action and invalid-principal on grants follow their settings', () => {
  const text = grantOn(`  grantee_principal = "${B}"
  operations        = ["kms:Decrypt"]
`);
  const ws = new Workspace({ severities: { 'unknown-action': 'off', 'invalid-principal': 'warning' } });
  ws.updateFile('/w/main.tf', text);
  assert.deepEqual(ws.findings('/w/main.tf').map((f) => `${f.checkId} ${f.severity}`), ['invalid-principal warning']);
});

test('a grant whose HCL is not complete yet, or has odd values, gives no finding and does not throw', () => {
  for (const text of [
    grantOn('  operations = ["kms:Decrypt", \n'),
    grantOn('  operations = "Decrypt"\n  grantee_principal = ["x"]\n'),
    grantOn('  operations = [1, true, null, ["Decrypt"], { a = "b" }, "a\\u0041"]\n  grantee_principal = 12\n'),
    'resource "aws_kms_grant" {\n  operations = ["kms:Decrypt"]\n}\n',
  ]) {
    assert.deepEqual(findingsOf(text).lines, [], text);
  }
});
