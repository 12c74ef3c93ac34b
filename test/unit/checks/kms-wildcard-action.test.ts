import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { expectFindings } from '../../support/fixture';
import * as fs from 'node:fs';
import { applyFirstFix, findingsOf, getKeyPolicyOutput } from './kmsPolicies';
import { checkText } from '../../../server/src/core/engine';
import { corpusMissing, corpusPath } from '../../support/corpus';
import { needs } from '../../support/needs';

const only = ['kms-wildcard-action'];
const owner = { binding: { owner: { account: '111122223333' } } };
const OWN = 'every KMS action, key administration and deletion included';
const CROSS = 'only the operations KMS allows across accounts (kms:CreateGrant, kms:Decrypt, kms:Encrypt, kms:GenerateDataKey*, kms:ReEncrypt*, kms:Sign, kms:Verify, kms:DescribeKey and the like); administration and deletion never work across accounts';
const messages = (text: string, options = {}) => findingsOf(text, 'kms-wildcard-action', options).map((f) => f.message);
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

test('kms-wildcard-action: everyone limited by kms:CallerAccount or aws:PrincipalAccount gets what that account gets', () => {
  const star = (accounts: string) => `{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "*", "Condition": {"StringEquals": {"kms:CallerAccount": ${accounts}}}}`;
  assert.deepEqual(messages(`{"Version": "2012-10-17", "Statement": [${ADMIN},
  ${star('"111122223333"')},
  ${star('"444455556666"')},
  {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalAccount": ["111122223333", "444455556666"]}}}]}`, owner), [
    `"kms:*" gives everyone (*) in 111122223333 more than key usage: list the key usage actions instead. It gets ${OWN}.`,
    `"kms:*" gives everyone (*) in 444455556666 more than key usage: list the key usage actions instead. From another account, it gets ${CROSS}.`,
    `"kms:*" gives everyone (*) in 111122223333, 444455556666 more than key usage: list the key usage actions instead. A caller in the key's account gets ${OWN}; a caller from another account gets ${CROSS}.`,
  ]);
});

test('kms-wildcard-action: a role of the key\'s account gets administration and deletion too', () => {
  assert.deepEqual(messages(`{"Version": "2012-10-17", "Statement": [${ADMIN},
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Admin"}, "Action": "kms:*", "Resource": "*"},
  {"Effect": "Allow", "Principal": {"Service": "logs.amazonaws.com"}, "Action": "*", "Resource": "*"}]}`, owner), [
    `"kms:*" gives arn:aws:iam::111122223333:role/Admin more than key usage: list the key usage actions instead. It gets ${OWN}.`,
    `"*" gives logs.amazonaws.com (service) more than key usage: list the key usage actions instead. It gets ${OWN}.`,
  ]);
});

test('kms-wildcard-action: another account gets only the cross-account operations', () => {
  assert.deepEqual(messages(`{"Version": "2012-10-17", "Statement": [${ADMIN},
  {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::444455556666:root", "arn:aws:iam::444455556666:role/Etl"]}, "Action": "kms:*", "Resource": "*"}]}`, owner), [
    `"kms:*" gives the 2 principals of this statement more than key usage: list the key usage actions instead. They are arn:aws:iam::444455556666:root, arn:aws:iam::444455556666:role/Etl. `
    + `From another account, they get ${CROSS}.`,
  ]);
  assert.deepEqual(messages(`{"Version": "2012-10-17", "Statement": [${ADMIN},
  {"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "kms:*", "Resource": "*"}]}`), [
    `"kms:*" gives 444455556666 more than key usage: list the key usage actions instead. From another account, it gets ${CROSS}.`,
  ]);
});

test('kms-wildcard-action: mixed principals, everyone, and roles of an account that cannot be compared', () => {
  assert.deepEqual(messages(`{"Version": "2012-10-17", "Statement": [${ADMIN},
  {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:role/Admin", "arn:aws:iam::444455556666:root", "*"]}, "Action": "kms:*", "Resource": "*"}]}`, owner), [
    `"kms:*" gives the 3 principals of this statement more than key usage: list the key usage actions instead. They are arn:aws:iam::111122223333:role/Admin, arn:aws:iam::444455556666:root, everyone (*). `
    + `arn:aws:iam::111122223333:role/Admin gets ${OWN}. arn:aws:iam::444455556666:root, from another account, gets ${CROSS}. `
    + `For everyone (*), a caller in the key's account gets ${OWN}; a caller from another account gets ${CROSS}.`,
  ]);
  // Without the workspace or a default statement, the key's account is not known.
  assert.deepEqual(messages(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:role/Etl"}, "Action": "kms:*", "Resource": "*"}]}`), [
    `"kms:*" gives arn:aws:iam::444455556666:role/Etl more than key usage: list the key usage actions instead. A caller in the key's account gets ${OWN}; a caller from another account gets ${CROSS}.`,
  ]);
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
  assert.equal(found[0].message, `"kms:*" gives arn:aws:iam::\${AWS::AccountId}:role/Admin more than key usage: list the key usage actions instead. It gets ${OWN}.`);
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

test('kms-wildcard-action: a ${AWS::AccountId} role is of the key\'s account even without a default statement', () => {
  const text = JSON.stringify({ Resources: { Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Principal: { AWS: { 'Fn::Sub': 'arn:aws:iam::${AWS::AccountId}:role/Admin' } }, Action: 'kms:*', Resource: '*' },
  ] } } } } });
  assert.deepEqual(findingsOf(text, 'kms-wildcard-action', {}, 'template.json').map((f) => f.message),
    [`"kms:*" gives arn:aws:iam::\${AWS::AccountId}:role/Admin more than key usage: list the key usage actions instead. It gets ${OWN}.`]);
});

test('kms-wildcard-action: no fix when the statement is the last to keep kms:PutKeyPolicy for the key\'s account', () => {
  // The only statement gives kms:* to the own root and to roles of the account (as in
  // aws-service-catalog-reference-architectures' LabKMSKey): the usage actions would leave
  // nobody of the account able to change the policy, and KMS would reject it (lockout-risk).
  const shared = `{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:role/App"]}, "Action": «kms-wildcard-action:"kms:*"», "Resource": "*"}]}`;
  expectFindings(shared, { only, ...owner });
  const found = findingsOf(shared.replace(/«kms-wildcard-action:|»/g, ''), 'kms-wildcard-action', owner);
  assert.equal(found.length, 1);
  assert.deepEqual(found[0].fixes ?? [], []);
  // Everyone with kms:* and nothing else (the Access Analyzer blog's public key policy).
  const everyone = `{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "*"}]}`;
  assert.deepEqual(findingsOf(everyone, 'kms-wildcard-action').map((f) => f.fixes ?? []), [[]]);
  // The statement keeps kms:PutKeyPolicy through another entry: the fix is safe.
  const listed = `{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:role/App"]}, "Action": ["kms:PutKeyPolicy", "kms:*"], "Resource": "*"}]}`;
  const fixed = applyFirstFix(listed, 'kms-wildcard-action', owner);
  assert.deepEqual(JSON.parse(fixed).Statement[0].Action, ['kms:PutKeyPolicy', 'kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey']);
  assert.equal(findingsOf(fixed, 'lockout-risk', owner).length, 0);
});

const labKey = 'kms-key-policies/from-cloudformation/aws-samples__aws-service-catalog-reference-architectures/labs_preventive-control_web-server-deployment-cfn__LabKMSKey.json';
test('kms-wildcard-action: corpus LabKMSKey keeps its finding but offers no fix that would lock the key out', needs('corpus', corpusMissing(labKey)), () => {
  const text = fs.readFileSync(corpusPath(labKey), 'utf8');
  const found = findingsOf(text, 'kms-wildcard-action');
  assert.equal(found.length, 1);
  assert.deepEqual(found[0].span, { offset: text.indexOf('"kms:*"'), length: 7 });
  assert.deepEqual(found[0].fixes ?? [], []);
  // No other finding on the file offers a fix either (one that kept kms:* away from the roles would lock the key out).
  assert.deepEqual(checkText('fixture.json', text).findings.map((f) => [f.checkId, (f.fixes ?? []).map((x) => x.id)]), [['kms-wildcard-action', []]]);
});

test('kms-wildcard-action: in a YAML template !Ref AWS::AccountId and !Sub ${AWS::AccountId} are the key\'s own account principal', () => {
  const template = (principal: string) => `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - Sid: Root
            Effect: Allow
            Principal:
              AWS: ${principal}
            Action: 'kms:*'
            Resource: '*'
          - Sid: Other
            Effect: Allow
            Principal:
              AWS: 444455556666
            Action: kms:*
            Resource: '*'
`;
  for (const own of ['!Ref AWS::AccountId', "!Sub '${AWS::AccountId}'", '[!Ref AWS::AccountId]', '{Ref: AWS::AccountId}']) {
    const result = expectFindings(template(own).replace('Action: kms:*', 'Action: «kms-wildcard-action:kms:*»'), { only, file: 'template.yaml' });
    assert.equal(result.findings[0].message, `"kms:*" gives 444455556666 more than key usage: list the key usage actions instead. From another account, it gets ${CROSS}.`, own);
  }
  // A role of the own account is still more than its usage.
  expectFindings(template("!Sub 'arn:aws:iam::${AWS::AccountId}:role/Admin'").replace("Action: 'kms:*'", "Action: «kms-wildcard-action:'kms:*'»"), { only, file: 'template.yaml' });
});
