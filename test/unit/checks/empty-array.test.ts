import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyEdits, expectFindings } from '../../support/fixture';

const only = ['empty-array'];

test('empty-array: non-empty lists are fine', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["*"],
  "Condition": {"StringEquals": {"aws:PrincipalTag/team": ["a"]}}}]}`, { only });
});

test('empty-array: Action, Resource, NotAction, NotResource', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": «empty-array:[]», "Resource": «empty-array:[ ]»},
  {"Effect": "Deny", "NotAction": «empty-array:[]», "NotResource": «empty-array:[]»}]}`, { only });
});

test('empty-array: a suggestion (info), as Access Analyzer\'s EMPTY_ARRAY_* and EMPTY_OBJECT_* types', () => {
  const r = expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": «empty-array:[]», "Resource": "*"}]}`, { only });
  assert.equal(r.findings[0].severity, 'info');
});

test('empty-array: the Statement list itself', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": «empty-array:[]»}`, { only });
});

test('empty-array: Principal lists in a key policy', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": «empty-array:[]», "Service": "logs.amazonaws.com"}, "Action": "kms:*", "Resource": "*"}]}`, { only });
});

test('empty-array: condition values, with IfExists and ForAllValues', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {
  "StringEqualsIfExists": {"aws:PrincipalTag/team": «empty-array:[]»},
  "ForAllValues:StringEquals": {"aws:TagKeys": «empty-array:[]»},
  "StringEquals": {"aws:PrincipalTag/dept": «empty-array:[]»}}}]}`, { only });
});

test('empty-array: an empty Principal or NotPrincipal object names no principal', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": «empty-array:{}», "Action": "kms:*", "Resource": "*"},
  {"Effect": "Deny", "NotPrincipal": «empty-array:{ }», "Action": "kms:Decrypt", "Resource": "*"}]}`, { only });
});

test('empty-array: Principal objects with entries and intrinsic principals are fine', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
  {"Effect": "Allow", "Principal": {"Ref": "Principal"}, "Action": "kms:Decrypt", "Resource": "*"},
  {"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333"}}}]}`, { only });
});

test('empty-array: an empty Principal object inside a CloudFormation key policy', () => {
  expectFindings(`{"Resources": {"Key": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": «empty-array:{}», "Action": "kms:*", "Resource": "*"}]}}}}}`, { only });
});

test('empty-array: an empty Condition or operator block is a suggestion (info) with a fix that removes it', () => {
  const text = `{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": «empty-array:{}»},
  {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*", "Condition": {"StringEquals": «empty-array:{ }», "Bool": {"aws:SecureTransport": "true"}}}]}`;
  const result = expectFindings(text, { only });
  assert.deepEqual(result.findings.map((f) => [f.severity, f.message]), [
    ['info', 'The Condition block is empty: it does not affect the statement, which applies unconditionally.'],
    ['info', 'The StringEquals block is empty: it compares nothing and does not affect the statement.'],
  ]);
  const plain = text.replace(/«empty-array:|»/g, '');
  const edits = (i: number) => result.findings[i].fixes![0].changes[0].edits;
  assert.equal(applyEdits(plain, edits(0)).split('\n')[1], '  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},');
  assert.equal(applyEdits(plain, edits(1)).split('\n')[2], '  {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}');
});
