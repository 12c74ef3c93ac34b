import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { discover } from '../../../server/src/core/sources/discover';
import { expectFindings } from '../../support/fixture';

test('bare identity policy: principal-not-allowed on the key', () => {
  expectFindings(`{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", «principal-not-allowed:"Principal"»: {"AWS": "*"}, "Action": "s3:GetObject", "Resource": "*" }]
}`, { only: ['principal-not-allowed'], binding: { kind: 'iam-identity-policy' } });
});

test('key policy statement without principal: principal-missing', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
  «principal-missing:{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}»
]}`, { only: ['principal-missing'] });
});

test('get-key-policy output: ranges map through escapes into the string', () => {
  const text = String.raw`{"Policy": "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"}, {\"Sid\": \"X\", \"Effect\": \"Allow\", \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}]\n}", "PolicyName": "default"}`;
  const d = discover('k.json', text);
  assert.equal(d.shape, 'get-key-policy');
  assert.equal(d.documents.length, 1);
  assert.equal(d.documents[0].kind, 'kms-key-policy');
  const sidNode = d.documents[0].json.root!.children![1].children![1].children![1].children![0].children![1];
  const start = d.documents[0].toFileOffset(sidNode.offset);
  const end = d.documents[0].toFileOffset(sidNode.offset + sidNode.length);
  assert.equal(text.slice(start, end), String.raw`\"X\"`);
});

test('authorization details: owners are the role ARNs, managed policies map to attaching roles', () => {
  const text = JSON.stringify({
    RoleDetailList: [{
      RoleName: 'app', Arn: 'arn:aws:iam::444455556666:role/app',
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      RolePolicyList: [{ PolicyName: 'p', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] } }],
      AttachedManagedPolicies: [{ PolicyName: 'm', PolicyArn: 'arn:aws:iam::444455556666:policy/m' }],
    }],
    Policies: [{ PolicyName: 'm', Arn: 'arn:aws:iam::444455556666:policy/m', DefaultVersionId: 'v2', PolicyVersionList: [
      { VersionId: 'v2', IsDefaultVersion: true, Document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } },
      { VersionId: 'v1', IsDefaultVersion: false, Document: { Version: '2012-10-17', Statement: [] } },
    ] }],
  }, null, 2);
  const d = discover('auth.json', text);
  assert.equal(d.shape, 'authorization-details');
  assert.deepEqual(d.documents.map((x) => [x.kind, x.owner.principals]), [
    ['iam-identity-policy', ['arn:aws:iam::444455556666:role/app']],
    ['iam-trust-policy', ['arn:aws:iam::444455556666:role/app']],
    ['iam-identity-policy', ['arn:aws:iam::444455556666:role/app']],
  ]);
});

test('CloudFormation: key policy, role policies, intrinsic values are not errors', () => {
  const text = JSON.stringify({
    Resources: {
      Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } }, Action: 'kms:*', Resource: '*' }] } } },
      Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'app', AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
        Policies: [{ PolicyName: 'x', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': ['Key', 'Arn'] } }] } }] } },
    },
  });
  const d = discover('t.json', text, { template: { account: '111122223333', region: 'eu-west-1' } });
  assert.equal(d.shape, 'cloudformation');
  assert.deepEqual(d.documents.map((x) => x.kind), ['kms-key-policy', 'iam-trust-policy', 'iam-identity-policy']);
  assert.deepEqual(d.documents[2].owner.principals, ['arn:aws:iam::111122223333:role/app']);
});

test('non-policy JSON gives no documents and no findings', () => {
  const d = discover('package.json', '{"name": "x", "version": "1.0.0", "scripts": {}}');
  assert.equal(d.shape, 'not-a-policy');
  assert.equal(d.documents.length, 0);
  expectFindings('{"name": "x", "dependencies": {');
});

test('a Statement key among unrelated keys is not a policy; a policy Version or one stray key keeps it one', () => {
  const packageLike = '{"name": "x", "version": "1.0.0", "scripts": {"build": "tsc"}, "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Principal": "*"}]}';
  const d = discover('package.json', packageLike);
  assert.equal(d.shape, 'not-a-policy');
  assert.equal(d.documents.length, 0);
  expectFindings(packageLike);
  assert.equal(discover('p.json', '{"Version": "2012-10-17", "name": "x", "scripts": {}, "Statement": []}').shape, 'policy');
  assert.equal(discover('p.json', '{"Statement": [], "Versoin": "2012-10-17", "Id": "k"}').shape, 'policy');
  assert.equal(discover('p.json', '{"Statement": []}').shape, 'policy');
  assert.equal(discover('p.json', '{"Version": "1.0.0", "name": "x", "Statement": []}').shape, 'not-a-policy');
});

test('malformed policy JSON gives json-syntax', () => {
  expectFindings('{"Statement": [{"Effect": "Allow"«json-syntax:»', { only: ['json-syntax'] });
});

test('deep nesting is refused without recursion', () => {
  const text = '{"Statement": ' + '['.repeat(10000) + ']'.repeat(10000) + '}';
  const d = discover('deep.json', text);
  assert.equal(d.json.root, undefined);
  assert.equal(d.json.problems[0].kind, 'limit');
});

test('a container policy without Statement is still a document; an unbound bare file is not', () => {
  const text = JSON.stringify({ Resources: { Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Version: '2012-10-18' } } } } });
  const d = discover('t.json', text);
  assert.equal(d.documents.length, 1);
  assert.equal(d.documents[0].kind, 'kms-key-policy');
  assert.equal(discover('v.json', '{"Version": "2012-10-17"}').documents.length, 0);
  const bound = discover('v.json', '{"Version": "2012-10-17"}', { kind: 'iam-identity-policy' });
  assert.equal(bound.documents.length, 1);
  assert.equal(bound.documents[0].kind, 'iam-identity-policy');
});
