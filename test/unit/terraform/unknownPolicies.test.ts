/**
 * Policies whose content is not known where the workspace reads them: a `dynamic "statement"`
 * block (of an identity policy or of a key policy), a role policy whose value is a variable with
 * no value, and a plan's policy known only after apply. The handshake never concludes from them
 * that a principal has no grant, or that the key does not trust one: a principal whose policy is
 * not known may use the key, and is named (never left out of a narrowing).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { expectWorkspace, single } from '../handshake/workspaceFixture';
import { withHclParser } from '../../support/hcl';
import { hoverAt } from '../../../server/src/core/features/hover';
import { A, B, KEY_ARN, appKeyTf, ec2Role, twoAccountManifest } from './twoAccounts';

withHclParser();

const MANIFEST = twoAccountManifest({ keyFile: 'security/key.tf' });
const KEY = '/w/security/key.tf';
const keyTf = (checkId: string) => appKeyTf(`{ Sid = "Workloads", Effect = "Allow", Principal = { AWS = «${checkId}:"arn:aws:iam::${B}:root"» }, Action = ["kms:Decrypt", "kms:DescribeKey"], Resource = "*" }`);

const READER_DOC = (dynamic: boolean) => `
data "aws_iam_policy_document" "reader" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::b/*"]
  }
${dynamic ? `  dynamic "statement" {
    for_each = var.key_arns
    content {
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
    }
  }` : ''}
}
resource "aws_iam_role_policy" "reader" {
  role   = aws_iam_role.reader.id
  policy = data.aws_iam_policy_document.reader.json
}
variable "key_arns" { default = ["${KEY_ARN}"] }
`;

test('a dynamic "statement" in an identity policy: its role may use the key (no "nobody can use it"), and is the one to narrow to', () => {
  const s = expectWorkspace({
    '/w/policy-handshake.json': MANIFEST,
    [KEY]: keyTf('root-principal-broader-than-grants'),
    '/w/workloads/roles.tf': `${ec2Role('Reader')}${READER_DOC(true)}`,
  });
  const f = single(s.ws, KEY, 'root-principal-broader-than-grants');
  assert.equal(f.message, `Trusts all of workloads (${B}), but only one of its principals may use this key: narrow the principal to it. It is role/Reader (kms:Decrypt, kms:DescribeKey; a statement of its policy is not known (dynamic "statement")). While the account is trusted, any new IAM grant in it widens access to the key.`);
  const text = s.texts['/w/workloads/roles.tf'];
  assert.deepEqual(f.related!.map((r) => [text.slice(r.span.offset, r.span.offset + 19), r.message]), [['dynamic "statement"', 'role/Reader may have a grant here: a statement of its policy is not known (dynamic "statement")']]);
  assert.deepEqual(f.fixes!.map((x) => x.title), [
    `Narrow the principal to arn:aws:iam::${B}:role/Reader (may have a grant on this key: not all of its policy is known)`,
    'Keep the account principal and allow only role/Reader (ArnEquals aws:PrincipalArn condition)',
  ]);
});

test('without the dynamic block the same role has no grant: root-principal-without-grant', () => {
  expectWorkspace({
    '/w/policy-handshake.json': MANIFEST,
    [KEY]: keyTf('root-principal-without-grant'),
    '/w/workloads/roles.tf': `${ec2Role('Reader')}${READER_DOC(false)}`,
  });
});

const KEY_DOC = (dynamic: boolean) => `
variable "consumer_accounts" { default = ["${B}"] }
data "aws_iam_policy_document" "key" {
  statement {
    sid       = "Own"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${A}:root"]
    }
  }
${dynamic ? `  dynamic "statement" {
    for_each = var.consumer_accounts
    content {
      actions   = ["kms:Decrypt", "kms:Encrypt"]
      resources = ["*"]
      principals {
        type        = "AWS"
        identifiers = ["arn:aws:iam::\${statement.value}:root"]
      }
    }
  }` : ''}
}
resource "aws_kms_key" "app" {
  policy = data.aws_iam_policy_document.key.json
}
`;

const GRANT = (marked: string, actions = '"kms:Decrypt", "kms:Encrypt"') => `${ec2Role('Reader')}
resource "aws_iam_role_policy" "reader" {
  role = aws_iam_role.reader.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = [${actions}], Resource = ${marked} }]
  })
}
`;

test('a dynamic "statement" in the key policy may trust the grant\'s account: no iam-grant-without-key-trust', () => {
  expectWorkspace({
    '/w/policy-handshake.json': MANIFEST,
    [KEY]: KEY_DOC(true),
    '/w/workloads/roles.tf': GRANT(`"${KEY_ARN}"`),
  });
  // The same key policy without it trusts no one of workloads: the grant has no effect.
  const s = expectWorkspace({
    '/w/policy-handshake.json': MANIFEST,
    [KEY]: KEY_DOC(false),
    '/w/workloads/roles.tf': GRANT(`«iam-grant-without-key-trust:"${KEY_ARN}"»`),
  });
  assert.match(single(s.ws, '/w/workloads/roles.tf', 'iam-grant-without-key-trust').message, /^The key policy does not trust role\/Reader for these actions/);
});

const WRITER = (policy: string) => `${ec2Role('Writer')}
variable "writer_policy" { type = string }
resource "aws_iam_role_policy" "writer" {
  role   = aws_iam_role.writer.id
  policy = ${policy}
}
`;

test('a role policy whose value is a variable with no value: the role may use the key, and no finding is reported on the policy itself', () => {
  for (const policy of ['var.writer_policy', 'jsonencode(var.writer_policy)']) {
    const s = expectWorkspace({
      '/w/policy-handshake.json': MANIFEST,
      [KEY]: keyTf('root-principal-broader-than-grants'),
      '/w/workloads/roles.tf': WRITER(policy),
    });
    const f = single(s.ws, KEY, 'root-principal-broader-than-grants');
    assert.equal(f.message, `Trusts all of workloads (${B}), but only one of its principals may use this key: narrow the principal to it. It is role/Writer (kms:Decrypt, kms:DescribeKey; its policy is not known (${policy})). While the account is trusted, any new IAM grant in it widens access to the key.`, policy);
    assert.deepEqual(s.ws.findings('/w/workloads/roles.tf').map((x) => x.checkId), [], policy);
  }
});

test('a role policy not known beside a role with a known grant: both are named, and the preferred narrowing keeps both', () => {
  const s = expectWorkspace({
    '/w/policy-handshake.json': MANIFEST,
    [KEY]: keyTf('root-principal-broader-than-grants'),
    '/w/workloads/roles.tf': `${WRITER('var.writer_policy')}${GRANT(`"${KEY_ARN}"`, '"kms:Decrypt"')}`,
  });
  const f = single(s.ws, KEY, 'root-principal-broader-than-grants');
  assert.match(f.message, /^Trusts all of workloads \(444455556666\), but only 2 of its principals use or may use this key: narrow the principal to them\. They are role\/Reader \(kms:Decrypt\), role\/Writer \(kms:Decrypt, kms:DescribeKey; its policy is not known \(var\.writer_policy\)\)\./);
  assert.deepEqual(f.fixes!.filter((x) => x.isPreferred).map((x) => x.title), ['Narrow the principal to the 2 principals with a grant or that may have one: role/Reader, role/Writer']);
  assert.deepEqual(f.fixes!.find((x) => x.id === 'narrow-root-with-condition')!.title, 'Keep the account principal and allow only role/Reader, role/Writer (ArnEquals aws:PrincipalArn condition)');
});

/** A plan whose role policy is known only after apply (`after_unknown.policy`), as `terraform show -json` writes it. */
function unknownPolicyPlan(): string {
  const role = { name: 'Writer', path: '/', assume_role_policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) };
  const policy = { name: 'writer', role: 'Writer' };
  const resource = (type: string, values: object) => ({ address: `${type}.writer`, mode: 'managed', type, name: 'writer', provider_name: 'registry.terraform.io/hashicorp/aws', schema_version: 0, values, sensitive_values: {} });
  const change = (type: string, after: object, afterUnknown: object) => ({ address: `${type}.writer`, mode: 'managed', type, name: 'writer', change: { actions: ['create'], before: null, after, after_unknown: afterUnknown } });
  return JSON.stringify({
    format_version: '1.2',
    terraform_version: '1.8.3',
    planned_values: { root_module: { resources: [resource('aws_iam_role', role), resource('aws_iam_role_policy', policy)] } },
    resource_changes: [change('aws_iam_role', role, { arn: true, id: true }), change('aws_iam_role_policy', policy, { policy: true })],
  }, null, 1);
}

test('a plan\'s role policy known only after apply: the role may use the key (no "nobody can use it")', () => {
  const manifest = twoAccountManifest({ keyFile: 'security/key.tf' }).replace('"workloads/*.tf"', '"workloads/plan.json"');
  const s = expectWorkspace({
    '/w/policy-handshake.json': manifest,
    [KEY]: keyTf('root-principal-broader-than-grants'),
    '/w/workloads/plan.json': unknownPolicyPlan(),
  });
  const f = single(s.ws, KEY, 'root-principal-broader-than-grants');
  assert.match(f.message, /but only one of its principals may use this key: narrow the principal to it\. It is role\/Writer \(kms:Decrypt, kms:DescribeKey; its policy is known only after apply\)\./);
  // The related entry points at what says the policy is not known yet.
  const text = s.texts['/w/workloads/plan.json'];
  const r = f.related![0];
  assert.equal(r.message, 'role/Writer may have a grant here: its policy is known only after apply');
  assert.equal(text.slice(r.span.offset, r.span.offset + r.span.length), 'true');
  assert.match(text.slice(r.span.offset - 12, r.span.offset), /"policy": $/);
});

const EXTRA = `
variable "extra_policy" { type = string }
resource "aws_iam_role_policy" "extra" {
  role   = aws_iam_role.reader.id
  policy = var.extra_policy
}
`;

/** The hover on the grant's key ARN: its Handshake line for the key. */
function grantHoverLine(s: ReturnType<typeof expectWorkspace>): string {
  const roles = s.texts['/w/workloads/roles.tf'];
  const md = hoverAt(s.ws, '/w/workloads/roles.tf', roles.indexOf(KEY_ARN) + 5)!.markdown;
  return md.split('\n').find((l) => l.includes('`role/Reader` can'))!.trim();
}

test('a policy not known beside a known grant may be a Deny: the role may use the key, never for sure', () => {
  const s = expectWorkspace({
    '/w/policy-handshake.json': MANIFEST,
    [KEY]: keyTf('root-principal-broader-than-grants'),
    '/w/workloads/roles.tf': `${GRANT(`"${KEY_ARN}"`, '"kms:Decrypt"')}${EXTRA}`,
  });
  assert.equal(grantHoverLine(s), '`role/Reader` can use kms:Decrypt (unless workloads/roles.tf denies it) — trusted by "Workloads" at security/key.tf:7.');
  assert.match(single(s.ws, KEY, 'root-principal-broader-than-grants').message, /It is role\/Reader \(kms:Decrypt, kms:DescribeKey; conditional\)\./);
  // Without the policy not known, the same grant works for sure.
  const known = expectWorkspace({
    '/w/policy-handshake.json': MANIFEST,
    [KEY]: keyTf('root-principal-broader-than-grants'),
    '/w/workloads/roles.tf': GRANT(`"${KEY_ARN}"`, '"kms:Decrypt"'),
  });
  assert.equal(grantHoverLine(known), '`role/Reader` can use kms:Decrypt — trusted by "Workloads" at security/key.tf:7.');
  assert.match(single(known.ws, KEY, 'root-principal-broader-than-grants').message, /It is role\/Reader \(kms:Decrypt\)\./);
});

const WITH_DENY = (resource: string) => `${ec2Role('Reader')}
variable "blocked_key" { type = string }
resource "aws_iam_role_policy" "reader" {
  role = aws_iam_role.reader.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["kms:Decrypt"], Resource = "${KEY_ARN}" },
      { Effect = "Deny", Action = ["kms:Decrypt"], Resource = ${resource} },
    ]
  })
}
`;

test('a Deny whose resource is not known may name the key: the grant may be denied; a Deny of another key takes nothing', () => {
  const maybe = expectWorkspace({
    '/w/policy-handshake.json': MANIFEST,
    [KEY]: keyTf('root-principal-broader-than-grants'),
    '/w/workloads/roles.tf': WITH_DENY('var.blocked_key'),
  });
  assert.equal(grantHoverLine(maybe), '`role/Reader` can use kms:Decrypt (unless workloads/roles.tf denies it) — trusted by "Workloads" at security/key.tf:7.');
  const other = expectWorkspace({
    '/w/policy-handshake.json': MANIFEST,
    [KEY]: keyTf('root-principal-broader-than-grants'),
    '/w/workloads/roles.tf': WITH_DENY(`"${KEY_ARN.replace('1234abcd', '9999abcd')}"`),
  });
  assert.equal(grantHoverLine(other), '`role/Reader` can use kms:Decrypt — trusted by "Workloads" at security/key.tf:7.');
});
