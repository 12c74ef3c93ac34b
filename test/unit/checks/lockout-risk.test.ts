import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpusMissing, corpusPath, walk } from '../../support/corpus';
import { expectFindings } from '../../support/fixture';
import { findingsOf, getKeyPolicyOutput } from './kmsPolicies';
import { needs } from '../../support/needs';
import { withHclParser } from '../../support/hcl';

withHclParser();

const only = ['lockout-risk'];
const owner = { binding: { owner: { account: '111122223333' } } };

const ADMIN = `{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}`;
const USE = `{"Sid": "Use", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"}`;
/** The console's key administrators statement without kms:Put*. */
const ADMINS_WITHOUT_PUT = `{"Sid": "Admins", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"},
  "Action": ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*",
  "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"], "Resource": "*"}`;

test('lockout-risk: PutKeyPolicy kept by kms:*, kms:Put*, "*", NotAction, a conditioned Allow', () => {
  for (const keeper of [
    ADMIN,
    `{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"}, "Action": ["kms:Put*", "kms:Create*"], "Resource": "*"}`,
    `{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "*", "Resource": "*"}`,
    `{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"}, "NotAction": "kms:Decrypt", "Resource": "*"}`,
    `{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"}, "Action": "kms:PutKeyPolicy", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}`,
    `{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "*", "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333"}}}`,
  ]) {
    expectFindings(`{"Version": "2012-10-17", "Statement": [${ADMINS_WITHOUT_PUT}, ${keeper}]}`, { only });
    expectFindings(`{"Version": "2012-10-17", "Statement": [${ADMINS_WITHOUT_PUT}, ${keeper}]}`, { only, ...owner });
  }
});

test('lockout-risk: administrators without kms:Put*', () => {
  expectFindings(`{"Version": "2012-10-17", «lockout-risk:"Statement"»: [${ADMINS_WITHOUT_PUT}, ${USE}]}`, { only });
});

test('lockout-risk: an unconditioned Deny of PutKeyPolicy removes the keepers; a conditioned one does not', () => {
  expectFindings(`{"Version": "2012-10-17", «lockout-risk:"Statement"»: [${ADMIN},
  {"Effect": "Deny", "Principal": "*", "Action": "kms:PutKeyPolicy", "Resource": "*"}]}`, { only });
  expectFindings(`{"Version": "2012-10-17", «lockout-risk:"Statement"»: [${ADMIN},
  {"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:Put*", "Resource": "*"}]}`, { only });
  expectFindings(`{"Version": "2012-10-17", "Statement": [${ADMIN},
  {"Effect": "Deny", "Principal": "*", "Action": "kms:PutKeyPolicy", "Resource": "*", "Condition": {"Bool": {"kms:BypassPolicyLockoutSafetyCheck": "true"}}}]}`, { only });
  // The account principal in a Deny stands for every principal of the account.
  expectFindings(`{"Version": "2012-10-17", «lockout-risk:"Statement"»: [${ADMIN},
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"}, "Action": "kms:*", "Resource": "*"},
  {"Effect": "Deny", "Principal": {"AWS": "111122223333"}, "Action": "kms:PutKeyPolicy", "Resource": "*"}]}`, { only });
  // Deny to everyone but the administrator role leaves that role.
  expectFindings(`{"Version": "2012-10-17", "Statement": [${ADMIN},
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"}, "Action": "kms:*", "Resource": "*"},
  {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"}, "Action": "kms:PutKeyPolicy", "Resource": "*"}]}`, { only });
});

test('lockout-risk: everything denied to everyone', () => {
  expectFindings(`{"Version": "2012-10-17", «lockout-risk:"Statement"»: [{"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "*"}]}`, { only });
});

test('lockout-risk: with the owner known, principals of other accounts do not count', () => {
  const other = `{"Version": "2012-10-17", «lockout-risk:"Statement"»: [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "kms:*", "Resource": "*"}, ${USE}]}`;
  expectFindings(other, { only, ...owner });
  // Without the owner, the other account might be the key's own: not reported.
  expectFindings(other.replace('«lockout-risk:"Statement"»', '"Statement"'), { only });
  expectFindings(`{"Version": "2012-10-17", «lockout-risk:"Statement"»: [
  {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "*", "Condition": {"StringEquals": {"kms:CallerAccount": "444455556666"}}}]}`, { only, ...owner });
});

test('lockout-risk: a bare key policy with usage statements only is the lockout case itself, as in get-key-policy output', () => {
  const usageOnly = `{"Version": "2012-10-17", «lockout-risk:"Statement"»: [${USE}]}`;
  expectFindings(usageOnly, { only });
  const text = getKeyPolicyOutput(usageOnly.replace('«lockout-risk:"Statement"»', '"Statement"'));
  const found = findingsOf(text, 'lockout-risk', {}, 'key.json');
  assert.equal(found.length, 1);
  assert.equal(text.slice(found[0].span.offset, found[0].span.offset + found[0].span.length), '\\"Statement\\"');
  // A service principal's statement alone, as service guides show it, is a whole policy here.
  expectFindings(`{"Version": "2012-10-17", «lockout-risk:"Statement"»: [
  {"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": ["kms:GenerateDataKey*", "kms:Decrypt"], "Resource": "*"}]}`, { only });
});

test('lockout-risk: AWS managed key policies (Id auto-…) are not reported', () => {
  const managed = `{"Version": "2012-10-17", "Id": "auto-ebs-2", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:CreateGrant"], "Resource": "*",
   "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333", "kms:ViaService": "ec2.us-east-1.amazonaws.com"}}},
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": ["kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant"], "Resource": "*"}]}`;
  assert.equal(findingsOf(getKeyPolicyOutput(managed), 'lockout-risk', {}, 'key.json').length, 0);
});

test('lockout-risk: CloudFormation key with service principals only; unresolved principals keep', () => {
  const template = (principal: unknown) => JSON.stringify({ Resources: { Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Principal: principal, Action: 'kms:*', Resource: '*' },
  ] } } } } });
  const services = template({ Service: 'logs.amazonaws.com' });
  const at = services.indexOf('"Statement"');
  expectFindings(`${services.slice(0, at)}«lockout-risk:"Statement"»${services.slice(at + 11)}`, { only, file: 'template.json' });
  expectFindings(template({ AWS: { 'Fn::GetAtt': ['AdminRole', 'Arn'] } }), { only, file: 'template.json' });
  expectFindings(template({ AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } }), { only, file: 'template.json' });
});

test('lockout-risk: a single Statement object', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": ${ADMIN}}`, { only });
  expectFindings(`{"Version": "2012-10-17", «lockout-risk:"Statement"»: ${ADMINS_WITHOUT_PUT}}`, { only });
});

/** Documentation examples written as whole key policies that give nobody of the account kms:PutKeyPolicy. */
const DOCS_LOCKED_OUT = [
  'aws-kms-developer-guide/full-key-policies/conditions-kms__L1104.json',
  'aws-kms-developer-guide/full-key-policies/conditions-kms__L910.json',
  'aws-kms-developer-guide/full-key-policies/infrastructure-security__L13.json',
  'aws-kms-developer-guide/full-key-policies/key-policy-overview__L9.json',
  'aws-kms-developer-guide/full-key-policies/key-policy-services__L59.json',
  'aws-kms-developer-guide/full-key-policies/kms-vpc-endpoint__L126.json',
  'aws-kms-developer-guide/full-key-policies/kms-vpc-endpoint__L151.json',
  'aws-service-docs/amazon-dynamodb-developer-guide/full-key-policies/encryption.usagenotes__L150.json',
  'aws-service-docs/amazon-rds-user-guide/full-key-policies/USER_ShareSnapshot__L98.json',
  'aws-service-docs/amazon-s3-userguide/full-key-policies/grant-destinations-permissions-to-s3__L105.json',
  'aws-service-docs/amazon-s3-userguide/full-key-policies/ways-to-add-notification-config-to-bucket__L89.json',
  'aws-service-docs/amazon-ses-developer-guide/full-key-policies/configure-sns-notifications__L60.json',
  'aws-service-docs/amazon-ses-developer-guide/full-key-policies/receiving-email-permissions__L165.json',
  'aws-service-docs/amazon-sns-developer-guide/full-key-policies/sns-key-management__L99.json',
  'aws-service-docs/amazon-sqs-developer-guide/full-key-policies/sqs-key-management__L119.json',
  'aws-service-docs/amazon-sqs-developer-guide/full-key-policies/sqs-key-management__L30.json',
  'aws-service-docs/aws-cloudtrail-user-guide/full-key-policies/cloudtrail-permissions-for-sns-notifications__L38.json',
  'aws-service-docs/aws-config-developer-guide/full-key-policies/s3-kms-key-policy__L14.json',
  'aws-service-docs/aws-config-developer-guide/full-key-policies/s3-kms-key-policy__L49.json',
  'aws-service-docs/aws-systems-manager-user-guide/full-key-policies/cross-service-confused-deputy-prevention__L43.json',
  'aws-service-docs/aws-systems-manager-user-guide/full-key-policies/sysman-inventory-resource-data-sync__L16.json',
  'aws-service-docs/iam-user-guide/full-key-policies/access-analyzer-policy-generation__L302.json',
];

test('lockout-risk: documentation key policies are reported exactly when nobody keeps PutKeyPolicy; a Deny of kms:* to everyone is', needs('corpus', corpusMissing('kms-key-policies')), () => {
  const root = corpusPath('kms-key-policies');
  const docs = walk(corpusPath('kms-key-policies', 'aws-kms-developer-guide', 'full-key-policies'), '.json')
    .concat(walk(corpusPath('kms-key-policies', 'aws-service-docs'), '.json').filter((f) => f.includes('full-key-policies')));
  assert.ok(docs.length > 30);
  const reported = docs.filter((f) => findingsOf(fs.readFileSync(f, 'utf8'), 'lockout-risk', {}, f).length > 0)
    .map((f) => path.relative(root, f).split(path.sep).join('/')).sort();
  assert.deepEqual(reported, DOCS_LOCKED_OUT);
  const deny = corpusPath('kms-key-policies', 'security-tool-fixtures', 'checkov-cloudformation',
    'templates__resource__aws__example_KMSKeyWildCardPrincipal__KMSKeyWildCardPrincipal-PASSED__Resources_Deny.json');
  assert.equal(findingsOf(fs.readFileSync(deny, 'utf8'), 'lockout-risk', {}, deny).length, 1);
});

test('lockout-risk: a statement computed at deploy time may keep PutKeyPolicy', () => {
  // A CloudFormation template's fragment whose second statement is an intrinsic function.
  expectFindings(`{"Version": "2012-10-17", "Statement": [${ADMINS_WITHOUT_PUT}, ${USE}, {"Fn::GetAtt": ["Policy", "Statement"]}]}`, { only });
  expectFindings(`{"Version": "2012-10-17", «lockout-risk:"Statement"»: [${ADMINS_WITHOUT_PUT}, ${USE}, ${USE}]}`, { only });
});

// Issue 18, defect 3: one short sentence first (what is wrong, what to do), then why.
test('lockout-risk: the message leads with what to do', () => {
  const r = expectFindings(`{"Version": "2012-10-17", «lockout-risk:"Statement"»: [${USE}]}`, { only, ...owner });
  assert.equal(r.findings.find((f) => f.checkId === 'lockout-risk')!.message,
    'No principal of account 111122223333 may change this policy: allow kms:PutKeyPolicy to the account principal. '
    + 'KMS rejects this policy (lockout safety check), and if the check is bypassed nobody can change the policy again. Keep a statement like the default one: Allow kms:* to the account principal (arn:aws:iam::ACCOUNT:root).');
});

test('lockout-risk: a Deny with NotPrincipal removes only the keepers it is known not to list', () => {
  const deny = (notPrincipal: string) => `{"Effect": "Deny", "NotPrincipal": {"AWS": ${notPrincipal}}, "NotAction": "kms:DescribeKey", "Resource": "*"}`;
  // The account principal listed as a bare id is the keeper written as an ARN.
  expectFindings(`{"Version": "2012-10-17", "Statement": [${ADMIN}, ${deny('"111122223333"')}]}`, { only });
  expectFindings(`{"Version": "2012-10-17", "Statement": [${ADMIN}, ${deny('"111122223333"')}]}`, { only, ...owner });
  // NotPrincipal lists the account principal alone: a role of the account is denied.
  expectFindings(`{"Version": "2012-10-17", «lockout-risk:"Statement"»: [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"}, "Action": "kms:*", "Resource": "*"}, ${deny('"arn:aws:iam::111122223333:root"')}]}`, { only });
  // Everyone of the account (Principal "*" with kms:CallerAccount) keeps it through the role the Deny leaves.
  const everyone = `{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "*", "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333"}}}`;
  expectFindings(`{"Version": "2012-10-17", "Statement": [${everyone}, ${deny('"arn:aws:iam::111122223333:role/KeyAdmin"')}]}`, { only, ...owner });
  expectFindings(`{"Version": "2012-10-17", «lockout-risk:"Statement"»: [${everyone}, ${deny('"arn:aws:iam::444455556666:role/KeyAdmin"')}]}`, { only, ...owner });
  // A listed value not known (an intrinsic function) may be the keeper.
  expectFindings(`{"Version": "2012-10-17", "Statement": [${ADMIN}, ${deny('{"Fn::GetAtt": ["AdminRole", "Arn"]}')}]}`, { only });
});

test('lockout-risk: the key\'s account written as a template value, against a Deny', () => {
  const template = (statements: unknown[]) => JSON.stringify({ Resources: { Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Version: '2012-10-17', Statement: statements } } } } });
  const admin = { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: { 'Fn::Sub': 'arn:aws:iam::${AWS::AccountId}:root' } }, Action: 'kms:*', Resource: '*' };
  const notPrincipal = (p: unknown) => ({ Effect: 'Deny', NotPrincipal: { AWS: p }, NotAction: 'kms:DescribeKey', Resource: '*' });
  const marked = (t: string) => t.replace('"Statement"', '«lockout-risk:"Statement"»');
  // The key's account may be 111122223333: not reported.
  expectFindings(template([admin, notPrincipal('arn:aws:iam::111122223333:root')]), { only, file: 'template.json' });
  // The same account principal, however written.
  expectFindings(template([admin, notPrincipal({ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' })]), { only, file: 'template.json' });
  expectFindings(marked(template([admin, notPrincipal({ 'Fn::Sub': 'arn:aws:iam::${AWS::AccountId}:role/KeyAdmin' })])), { only, file: 'template.json' });
  expectFindings(marked(template([admin, { Effect: 'Deny', Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } }, Action: 'kms:PutKeyPolicy', Resource: '*' }])), { only, file: 'template.json' });
  // A Deny of another principal not known does not remove the account principal.
  expectFindings(template([admin, { Effect: 'Deny', Principal: { AWS: { 'Fn::GetAtt': ['AppRole', 'Arn'] } }, Action: 'kms:PutKeyPolicy', Resource: '*' }]), { only, file: 'template.json' });
});

test('lockout-risk: Terraform, the key\'s account from data.aws_caller_identity, against a Deny with NotPrincipal', () => {
  const tf = (notPrincipal: string) => `data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "key" {
  statement {
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::\${data.aws_caller_identity.current.account_id}:root"]
    }
  }
  statement {
    effect      = "Deny"
    not_actions = ["kms:DescribeKey"]
    resources   = ["*"]
    not_principals {
      type        = "AWS"
      identifiers = [${notPrincipal}]
    }
  }
}

resource "aws_kms_key" "k" {
  policy = data.aws_iam_policy_document.key.json
}
`;
  // The key's account may be the one listed.
  assert.deepEqual(findingsOf(tf('"arn:aws:iam::111122223333:root"'), 'lockout-risk', {}, 'main.tf'), []);
  // The same expression as the keeper's: listed.
  assert.deepEqual(findingsOf(tf('"arn:aws:iam::\${data.aws_caller_identity.current.account_id}:root"'), 'lockout-risk', {}, 'main.tf'), []);
  // NotPrincipal "*" leaves everyone; a Deny with Principal "*" removes everyone, whatever the account.
  assert.deepEqual(findingsOf(tf('"*"'), 'lockout-risk', {}, 'main.tf'), []);
  const text = tf('"*"').replace('not_principals', 'principals');
  const found = findingsOf(text, 'lockout-risk', {}, 'main.tf');
  assert.deepEqual(found.map((f) => text.slice(f.span.offset, f.span.offset + f.span.length)), ['statement']);
});

test('lockout-risk: the only statement allowing PutKeyPolicy has no Resource, or NotResource "*": it allows nothing', () => {
  for (const resource of ['', ', "NotResource": "*"']) {
    const r = expectFindings(`{"Version": "2012-10-17", «lockout-risk:"Statement"»: [
  {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*"${resource}},
  {"Sid": "Use", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": "kms:Decrypt", "Resource": "*"}]}`, { only });
    assert.match(r.findings[0].message, /A statement allows it without "Resource": "\*", so it allows nothing: add "Resource": "\*" to it\./);
    assert.equal(r.findings[0].related?.[0].message, 'allows kms:PutKeyPolicy on no resource');
  }
  // Another account's statement without Resource says nothing about the own account.
  const other = expectFindings(`{"Version": "2012-10-17", «lockout-risk:"Statement"»: [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "kms:*"},
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": "kms:Decrypt", "Resource": "*"}]}`, { only, ...owner });
  assert.doesNotMatch(other.findings[0].message, /without "Resource"/);
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "NotResource": "arn:aws:kms:us-east-1:111122223333:key/other"}]}`, { only });
});
