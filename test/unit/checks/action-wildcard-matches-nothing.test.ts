import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/engine';
import { applyEdits, expectFindings, parseMarkers } from '../../support/fixture';

const only = ['action-wildcard-matches-nothing', 'unknown-action', 'unknown-service'];

test('action-wildcard-matches-nothing: wildcards that match are fine, in any case', () => {
  // The wildcard service prefix is unknown-service's suggestion only.
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Gen*", "kms:*", "KMS:re?ncrypt*", "s3:*Object", "«unknown-service:*»:Get*", "kms:Decrypt*"], "Resource": "*"}]}`, { only });
});

test('action-wildcard-matches-nothing: the pattern part is reported, in Action and NotAction', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["kms:«action-wildcard-matches-nothing:Decrpyt*»", "s3:«action-wildcard-matches-nothing:*Objectz»"], "Resource": "*"},
  {"Effect": "Deny", "NotAction": "iam:«action-wildcard-matches-nothing:Crate?User»", "Resource": "*"}]}`, { only });
});

test('action-wildcard-matches-nothing: a wildcard service prefix that matches nothing covers the whole action', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "«action-wildcard-matches-nothing:zz*:Get*»", "Resource": "*"}}`, { only });
});

test('action-wildcard-matches-nothing: an unknown service is unknown-service only', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "«unknown-service:kmz»:Dec*", "Resource": "*"}}`, { only });
});

test('action-wildcard-matches-nothing: the fix respells the literal start of the pattern', () => {
  const text = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrpyt*", "Resource": "*"}]}`;
  const f = checkText('p.json', text).findings.find((x) => x.checkId === 'action-wildcard-matches-nothing')!;
  const out = applyEdits(text, f.fixes![0].changes[0].edits);
  assert.ok(out.includes('"kms:Decrypt*"'));
  expectFindings(out, { only });
});

test('action-wildcard-matches-nothing: embedded get-key-policy output', () => {
  const marked = String.raw`{"Policy": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"111122223333\"}, \"Action\": \"kms:«action-wildcard-matches-nothing:Decrpyt*»\", \"Resource\": \"*\"}]}"}`;
  const r = expectFindings(marked, { only });
  const out = applyEdits(parseMarkers(marked).text, r.findings[0].fixes![0].changes[0].edits);
  assert.equal(JSON.parse(JSON.parse(out).Policy).Statement[0].Action, 'kms:Decrypt*');
});

test('action-wildcard-matches-nothing: CloudFormation intrinsic values are skipped', () => {
  expectFindings(JSON.stringify({ Resources: { P: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', Roles: ['r'], PolicyDocument: { Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Action: { 'Fn::Split': [',', 'kms:Zzz*,kms:Yyy*'] }, Resource: '*' },
  ] } } } } }), { only });
});
