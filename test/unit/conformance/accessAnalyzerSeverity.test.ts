/**
 * Severities follow Access Analyzer's finding types: for every Access Analyzer code mapped in
 * mappings.json, a policy that has that mistake, and the severity the product gives the finding
 * that covers it (ERROR → error, SECURITY_WARNING and WARNING → warning, SUGGESTION → info). The
 * types are read from the IAM User Guide's check reference in the corpus (and, for codes it does
 * not list, from the findings Access Analyzer reported on the AWS managed policies).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { checkText } from '../../../server/src/core/engine';
import type { PolicyKind } from '../../../server/src/core/model/policyDocument';
import type { Severity } from '../../../server/src/core/findings';
import { loadMappings } from '../../conformance/data';
import { corpusMissing, corpusPath } from '../../support/corpus';
import { needs } from '../../support/needs';

interface Fixture {
  kind: PolicyKind;
  /** The policy; «…» marks the node the finding is at when the policy has other findings of the mapped checks. */
  text: string;
}

const identity = (statement: string, version = '"Version": "2012-10-17", '): Fixture => ({ kind: 'iam-identity-policy', text: `{${version}"Statement": [${statement}]}` });
const keyPolicy = (statement: string): Fixture => ({
  kind: 'kms-key-policy',
  text: `{"Version": "2012-10-17", "Statement": [{"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, ${statement}]}`,
});
const trust = (statement: string): Fixture => ({ kind: 'iam-trust-policy', text: `{"Version": "2012-10-17", "Statement": [${statement}]}` });
/** An identity statement allowing s3:ListBucket (which supports s3:prefix) with this condition. */
const cond = (condition: string): Fixture => identity(`{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": ${condition}}`);
const res = (resource: string): Fixture => identity(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ${resource}}`);
const GITHUB = '"Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity"';

const FIXTURES: Record<string, Fixture> = {
  ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE: identity(`{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*", "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": "a"}}}`),
  ALLOW_WITH_NOT_PRINCIPAL: keyPolicy(`{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/R"}, "Action": "kms:Decrypt", "Resource": "*"}`),
  ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE: identity(`{"Effect": "Allow", "Action": ["kms:Decrypt", "kms:ListKeys"], "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "a"}}}`),
  ARN_ACCOUNT_NOT_ALLOWED: res(`"arn:aws:s3::111122223333:bucket/key"`),
  ARN_REGION_NOT_ALLOWED: identity(`{"Effect": "Allow", "Action": "iam:GetRole", "Resource": "arn:aws:iam:us-east-1:111122223333:role/R"}`),
  CONFIRM_AUDIENCE_CLAIM_TYPE: trust(`{"Effect": "Allow", ${GITHUB}, "Condition": {"ForAnyValue:StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, "StringEquals": {"token.actions.githubusercontent.com:sub": "repo:org/repo:ref:refs/heads/main"}}}`),
  CREATE_SLR_WITH_NOT_ACTION_AND_NOT_RESOURCE: identity(`{"Effect": "Allow", "NotAction": "s3:*", "NotResource": "arn:aws:s3:::b"}`),
  CREATE_SLR_WITH_NOT_RESOURCE: identity(`{"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "NotResource": "arn:aws:iam::111122223333:role/aws-service-role/x"}`),
  CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE: identity(`{"Effect": "Allow", "Action": "iam:Create*", "NotResource": "arn:aws:iam::111122223333:role/x"}`),
  CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE: identity(`{"Effect": "Allow", "Action": "iam:Create*", "Resource": "*"}`),
  CREATE_SLR_WITH_STAR_IN_RESOURCE: identity(`{"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*"}`),
  CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION: identity(`{"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}`),
  DATA_TYPE_MISMATCH: res(`123`),
  DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE: identity(`{"Effect": "Deny", "NotAction": "iam:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:ResourceTag/team": "a"}}}`),
  DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE: identity(`{"Effect": "Deny", "Action": ["kms:ListKeys", "kms:Decrypt"], "Resource": "*", "Condition": {"StringEquals": {"aws:RequestTag/team": "a"}}}`),
  DEPRECATED_GLOBAL_CONDITION_KEY: cond(`{"ArnEquals": {"aws:ARN": "arn:aws:iam::111122223333:role/R"}}`),
  DUPLICATE_KEYS_WITH_DIFFERENT_CASE: cond(`{"StringEquals": {"aws:PrincipalTag/Team": "a", "aws:principaltag/team": "b"}}`),
  EMPTY_ARRAY_ACTION: identity(`{"Effect": "Allow", "Action": [], "Resource": "*"}`),
  EMPTY_ARRAY_CONDITION: cond(`{"StringEquals": {"s3:prefix": []}}`),
  EMPTY_ARRAY_CONDITION_FORALLVALUES: cond(`{"ForAllValues:StringEquals": {"aws:TagKeys": []}}`),
  EMPTY_ARRAY_CONDITION_FORANYVALUE: cond(`{"ForAnyValue:StringEquals": {"aws:TagKeys": []}}`),
  EMPTY_ARRAY_CONDITION_IFEXISTS: cond(`{"StringEqualsIfExists": {"s3:prefix": []}}`),
  EMPTY_ARRAY_PRINCIPAL: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": []}, "Action": "kms:Decrypt", "Resource": "*"}`),
  EMPTY_ARRAY_RESOURCE: identity(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": []}`),
  EMPTY_OBJECT_CONDITION: cond(`{}`),
  EMPTY_OBJECT_PRINCIPAL: keyPolicy(`{"Effect": "Allow", "Principal": {}, "Action": "kms:Decrypt", "Resource": "*"}`),
  EMPTY_SID_VALUE: identity(`{"Sid": "", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}`),
  EMPTY_VARIABLE: res(`"arn:aws:s3:::b/\${}"`),
  EQUIVALENT_TO_NULL_FALSE: cond(`{"StringLike": {"aws:RequestTag/team": "*"}}`),
  FORALLVALUES_WITH_SINGLE_VALUED_KEY: cond(`{"ForAllValues:StringEquals": {"aws:PrincipalOrgID": ["o-a1b2c3d4e5"]}}`),
  IMPROVE_IP_RANGE: cond(`{"IpAddress": {"aws:SourceIp": "203.0.113.7/24"}}`),
  INVALID_ACTION: identity(`{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}`),
  INVALID_ARN_ACCOUNT: identity(`{"Effect": "Allow", "Action": "iam:GetRole", "Resource": "arn:aws:iam::1234:role/R"}`),
  INVALID_ARN_PREFIX: res(`"aws:s3:::b/k"`),
  INVALID_ARN_RESOURCE: identity(`{"Effect": "Allow", "Action": "iam:GetRole", "Resource": "arn:aws:iam::111122223333:«rol/R»"}`),
  INVALID_ARN_REGION: identity(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us_east_1:111122223333:key/k"}`),
  INVALID_ARN_SERVICE_CASE: res(`"arn:aws:S3:::b/k"`),
  INVALID_CONDITION_DATA_TYPE: cond(`{"StringEquals": {"s3:prefix": «{"a": 1}»}}`),
  INVALID_CONDITION_KEY_FORMAT: cond(`{"StringEquals": {"prefix": "a"}}`),
  INVALID_CONDITION_MULTIPLE_BOOLEAN: cond(`{"Bool": {"aws:SecureTransport": ["true", "false"]}}`),
  INVALID_CONDITION_OPERATOR: cond(`{"StringEqualz": {"s3:prefix": "a"}}`),
  INVALID_DATE_VALUE: cond(`{"DateGreaterThan": {"aws:CurrentTime": "2026-1-5"}}`),
  INVALID_EFFECT: identity(`{"Effect": "Permit", "Action": "s3:GetObject", "Resource": "*"}`),
  INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY: trust(`{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:role/R"}, "Action": "sts:AssumeRoleWithSAML"}`),
  INVALID_GLOBAL_CONDITION_KEY: cond(`{"StringEquals": {"aws:PrincipalTeam": "a"}}`),
  INVALID_PARTITION: res(`"arn:amazon:s3:::b/k"`),
  INVALID_POLICY_ELEMENT: identity(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Resources": "*"}`),
  INVALID_PRINCIPAL_FORMAT: keyPolicy(`{"Effect": "Allow", "Principal": ["arn:aws:iam::111122223333:root"], "Action": "kms:Decrypt", "Resource": "*"}`),
  INVALID_PRINCIPAL_KEY: keyPolicy(`{"Effect": "Allow", "Principal": {"Account": "111122223333"}, "Action": "kms:Decrypt", "Resource": "*"}`),
  INVALID_REGION: cond(`{"StringEquals": {"aws:RequestedRegion": "us-est-1"}}`),
  INVALID_ROLE_REFERENCE: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": "AROA1234567890EXAMPLE"}, "Action": "kms:Decrypt", "Resource": "*"}`),
  INVALID_SERVICE: cond(`{"StringEquals": {"s4:prefix": "a"}}`),
  INVALID_SERVICE_CONDITION_KEY: cond(`{"StringEquals": {"s3:prefixx": "a"}}`),
  INVALID_SERVICE_IN_ACTION: identity(`{"Effect": "Allow", "Action": "s4:GetObject", "Resource": "*"}`),
  INVALID_SERVICE_PRINCIPAL_FORMAT: trust(`{"Effect": "Allow", "Principal": {"Service": "ec2"}, "Action": "sts:AssumeRole"}`),
  INVALID_USER_REFERENCE: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": "AIDACKCEVSQ6C2EXAMPLE"}, "Action": "kms:Decrypt", "Resource": "*"}`),
  INVALID_VARIABLE_FOR_OPERATOR: cond(`{"NumericLessThan": {"aws:MultiFactorAuthAge": "\${aws:PrincipalTag/maxAge}"}}`),
  INVALID_VERSION: identity(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}`, '"Version": "2012-10-18", '),
  INVALID_VPCE_FORMAT: cond(`{"StringEquals": {"aws:SourceVpce": "vpce-12"}}`),
  INVALID_VPC_FORMAT: cond(`{"StringEquals": {"aws:SourceVpc": "vpc-12"}}`),
  JSON_SYNTAX_ERROR: { kind: 'iam-identity-policy', text: `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow" "Action": "s3:GetObject", "Resource": "*"}]}` },
  MISMATCHED_ACTION_FOR_PRINCIPAL: trust(`{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/Okta"}, "Action": "sts:AssumeRoleWithWebIdentity"}`),
  MISSING_ACTION: identity(`{"Effect": "Allow", "Resource": "*"}`),
  MISSING_ACTION_FOR_CONDITION_KEY: identity(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"kms:GrantOperations": ["Decrypt"]}}}`),
  MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY: trust(`{"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"}, "Action": "sts:AssumeRole", "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:rolesanywhere:us-east-1:111122223333:trust-anchor/a"}}}`),
  MISSING_ARN_FIELD: res(`"arn:aws:s3"`),
  MISSING_ARN_REGION: identity(`{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs::111122223333:q"}`),
  MISSING_BRACE_IN_VARIABLE: res(`"arn:aws:s3:::b/\${aws:username"`),
  MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL: trust(`{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/example.com"}, "Action": "sts:AssumeRoleWithWebIdentity"}`),
  MISSING_EFFECT: identity(`{"Action": "s3:GetObject", "Resource": "*"}`),
  MISSING_GITHUB_REPO_CONDITION_KEY: trust(`{"Effect": "Allow", ${GITHUB}, "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}}`),
  MISSING_PAIRED_CONDITION_KEYS: cond(`{"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"}}`),
  MISSING_PRINCIPAL: keyPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}`),
  MISSING_QUALIFIER: identity(`{"Effect": "Allow", "Action": "events:PutRule", "Resource": "*", "Condition": {"StringEquals": {"events:detail-type": ["x"]}}}`),
  MISSING_QUOTE_IN_VARIABLE: res(`"arn:aws:s3:::b/\${aws:username, default}"`),
  MISSING_RESOURCE: identity(`{"Effect": "Allow", "Action": "s3:GetObject"}`),
  MISSING_STATEMENT: { kind: 'iam-identity-policy', text: `{"Version": "2012-10-17"}` },
  MISSING_TAG_KEY_IN_CONDITION: cond(`{"StringEquals": {"aws:ResourceTag": "a"}}`),
  MISSING_VERSION: identity(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}`, ''),
  NULL_WITH_IF_EXISTS: cond(`{"NullIfExists": {"s3:prefix": "true"}}`),
  NULL_WITH_QUALIFIER: cond(`{"ForAnyValue:Null": {"aws:TagKeys": "true"}}`),
  PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE: identity(`{"Effect": "Allow", "NotAction": "s3:*", "NotResource": "arn:aws:s3:::b"}`),
  PASS_ROLE_WITH_NOT_RESOURCE: identity(`{"Effect": "Allow", "Action": "iam:PassRole", "NotResource": "arn:aws:iam::111122223333:role/x"}`),
  PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE: identity(`{"Effect": "Allow", "Action": "iam:Pass*", "NotResource": "arn:aws:iam::111122223333:role/x"}`),
  PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE: identity(`{"Effect": "Allow", "Action": "iam:Pass*", "Resource": "*"}`),
  PASS_ROLE_WITH_STAR_IN_RESOURCE: identity(`{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}`),
  PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION: identity(`{"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}`),
  POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA: identity(Array.from({ length: 200 }, (_, i) => `{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket-${i}/*"}`).join(', ')),
  POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA: keyPolicy(Array.from({ length: 300 }, (_, i) => `{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Role${i}"}, "Action": "kms:Decrypt", "Resource": "*"}`).join(', ')),
  POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA: trust(Array.from({ length: 40 }, (_, i) => `{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Role${i}"}, "Action": "sts:AssumeRole"}`).join(', ')),
  PRIVATE_IP_ADDRESS: cond(`{"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}`),
  PRIVATE_IP_ADDRESS_SUBSET: cond(`{"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "203.0.113.0/24"]}}`),
  PRIVATE_NOT_IP_ADDRESS: cond(`{"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}`),
  PRIVATE_NOT_IP_ADDRESS_SUBSET: cond(`{"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "203.0.113.0/24"]}}`),
  RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL: keyPolicy(`{"Effect": "Allow", "Principal": {"Service": "logs.us-east-1.amazonaws.com"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:111122223333:log-group:*"}}}`),
  REDUNDANT_ACTION: identity(`{"Effect": "Allow", "Action": ["s3:Get*", "s3:GetObject"], "Resource": "*"}`),
  REDUNDANT_CONDITION_VALUE_NUM: cond(`{"NumericLessThan": {"aws:MultiFactorAuthAge": ["2700", "3600"]}}`),
  REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY: trust(`{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:role/R", "arn:aws:sts::111122223333:assumed-role/R/s"]}, "Action": "sts:AssumeRole"}`),
  REDUNDANT_RESOURCE: res(`["arn:aws:s3:::b/*", "arn:aws:s3:::b/k"]`),
  REDUNDANT_STATEMENT: identity(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}`),
  RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL: keyPolicy(`{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:GenerateDataKey*", "Resource": "*"}`),
  ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL: trust(`{"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/R"}, "Action": "sts:AssumeRole"}`),
  ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE: trust(`{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole", "Resource": "*"}`),
  ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL: trust(`{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}`),
  SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED: trust(`{"Effect": "Allow", ${GITHUB}, "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, "StringLike": {"token.actions.githubusercontent.com:sub": "repo:org/*"}}}`),
  STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS: cond(`{"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/admin"}}`),
  TYPE_MISMATCH: cond(`{"NumericEquals": {"aws:SourceArn": "1"}}`),
  TYPE_MISMATCH_BOOLEAN: cond(`{"Bool": {"aws:SecureTransport": "yes"}}`),
  TYPE_MISMATCH_DATE: cond(`{"DateGreaterThan": {"aws:CurrentTime": "31/01/2026"}}`),
  TYPE_MISMATCH_IP_RANGE: cond(`{"IpAddress": {"aws:SourceIp": "300.1.1.1"}}`),
  TYPE_MISMATCH_NUMBER: cond(`{"NumericLessThan": {"aws:MultiFactorAuthAge": "one hour"}}`),
  TYPE_MISMATCH_STRING: cond(`{"BinaryEquals": {"aws:UserAgent": "not base64!"}}`),
  UNIQUE_SIDS_RECOMMENDED: identity(`{"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, {"Sid": "A", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}`),
  UNIQUE_SIDS_REQUIRED: trust(`{"Sid": "A", "Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}, {"Sid": "A", "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}`),
  UNSUPPORTED_ACTION_FOR_CONDITION_KEY: identity(`{"Effect": "Allow", "Action": ["ec2:StartInstances", "ec2:DescribeInstances"], "Resource": "*", "Condition": {"StringEquals": {"ec2:ResourceTag/team": "a"}}}`),
  UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL: keyPolicy(`{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:GenerateDataKey*", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333", "aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}`),
  UNSUPPORTED_ELEMENT_COMBINATION: identity(`{"Effect": "Allow", "Action": "s3:GetObject", "NotAction": "s3:PutObject", "Resource": "*"}`),
  UNSUPPORTED_GLOBAL_CONDITION_KEY: cond(`{"StringEquals": {"aws:ARN": "arn:aws:iam::111122223333:role/R"}}`),
  UNSUPPORTED_PRINCIPAL: identity(`{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "*"}`),
  UNSUPPORTED_SID: identity(`{"Sid": "my sid!", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}`),
  UNSUPPORTED_SPACE_IN_VARIABLE: res(`"arn:aws:s3:::b/\${aws: username}"`),
  UNSUPPORTED_WILDCARD_IN_PRINCIPAL: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/*"}, "Action": "kms:Decrypt", "Resource": "*"}`),
  VARIABLE_UNSUPPORTED_IN_ELEMENT: identity(`{"Effect": "Allow", "Action": "s3:\${aws:username}", "Resource": "*"}`),
  VARIABLE_UNSUPPORTED_IN_VERSION: identity(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/\${aws:username}/*"}`, '"Version": "2008-10-17", '),
  WILDCARD_IN_SERVICE_NAME: identity(`{"Effect": "Allow", "Action": "s3*:GetObject", "Resource": "*"}`),
  WILDCARD_WITHOUT_LIKE_OPERATOR: cond(`{"StringEquals": {"aws:PrincipalTag/team": "dev-*"}}`),
};

/**
 * Codes whose finding deliberately has another severity than Access Analyzer's type, and why.
 * The test checks that these findings still have the severity given here.
 */
const OTHER_SEVERITY: Record<string, { severity: Severity; why: string }> = {
  DEPRECATED_GLOBAL_CONDITION_KEY: { severity: 'error', why: 'Access Analyzer names aws:ARN both deprecated (a warning) and unsupported (UNSUPPORTED_GLOBAL_CONDITION_KEY, an error); the product reports the key once, as the error' },
  UNIQUE_SIDS_RECOMMENDED: { severity: 'error', why: 'IAM requires unique Sids in identity and trust policies (IAM User Guide, Sid element): reported as the error of UNIQUE_SIDS_REQUIRED; only KMS, which accepts duplicates, gets a warning' },
  UNSUPPORTED_ACTION_FOR_CONDITION_KEY: { severity: 'warning', why: 'some actions of the statement without the key: the product\'s rule follows the Service Authorization Reference and is broader than Access Analyzer\'s, which raises the code on none of the AWS managed policies where the product finds 22 that IAM accepts; when no action supports the key it is an error (MISSING_ACTION_FOR_CONDITION_KEY\'s fixture)' },
  POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA: { severity: 'error', why: 'a key policy over 32,768 bytes is refused by PutKeyPolicy: an error, where Access Analyzer, which does not know the resource type\'s quota for certain, warns' },
};

/**
 * Codes mapped to a check that does not raise them yet (none today). The test fails once one
 * is raised, so that it gets its place above.
 */
const NOT_RAISED: Record<string, Fixture> = {};

const SEVERITY_OF_TYPE: Record<string, Severity> = { ERROR: 'error', SECURITY_WARNING: 'warning', WARNING: 'warning', SUGGESTION: 'info' };

/** Access Analyzer's finding type of each code: the check reference first, the managed-policy findings for codes it does not list. */
function accessAnalyzerTypes(): Map<string, string> {
  const types = new Map<string, string>();
  const catalogue = JSON.parse(fs.readFileSync(corpusPath('linter-fixtures', 'access-analyzer-docs', 'POLICY_CHECK_CATALOG.json'), 'utf8')) as { checks: { finding_type: string; issue_code_derived_from_anchor: string }[] };
  const apiType: Record<string, string> = { Error: 'ERROR', 'Security Warning': 'SECURITY_WARNING', 'General Warning': 'WARNING', Suggestion: 'SUGGESTION' };
  for (const c of catalogue.checks) types.set(c.issue_code_derived_from_anchor.replace(/^GENERAL_WARNING_/, ''), apiType[c.finding_type]);
  const managed = JSON.parse(fs.readFileSync(corpusPath('linter-fixtures', 'access-analyzer-mamip', 'EXPECTED.json'), 'utf8')) as Record<string, { findings: { findingType: string; issueCode: string }[] }>;
  for (const entry of Object.values(managed)) for (const f of entry.findings) if (!types.has(f.issueCode)) types.set(f.issueCode, f.findingType);
  return types;
}

/** The findings of the mapped checks on the fixture, within its «…» mark when it has one. */
function findingsFor(fixture: Fixture, checkIds: string[]): { checkId: string; severity: Severity; message: string }[] {
  const start = fixture.text.indexOf('«');
  const text = fixture.text.replace(/[«»]/g, '');
  const end = start < 0 ? -1 : fixture.text.indexOf('»') - 1;
  return checkText('p.json', text, { binding: { kind: fixture.kind } }).findings
    .filter((f) => checkIds.includes(f.checkId) && (start < 0 || (f.span.offset === start && f.span.offset + f.span.length === end)));
}

const mapped = loadMappings().vocabularies['access-analyzer'].mapped;

test('access-analyzer severities: every mapped code has a fixture here, and every fixture a mapped code', () => {
  assert.deepEqual(Object.keys(mapped).filter((code) => !(code in FIXTURES) && !(code in NOT_RAISED)), []);
  assert.deepEqual([...Object.keys(FIXTURES), ...Object.keys(NOT_RAISED)].filter((code) => !(code in mapped)), []);
  assert.deepEqual(Object.keys(OTHER_SEVERITY).filter((code) => !(code in FIXTURES)), []);
});

test('access-analyzer severities: the codes listed as not raised yet are not raised', () => {
  const raised = Object.entries(NOT_RAISED).filter(([code, fixture]) => findingsFor(fixture, mapped[code]).length > 0).map(([code]) => code);
  assert.deepEqual(raised, [], 'raised now: give them a fixture in FIXTURES and remove them from NOT_RAISED');
});

test('access-analyzer severities: the finding on each code\'s fixture has the severity of Access Analyzer\'s type', needs('corpus', corpusMissing('linter-fixtures')), () => {
  const types = accessAnalyzerTypes();
  const wrong: string[] = [];
  for (const [code, checkIds] of Object.entries(mapped)) {
    const type = types.get(code);
    if (!type) { wrong.push(`${code}: no Access Analyzer type found`); continue; }
    if (code in NOT_RAISED) continue;
    const found = findingsFor(FIXTURES[code], checkIds);
    if (!found.length) { wrong.push(`${code}: no finding of ${checkIds.join('/')} on its fixture`); continue; }
    const expected = OTHER_SEVERITY[code]?.severity ?? SEVERITY_OF_TYPE[type];
    for (const f of found) if (f.severity !== expected) wrong.push(`${code} (${type}): ${f.checkId} reports ${f.severity}: ${f.message}`);
  }
  assert.deepEqual(wrong, []);
});
