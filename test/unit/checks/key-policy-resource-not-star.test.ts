import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { expectFindings } from '../../support/fixture';
import { applyFirstFix, findingsOf } from './kmsPolicies';

const only = ['key-policy-resource-not-star'];

test('key-policy-resource-not-star: "*" and ["*"] are fine; identity policies are not checked', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": "kms:Decrypt", "Resource": ["*"]}]}`, { only });
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt",
  "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}`, { only });
});

test('key-policy-resource-not-star: a key ARN, a pattern, and array items other than "*"', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": «key-policy-resource-not-star:"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"»},
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": "kms:Decrypt", "Resource": ["*", «key-policy-resource-not-star:"arn:aws:kms:*:111122223333:key/*"»]},
  {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:GenerateDataKey*", "Resource": «key-policy-resource-not-star:"arn:aws:s3:::my-bucket"»}]}`, { only });
});

test('key-policy-resource-not-star: CloudFormation intrinsic values are unknown, not reported', () => {
  expectFindings(JSON.stringify({
    Resources: { Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } }, Action: 'kms:*', Resource: { 'Fn::GetAtt': ['Key', 'Arn'] } },
    ] } } } },
  }), { only, file: 'template.json' });
});

test('key-policy-resource-not-star: fix replaces the value with "*"', () => {
  const text = `{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": ["arn:aws:kms:us-east-1:111122223333:key/x", "*"]}]}`;
  const fixed = applyFirstFix(text, 'key-policy-resource-not-star');
  assert.equal(fixed, text.replace('["arn:aws:kms:us-east-1:111122223333:key/x", "*"]', '"*"'));
  assert.equal(findingsOf(fixed, 'key-policy-resource-not-star').length, 0);
});

test('key-policy-resource-not-star: the message tells a key ARN (AWS KMS docs, kms-vpc-endpoint) from another service\'s ARN and from a placeholder', () => {
  const text = `{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": "kms:Decrypt", "Resource": ["arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "arn:aws:kms:*:111122223333:key/*"]},
  {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:GenerateDataKey*", "Resource": "arn:aws:s3:::myBucketName"},
  {"Effect": "Allow", "Principal": {"Service": "config.amazonaws.com"}, "Action": "kms:Decrypt", "Resource": "myKMSKeyARN"},
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": "kms:Encrypt", "Resource": "arn:aws:kms:us-west-2:111122223333:alias/app"}]}`;
  assert.deepEqual(findingsOf(text, 'key-policy-resource-not-star').map((f) => f.message), [
    'Resource is not "*", which is how a key policy names its key: replace this entry with "*". "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" applies only where it matches this key\'s ARN.',
    'Resource is not "*", which is how a key policy names its key: replace this entry with "*". "arn:aws:kms:*:111122223333:key/*" applies only where it matches this key\'s ARN.',
    'Resource is not "*", which is how a key policy names its key: replace this entry with "*". "arn:aws:s3:::myBucketName" is the ARN of a resource of s3, not of a KMS key, so this entry never applies to the key.',
    'Resource is not "*", which is how a key policy names its key: replace this entry with "*". "myKMSKeyARN" is not an ARN.',
    'Resource is not "*", which is how a key policy names its key: replace this entry with "*". "arn:aws:kms:us-west-2:111122223333:alias/app" is an alias ARN, never this key\'s ARN, so this entry never applies to the key.',
  ]);
});
