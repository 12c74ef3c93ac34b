import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyEdits, expectFindings } from '../../support/fixture';

const only = ['redundant-statement'];
const identity = { only, binding: { kind: 'iam-identity-policy' as const } };
const policy = (...statements: string[]) => `{"Version": "2012-10-17", "Statement": [${statements.join(',\n')}]}`;

test('redundant-statement: statements that differ in effect, actions, resources or conditions are fine', () => {
  expectFindings(policy(
    `{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}`,
    `{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}`,
    `{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "*"}`,
    `{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}`,
    `{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}`,
    `{"Effect": "Allow", "NotAction": "s3:GetObject", "Resource": "*"}`), identity);
});

test('redundant-statement: the same statement in another order, case or Sid', () => {
  const r = expectFindings(policy(
    `{"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": ["a", "b"]}}}`,
    `{"Sid": «redundant-statement:"ReadAgain"», "Resource": ["*"], "Effect": "Allow", "Action": ["S3:ListBucket", "s3:getobject", "s3:ListBucket"], "Condition": {"StringEquals": {"aws:PrincipalTag/team": ["b", "a"]}}}`,
    `{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}`,
    `{«redundant-statement:"Effect"»: "Allow", "Action": "kms:Decrypt", "Resource": "*"}`), identity);
  assert.deepEqual(r.findings.filter((f) => f.checkId === only[0]).map((f) => f.message), [
    'This statement is redundant (it grants or denies exactly what statement "Read" does): remove it.',
    'This statement is redundant (it grants or denies exactly what statement 3 does): remove it.',
  ]);
});

test('redundant-statement: the fix removes the later statement', () => {
  const first = `{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}`;
  const marked = policy(first, `{«redundant-statement:"Effect"»: "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:root"]}, "Action": "kms:*", "Resource": "*"}`);
  const r = expectFindings(marked, { only });
  assert.equal(applyEdits(marked.replace(/«redundant-statement:|»/g, ''), r.findings.find((f) => f.checkId === only[0])!.fixes![0].changes[0].edits), policy(first));
});

test('redundant-statement: a single Statement object and CloudFormation Fn::If alternatives are not compared', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}`, identity);
  const branch = { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' };
  expectFindings(JSON.stringify({ Resources: { Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Version: '2012-10-17', Statement: [
    { 'Fn::If': ['Cond', branch, branch] },
  ] } } } } }), { only, file: 'template.json' });
});

test('redundant-statement: repeated condition keys, nested one-item lists and lower-casing that changes length', () => {
  // A repeated key counts once, with its last value (as JSON readers take it); the first
  // value's longer strings must not keep the two statements apart.
  const r = expectFindings(policy(
    `{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "a-much-longer-value-that-is-replaced", "aws:PrincipalTag/team": "a"}}}`,
    `{«redundant-statement:"Effect"»: "Allow", "Action": [["s3:GetObject"]], "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": ["a", "a"]}}}`,
    // U+0130 lower-cases to two UTF-16 units: the same action name as "i̇" written lower case.
    `{"Effect": "Deny", "Action": "s3:\u0130", "Resource": "*"}`,
    `{«redundant-statement:"Effect"»: "Deny", "Action": "s3:i\u0307", "Resource": "*"}`,
    `{"Effect": "Deny", "Action": "s3:j\u0307", "Resource": "*"}`), identity);
  assert.deepEqual(r.findings.filter((f) => f.checkId === only[0]).map((f) => f.message), [
    'This statement is redundant (it grants or denies exactly what statement 1 does): remove it.',
    'This statement is redundant (it grants or denies exactly what statement 3 does): remove it.',
  ]);
});

test('redundant-statement: a repeated key among many, and statements with an element outside the grammar', () => {
  // Nine condition keys and one of them repeated: the last value counts here too, in a block
  // long enough to be read through a map of names; the first value's longer string must not
  // keep the statements apart.
  const keys = (order: number[], last: string) => order.map((i) => `"aws:PrincipalTag/k${i}": "${i === 0 ? 'a-much-longer-value-that-is-replaced' : `v${i}`}"`).join(', ') + `, "aws:PrincipalTag/k0": "${last}"`;
  const first = `{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {${keys([0, 1, 2, 3, 4, 5, 6, 7, 8], 'x')}}}}`;
  const r = expectFindings(policy(
    first,
    `{«redundant-statement:"Effect"»: "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {${keys([8, 7, 6, 5, 4, 3, 2, 1], 'x')}}}}`,
    // The same keys, but the last k0 differs: not the same statement.
    `{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {${keys([1, 2, 3, 4, 5, 6, 7, 8, 0], 'y')}}}}`,
    // An element the grammar does not have: the statement is not compared (the schema reports it).
    `{"Effect": "Deny", "Action": "s3:PutObject", "Resource": "*"}`,
    `{"Effect": "Deny", "Action": "s3:PutObject", "Resource": "*", "Comment": "x"}`), identity);
  assert.deepEqual(r.findings.filter((f) => f.checkId === only[0]).map((f) => f.message), [
    'This statement is redundant (it grants or denies exactly what statement 1 does): remove it.',
  ]);
});
