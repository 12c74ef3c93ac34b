import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resourceTypeMismatch } from '../../../server/src/core/checks/resourceTypeMismatch';
import { checkText } from '../../../server/src/core/engine';
import { corpusMissing, corpusPath } from '../../support/corpus';
import { expectFindings } from '../../support/fixture';
import { needs } from '../../support/needs';

const only = ['resource-type-mismatch'];
const policy = (statement: string, version = '"Version": "2012-10-17", ') => `{${version}"Statement": [${statement}]}`;
const allow = (action: string, resource: string) => policy(`{"Effect": "Allow", "Action": ${action}, "Resource": ${resource}}`);

test('resource-type-mismatch: resources that fit an action', () => {
  expectFindings(allow(`"kms:Decrypt"`, `["*", "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "arn:aws:kms:*:111122223333:key/*"]`), { only });
  expectFindings(allow(`["s3:GetObject", "s3:ListBucket"]`, `["arn:aws:s3:::bucket", "arn:aws:s3:::bucket/*"]`), { only });
  expectFindings(allow(`["kms:Decrypt", "s3:GetObject"]`, `["arn:aws:s3:::bucket/*"]`), { only });
  expectFindings(allow(`"iam:PassRole"`, `"arn:aws:iam::111122223333:role/app-*"`), { only });
});

test('resource-type-mismatch: a resource no action acts on', () => {
  expectFindings(allow(`["kms:Decrypt", "kms:Encrypt"]`, `["arn:aws:kms:us-east-1:111122223333:key/k", «resource-type-mismatch:"arn:aws:s3:::bucket"»]`), { only });
  expectFindings(allow(`"s3:GetObject"`, `[«resource-type-mismatch:"arn:aws:s3:::bucket"», "arn:aws:s3:::bucket/*"]`), { only });
});

test('resource-type-mismatch: the message lists what every entry\'s actions take, each format once, for each resource that fits none', () => {
  const text = allow(`["s3:GetObject", "s3:CreateBucket", "s3:GetObject"]`, `["arn:aws:s3:us-east-1:111122223333:job/abc", "arn:aws:s3:us-east-1:111122223333:job/def"]`);
  const message = 'No action of this statement acts on this resource: name a resource they take, or remove it. The entry grants nothing for s3:GetObject, s3:CreateBucket. They take: '
    + 'accesspointobject (arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}/object/${ObjectName}), object (arn:${Partition}:s3:::${BucketName}/${ObjectName}), bucket (arn:${Partition}:s3:::${BucketName}).';
  const found = checkText('/p.json', text, { checks: [resourceTypeMismatch] }).findings;
  assert.deepEqual(found.map((f) => [text.slice(f.span.offset, f.span.offset + f.span.length), f.message]), [
    ['"arn:aws:s3:us-east-1:111122223333:job/abc"', message],
    ['"arn:aws:s3:us-east-1:111122223333:job/def"', message],
  ]);
});

test('resource-type-mismatch: wildcards in the middle of action names expand', () => {
  expectFindings(allow(`"kms:Generate*Pair*"`, `«resource-type-mismatch:"arn:aws:dynamodb:us-east-1:111122223333:table/t"»`), { only });
  expectFindings(allow(`"s3:Get*Acl"`, `"arn:aws:s3:::bucket"`), { only });
  expectFindings(allow(`"kms:Re*crypt*"`, `"arn:aws:kms:us-east-1:111122223333:key/*"`), { only });
});

test('resource-type-mismatch: policy variables in resources', () => {
  expectFindings(allow(`"s3:GetObject"`, `"arn:aws:s3:::bucket/home/\${aws:username}/*"`), { only });
  expectFindings(allow(`"kms:Decrypt"`, `«resource-type-mismatch:"arn:aws:sqs:us-east-1:\${aws:PrincipalAccount}:queue"»`), { only });
  // The variable may stand for "bucket/key", so this can name an object.
  expectFindings(allow(`"s3:GetObject"`, `"arn:aws:s3:::\${aws:username}"`), { only });
});

test('resource-type-mismatch: skipped for NotAction, NotResource, unknown actions, service wildcards', () => {
  expectFindings(policy(`{"Effect": "Deny", "NotAction": "kms:Decrypt", "Resource": "arn:aws:s3:::bucket"}`), { only });
  expectFindings(policy(`{"Effect": "Deny", "Action": "kms:Decrypt", "NotResource": "arn:aws:s3:::bucket"}`), { only });
  expectFindings(allow(`["kms:Decrypt", "kms:NoSuchAction"]`, `"arn:aws:s3:::bucket"`), { only });
  expectFindings(allow(`["*"]`, `"arn:aws:s3:::bucket"`), { only });
  expectFindings(allow(`["kms:Decrypt", {"Ref": "Action"}]`, `"arn:aws:s3:::bucket"`), { only });
});

test('resource-type-mismatch: another service\'s ARN is judged only for KMS actions', () => {
  expectFindings(allow(`["kms:Decrypt", "kms:GenerateDataKey"]`, `«resource-type-mismatch:"arn:aws:s3:::bucket/*"»`), { only });
  expectFindings(allow(`"ssm:StartSession"`, `"arn:aws:eks:*:*:cluster/*"`), { only });
  expectFindings(allow(`["s3:GetObject", "kms:Decrypt"]`, `"arn:aws:dynamodb:us-east-1:111122223333:table/t"`), { only });
});

test('resource-type-mismatch: IAM wildcards span colons', () => {
  expectFindings(allow(`"logs:GetLogEvents"`, `"arn:aws:logs:*:*:/aws-glue/*"`), { only });
  expectFindings(allow(`"kms:Decrypt"`, `"arn:aws:kms:*"`), { only });
});

test('resource-type-mismatch: actions without documented resource types are not judged', () => {
  expectFindings(allow(`"s3:ListAllMyBuckets"`, `"arn:aws:s3:::*"`), { only });
});

test('resource-type-mismatch: malformed ARNs and KMS alias ARNs belong to other checks', () => {
  expectFindings(allow(`"kms:Decrypt"`, `["key-id", "arn:aws:kms:us-east-1:111122223333:alias/app"]`), { only });
});

test('resource-type-mismatch: a single Statement object in an embedded key policy', () => {
  expectFindings(String.raw`{"Policy": "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"111122223333\"}, \"Action\": \"kms:Decrypt\", \"Resource\": «resource-type-mismatch:\"arn:aws:s3:::b\"»}}"}`, { only });
});

test('resource-type-mismatch: an ARN of a service no catalog entry has', () => {
  expectFindings(allow(`"s3:GetObject"`, `[«resource-type-mismatch:"arn:aws:s4:::bucket/*"», "arn:aws:s3:::bucket/*"]`), { only });
  expectFindings(allow(`["kms:Decrypt"]`, `«resource-type-mismatch:"arn:aws:kmz:us-east-1:111122223333:key/k"»`), { only });
  // Judged whatever the actions are: NotAction, NotResource, service wildcards, unknown actions.
  expectFindings(policy(`{"Effect": "Deny", "NotAction": "s3:*", "NotResource": [«resource-type-mismatch:"arn:aws:s33:::bucket"», "arn:aws:s3:::bucket"]}`), { only });
  expectFindings(allow(`["*"]`, `«resource-type-mismatch:"arn:aws:no-such-service:us-east-1:111122223333:thing/x"»`), { only });
});

test('resource-type-mismatch: services known only by their ARN formats, wildcards, and unknown action prefixes', () => {
  // elastic-inference accelerators (for ec2:RunInstances) and Service Catalog portfolios have
  // ARNs of a service without IAM actions of its own.
  expectFindings(allow(`"ec2:RunInstances"`, `["arn:aws:elastic-inference:*:*:elastic-inference-accelerator/*", "arn:aws:ec2:*:*:subnet/*"]`), { only });
  expectFindings(allow(`"servicecatalog:DescribePortfolio"`, `"arn:aws:catalog:us-east-1:111122223333:portfolio/port-1"`), { only });
  expectFindings(allow(`"s3:GetObject"`, `["arn:aws:s3*:::bucket/*", "arn:aws:*:us-east-1:111122223333:*", "arn:aws:S4:::b", "arn:aws"]`), { only });
  // The unknown prefix of the action itself is unknown-service's to report.
  expectFindings(allow(`"foo:Bar"`, `"arn:aws:foo:us-east-1:111122223333:thing/x"`), { only });
});

test('resource-type-mismatch: AWS managed policies give only the known useless entries', needs('corpus', corpusMissing('aws-managed')), () => {
  const dir = corpusPath('aws-managed');
  const found: string[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    for (const f of checkText(name, text, { checks: [resourceTypeMismatch] }).findings) found.push(`${name} ${text.slice(f.span.offset, f.span.offset + f.span.length)}`);
  }
  // Bucket ARNs listed for object actions, and a user ARN for CreateUser (the reference lists
  // only the identity store for it; the entry was copied from the next statement).
  assert.deepEqual(found, [
    'AIOpsAssistantPolicy.json "arn:aws:s3:::amplify"',
    'AWSIdentityCenterExternalManagementPolicy.json "arn:aws:identitystore:::user/*"',
    'AWSRefactoringToolkitFullAccess.json "arn:aws:s3:::aws.portingassistant.dotnet.datastore"',
  ]);
});
