import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/engine';
import { applyEdits, expectFindings, parseMarkers } from '../../support/fixture';

const only = ['unknown-action'];

test('unknown-action: real actions in any case are fine', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Decrypt", "rds:describeDBEngineVersions", "S3:GETOBJECT", "kms:Gen*", "*"], "Resource": "*"}]}`, { only });
});

test('unknown-action: the action name is reported, in Action and NotAction', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["kms:«unknown-action:Decrpyt»", "s3:«unknown-action:ListBuckets»", "kms:Decrypt"], "Resource": "*"},
  {"Effect": "Deny", "NotAction": ["iam:«unknown-action:CreateUsers»"], "Resource": "*"}]}`, { only });
});

test('unknown-action: an unknown service is unknown-service only', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "«unknown-service:kmz»:Decrpyt", "Resource": "*"}}`, { only: ['unknown-action', 'unknown-service'] });
});

test('unknown-action: the preferred fix replaces the name with the nearest action', () => {
  const text = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Decrpyt", "kms:GenerateDataKy"], "Resource": "*"}]}`;
  const found = checkText('p.json', text).findings.filter((x) => x.checkId === 'unknown-action');
  assert.deepEqual(found.map((f) => [f.fixes![0].isPreferred, f.fixes![0].changes[0].edits[0].newText]), [[true, 'Decrypt'], [true, 'GenerateDataKey']]);
  const out = applyEdits(text, found.flatMap((f) => f.fixes![0].changes[0].edits));
  assert.ok(out.includes('["kms:Decrypt", "kms:GenerateDataKey"]'));
  expectFindings(out, { only });
});

test('unknown-action: kms:ReEncrypt (no such action) is offered kms:ReEncrypt* first, then ReEncryptFrom and ReEncryptTo, and says why', () => {
  const marked = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Decrypt", "kms:«unknown-action:ReEncrypt»"], "Resource": "*"}]}`;
  const r = expectFindings(marked, { only });
  const [f] = r.findings;
  assert.equal(f.message, 'Unknown action "ReEncrypt": write "kms:ReEncrypt*", which allows both of its actions. IAM authorizes ReEncrypt as two actions, ReEncryptFrom (on the source) and ReEncryptTo (on the destination).');
  assert.deepEqual(f.fixes!.map((x) => [x.title, !!x.isPreferred]), [
    ['Change to "kms:ReEncrypt*" (ReEncryptFrom and ReEncryptTo)', true],
    ['Change to "kms:ReEncryptFrom"', false],
    ['Change to "kms:ReEncryptTo"', false],
  ]);
  const { text } = parseMarkers(marked);
  const out = applyEdits(text, f.fixes![0].changes[0].edits);
  assert.ok(out.includes('["kms:Decrypt", "kms:ReEncrypt*"]'));
  expectFindings(out, { only });
  // Written in another case, the wildcard keeps the catalog's spelling of the stem.
  const lower = checkText('p.json', text.replace('ReEncrypt', 'reencrypt')).findings.find((x) => x.checkId === 'unknown-action');
  assert.equal(lower?.fixes?.[0].changes[0].edits[0].newText, 'ReEncrypt*');
});

test('unknown-action: a name far from every action gets no suggestion and no fix', () => {
  const r = expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:«unknown-action:Xyzzyqqqqqq»", "Resource": "*"}]}`, { only });
  assert.equal(r.findings[0].fixes, undefined);
});

test('unknown-action: embedded get-key-policy output; the fix is applied inside the string', () => {
  const marked = String.raw`{"Policy": "{\n \"Version\": \"2012-10-17\",\n \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}, \"Action\": [\"kms:«unknown-action:Encrpyt»\"], \"Resource\": \"*\"}]\n}"}`;
  const r = expectFindings(marked, { only });
  const { text } = parseMarkers(marked);
  const out = applyEdits(text, r.findings[0].fixes![0].changes[0].edits);
  assert.deepEqual(JSON.parse(JSON.parse(out).Policy).Statement[0].Action, ['kms:Encrypt']);
  expectFindings(out, { only });
});

test('unknown-action: CloudFormation intrinsic values are skipped', () => {
  expectFindings(JSON.stringify({ Resources: { K: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } }, Action: [{ 'Fn::If': ['c', 'kms:Decrpyt', 'kms:Encrypt'] }, 'kms:DescribeKey'], Resource: '*' },
  ] } } } } }), { only });
});

test('unknown-action: no suggestion of another action that merely looks alike (corpus: s3:HeadBucket, sagemaker:UpdateApp, kms:Describe)', () => {
  // checkov's IAMAdminPolicyDocument fixture has s3:HeadBucket (HEAD needs s3:ListBucket): CreateBucket would grant bucket creation.
  const text = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:HeadBucket", "sagemaker:UpdateApp", "kms:Describe", "logs:Describelog_groups", "s3:ListBuckets"], "Resource": "*"}]}`;
  const found = checkText('p.json', text).findings.filter((x) => x.checkId === 'unknown-action');
  assert.deepEqual(found.map((f) => [f.message, (f.fixes ?? []).map((x) => x.title)]), [
    ['Unknown action "HeadBucket": correct it, or remove it. Amazon S3 has no action of that name.', []],
    ['Unknown action "UpdateApp": correct it, or remove it. Amazon SageMaker has no action of that name.', []],
    ['Unknown action "Describe": correct it, or remove it. AWS Key Management Service has no action of that name.', []],
    ['Unknown action "Describelog_groups" in logs: did you mean "DescribeLogGroups"?', ['Change to "logs:DescribeLogGroups"']],
    ['Unknown action "ListBuckets" in s3: did you mean "ListBucket"?', ['Change to "s3:ListBucket"']],
  ]);
});

test('unknown-action: when the nearest action is already in the list, the fix removes the entry instead of repeating the action', () => {
  const marked = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": ["kms:*", "kms:Decrypt", "kms:«unknown-action:Decryptt»"], "Resource": "*"}]}`;
  const r = expectFindings(marked, { only });
  const [f] = r.findings;
  assert.equal(f.message, 'Unknown action "Decryptt" in kms: remove it. Its nearest action, "Decrypt", is already in this Action list.');
  assert.deepEqual(f.fixes!.map((x) => [x.title, x.id, !!x.isPreferred]), [['Remove "kms:Decryptt"', 'remove-unknown-action', true]]);
  const out = applyEdits(parseMarkers(marked).text, f.fixes![0].changes[0].edits);
  assert.ok(out.includes('"Action": ["kms:*", "kms:Decrypt"], "Resource"'), out);
});

test('unknown-action: when a wildcard of the list already matches the nearest action, the same (NotAction too); elsewhere the rename stays', () => {
  const marked = `{"Version": "2012-10-17", "Statement": [
  {"Effect": "Deny", "NotAction": ["kms:Decryptt", "kms:Dec*"], "Resource": "*"},
  {"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decryptt"], "Resource": "*"},
  {"Effect": "Allow", "Action": "kms:Decryptt", "Resource": "*"}]}`;
  const found = checkText('p.json', marked).findings.filter((x) => x.checkId === 'unknown-action');
  assert.deepEqual(found.map((f) => [f.message, f.fixes!.map((x) => x.title)]), [
    ['Unknown action "Decryptt" in kms: remove it. Its nearest action, "Decrypt", is already covered by "kms:Dec*" in this NotAction list.', ['Remove "kms:Decryptt"']],
    ['Unknown action "Decryptt" in kms: did you mean "Decrypt"?', ['Change to "kms:Decrypt"']],
    ['Unknown action "Decryptt" in kms: did you mean "Decrypt"?', ['Change to "kms:Decrypt"']],
  ]);
  const out = applyEdits(marked, found[0].fixes![0].changes[0].edits);
  assert.ok(out.includes('"NotAction": ["kms:Dec*"]'), out);
});
