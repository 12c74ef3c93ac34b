import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { invalidArn } from '../../../server/src/core/checks/invalidArn';
import { checkText } from '../../../server/src/core/engine';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { corpusMissing, corpusPath } from '../../support/corpus';
import { expectFindings } from '../../support/fixture';
import { yamlManagedPolicyTemplate } from '../../support/cfnYaml';
import { needs } from '../../support/needs';
import { withHclParser } from '../../support/hcl';

withHclParser();

const only = ['invalid-arn'];
const identity = (resource: string, version = '"Version": "2012-10-17", ') => `{${version}"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ${resource}}]}`;

test('invalid-arn: valid ARNs, wildcards and "*"', () => {
  expectFindings(identity(`["*", "arn:aws:s3:::bucket/*", "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "arn:aws:kms:*:111122223333:key/*", "arn:*:iam::*:role/*", "arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:ec2:us-east-1::image/ami-*",
    "arn:aws:logs:*:*:log-group:/aws/lambda/*:*", "arn:aws:s3:*", "arn:aws-cn:s3:::b", "arn:aws-us-gov:s3:::b", "arn:aws-iso-b:s3:::b", "arn:aws:kms:us-east-1:1111*:key/*"]`), { only });
});

test('invalid-arn: malformed Resource and NotResource values', () => {
  expectFindings(identity(`[«invalid-arn:"s3"», «invalid-arn:"1234abcd-12ab-34cd-56ef-1234567890ab"», «invalid-arn:"arn:aws:kms:us-east-1"»,
    «invalid-arn:"arn:amazon:s3:::b"», «invalid-arn:"arn:aws:S3:::b"», «invalid-arn:"arn:aws:kms:us-east-1:ACCOUNT:key/x"», «invalid-arn:"ARN:aws:s3:::b"»,
    «invalid-arn:"arn:aws:kms:us_east_1:111122223333:key/x"», «invalid-arn:"arn:aws:kms:us-east-1:1111222233334:key/x"»]`), { only });
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "NotResource": «invalid-arn:"bucket"»}]}`, { only });
});

test('invalid-arn: policy variables with 2012-10-17', () => {
  expectFindings(identity(`["arn:aws:s3:::bucket/\${aws:username}/*", "arn:aws:iam::\${aws:PrincipalAccount}:role/x", "arn:aws:s3:::b/\${*}"]`), { only });
});

test('invalid-arn: with 2008 or no Version, ${…} is literal: a note, not an error', () => {
  for (const version of ['"Version": "2008-10-17", ', '']) {
    const r = expectFindings(identity(`«invalid-arn:"arn:aws:s3:::bucket/\${aws:username}/*"»`, version), { only });
    assert.deepEqual(r.findings.filter((f) => f.checkId === 'invalid-arn').map((f) => f.severity), ['info']);
  }
});

test('invalid-arn: Arn condition values; non-ARN values are left to condition-value-type', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "logs.amazonaws.com"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {
    "ArnLike": {"kms:EncryptionContext:aws:logs:arn": [«invalid-arn:"arn:aws:logs:region:account-id:*"», "arn:aws:logs:us-east-1:111122223333:log-group:*"]},
    "ArnEqualsIfExists": {"aws:SourceArn": "111122223333"},
    "ForAnyValue:ArnNotLike": {"aws:PrincipalArn": «invalid-arn:"arn:aws:iam::12345:role/x"»},
    "StringLike": {"aws:SourceArn": "arn:nonsense"}}}]}`, { only });
});

test('invalid-arn: intrinsic functions and a single Statement object', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": [{"Fn::Sub": "arn:\${AWS::Partition}:s3:::\${Bucket}/*"}, {"Fn::GetAtt": ["Key", "Arn"]}, «invalid-arn:"key-id"»]}}`, { only });
});

test('invalid-arn: a Region or account the service\'s ARNs do not take, or a missing Region (ARN_REGION_NOT_ALLOWED, ARN_ACCOUNT_NOT_ALLOWED, MISSING_ARN_REGION)', () => {
  const policy = (action: string, resource: string) => `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "${action}", "Resource": ${resource}}]}`;
  const region = expectFindings(policy('iam:GetRole', `«invalid-arn:"arn:aws:iam:us-east-1:111122223333:role/App"»`), { only });
  assert.equal(region.findings[0].message, 'Invalid ARN in Resource: iam resource ARNs of this kind have no Region: write arn:aws:iam::111122223333:role/App.');
  const account = expectFindings(policy('s3:GetObject', `«invalid-arn:"arn:aws:s3::111122223333:bucket/key"»`), { only });
  assert.equal(account.findings[0].message, 'Invalid ARN in Resource: s3 resource ARNs of this kind have no account: write arn:aws:s3:::bucket/key.');
  const missing = expectFindings(policy('sqs:SendMessage', `«invalid-arn:"arn:aws:sqs::111122223333:queue"»`), { only });
  assert.equal(missing.findings[0].message, 'Invalid ARN in Resource: sqs resource ARNs of this kind need a Region (arn:aws:sqs:REGION:…).');
  // One mistake, one finding: resource-type-mismatch leaves these ARNs alone.
  assert.deepEqual(checkText('p.json', policy('s3:GetObject', '"arn:aws:s3::111122223333:bucket/key"')).findings.map((f) => f.checkId), ['invalid-arn']);
  // ARNs that fit (an S3 access point has Region and account), wildcards, variables and unknown services are left alone.
  expectFindings(policy('s3:GetObject', `["arn:aws:s3:us-east-1:111122223333:accesspoint/ap/object/k", "arn:aws:s3:::bucket/key", "arn:aws:iam::*:role/App", "arn:aws:sqs:*:111122223333:queue", "arn:aws:s3:::\${aws:username}/*", "arn:aws:sqs::111122223333:\${aws:username}", "arn:aws:s4:us-east-1:111122223333:x"]`), { only });
});

const statementWith = (action: string, resources: string, element = 'Resource') => `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "${action}", "${element}": ${resources}}]}`;

test('invalid-arn: a resource part no resource type of the service has (INVALID_ARN_RESOURCE), on the resource part', () => {
  const r = expectFindings(statementWith('iam:GetRole', `"arn:aws:iam::111122223333:«invalid-arn:rol/R»"`), { only });
  assert.equal(r.findings[0].message, 'Invalid ARN resource in Resource: update the resource part to one of the iam ARN formats. '
    + '"rol/R" does not match the expected ARN format of any iam resource type; iam ARNs are: role (arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}), '
    + 'mfa (arn:${Partition}:iam::${Account}:mfa/${MfaTokenIdWithPath}), group (arn:${Partition}:iam::${Account}:group/${GroupNameWithPath}), ….');
  assert.equal(r.findings[0].severity, 'error');
  // Several services, NotResource, a policy variable in the resource part, an escape in the string.
  expectFindings(statementWith('ec2:StartInstances', `["arn:aws:ec2:us-east-1:111122223333:«invalid-arn:instanse/i-0123456789abcdef0»", "arn:aws:kms:us-east-1:111122223333:«invalid-arn:keys/1234abcd-12ab-34cd-56ef-1234567890ab»",
    "arn:aws:iam::111122223333:«invalid-arn:rol/\${aws:username}»", "arn:aws:iam::111122223333:«invalid-arn:r\\u006fl/x»", "arn:aws:ec2:us-east-1:111122223333:«invalid-arn:instanse/*»"]`), { only });
  expectFindings(statementWith('s3:*', `"arn:aws:dynamodb:us-east-1:111122223333:«invalid-arn:tables/T»"`, 'NotResource'), { only });
  const kms = checkText('p.json', statementWith('kms:Decrypt', '"arn:aws:kms:us-east-1:111122223333:keys/k"')).findings.find((f) => f.checkId === 'invalid-arn');
  assert.match(kms!.message, /kms ARNs are: key \(arn:\$\{Partition\}:kms:\$\{Region\}:\$\{Account\}:key\/\$\{KeyId\}\), alias /);
  // One mistake, one finding: resource-type-mismatch leaves it to invalid-arn.
  assert.deepEqual(checkText('p.json', statementWith('iam:GetRole', '"arn:aws:iam::111122223333:rol/R"')).findings.map((f) => f.checkId), ['invalid-arn']);
  assert.deepEqual(checkText('p.json', statementWith('kms:Decrypt', '"arn:aws:kms:us-east-1:111122223333:keys/k"')).findings.map((f) => f.checkId), ['invalid-arn']);
});

test('invalid-arn: resource parts that can name a resource of the service are left alone', () => {
  expectFindings(statementWith('s3:GetObject', `["arn:aws:s3:::bucket", "arn:aws:s3:::bucket/any/key", "arn:aws:s3:us-east-1:111122223333:accesspoint/ap",
    "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "arn:aws:kms:us-east-1:111122223333:alias/app",
    "arn:aws:iam::111122223333:role/service-role/App", "arn:aws:iam::111122223333:root", "arn:aws:iam::aws:policy/ReadOnlyAccess",
    "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/fn:*", "arn:aws:logs:*:*:log-group:*:log-stream:*",
    "arn:aws:lambda:us-east-1:111122223333:function:fn:live", "arn:aws:sns:us-east-1:111122223333:topic", "arn:aws:sqs:us-east-1:111122223333:queue",
    "arn:aws:states:us-east-1:111122223333:statemachine:sm", "arn:aws:quicksight:us-east-1:111122223333:vpcconnection/v"]`), { only });
  // Wildcards and policy variables may stand for what the resource type needs.
  expectFindings(statementWith('iam:GetRole', `["arn:aws:iam::111122223333:*", "arn:aws:iam::111122223333:ro*", "arn:aws:iam::111122223333:rol?/R", "arn:aws:ec2:*:*:*",
    "arn:aws:iam::*:*/R", "arn:aws:iam::111122223333:\${aws:username}", "arn:aws:iam::111122223333:\${aws:PrincipalTag/type}/R", "arn:aws:iam::111122223333*"]`), { only });
  // A `*` in the Region or account may run on over colons as IAM matches it (Access Analyzer flags
  // no such ARN in the AWS managed policies, `arn:aws:apigateway:*::/v2/apis` among them).
  expectFindings(statementWith('ec2:StartInstances', `["arn:aws:ec2:*:*:instanse/*", "arn:aws:iam::*:rol/R", "arn:aws:apigateway:*::/v2/apis"]`), { only });
  // Template-like text, S3-style ARNs without Region and account, services without resource types, unknown services.
  expectFindings(statementWith('iam:GetRole', `["arn:aws:iam::111122223333:<role-name>", "arn:aws:iam::111122223333:{{resolve:ssm:role}}", "arn:aws:iam:::rol/R",
    "arn:aws:ssmmessages:us-east-1:111122223333:anything", "arn:aws:s4:us-east-1:111122223333:rol/R"]`), { only });
  // Under an old Version ${…} is literal text: its note, no resource advice.
  const old = expectFindings(statementWith('iam:GetRole', `«invalid-arn:"arn:aws:iam::111122223333:rol/\${aws:username}"»`).replace('"Version": "2012-10-17", ', ''), { only });
  assert.deepEqual(old.findings.filter((f) => f.checkId === 'invalid-arn').map((f) => f.severity), ['info']);
});

test('invalid-arn: nothing in the AWS managed policies (IAM accepted them all)', needs('corpus', corpusMissing('aws-managed')), () => {
  const dir = corpusPath('aws-managed');
  const found: string[] = [];
  for (const name of fs.readdirSync(dir)) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    for (const f of checkText(name, text, { checks: [invalidArn] }).findings) found.push(`${name} ${text.slice(f.span.offset, f.span.offset + f.span.length)}`);
  }
  assert.deepEqual(found, []);
});

const template = (resource: string, condition = '') => `{"Parameters": {"ConnectionArn": {"Type": "String"}, "Bucket": {"Type": "String"}},
  "Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {"Policies": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "codestar-connections:UseConnection", "Resource": ${resource}${condition}}]}}]}}}}`;
const context = { account: '111122223333', region: 'us-east-1', partition: 'aws', parameters: { ConnectionArn: 'fakeArn', Bucket: 'app-data', Region: 'Region' } };

test('invalid-arn: intrinsic values the template context resolves are checked, on the intrinsic', () => {
  const r = expectFindings(template(`[«invalid-arn:{"Ref": "ConnectionArn"}», «invalid-arn:{"Fn::Sub": "arn:\${AWS::Partition}:sqs:\${Region}:\${AWS::AccountId}:\${Bucket}"}»,
    «invalid-arn:{"Fn::Join": [":", ["arn", "aws", "s3", "", "ACCOUNT", "x"]]}»]`), { only, binding: { template: context } });
  const messages = r.findings.filter((f) => f.checkId === 'invalid-arn').map((f) => f.message);
  assert.ok(messages.some((m) => m.includes('"fakeArn"')), messages.join('\n'));
});

test('invalid-arn: resolved values that are valid ARNs, and intrinsics that do not resolve', () => {
  expectFindings(template(`[{"Fn::Sub": "arn:\${AWS::Partition}:s3:::\${Bucket}/*"}, {"Fn::Sub": "arn:aws:kms:\${AWS::Region}:\${AWS::AccountId}:key/*"},
    {"Fn::Sub": ["arn:aws:s3:::\${B}/*", {"B": {"Ref": "Bucket"}}]}, {"Ref": "Unknown"}, {"Fn::GetAtt": ["Key", "Arn"]}, {"Fn::Sub": "arn:aws:s3:::\${Other}"},
    {"Fn::Sub": "arn:aws:s3:::\${Bucket}/home/\${!aws:username}/*"}, {"Fn::If": ["C", "bad", "worse"]}]`), { only, binding: { template: context } });
});

test('invalid-arn: without a template context only constant intrinsics resolve', () => {
  expectFindings(template(`[{"Ref": "ConnectionArn"}, {"Fn::Sub": "arn:\${AWS::Partition}:s3:::\${Bucket}/*"}, «invalid-arn:{"Fn::Join": ["", ["bucket", "-name"]]}»]`), { only });
});

test('invalid-arn: Arn condition values resolved from the template', () => {
  expectFindings(template(`"*"`, `, "Condition": {"ArnLike": {"aws:SourceArn": [«invalid-arn:{"Fn::Sub": "arn:aws:logs:\${Region}:\${AWS::AccountId}:*"}», {"Ref": "ConnectionArn"},
    {"Fn::Sub": "arn:aws:logs:\${AWS::Region}:\${AWS::AccountId}:*"}]}}`), { only, binding: { template: context } });
});

test('invalid-arn: the manifest\'s templates entry gives the context in the workspace', () => {
  const ws = new Workspace();
  ws.updateFile('/ws/policy-handshake.json', JSON.stringify({ templates: [{ files: 'stacks/*.json', account: '111122223333', region: 'us-east-1', parameters: { ConnectionArn: 'fakeArn' } }] }));
  const text = template(`{"Ref": "ConnectionArn"}`);
  ws.updateFile('/ws/stacks/app.json', text);
  ws.updateFile('/ws/other/app.json', text);
  const at = (file: string) => ws.findings(file).filter((f) => f.checkId === 'invalid-arn').map((f) => text.slice(f.span.offset, f.span.offset + f.span.length));
  assert.deepEqual(at('/ws/stacks/app.json'), ['{"Ref": "ConnectionArn"}']);
  assert.deepEqual(at('/ws/other/app.json'), []);
  // A policy fragment cut out of a template, bound by the same entry.
  const fragment = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": {"Ref": "ConnectionArn"}}]}`;
  ws.updateFile('/ws/stacks/fragment.json', fragment);
  assert.deepEqual(ws.findings('/ws/stacks/fragment.json').filter((f) => f.checkId === 'invalid-arn').map((f) => fragment.slice(f.span.offset, f.span.offset + f.span.length)), ['{"Ref": "ConnectionArn"}']);
});

test('invalid-arn: template values are not judged by their resource part', () => {
  expectFindings(template(`[{"Fn::Sub": "arn:\${AWS::Partition}:iam::\${AWS::AccountId}:rol/R"}, {"Fn::Join": [":", ["arn", "aws", "iam", "", {"Ref": "AWS::AccountId"}, "rol/R"]]}]`), { only, binding: { template: context } });
  expectFindings(`resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:GetRole", Resource = ["arn:aws:iam::\${var.account}:rol/R", "arn:aws:iam::\${data.aws_caller_identity.current.account_id}:rol/\${var.name}"] }]
  })
}
`, { only, file: 'main.tf' });
});

test('invalid-arn: an ARN given to an Fn::Sub variable written inside an ARN; the fix leaves the id (SAM KMS policy templates: test/unit/yaml/sam.test.ts)', () => {
  const keyArn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const template = (id: string) => `{"Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": ${identity(`{"Fn::Sub": ["arn:\${AWS::Partition}:kms:\${AWS::Region}:\${AWS::AccountId}:key/\${Id}", {"Id": ${id}}]}`)}}}}}`;
  const r = expectFindings(template(`«invalid-arn:"${keyArn}"»`), { only, file: 't.template.json' });
  const fix = r.findings[0].fixes![0];
  assert.equal(fix.title, 'Replace with the key id 1234abcd-12ab-34cd-56ef-1234567890ab');
  const text = template(`"${keyArn}"`);
  const fixed = text.slice(0, fix.changes[0].edits[0].offset) + fix.changes[0].edits[0].newText + text.slice(fix.changes[0].edits[0].offset + fix.changes[0].edits[0].length);
  assert.equal(fixed, template('"1234abcd-12ab-34cd-56ef-1234567890ab"'));
  assert.deepEqual(checkText('t.template.json', fixed).findings.filter((f) => f.checkId === 'invalid-arn'), []);
  // A variable at the start of the text, or a value that is no ARN: nothing.
  expectFindings(template('"1234abcd-12ab-34cd-56ef-1234567890ab"'), { only, file: 't.template.json' });
  expectFindings(template('"1234"').replace('"arn:${AWS::Partition}', '"${Id}:${AWS::Partition}').replace('"Id": "1234"', `"Id": "${keyArn}"`), { only, file: 't.template.json' });
});

test('invalid-arn: the resource part\'s range in a YAML template and in a policy embedded in a string', () => {
  expectFindings(yamlManagedPolicyTemplate(`- Effect: Allow
  Action: iam:GetRole
  Resource:
    - arn:aws:iam::111122223333:«invalid-arn:rol/Plain»
    - 'arn:aws:iam::111122223333:«invalid-arn:rol/Quoted»'
    - arn:aws:iam::111122223333:role/Fine`), { only, file: 'template.yaml' });
  expectFindings(String.raw`{"Policy": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"kms:Decrypt\", \"Resource\": \"arn:aws:kms:us-east-1:111122223333:«invalid-arn:keys/k»\"}]}"}`, { only });
});
