import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/engine';
import { applyEdits, expectFindings } from '../../support/fixture';

const only = ['unknown-service', 'unknown-action'];

test('unknown-service: known prefixes in any case, wildcards and "*" are fine', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["KMS:Decrypt", "s3:get*", "*", "ec2:*"], "Resource": "*"},
  {"Effect": "Deny", "NotAction": ["iam:*", "sts:AssumeRole"], "Resource": "*"}]}`, { only });
});

test('unknown-service: the prefix is reported (Action and NotAction), not also unknown-action', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["«unknown-service:kmz»:Decrypt", "«unknown-service:nosuchservice»:Get*"], "Resource": "*"},
  {"Effect": "Deny", "NotAction": "«unknown-service:iamm»:CreateUser", "Resource": "*"}]}`, { only });
});

test('unknown-service: a single Statement object', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "«unknown-service:s4»:GetObject", "Resource": "*"}}`, { only });
});

test('unknown-service: the fix replaces the prefix with the nearest service', () => {
  const text = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kmz:Decrypt", "Resource": "*"}]}`;
  const f = checkText('p.json', text).findings.find((x) => x.checkId === 'unknown-service')!;
  const out = applyEdits(text, f.fixes![0].changes[0].edits);
  assert.ok(out.includes('"kms:Decrypt"'));
  expectFindings(out, { only });
});

test('unknown-service: embedded get-key-policy output and escaped characters', () => {
  expectFindings(String.raw`{"Policy": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"111122223333\"}, \"Action\": \"«unknown-service:kmz»:Decrypt\", \"Resource\": \"*\"}]}"}`, { only });
  // \u006b is "k": the range covers the escape as written.
  expectFindings(String.raw`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "«unknown-service:\u006bmz»:Decrypt", "Resource": "*"}]}`, { only });
});

test('unknown-service: CloudFormation intrinsic values are skipped', () => {
  expectFindings(JSON.stringify({ Resources: { P: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Action: [{ 'Fn::Sub': '${Svc}:GetObject' }, { Ref: 'Action' }], Resource: '*' },
  ] } } } } }), { only });
});

test('unknown-service: a wildcard in the service prefix is a suggestion (info); "*" and "*:*" are not', () => {
  const result = expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["«unknown-service:s*»:GetObject", "«unknown-service:ec?»:Describe*", "*:*", "kms:*"], "Resource": "*"},
  {"Effect": "Allow", "Action": "*", "Resource": "*"}]}`, { only });
  assert.deepEqual(result.findings.filter((f) => f.checkId === 'unknown-service').map((f) => [f.severity, f.message]), [
    ['info', 'The service prefix "s*" has a wildcard: it may match other services with similar names, now or when AWS adds them. Name the service.'],
    ['info', 'The service prefix "ec?" has a wildcard: it may match other services with similar names, now or when AWS adds them. Name the service.'],
  ]);
  // A wildcard prefix that matches no service is action-wildcard-matches-nothing's error alone.
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "zz*:Get*", "Resource": "*"}]}`, { only });
});

test('unknown-service: no "did you mean" to a service that lacks the action (elastic-inference is not elemental-inference)', () => {
  // From cloudsplaining's authorization-details example: Amazon Elastic Inference's actions.
  const text = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["elastic-inference:DescribeAccelerators", "elastic-inference:Describe*", "elastic-inference:*", "elastic-inference:ListTagsForResource"], "Resource": "*"}]}`;
  const found = checkText('p.json', text).findings.filter((x) => x.checkId === 'unknown-service');
  assert.deepEqual(found.map((f) => [f.message, f.fixes ?? []]), [
    ['Unknown service prefix "elastic-inference": correct it, or remove "elastic-inference:DescribeAccelerators". No service in the AWS catalog uses it (a typo, or a retired service), so it matches no action.', []],
    ['Unknown service prefix "elastic-inference": correct it, or remove "elastic-inference:Describe*". No service in the AWS catalog uses it (a typo, or a retired service), so it matches no action.', []],
    ['Unknown service prefix "elastic-inference": correct it, or remove "elastic-inference:*". No service in the AWS catalog uses it (a typo, or a retired service), so it matches no action.', []],
    // An action name many services share does not make the prefixes the same service.
    ['Unknown service prefix "elastic-inference": correct it, or remove "elastic-inference:ListTagsForResource". No service in the AWS catalog uses it (a typo, or a retired service), so it matches no action.', []],
  ]);
  // A typo whose action exists in the near service keeps its fix.
  const typo = checkText('p.json', `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "elemental-inferenc:*", "Resource": "*"}]}`).findings;
  assert.equal(typo.find((x) => x.checkId === 'unknown-service')?.fixes?.[0].title, 'Change to "elemental-inference"');
});

test('unknown-service: a near service is offered up to a typo of the prefix written (a quarter of its length), not past it', () => {
  const fixOf = (prefix: string) => checkText('p.json', `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "${prefix}:GetMetricData", "Resource": "*"}]}`)
    .findings.find((x) => x.checkId === 'unknown-service')?.fixes?.[0]?.title ?? 'none';
  // 13 and 14 characters: three edits are a typo, four are not; 10 and 11 characters: two.
  assert.deepEqual(['cloudwatchxyz', 'cloudwatchxyzw', 'clodwatchx', 'clodwatchxy'].map(fixOf), ['Change to "cloudwatch"', 'none', 'Change to "cloudwatch"', 'none']);
});
