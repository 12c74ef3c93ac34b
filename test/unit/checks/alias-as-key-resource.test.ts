import { test } from 'node:test';
import { expectFindings } from '../../support/fixture';

const only = ['alias-as-key-resource'];

test('alias-as-key-resource: key ARNs, key ARN patterns and "*" are fine', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": ["arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "arn:aws:kms:*:111122223333:key/*", "*"]},
  {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/*",
   "Condition": {"StringEquals": {"kms:RequestAlias": "alias/app"}}}]}`, { only });
});

test('alias-as-key-resource: alias actions take alias ARNs', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"], "Resource": ["arn:aws:kms:us-east-1:111122223333:alias/app", "arn:aws:kms:us-east-1:111122223333:key/*"]},
  {"Effect": "Allow", "Action": "kms:*", "Resource": "arn:aws:kms:*:111122223333:alias/app-*"}]}`, { only });
});

test('alias-as-key-resource: alias ARN, alias name and key id for key actions', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": «alias-as-key-resource:"arn:aws:kms:us-east-1:111122223333:alias/app"»},
  {"Effect": "Allow", "Action": ["kms:CreateAlias", "kms:Encrypt"], "Resource": [«alias-as-key-resource:"arn:aws:kms:us-east-1:111122223333:alias/app"», "arn:aws:kms:us-east-1:111122223333:key/*"]},
  {"Effect": "Deny", "Action": "kms:ScheduleKeyDeletion", "Resource": «alias-as-key-resource:"alias/app"»},
  {"Effect": "Allow", "Action": "kms:*", "Resource": [«alias-as-key-resource:"1234abcd-12ab-34cd-56ef-1234567890ab"», «alias-as-key-resource:"mrk-1234abcd12ab34cd56ef1234567890ab"»]}]}`, { only });
});

test('alias-as-key-resource: non-KMS actions and key policies are not checked', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:kms:us-east-1:111122223333:alias/app"}]}`, { only });
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:alias/app"}]}`, { only });
});

test('alias-as-key-resource: CloudFormation Fn::Sub alias ARN in a role policy', () => {
  const text = `{"Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {
  "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
  "Policies": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt",
    "Resource": «alias-as-key-resource:{"Fn::Sub": "arn:\${AWS::Partition}:kms:\${AWS::Region}:\${AWS::AccountId}:alias/app"}»}]}}]}}}}`;
  expectFindings(text, { only, file: 'template.json' });
});
