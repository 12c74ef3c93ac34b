import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/engine';
import { applyEdits, expectFindings, parseMarkers } from '../../support/fixture';

const only = ['unknown-condition-key'];
const policy = (block: string) => `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": ${block}}}]}`;

test('unknown-condition-key: service, global, tag and placeholder keys in any case are fine', () => {
  expectFindings(policy(`{"kms:ViaService": "x", "KMS:callerAccount": "1", "aws:PrincipalOrgID": "o-1", "aws:PrincipalTag/team": "a", "aws:ResourceTag/Project": "p",
  "kms:EncryptionContext:aws:s3:arn": "x", "s3:ExistingObjectTag/owner": "me", "secretsmanager:ResourceTag/env": "prod", "ec2:ResourceTag/Name": "n"}`), { only });
});

test('unknown-condition-key: keys filed under another service and web-identity keys are fine', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
  "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "saml:aud": "x",
  "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub": "system:serviceaccount:ns:sa", "cognito-identity.amazonaws.com:amr": "authenticated"}}}]}`, { only });
});

test('unknown-condition-key: unknown service keys, non-global aws: keys, unknown prefixes, keys without a prefix', () => {
  expectFindings(policy(`{«unknown-condition-key:"kms:ViaServices"»: "x", «unknown-condition-key:"aws:PrincipleTag/team"»: "a", «unknown-condition-key:"aws:SourceAcount"»: "1",
  «unknown-condition-key:"nosuchservice:Key"»: "x", «unknown-condition-key:"SourceAccount"»: "1"}`), { only });
});

test('unknown-condition-key: a single Statement object, NotAction statements', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "NotAction": "iam:*", "Resource": "*", "Condition": {"Bool": {«unknown-condition-key:"aws:MultiFactorAuthPresnt"»: "false"}}}}`, { only });
});

test('unknown-condition-key: the preferred fix writes the nearest key, keeping the tag name', () => {
  const cases: [string, string][] = [
    ['kms:ViaServices', 'kms:ViaService'],
    ['aws:PrincipleTag/team', 'aws:PrincipalTag/team'],
    ['aws:SourceAcount', 'aws:SourceAccount'],
    ['kms:EncryptionContxt:project', 'kms:EncryptionContext:project'],
    ['SourceAccount', 'aws:SourceAccount'],
  ];
  for (const [written, expected] of cases) {
    const text = policy(`{"${written}": "x"}`);
    const f = checkText('p.json', text).findings.find((x) => x.checkId === 'unknown-condition-key');
    assert.ok(f, written);
    assert.equal(f.fixes?.[0].isPreferred, true, written);
    const out = applyEdits(text, f.fixes![0].changes[0].edits);
    assert.equal(out, policy(`{"${expected}": "x"}`), written);
    expectFindings(out, { only });
  }
});

test('unknown-condition-key: embedded get-key-policy output', () => {
  const marked = String.raw`{"Policy": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"*\"}, \"Action\": \"kms:Decrypt\", \"Resource\": \"*\", \"Condition\": {\"StringEquals\": {«unknown-condition-key:\"kms:CallerAcount\"»: \"111122223333\"}}}]}"}`;
  const r = expectFindings(marked, { only });
  const out = applyEdits(parseMarkers(marked).text, r.findings[0].fixes![0].changes[0].edits);
  assert.deepEqual(JSON.parse(JSON.parse(out).Policy).Statement[0].Condition.StringEquals, { 'kms:CallerAccount': '111122223333' });
});

test('unknown-condition-key: CloudFormation intrinsic blocks are skipped', () => {
  expectFindings(JSON.stringify({ Resources: { K: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'kms:*', Resource: '*',
      Condition: { StringEquals: { 'Fn::If': ['c', { 'kms:CallerAccount': '1' }, { Ref: 'AWS::NoValue' }] }, Bool: { 'kms:GrantIsForAWSResource': { Ref: 'Flag' } } } },
  ] } } } } }), { only });
});

// Issue 18, defect 8: a key whose tag or context part is empty matched its catalog pattern and went unflagged.
test('unknown-condition-key: a key with an empty tag or encryption context part is incomplete', () => {
  const r = expectFindings(policy(`{«unknown-condition-key:"kms:EncryptionContext:"»: "x", «unknown-condition-key:"aws:RequestTag/"»: "a",
  "kms:EncryptionContext:purpose": "x", "aws:RequestTag/team": "a"}`), { only });
  const mine = r.findings.filter((f) => f.checkId === 'unknown-condition-key');
  assert.deepEqual(mine.map((f) => f.message), [
    'Incomplete condition key "kms:EncryptionContext:": the encryption context key after the colon is missing (write "kms:EncryptionContext:name").',
    'Incomplete condition key "aws:RequestTag/": the tag key after the slash is missing (write "aws:RequestTag/name").',
  ]);
  assert.deepEqual(mine.map((f) => f.fixes ?? []), [[], []]);
});

test('unknown-condition-key: no suggestion that drops whole words of the key (AWSSSOServiceRolePolicy\'s aws:PrincipalOrgMasterAccountId)', () => {
  // Writing aws:PrincipalAccount there would turn StringNotEquals {key: "${aws:PrincipalAccount}"} into a test that is never true.
  const text = policy(`{"aws:PrincipalOrgMasterAccountId": "\${aws:PrincipalAccount}", "aws:SourceAcount": "111122223333"}`);
  const found = checkText('p.json', text).findings.filter((x) => x.checkId === 'unknown-condition-key');
  assert.deepEqual(found.map((f) => [f.message, (f.fixes ?? []).map((x) => x.title)]), [
    ['Unknown condition key "aws:PrincipalOrgMasterAccountId": not a global condition key.', []],
    ['Unknown condition key "aws:SourceAcount": not a global condition key. Did you mean "aws:SourceAccount"?', ['Change to "aws:SourceAccount"']],
  ]);
});
