import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { expectFindings } from '../../support/fixture';
import { applyFirstFix, findingsOf } from './kmsPolicies';
import { yamlKeyTemplate } from '../../support/cfnYaml';

const only = ['service-principal-without-source'];
const ROOT = `{"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}`;
const policy = (...statements: string[]) => `{"Version": "2012-10-17", "Statement": [${[ROOT, ...statements].join(',\n')}]}`;

test('service-principal-without-source: source conditions, Deny and IAM principals are not reported', () => {
  expectFindings(policy(
    `{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}`,
    `{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:GenerateDataKey*", "Resource": "*", "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:cloudtrail:*:111122223333:trail/*"}}}`,
    `{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceOrgID": "o-a1b2c3d4e5"}}}`,
    `{"Effect": "Deny", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "kms:Decrypt", "Resource": "*"}`,
    `{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": "kms:Decrypt", "Resource": "*"}`));
});

test('service-principal-without-source: no condition or negated ones only (warning), other conditions only (info)', () => {
  const result = expectFindings(policy(
    `{"Effect": "Allow", "Principal": {"Service": [«service-principal-without-source:"sns.amazonaws.com"», «service-principal-without-source:"sqs.amazonaws.com"»]}, "Action": "kms:Decrypt", "Resource": "*"}`,
    `{"Effect": "Allow", "Principal": {"Service": «service-principal-without-source:"logs.us-east-1.amazonaws.com"»}, "Action": "kms:Encrypt", "Resource": "*", "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:111122223333:*"}}}`,
    `{"Effect": "Allow", "Principal": {"Service": «service-principal-without-source:"s3.amazonaws.com"»}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringNotEquals": {"aws:SourceAccount": "444455556666"}}}`), { only });
  const found = result.findings.map((f) => [f.severity, f.message]);
  assert.deepEqual(found[0], ['warning', 'sns.amazonaws.com may use this key for any account\'s resources: limit it with aws:SourceAccount or aws:SourceArn. Without them the service acts for any account that asks it to (confused deputy).']);
  assert.deepEqual(found[2], ['info', 'logs.us-east-1.amazonaws.com is not tied to a source: add aws:SourceAccount or aws:SourceArn. Its condition (kms:EncryptionContext:aws:logs:arn) is not the recommended way to tie it to the resources it acts for (confused deputy).']);
  assert.equal(found[3][0], 'warning');
});

test('service-principal-without-source: the fix adds aws:SourceAccount with the key\'s account, merged into Condition and StringEquals', () => {
  const bare = `{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "kms:Decrypt", "Resource": "*"}`;
  assert.equal(applyFirstFix(policy(bare), only[0]),
    policy(`{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": { "StringEquals": { "aws:SourceAccount": "111122223333" } }}`));
  const withEquals = `{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:EncryptionContext:app": "x"}}}`;
  assert.equal(applyFirstFix(policy(withEquals), only[0]),
    policy(`{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:EncryptionContext:app": "x", "aws:SourceAccount": "111122223333"}}}`));
  const withBool = `{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}`;
  assert.equal(applyFirstFix(policy(withBool), only[0]),
    policy(`{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}, "StringEquals": { "aws:SourceAccount": "111122223333" }}}`));
  // The owner's account wins over the policy's root statement.
  assert.match(applyFirstFix(policy(bare), only[0], { binding: { owner: { account: '444455556666' } } }), /"aws:SourceAccount": "444455556666"/);
});

test('service-principal-without-source: no fix without a known account; CloudFormation uses the template\'s account', () => {
  const alone = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "kms:Decrypt", "Resource": "*"}]}`;
  const found = findingsOf(alone, only[0]);
  assert.equal(found.length, 1);
  assert.equal(found[0].fixes?.length ?? 0, 0);
  const template = JSON.stringify({ Resources: { Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'kms:Decrypt', Resource: '*' },
  ] } } } } });
  const fixed = JSON.parse(applyFirstFix(template, only[0], {}, 'template.json'));
  assert.deepEqual(fixed.Resources.Key.Properties.KeyPolicy.Statement[0].Condition, { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } });
});

test('service-principal-without-source: identity and trust policies are not key policies', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}`, { only });
});

test('service-principal-without-source: a source key whose value is a wildcard alone ties the service to nothing', () => {
  const result = expectFindings(policy(
    `{"Effect": "Allow", "Principal": {"Service": «service-principal-without-source:"sns.amazonaws.com"»}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringLike": {"aws:SourceAccount": "*"}}}`,
    `{"Effect": "Allow", "Principal": {"Service": "sqs.amazonaws.com"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringLike": {"aws:SourceAccount": ["*", "111122223333"]}}}`), { only });
  assert.equal(result.findings.find((f) => f.checkId === only[0])!.severity, 'info');
});

test('service-principal-without-source: a service principal written with !Sub is one, with or without the Region known; the fix names the template\'s account', () => {
  const template = (condition: string) => yamlKeyTemplate(`- Sid: Logs
  Effect: Allow
  Principal:
    Service: !Sub 'logs.\${AWS::Region}.amazonaws.com'
  Action: ['kms:Encrypt*', 'kms:Decrypt']
  Resource: '*'
  Condition:
    ArnLike:
      kms:EncryptionContext:aws:logs:arn: !Sub 'arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:*'${condition}`);
  const text = template('');
  const result = expectFindings(text.replace("!Sub 'logs.${AWS::Region}.amazonaws.com'", "«service-principal-without-source:!Sub 'logs.${AWS::Region}.amazonaws.com'»"), { only, file: 'template.yaml' });
  const [f] = result.findings;
  assert.deepEqual([f.severity, f.message], ['info', 'logs.${AWS::Region}.amazonaws.com is not tied to a source: add aws:SourceAccount or aws:SourceArn. Its condition (kms:EncryptionContext:aws:logs:arn) is not the recommended way to tie it to the resources it acts for (confused deputy).']);
  assert.deepEqual(f.fixes!.map((x) => x.title), ['Allow the service only for resources of the template\'s account (aws:SourceAccount)']);
  const fixed = applyFirstFix(text, only[0], {}, 'template.yaml');
  assert.equal(fixed, template('\n    StringEquals:\n      aws:SourceAccount:\n        Ref: AWS::AccountId'));
  expectFindings(fixed, { only, file: 'template.yaml' });
  // A literal account in the fix's title: "of account …".
  const bare = `{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "kms:Decrypt", "Resource": "*"}`;
  assert.deepEqual(findingsOf(policy(bare), only[0])[0].fixes!.map((x) => x.title), ['Allow the service only for resources of account 111122223333 (aws:SourceAccount)']);
});
