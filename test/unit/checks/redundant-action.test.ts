import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { expectFindings } from '../../support/fixture';
import { applyFirstFix, findingsOf, getKeyPolicyOutput } from './kmsPolicies';

const only = ['redundant-action'];

test('redundant-action: distinct actions and overlapping-but-not-covering wildcards are fine', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:Gen*", "kms:Get*", "kms:Re*", "kms:*Key"], "Resource": "*"},
  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
  {"Effect": "Allow", "Action": ["kms:GenerateDataKey?", "kms:GenerateDataKeyPair"], "NotAction": ["s3:Get?bject", "s3:Get*Object"], "Resource": "*"}]}`,
  { only: ['redundant-action'] });
});

test('redundant-action: covered by a service wildcard, by "*", by a prefix wildcard', () => {
  const r = expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["kms:*", «redundant-action:"kms:Decrypt"»], "Resource": "*"},
  {"Effect": "Allow", "Action": ["*", «redundant-action:"s3:GetObject"», «redundant-action:"kms:*"»], "Resource": "*"},
  {"Effect": "Allow", "Action": [«redundant-action:"kms:GenerateDataKey"», "kms:Gen*", «redundant-action:"kms:GenerateDataKey*"»], "Resource": "*"}]}`, { only });
  // Issue 18, defect 3: what is wrong, then what to do.
  assert.equal(r.findings.find((f) => f.checkId === 'redundant-action')!.message, '"kms:Decrypt" is already covered by "kms:*" in this Action list: remove it.');
});

test('redundant-action: exact and case-insensitive duplicates, the later one is reported', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["s3:GetObject", «redundant-action:"S3:getobject"»], "Resource": "*"},
  {"Effect": "Allow", "Action": ["kms:*", «redundant-action:"KMS:*"», «redundant-action:"kms:Decrypt"»], "Resource": "*"}]}`, { only });
});

test('redundant-action: NotAction lists too', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Deny", "NotAction": ["iam:*", «redundant-action:"iam:PassRole"»], "Resource": "*"}]}`, { only });
});

test('redundant-action: in a key policy, and in a single Statement object', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "111122223333"},
  "Action": ["kms:Describe*", «redundant-action:"kms:DescribeKey"»], "Resource": "*"}}`, { only });
});

test('redundant-action: fix removes a middle item of a multi-line list', () => {
  const text = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "s3:*",
        "s3:GetObject",
        "kms:Decrypt"
      ],
      "Resource": "*"
    }
  ]
}`;
  const fixed = applyFirstFix(text, 'redundant-action');
  assert.equal(fixed, text.replace(`        "s3:*",\n        "s3:GetObject",\n`, `        "s3:*",\n`));
  assert.equal(findingsOf(fixed, 'redundant-action').length, 0);
});

test('redundant-action: fix removes the first item and the last item', () => {
  const first = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Decrypt", "kms:*"], "Resource": "*"}]}`;
  const fixedFirst = applyFirstFix(first, 'redundant-action');
  assert.equal(fixedFirst, first.replace('["kms:Decrypt", "kms:*"]', '["kms:*"]'));
  assert.equal(findingsOf(fixedFirst, 'redundant-action').length, 0);
  const last = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:*", "kms:Decrypt"], "Resource": "*"}]}`;
  const fixedLast = applyFirstFix(last, 'redundant-action');
  assert.equal(fixedLast, last.replace('["kms:*", "kms:Decrypt"]', '["kms:*"]'));
  assert.equal(findingsOf(fixedLast, 'redundant-action').length, 0);
});

test('redundant-action: fix inside get-key-policy output keeps the string valid', () => {
  const text = getKeyPolicyOutput(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": ["kms:*", "kms:Decrypt"], "Resource": "*"}]}`);
  const fixed = applyFirstFix(text, 'redundant-action', {}, 'key.json');
  const policy = JSON.parse(JSON.parse(fixed).Policy);
  assert.deepEqual(policy.Statement[0].Action, ['kms:*']);
  assert.equal(findingsOf(fixed, 'redundant-action', {}, 'key.json').length, 0);
});

test('redundant-action: long lists without wildcards (compared through a set), with and without a case-insensitive duplicate', () => {
  const names = ['Decrypt', 'Encrypt', 'DescribeKey', 'GenerateDataKey', 'GenerateDataKeyPair', 'GenerateMac', 'VerifyMac', 'Sign', 'Verify', 'ReEncryptFrom',
    'ReEncryptTo', 'GetPublicKey', 'ListAliases', 'ListKeys', 'ListGrants', 'CreateGrant', 'RetireGrant', 'RevokeGrant', 'TagResource', 'UntagResource'];
  const list = names.map((n) => `"kms:${n}"`).join(', ');
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [${list}], "Resource": "*"}]}`, { only });
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [${list}, «redundant-action:"KMS:describekey"»], "Resource": "*"}]}`, { only });
});

test('redundant-action: a wildcard covers entries of its own service only, whatever their case; lists past 16 entries too', () => {
  const many = Array.from({ length: 17 }, (_, i) => `"sqs:Action${i}"`).join(', ');
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["ec2:Describe*", "s3:GetObject", "cloudwatch:Get*", "logs:Describe*"], "Resource": "*"},
  {"Effect": "Allow", "Action": ["EC2:Describe*", "s3:GetObject", «redundant-action:"ec2:DescribeInstances"»], "Resource": "*"},
  {"Effect": "Allow", "Action": ["s3:Get*", «redundant-action:"S3:List*Object"», "iam:PassRole", «redundant-action:"S3:GETOBJECT"», "s3:List*"], "Resource": "*"},
  {"Effect": "Allow", "Action": ["ec2:Describe*", ${many}, «redundant-action:"ec2:DescribeVpcs"»], "Resource": "*"}]}`, { only });
});

test('redundant-action: an action the catalog does not know is not covered by a wildcard (unknown-action reports it); its exact duplicate is', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["kms:*", «redundant-action:"kms:Decrypt"», "kms:Decryptt"], "Resource": "*"},
  {"Effect": "Allow", "Action": ["*", "nosuchservice:Read"], "Resource": "*"},
  {"Effect": "Deny", "NotAction": ["kms:Decryptt", «redundant-action:"KMS:decryptt"»], "Resource": "*"}]}`, { only });
});
