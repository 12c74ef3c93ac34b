import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { checkText } from '../../../server/src/core/engine';
import { expectFindings } from '../../support/fixture';
import { corpusMissing, corpusPath } from '../../support/corpus';
import { needs } from '../../support/needs';

const only = ['public-key-policy'];

const ADMIN = `{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}`;

/** A key policy: the default statement and one statement for everyone with the given condition. */
function everyone(principal: string, condition?: string): string {
  return `{"Version": "2012-10-17", "Statement": [${ADMIN},
  {"Effect": "Allow", "Principal": ${principal}, "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"${condition ? `, "Condition": ${condition}` : ''}}]}`;
}

test('public-key-policy: "*" restricted by aws:PrincipalOrgID, kms:CallerAccount or aws:PrincipalAccount is not public', () => {
  expectFindings(everyone('"*"', '{"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}'), { only });
  expectFindings(everyone('{"AWS": "*"}', '{"StringEquals": {"kms:CallerAccount": "111122223333"}}'), { only });
  expectFindings(everyone('{"AWS": "*"}', '{"StringEquals": {"aws:PrincipalAccount": ["111122223333", "444455556666"]}}'), { only });
});

test('public-key-policy: other restricting keys and operators', () => {
  // The AWS managed key pattern: ViaService with CallerAccount.
  expectFindings(everyone('{"AWS": "*"}', '{"StringEquals": {"kms:ViaService": "ec2.us-west-2.amazonaws.com", "kms:CallerAccount": "111122223333"}}'), { only });
  expectFindings(everyone('"*"', '{"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": ["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"]}}'), { only });
  expectFindings(everyone('"*"', '{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/app-*"}}'), { only });
  expectFindings(everyone('"*"', '{"StringEqualsIgnoreCase": {"aws:SourceAccount": "111122223333"}}'), { only });
  expectFindings(everyone('"*"', '{"StringEquals": {"aws:SourceVpce": "vpce-1234abcdf5678c90a"}}'), { only });
  expectFindings(everyone('"*"', '{"StringLike": {"aws:userid": "AROAEXAMPLEID:*"}}'), { only });
});

test('public-key-policy: no condition, "*" and {"AWS": "*"} and "*" in a list', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [${ADMIN},
  {"Effect": "Allow", "Principal": «public-key-policy:"*"», "Action": "kms:Decrypt", "Resource": "*"},
  {"Effect": "Allow", "Principal": {"AWS": «public-key-policy:"*"»}, "Action": "kms:Decrypt", "Resource": "*"},
  {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::444455556666:root", «public-key-policy:"*"»]}, "Action": "kms:Decrypt", "Resource": "*"}]}`, { only });
});

test('public-key-policy: conditions that do not restrict the callers', () => {
  const cases = [
    '{"StringNotEquals": {"kms:CallerAccount": "111122223333"}}',
    '{"StringEqualsIfExists": {"kms:CallerAccount": "111122223333"}}',
    '{"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}',
    '{"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "*"}}',
    '{"StringLike": {"kms:CallerAccount": "*"}}',
    '{"StringEquals": {"kms:CallerAccount": "${aws:PrincipalAccount}"}}',
    '{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/Admin"}}',
    '{"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}',
    '{"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}}',
    '{"Null": {"aws:PrincipalOrgID": "false"}}',
    '{"StringLike": {"aws:PrincipalOrgID": ["o-a1b2c3d4e5", "o-*"]}}',
  ];
  for (const c of cases) expectFindings(everyone('{"AWS": «public-key-policy:"*"»}', c), { only });
});

test('public-key-policy: Deny statements and named principals are not public', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [${ADMIN},
  {"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "kms:Decrypt", "Resource": "*"}]}`, { only });
});

test('public-key-policy: a Deny for everyone outside the organization keeps an Allow for "*" private', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [${ADMIN},
  {"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"},
  {"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}`, { only });
  // A Deny with another condition as well no longer covers every outside caller.
  expectFindings(`{"Version": "2012-10-17", "Statement": [${ADMIN},
  {"Effect": "Allow", "Principal": «public-key-policy:"*"», "Action": "kms:Decrypt", "Resource": "*"},
  {"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}, "Bool": {"aws:SecureTransport": "false"}}}]}`, { only });
  // The documented data-perimeter form spares AWS service principals only: every IAM caller outside is still denied.
  for (const exempt of ['"BoolIfExists": {"aws:PrincipalIsAWSService": "false"}', '"Bool": {"aws:PrincipalIsAWSService": false}']) {
    expectFindings(`{"Version": "2012-10-17", "Statement": [${ADMIN},
  {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Decrypt", "Resource": "*"},
  {"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}, ${exempt}}}]}`, { only });
  }
  // Alone, or with "true", it is no perimeter.
  for (const condition of ['{"BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}', '{"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}, "BoolIfExists": {"aws:PrincipalIsAWSService": "true"}}']) {
    expectFindings(`{"Version": "2012-10-17", "Statement": [${ADMIN},
  {"Effect": "Allow", "Principal": {"AWS": «public-key-policy:"*"»}, "Action": "kms:Decrypt", "Resource": "*"},
  {"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*", "Condition": ${condition}}]}`, { only });
  }
});

test('public-key-policy: CloudFormation intrinsic condition values count as fixed', () => {
  expectFindings(JSON.stringify({
    Resources: { Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } }, Action: 'kms:*', Resource: '*' },
      { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': { Ref: 'AWS::AccountId' } } } },
      { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'Fn::If': ['C', { 'kms:CallerAccount': { Ref: 'AWS::AccountId' } }, { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' }] } } },
    ] } } } },
  }), { only, file: 'template.json' });
});

test('public-key-policy: identity policies are not checked', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}`, { only });
});

test('public-key-policy: agrees with the verdicts of other tools on their KMS fixtures', needs('corpus', corpusMissing('kms-key-policies/security-tool-fixtures')), () => {
  const dir = 'kms-key-policies/security-tool-fixtures';
  const expected: [string, boolean][] = [
    ['kics-cloudformation/kms_allows_wildcard_principal__test__positive1__Resources_myKey.json', true],
    ['kics-cloudformation/kms_allows_wildcard_principal__test__positive2__Resources_myKey.json', true],
    ['kics-cloudformation/kms_allows_wildcard_principal__test__negative1__Resources_myKey.json', false],
    ['kics-cloudformation/kms_allows_wildcard_principal__test__negative2__Resources_myKey.json', false],
    ['checkov-cloudformation/templates__resource__aws__example_KMSKeyWildCardPrincipal__KMSKeyWildCardPrincipal-FAILED-AWS-Wildcard__Resources_AwsWildcardList.json', true],
    ['checkov-cloudformation/templates__resource__aws__example_KMSKeyWildCardPrincipal__KMSKeyWildCardPrincipal-PASSED__Resources_Deny.json', false],
    ['checkov-cloudformation/templates__resource__aws__example_KMSKeyWildCardPrincipal__KMSKeyWildCardPrincipal-PASSED__Resources_Root.json', false],
    ['cfn_nag/templates__json__kms__kms_key_with_aws_wildcard_principal__Resources_myKeyAwsWildcardPrincipal.json', true],
    ['cfn_nag/templates__json__kms__kms_key_without_wildcard_principal__Resources_myKeyNoWildcardPrincipal.json', false],
    ['cfn-guard-rules-registry/rules__aws__aws_kms__tests__kms_no_wildcard_principal_tests__2_input_Resources_KMS_NO_WILDCARD_PRINCIPAL.json', true],
    ['cfn-guard-rules-registry/rules__aws__aws_kms__tests__kms_no_wildcard_principal_tests__3_input_Resources_KMS_NO_WILDCARD_PRINCIPAL.json', false],
    // Access Analyzer's recorded get-analyzed-resource answers: isPublic true / false.
    ['aws-iam-access-analyzer-kms-blog/public-kms-key-policy.decoded.json', true],
    ['aws-iam-access-analyzer-kms-blog/default-kms-key-policy.json', false],
    ['aws-cloudformation-iam-policy-validator/test_files__public_access_test__Resources_MyKey.json', true],
  ];
  for (const [file, isPublic] of expected) {
    const text = fs.readFileSync(corpusPath(dir, file), 'utf8');
    const found = checkText(file, text).findings.filter((f) => f.checkId === 'public-key-policy');
    assert.equal(found.length > 0, isPublic, file);
  }
});

// Issue 18, defect 3: one short sentence first (what is wrong, what to do), then how.
test('public-key-policy: the message leads with what to do', () => {
  const r = expectFindings(everyone('{"AWS": «public-key-policy:"*"»}'), { only });
  assert.equal(r.findings.find((f) => f.checkId === 'public-key-policy')!.message,
    'Every principal of every account may use this key: limit the callers with a condition, or name the principals. '
    + 'Conditions that limit them: kms:CallerAccount, aws:PrincipalAccount, aws:PrincipalOrgID or aws:PrincipalArn with StringEquals/ArnLike.');
});
