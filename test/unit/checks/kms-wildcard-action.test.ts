import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { expectFindings } from '../../support/fixture';
import { applyFirstFix, findingsOf, getKeyPolicyOutput } from './kmsPolicies';

const only = ['kms-wildcard-action'];
const owner = { binding: { owner: { account: '111122223333' } } };
const ADMIN = `{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}`;

test('kms-wildcard-action: kms:* to the own account root (ARN or id) is fine', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [${ADMIN},
  {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": ["kms:*"], "Resource": "*"},
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": ["kms:Decrypt", "kms:Get*"], "Resource": "*"}]}`, { only, ...owner });
});

test('kms-wildcard-action: kms:*, "*" and KMS:* to roles, services, everyone', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [${ADMIN},
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Admin"}, "Action": «kms-wildcard-action:"kms:*"», "Resource": "*"},
  {"Effect": "Allow", "Principal": {"Service": "logs.amazonaws.com"}, "Action": [«kms-wildcard-action:"*"»], "Resource": "*"},
  {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["kms:Decrypt", «kms-wildcard-action:"KMS:*"»], "Resource": "*",
   "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333"}}}]}`, { only });
});

test('kms-wildcard-action: another account root, with the owner known', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [${ADMIN},
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": «kms-wildcard-action:"kms:*"», "Resource": "*"}]}`, { only, ...owner });
});

test('kms-wildcard-action: owner unknown — the default statement tells the own account', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [${ADMIN},
  {"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": «kms-wildcard-action:"kms:*"», "Resource": "*"}]}`, { only });
  // No default statement: an account root cannot be told from the key's own.
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "kms:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}`, { only });
});

test('kms-wildcard-action: CloudFormation ${AWS::AccountId} root is the own account; roles are reported', () => {
  const text = JSON.stringify({ Resources: { Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] } }, Action: 'kms:*', Resource: '*' },
    { Effect: 'Allow', Principal: { AWS: [{ 'Fn::Sub': 'arn:aws:iam::${AWS::AccountId}:root' }, { 'Fn::Sub': 'arn:aws:iam::${AWS::AccountId}:role/Admin' }] }, Action: 'kms:*', Resource: '*' },
    { Effect: 'Allow', Principal: { AWS: { Ref: 'AdminRoleArn' } }, Action: 'kms:*', Resource: '*' },
  ] } } } } });
  const found = findingsOf(text, 'kms-wildcard-action', {}, 'template.json');
  assert.equal(found.length, 1);
  const second = text.indexOf('"kms:*"', text.indexOf('role/Admin'));
  assert.deepEqual(found[0].span, { offset: second, length: 7 });
});

test('kms-wildcard-action: fix turns a string into the usage actions', () => {
  const text = `{"Version": "2012-10-17", "Statement": [${ADMIN},
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": "kms:*", "Resource": "*"}]}`;
  const fixed = applyFirstFix(text, 'kms-wildcard-action');
  assert.equal(fixed, text.replace('"Action": "kms:*", "Resource": "*"}]}',
    '"Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"], "Resource": "*"}]}'));
  assert.equal(findingsOf(fixed, 'kms-wildcard-action').length, 0);
});

test('kms-wildcard-action: fix in a multi-line list keeps one action a line and skips those present', () => {
  const text = `{
  "Version": "2012-10-17",
  "Statement": [
    ${ADMIN},
    {
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
      "Action": [
        "kms:Decrypt",
        "kms:*"
      ],
      "Resource": "*"
    }
  ]
}`;
  const fixed = applyFirstFix(text, 'kms-wildcard-action');
  assert.equal(fixed, text.replace(`        "kms:*"\n`, `        "kms:Encrypt",\n        "kms:ReEncrypt*",\n        "kms:GenerateDataKey*",\n        "kms:DescribeKey"\n`));
  assert.equal(findingsOf(fixed, 'kms-wildcard-action').length, 0);
});

test('kms-wildcard-action: fix inside get-key-policy output', () => {
  const text = getKeyPolicyOutput(`{"Version": "2012-10-17", "Statement": [${ADMIN},
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": "kms:*", "Resource": "*"}]}`);
  const fixed = applyFirstFix(text, 'kms-wildcard-action', {}, 'key.json');
  assert.deepEqual(JSON.parse(JSON.parse(fixed).Policy).Statement[1].Action, ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey']);
  assert.equal(findingsOf(fixed, 'kms-wildcard-action', {}, 'key.json').length, 0);
});
