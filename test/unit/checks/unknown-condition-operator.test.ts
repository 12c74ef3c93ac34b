import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/engine';
import { applyEdits, expectFindings, parseMarkers } from '../../support/fixture';

const only = ['unknown-condition-operator'];
const policy = (condition: string) => `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": ${condition}}]}`;

test('unknown-condition-operator: every operator, with IfExists and set qualifiers, is fine', () => {
  expectFindings(policy(`{"StringEquals": {"aws:PrincipalAccount": "1"}, "StringNotLikeIfExists": {"aws:PrincipalArn": "x"}, "ForAllValues:StringEquals": {"aws:TagKeys": ["a"]},
  "ForAnyValue:StringLikeIfExists": {"aws:TagKeys": "a*"}, "Null": {"aws:TokenIssueTime": "true"}, "ArnLike": {"aws:SourceArn": "arn:aws:s3:::b"}, "DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"},
  "NumericLessThanEquals": {"aws:MultiFactorAuthAge": 3600}, "Bool": {"aws:SecureTransport": "true"}, "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}, "BinaryEquals": {"s3:x": "QmluYXJ5"}}`), { only });
});

test('unknown-condition-operator: unknown, wrong case, bad qualifier, Null with IfExists', () => {
  expectFindings(policy(`{«unknown-condition-operator:"StringEqualz"»: {"aws:PrincipalAccount": "1"}, «unknown-condition-operator:"stringequals"»: {"aws:PrincipalAccount": "1"},
  «unknown-condition-operator:"ForAllValue:StringLike"»: {"aws:TagKeys": "a"}, «unknown-condition-operator:"NullIfExists"»: {"aws:TokenIssueTime": "true"},
  «unknown-condition-operator:"toString"»: {}, «unknown-condition-operator:"StringEqualsIfexists"»: {"aws:PrincipalAccount": "1"}}`), { only });
});

test('unknown-condition-operator: a single Statement object', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {«unknown-condition-operator:"Boolean"»: {"aws:SecureTransport": "true"}}}}`, { only });
});

test('unknown-condition-operator: the preferred fix writes the nearest valid operator', () => {
  const cases: [string, string][] = [
    ['StringEqualz', 'StringEquals'],
    ['stringequals', 'StringEquals'],
    ['ForAllValue:StringLike', 'ForAllValues:StringLike'],
    ['NullIfExists', 'Null'],
    ['ForAnyValue:NullIfExists', 'Null'],
    ['StringEqualsIfexists', 'StringEqualsIfExists'],
    ['ArnLikeIfExits', 'ArnLikeIfExists'],
  ];
  for (const [written, expected] of cases) {
    const text = policy(`{"${written}": {"aws:PrincipalAccount": "1"}}`);
    const f = checkText('p.json', text).findings.find((x) => x.checkId === 'unknown-condition-operator');
    assert.ok(f, written);
    assert.equal(f.fixes?.[0].isPreferred, true, written);
    const out = applyEdits(text, f.fixes![0].changes[0].edits);
    assert.equal(out, policy(`{"${expected}": {"aws:PrincipalAccount": "1"}}`), written);
    expectFindings(out, { only });
  }
});

test('unknown-condition-operator: Null with ForAllValues or ForAnyValue (NULL_WITH_QUALIFIER) is a suggestion, fixed to plain Null', () => {
  const r = expectFindings(policy(`{«unknown-condition-operator:"ForAllValues:Null"»: {"aws:TagKeys": "true"}, «unknown-condition-operator:"ForAnyValue:Null"»: {"aws:RequestTag/team": "false"}, "Null": {"aws:ResourceTag/team": "false"}}`), { only });
  assert.deepEqual(r.findings.map((f) => f.severity), ['info', 'info']);
  assert.equal(r.findings[0].message, 'Null asks whether a key is in the request at all; ForAllValues iterates over the key\'s values, so with Null the result is fixed rather than asked (ForAllValues:Null is always true, ForAnyValue:Null always false). Write "Null".');
  const text = policy(`{"ForAnyValue:Null": {"aws:TagKeys": "true"}}`);
  const f = checkText('p.json', text).findings.find((x) => x.checkId === 'unknown-condition-operator')!;
  assert.equal(applyEdits(text, f.fixes![0].changes[0].edits), policy(`{"Null": {"aws:TagKeys": "true"}}`));
});

test('unknown-condition-operator: embedded get-key-policy output', () => {
  const marked = String.raw`{"Policy": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"*\"}, \"Action\": \"kms:Decrypt\", \"Resource\": \"*\", \"Condition\": {«unknown-condition-operator:\"StringEqual\"»: {\"kms:CallerAccount\": \"111122223333\"}}}]}"}`;
  const r = expectFindings(marked, { only });
  const out = applyEdits(parseMarkers(marked).text, r.findings[0].fixes![0].changes[0].edits);
  assert.deepEqual(Object.keys(JSON.parse(JSON.parse(out).Policy).Statement[0].Condition), ['StringEquals']);
  expectFindings(out, { only });
});

test('unknown-condition-operator: CloudFormation intrinsic Condition blocks are skipped', () => {
  expectFindings(JSON.stringify({ Resources: { K: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'kms:*', Resource: '*', Condition: { 'Fn::If': ['c', { StringEquals: { 'kms:CallerAccount': '1' } }, { Ref: 'AWS::NoValue' }] } },
  ] } } } } }), { only });
});

test('unknown-condition-operator: no fix renames a block to the name another block of the Condition has', () => {
  const f = checkText('p.json', policy('{"StringEquals": {"aws:PrincipalTag/team": "a"}, "StringEqual": {"aws:PrincipalTag/dept": "b"}}')).findings.filter((x) => x.checkId === only[0]);
  assert.equal(f.length, 1);
  assert.match(f[0].message, /did you mean "StringEquals"\?/);
  assert.equal(f[0].fixes, undefined);
  const n = checkText('p.json', policy('{"Null": {"aws:PrincipalTag/team": "true"}, "ForAllValues:Null": {"aws:TagKeys": "false"}}')).findings.filter((x) => x.checkId === only[0]);
  assert.equal(n.length, 1);
  assert.equal(n[0].fixes, undefined);
});
