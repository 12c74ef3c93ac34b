import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { conditionValueType } from '../../../server/src/core/checks/conditionValueType';
import { checkText } from '../../../server/src/core/engine';
import { corpusMissing, corpusPath } from '../../support/corpus';
import { applyEdits, expectFindings } from '../../support/fixture';
import { needs } from '../../support/needs';
import { yamlKeyTemplate } from '../../support/cfnYaml';
import { withHclParser } from '../../support/hcl';

withHclParser();

const only = ['condition-value-type'];
const policy = (condition: string, version = '"Version": "2012-10-17", ') =>
  `{${version}"Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": ${condition}}]}`;

test('condition-value-type: values that fit', () => {
  expectFindings(policy(`{
    "Bool": {"aws:SecureTransport": true, "aws:MultiFactorAuthPresent": "false", "kms:GrantIsForAWSResource": "True"},
    "Null": {"aws:PrincipalOrgID": false, "kms:ViaService": "true"},
    "NumericNotEquals": {"aws:MultiFactorAuthAge": [3600, "7200", "1.5"]},
    "DateGreaterThan": {"aws:CurrentTime": ["2026-01-31", "2026-01-31T12:00:00Z", "2026-01-31T12:00:00.123+02:00", "1767225600", 1767225600]},
    "IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "203.0.113.7", "2001:db8::/32", "::ffff:203.0.113.7", "2001:DB8:0:0:8:800:200C:417A"]},
    "ArnLike": {"aws:SourceArn": ["arn:aws:s3:::b", "*", "arn:aws:sqs:*:111122223333:*"]},
    "NumericEquals": {"aws:EpochTime": "1767225600"}}`), { only });
});

test('condition-value-type: values that do not fit, range is the value', () => {
  expectFindings(policy(`{
    "Bool": {"aws:SecureTransport": «condition-value-type:"yes"»},
    "BoolIfExists": {"aws:MultiFactorAuthPresent": [«condition-value-type:1»]},
    "Null": {"kms:ViaService": «condition-value-type:"absent"»},
    "NumericLessThan": {"aws:MultiFactorAuthAge": «condition-value-type:"one hour"»},
    "DateGreaterThan": {"aws:CurrentTime": [«condition-value-type:"31/01/2026"», «condition-value-type:"2026-13-01"»]},
    "IpAddress": {"aws:SourceIp": [«condition-value-type:"203.0.113.0/33"», «condition-value-type:"300.1.1.1"», «condition-value-type:"2001:db8:::1"»]},
    "ArnEquals": {"aws:SourceArn": «condition-value-type:"111122223333"»}}`), { only });
});

test('condition-value-type: JSON booleans and strings in Bool, with set qualifiers', () => {
  expectFindings(policy(`{"ForAnyValue:Bool": {"kms:GrantIsForAWSResource": [true, "false"]}, "Bool": {"aws:SecureTransport": [«condition-value-type:"TRUE!"», false]}}`), { only });
});

test('condition-value-type: an operator that does not fit the key type', () => {
  expectFindings(policy(`{
    "NumericEquals": {«condition-value-type:"aws:SourceArn"»: "1"},
    "DateLessThan": {«condition-value-type:"aws:SecureTransport"»: "2026-01-01"},
    "StringEquals": {«condition-value-type:"aws:ViaAWSService"»: "true", "aws:SourceArn": "arn:aws:s3:::b"},
    "IpAddress": {«condition-value-type:"aws:MultiFactorAuthAge"»: "203.0.113.0/24"}}`), { only });
});

test('condition-value-type: ForAllValues on single-valued global keys; multivalued keys and ForAnyValue are fine', () => {
  expectFindings(policy(`{
    "ForAllValues:StringEquals": {«condition-value-type:"aws:PrincipalOrgID"»: ["o-a1b2c3d4e5"], "aws:TagKeys": ["team"], "kms:EncryptionContextKeys": ["app"]},
    "ForAllValues:StringLikeIfExists": {«condition-value-type:"aws:RequestTag/team"»: ["a*"]},
    "ForAnyValue:StringEquals": {"aws:PrincipalOrgID": ["o-a1b2c3d4e5"]}}`), { only });
});

test('condition-value-type: policy variables only in String and Arn conditions', () => {
  expectFindings(policy(`{
    "StringEquals": {"aws:PrincipalTag/team": "\${aws:ResourceTag/team}"},
    "ArnLike": {"aws:SourceArn": "arn:aws:s3:::\${aws:username}-*"},
    "NumericLessThan": {"aws:MultiFactorAuthAge": «condition-value-type:"\${aws:PrincipalTag/maxAge}"»},
    "DateGreaterThan": {"aws:CurrentTime": «condition-value-type:"\${aws:TokenIssueTime}"»}}`), { only });
});

test('condition-value-type: a policy variable in a Numeric or Date condition is an error (INVALID_VARIABLE_FOR_OPERATOR)', () => {
  const r = expectFindings(policy(`{"NumericLessThan": {"aws:MultiFactorAuthAge": «condition-value-type:"\${aws:PrincipalTag/maxAge}"»}}`), { only });
  assert.equal(r.findings[0].severity, 'error');
});

test('condition-value-type: a Bool condition with both values (INVALID_CONDITION_MULTIPLE_BOOLEAN) is an error; one value, or a set qualifier, is fine', () => {
  const r = expectFindings(policy(`{"Bool": {«condition-value-type:"aws:SecureTransport"»: ["true", "false"]}, "BoolIfExists": {"aws:MultiFactorAuthPresent": ["true"]}, "ForAnyValue:Bool": {"kms:GrantIsForAWSResource": [true, "false"]}}`), { only });
  assert.deepEqual(r.findings.filter((f) => f.checkId === only[0]).map((f) => [f.severity, f.message]), [['error', 'A Boolean key has one value per request: give one value. Bool on aws:SecureTransport with several values (true, false) matches whichever it is.']]);
});

test('condition-value-type: with Version 2008 a ${…} is literal text', () => {
  expectFindings(policy(`{"DateGreaterThan": {"aws:CurrentTime": «condition-value-type:"\${aws:TokenIssueTime}"»}, "StringEquals": {"aws:username": "\${aws:username}"}}`, '"Version": "2008-10-17", '), { only });
});

test('condition-value-type: unknown operators, unknown keys and intrinsics are left alone', () => {
  expectFindings(policy(`{"Boolean": {"aws:SecureTransport": "yes"}, "StringEquals": {"nosuch:Key": "x"}, "IpAddress": {"aws:SourceIp": {"Ref": "Cidr"}}}`), { only });
});

test('condition-value-type: in the AWS managed policies only the type mismatch Access Analyzer also reports', needs('corpus', corpusMissing('aws-managed')), () => {
  const dir = corpusPath('aws-managed');
  const found: string[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    for (const f of checkText(name, text, { checks: [conditionValueType] }).findings) {
      const kind = f.message.includes('is an ARN key') ? 'arn-key' : f.message.startsWith('StringLike "*"') ? 'null-false' : f.message.includes('is multivalued') ? 'qualifier' : 'type';
      found.push(`${kind} ${name} ${text.slice(f.span.offset, f.span.offset + f.span.length)}`);
    }
  }
  assert.deepEqual(found.filter((f) => f.startsWith('type ')), ['type AIOpsAssistantPolicy.json "aws:ViaAWSService"']);
  // Access Analyzer's MISSING_QUALIFIER on the same run (3), and the SageMakerStudioProject policy it could not analyse.
  assert.deepEqual(found.filter((f) => f.startsWith('qualifier ')), [
    'qualifier AWSAuditManagerAdministratorAccess.json "events:detail-type"',
    'qualifier AWSAuditManagerServiceRolePolicy.json "events:detail-type"',
    'qualifier CloudTrailEventContext.json "events:detail-type"',
    'qualifier SageMakerStudioProjectProvisioningRolePolicy.json "events:detail-type"',
  ]);
  // As Access Analyzer's STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS on the same run (13), and the two
  // SageMakerStudioProject policies it could not analyse (over 50,000 characters).
  assert.deepEqual(found.filter((f) => f.startsWith('arn-key ')).map((f) => f.slice(8)).sort(), [
    'AWSCodePipeline_FullAccess.json "codestar-notifications:NotificationsForResource"',
    'AWSCodePipeline_ReadOnlyAccess.json "codestar-notifications:NotificationsForResource"',
    'AWSServiceRoleForSMS.json "iam:AssociatedResourceArn"',
    ...Array(7).fill('AmazonSecurityLakeAdministrator.json "iam:AssociatedResourceARN"'),
    'AmazonSecurityLakeAdministrator.json "ram:ResourceArn"',
    'S3UnlockBucketPolicy.json "aws:PrincipalArn"',
    'SQSUnlockQueuePolicy.json "aws:PrincipalArn"',
    'SageMakerStudioProjectUserRolePermissionsBoundary.json "redshift-data:glue-catalog-arn"',
    'SageMakerStudioProjectUserRolePolicy.json "redshift-data:glue-catalog-arn"',
  ].sort());
  // Access Analyzer's EQUIVALENT_TO_NULL_FALSE: 106 in 55 policies (the conformance suite matches them one by one).
  const nullFalse = found.filter((f) => f.startsWith('null-false '));
  assert.equal(nullFalse.length, 106);
  assert.equal(new Set(nullFalse.map((f) => f.split(' ')[1])).size, 55);
  assert.ok(nullFalse.every((f) => f.endsWith(' "*"')));
});

test('condition-value-type: String…Like on an ARN key (STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS); StringEquals and Arn operators are fine', () => {
  const r = expectFindings(policy(`{"StringLike": {«condition-value-type:"aws:PrincipalArn"»: "arn:aws:iam::*:role/admin"},
    "StringNotLikeIfExists": {«condition-value-type:"aws:SourceArn"»: "arn:aws:s3:::b*"},
    "StringEquals": {"aws:SourceAccount": "111122223333", "aws:PrincipalArn": "arn:aws:iam::111122223333:role/app"},
    "ArnLike": {"aws:SourceArn": "arn:aws:s3:::*"}}`), { only });
  assert.deepEqual(r.findings.filter((f) => f.checkId === only[0]).map((f) => [f.severity, f.message]), [
    ['warning', 'aws:PrincipalArn is an ARN key: compare it with ArnLike rather than StringLike. In a String comparison a wildcard can run across the ARN\'s parts.'],
    ['warning', 'aws:SourceArn is an ARN key: compare it with ArnNotLike rather than StringNotLikeIfExists. In a String comparison a wildcard can run across the ARN\'s parts.'],
  ]);
});

test('condition-value-type: StringLike "*" is the Null operator\'s false (EQUIVALENT_TO_NULL_FALSE), a suggestion', () => {
  const r = expectFindings(policy(`{"StringLike": {"aws:RequestTag/team": «condition-value-type:"*"», "aws:PrincipalTag/dept": ["a*", «condition-value-type:"*"»]},
    "StringLikeIfExists": {"aws:ResourceTag/team": "*"}, "ForAnyValue:StringLike": {"aws:TagKeys": "*"}}`), { only });
  assert.deepEqual(r.findings.filter((f) => f.checkId === only[0]).map((f) => [f.severity, f.message]), [
    ['info', 'StringLike "*" only tests that the key is present: write a Null condition, which says so. For aws:RequestTag/team: {"Null": {"aws:RequestTag/team": "false"}}.'],
    ['info', 'StringLike "*" only tests that the key is present: write a Null condition, which says so. For aws:PrincipalTag/dept: {"Null": {"aws:PrincipalTag/dept": "false"}}.'],
  ]);
});

test('condition-value-type: * or ? in a StringEquals/StringNotEquals value (WILDCARD_WITHOUT_LIKE_OPERATOR), with the fix to the Like operator', () => {
  const marked = policy(`{"StringEquals": {"aws:PrincipalTag/team": ["a", «condition-value-type:"dev-*"»]}, "StringNotEqualsIfExists": {"aws:RequestTag/x": «condition-value-type:"a?c"»},
    "StringLike": {"aws:PrincipalTag/y": "a*"}, "StringEqualsIfExists": {"aws:PrincipalTag/z": "\${*}\${?}\${aws:username}"}}`);
  const r = expectFindings(marked, { only });
  const mine = r.findings.filter((f) => f.checkId === only[0]);
  assert.deepEqual(mine.map((f) => [f.severity, f.message]), [
    ['warning', 'StringEquals has no wildcards: use StringLike if you meant one. StringEquals compares "dev-*" as it is; * and ? are wildcards only with a Like operator.'],
    ['warning', 'StringNotEquals has no wildcards: use StringNotLikeIfExists if you meant one. StringNotEquals compares "a?c" as it is; * and ? are wildcards only with a Like operator.'],
  ]);
  assert.equal(applyEdits(marked.replace(/«condition-value-type:|»/g, ''), mine[1].fixes![0].changes[0].edits).includes('"StringNotLikeIfExists": {"aws:RequestTag/x": "a?c"}'), true);
  // Two keys in the block: the operator is not renamed for one of them.
  const two = policy(`{"StringEquals": {"aws:PrincipalTag/team": "dev-*", "aws:PrincipalTag/dept": "x"}}`);
  assert.equal(checkText('p.json', two).findings.find((f) => f.checkId === only[0])?.fixes?.length ?? 0, 0);
});

test('condition-value-type: Region keys take Region codes (INVALID_REGION)', () => {
  const r = expectFindings(policy(`{"StringEquals": {"aws:RequestedRegion": ["us-east-1", "eu-central-2", "us-gov-west-1", «condition-value-type:"us-est-1"», «condition-value-type:"Frankfurt"»]},
    "StringNotEquals": {"ec2:Region": «condition-value-type:"eu_west_1"»}, "StringLike": {"aws:RequestedRegion": "eu-*"}, "ForAnyValue:StringEquals": {"aws:PrincipalTag/region": "x"}}`), { only });
  assert.deepEqual(r.findings.filter((f) => f.checkId === only[0]).map((f) => [f.severity, f.message]), [
    ['error', '"us-est-1" is not an AWS Region name (such as us-east-1 or eu-central-2): aws:RequestedRegion never equals it. Write a Region code.'],
    ['error', '"Frankfurt" is not an AWS Region name (such as us-east-1 or eu-central-2): aws:RequestedRegion never equals it. Write a Region code.'],
    ['error', '"eu_west_1" is not an AWS Region name (such as us-east-1 or eu-central-2): ec2:Region never equals it. Write a Region code.'],
  ]);
});

test('condition-value-type: a multivalued key without ForAnyValue/ForAllValues (MISSING_QUALIFIER), with the fixes', () => {
  const marked = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "events:PutRule", "Resource": "*", "Condition": {"StringEquals": {«condition-value-type:"events:detail-type"»: ["AWS API Call via CloudTrail"]}}}]}`;
  const r = expectFindings(marked, { only });
  assert.equal(r.findings[0].message, 'This key is multivalued: add ForAnyValue: or ForAllValues: to StringEquals. A request can carry several values of events:detail-type, and StringEquals without a set qualifier does not compare them as a set. Write ForAnyValue:StringEquals (one value must match) or ForAllValues:StringEquals (every value must match).');
  assert.equal(r.findings[0].severity, 'error');
  const plain = marked.replace(/«condition-value-type:|»/g, '');
  assert.deepEqual(r.findings[0].fixes!.map((f) => applyEdits(plain, f.changes[0].edits)), [
    plain.replace('"StringEquals"', '"ForAnyValue:StringEquals"'),
    plain.replace('"StringEquals"', '"ForAllValues:StringEquals"'),
  ]);
  // Another key under the same operator: a qualifier would change it too, so no fix.
  const shared = expectFindings(policy(`{"StringLike": {«condition-value-type:"aws:PrincipalOrgPaths"»: "o-a/r-b/*", "kms:ViaService": "s3.us-east-1.amazonaws.com"}}`), { only });
  assert.equal(shared.findings[0].fixes, undefined);
  // With a qualifier, with Null, and on single-valued keys: fine.
  expectFindings(policy(`{"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-a/r-b/*"}, "ForAllValues:StringEquals": {"aws:TagKeys": ["a"]}, "Null": {"aws:TagKeys": "false"}, "StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}`), { only });
});

test('condition-value-type: several numbers under a Numeric less/greater operator (REDUNDANT_CONDITION_VALUE_NUM), with the fix', () => {
  const marked = policy(`{"NumericLessThan": {"aws:MultiFactorAuthAge": «condition-value-type:["2700", "3600"]»}}`);
  const r = expectFindings(marked, { only });
  assert.equal(r.findings[0].message, 'Several values under NumericLessThan are redundant: any one matching is enough, so the greatest one (3600) alone says the same for aws:MultiFactorAuthAge. Keep 3600.');
  assert.equal(r.findings[0].severity, 'info');
  const plain = marked.replace(/«condition-value-type:|»/g, '');
  assert.equal(applyEdits(plain, r.findings[0].fixes![0].changes[0].edits), plain.replace('["2700", "3600"]', '"3600"'));
  const greater = expectFindings(policy(`{"NumericGreaterThanEquals": {"aws:EpochTime": «condition-value-type:[1767225600, 1700000000, "1800000000"]»}}`), { only });
  assert.match(greater.findings[0].message, /so the least one \(1700000000\) alone says the same for aws:EpochTime\. Keep 1700000000\.$/);
  // One value, Equals operators, and a value that is no number are not judged here.
  expectFindings(policy(`{"NumericLessThan": {"aws:MultiFactorAuthAge": ["3600"]}, "NumericEquals": {"aws:EpochTime": [1, 2]}}`), { only });
  expectFindings(policy(`{"NumericLessThan": {"aws:MultiFactorAuthAge": ["3600", «condition-value-type:"soon"»]}}`), { only });
});

test('condition-value-type: ForAllValues on single-valued KMS keys; in a key policy, on an encryption context key or a request tag, KMS rejects the policy', () => {
  // An identity policy: the KMS keys the KMS guide documents as single-valued, a warning each.
  expectFindings(policy(`{"ForAllValues:StringEquals": {«condition-value-type:"kms:CallerAccount"»: "111122223333", «condition-value-type:"kms:EncryptionContext:app"»: "x", "kms:EncryptionContextKeys": ["app"]},
    "ForAllValues:StringLike": {«condition-value-type:"kms:ViaService"»: "s3.*.amazonaws.com"}}`), { only });
  const key = (condition: string) => `{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": "kms:Encrypt", "Resource": "*", "Condition": ${condition}}]}`;
  const r = expectFindings(key(`{"ForAllValues:StringEquals": {«condition-value-type:"kms:EncryptionContext:app"»: "x"}, "ForAllValues:StringLike": {«condition-value-type:"aws:RequestTag/env"»: "p*", "kms:EncryptionContextKeys": "app"}}`), { only });
  assert.deepEqual(r.findings.map((f) => [f.severity, f.message.split(':')[0]]), [
    ['error', 'KMS rejects ForAllValues on kms'],
    ['error', 'KMS rejects ForAllValues on aws'],
  ]);
  assert.equal(r.findings[0].message, 'KMS rejects ForAllValues on kms:EncryptionContext:app in a key policy: remove "ForAllValues:". CreateKey and PutKeyPolicy refuse the policy (OverlyPermissiveCondition): kms:EncryptionContext:app is single-valued, and ForAllValues would also hold when the request has no such value.');
  // The fix when the key is alone under its operator; none when another key shares it.
  const plain = key(`{"ForAllValues:StringEquals": {"kms:EncryptionContext:app": "x"}}`);
  const alone = checkText('key.json', plain, { checks: [conditionValueType] }).findings;
  assert.deepEqual(alone[0].fixes!.map((f) => applyEdits(plain, f.changes[0].edits)), [plain.replace('"ForAllValues:StringEquals"', '"StringEquals"')]);
  assert.equal(r.findings[1].fixes, undefined);
  // ForAnyValue and plain operators are fine.
  expectFindings(key(`{"ForAnyValue:StringEquals": {"kms:EncryptionContextKeys": "app"}, "StringEquals": {"kms:EncryptionContext:app": "x", "aws:RequestTag/env": "prod"}}`), { only });
});

test('condition-value-type: kms:RequestAlias and kms:ResourceAliases take alias names; an alias ARN never matches, with the fix to its name', () => {
  const marked = policy(`{"StringEquals": {"kms:RequestAlias": «condition-value-type:"arn:aws:kms:us-east-1:111122223333:alias/app"»},
    "ForAnyValue:StringLike": {"kms:ResourceAliases": ["alias/team-*", «condition-value-type:"arn:aws:kms:*:111122223333:alias/ops-*"»]}}`);
  const r = expectFindings(marked, { only });
  assert.equal(r.findings[0].message, 'kms:RequestAlias takes alias names, not alias ARNs: write "alias/app". The key\'s value is the alias name, so "arn:aws:kms:us-east-1:111122223333:alias/app" never matches it.');
  assert.equal(r.findings[0].severity, 'error');
  const plain = marked.replace(/«condition-value-type:|»/g, '');
  assert.equal(applyEdits(plain, r.findings[1].fixes![0].changes[0].edits), plain.replace('"arn:aws:kms:*:111122223333:alias/ops-*"', '"alias/ops-*"'));
  expectFindings(policy(`{"StringEquals": {"kms:RequestAlias": "alias/app", "aws:SourceArn": "arn:aws:kms:us-east-1:111122223333:alias/app"}}`), { only });
});

test('condition-value-type: organization ids and OU paths that never match, or match in any organization, with the fix for the missing slash', () => {
  const marked = policy(`{"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": [«condition-value-type:"ou-ab12-cdef3456/*"», «condition-value-type:"*/ou-ab12-cdef3456/*"», "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*", "o-a1b2c3d4e5/*", "o-*/*", "*"]},
    "ForAnyValue:StringEquals": {"aws:ResourceOrgPaths": [«condition-value-type:"o-a1b2c3d4e5/r-ab12/ou-ab12-11111111"», "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/", "\${aws:PrincipalOrgPaths}"]},
    "StringEquals": {"aws:PrincipalOrgID": ["o-a1b2c3d4e5", «condition-value-type:"123456789012"», «condition-value-type:"o-a1b2c3d4e5/r-ab12/"»], "aws:ResourceOrgID": "\${aws:PrincipalOrgID}"},
    "StringLike": {"aws:SourceOrgID": "o-*"}}`);
  const r = expectFindings(marked, { only });
  assert.deepEqual(r.findings.filter((f) => f.checkId === only[0]).map((f) => f.severity), ['error', 'warning', 'error', 'error', 'error']);
  assert.equal(r.findings[0].message, '"ou-ab12-cdef3456/*" never matches aws:PrincipalOrgPaths: every path starts with the organization id (o-…/r-…/ou-…/). Write the whole path from your organization id, such as o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*.');
  assert.match(r.findings[1].message, /^"\*\/ou-ab12-cdef3456\/\*" matches this OU in every organization: start the path with your organization id/);
  assert.match(r.findings[4].message, /It is an OU path: compare it with aws:PrincipalOrgPaths/);
  const plain = marked.replace(/«condition-value-type:|»/g, '');
  assert.equal(applyEdits(plain, r.findings[2].fixes![0].changes[0].edits), plain.replace('"o-a1b2c3d4e5/r-ab12/ou-ab12-11111111"', '"o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"'));
});

test('condition-value-type: no fix renames an operator block to the name of another block of the Condition (its keys would be lost)', () => {
  const keyPolicy = (condition: string) => `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": ${condition}}]}`;
  const forAll = checkText('k.json', keyPolicy('{"StringEquals": {"kms:CallerAccount": "111122223333"}, "ForAllValues:StringEquals": {"kms:EncryptionContext:Department": "IT"}}')).findings.filter((f) => f.checkId === only[0]);
  assert.equal(forAll.length, 1);
  assert.equal(forAll[0].fixes, undefined);
  const like = checkText('p.json', policy('{"StringLike": {"aws:PrincipalTag/team": "a*"}, "StringEquals": {"aws:PrincipalTag/dept": "b*"}}')).findings.filter((f) => f.checkId === only[0]);
  assert.equal(like.length, 1);
  assert.equal(like[0].fixes, undefined);
  const qualifier = checkText('p.json', policy('{"ForAnyValue:StringEquals": {"aws:TagKeys": "a"}, "StringEquals": {"aws:TagKeys": "b"}}')).findings.filter((f) => f.checkId === only[0]);
  assert.deepEqual(qualifier.map((f) => (f.fixes ?? []).map((x) => x.title)), [['Change to ForAllValues:StringEquals']]);
  // With no other block of that name, the fix is there.
  assert.equal(checkText('k.json', keyPolicy('{"ForAllValues:StringEquals": {"kms:EncryptionContext:Department": "IT"}}')).findings.find((f) => f.checkId === only[0])!.fixes!.length, 1);
});

test('condition-value-type: kms:GrantOperations and kms:GrantConstraintType values a CreateGrant request never carries, with the fix for the case', () => {
  const marked = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:CreateGrant", "Resource": "*", "Condition": {
    "ForAllValues:StringEquals": {"kms:GrantOperations": ["Decrypt", «condition-value-type:"ListGrants"», «condition-value-type:"decrypt"»]},
    "StringEquals": {"kms:GrantConstraintType": «condition-value-type:"EncryptionContextEqual"»}}},
    {"Effect": "Allow", "Action": "kms:CreateGrant", "Resource": "*", "Condition": {"ForAnyValue:StringLike": {"kms:GrantOperations": ["GenerateDataKey*", «condition-value-type:"List*"»]},
    "StringEqualsIgnoreCase": {"kms:GrantConstraintType": "encryptioncontextsubset"}}}]}`;
  const r = expectFindings(marked, { only });
  const mine = r.findings.filter((f) => f.checkId === only[0]);
  assert.match(mine[0].message, /^"ListGrants" is not an operation a grant can carry: kms:GrantOperations never equals it\. A grant carries only Decrypt, Encrypt, /);
  assert.equal(mine[1].message, '"decrypt" is not an operation a grant can carry: kms:GrantOperations never equals it. Write "Decrypt": the comparison is case-sensitive.');
  const plain = marked.replace(/«condition-value-type:|»/g, '');
  assert.equal(applyEdits(plain, mine[1].fixes![0].changes[0].edits), plain.replace('"decrypt"', '"Decrypt"'));
  assert.match(mine[2].message, /^"EncryptionContextEqual" is not a grant constraint type: .* The types are EncryptionContextEquals, EncryptionContextSubset\./);
  assert.match(mine[3].message, /^"List\*" is not an operation a grant can carry: kms:GrantOperations never matches it\./);
});

test('condition-value-type: kms:GranteePrincipal naming an IAM group or a service principal, which a grant\'s grantee never is', () => {
  const r = expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:CreateGrant", "Resource": "*", "Condition": {
    "StringEquals": {"kms:GranteePrincipal": [«condition-value-type:"arn:aws:iam::111122223333:group/Ops"», «condition-value-type:"ec2.amazonaws.com"», "arn:aws:iam::111122223333:role/App", "arn:aws:sts::111122223333:assumed-role/App/s"]}}}]}`, { only });
  assert.equal(r.findings[0].message, '"arn:aws:iam::111122223333:group/Ops" is an IAM group, and a grant\'s grantee never is: kms:GranteePrincipal never equals it. Name the role or user the grant is for.');
});

test('condition-value-type: kms:ViaService values that never match: a service principal, a .cn suffix, no Region, another service\'s name, capitals; with fixes', () => {
  const marked = policy(`{"StringEquals": {"kms:ViaService": [
    "ec2.us-east-1.amazonaws.com", "rds.cn-north-1.amazonaws.com", "sqlworkbench.us-gov-west-1.amazonaws.com",
    «condition-value-type:"ec2.amazonaws.com"», «condition-value-type:"s3.cn-north-1.amazonaws.com.cn"», «condition-value-type:"rds.region.amazonaws.com"»,
    «condition-value-type:"ebs.eu-west-1.amazonaws.com"», «condition-value-type:"aurora.eu-west-1.amazonaws.com"», «condition-value-type:"S3.us-east-1.amazonaws.com"», «condition-value-type:"secretsmanager"»]},
    "StringLike": {"kms:ViaService": ["s3.*.amazonaws.com", "*.amazonaws.com", «condition-value-type:"*"», «condition-value-type:"ec2.*.amazonaws.com.cn"», «condition-value-type:"ebs.*.amazonaws.com"», «condition-value-type:"ec2.amazonaws.com"»]},
    "StringEqualsIgnoreCase": {"kms:ViaService": "S3.US-EAST-1.AMAZONAWS.COM"}}`);
  const r = expectFindings(marked, { only });
  // The "*" is StringLike's presence test (a suggestion); the other ten are errors.
  const mine = r.findings.filter((f) => f.checkId === only[0] && f.severity === 'error');
  assert.equal(mine.length, 10);
  assert.equal(mine[0].message, '"ec2.amazonaws.com" never equals kms:ViaService: write ec2.REGION.amazonaws.com, such as ec2.us-east-1.amazonaws.com, or ec2.*.amazonaws.com with StringLike for every Region. It is a service principal\'s form, without the Region.');
  assert.equal(mine[0].fixes, undefined);
  assert.equal(mine[1].message, '"s3.cn-north-1.amazonaws.com.cn" never matches kms:ViaService: write "s3.cn-north-1.amazonaws.com". The value ends in .amazonaws.com in every partition, China\'s too.');
  assert.match(mine[2].message, /^"rds\.region\.amazonaws\.com" never matches kms:ViaService: write a Region code in place of "region"\./);
  assert.equal(mine[3].message, '"ebs.eu-west-1.amazonaws.com" never matches kms:ViaService: write "ec2.eu-west-1.amazonaws.com". EBS calls KMS as "ec2".');
  assert.equal(mine[4].message, '"aurora.eu-west-1.amazonaws.com" never matches kms:ViaService: write "rds.eu-west-1.amazonaws.com". Aurora calls KMS as "rds".');
  assert.equal(mine[5].message, '"S3.us-east-1.amazonaws.com" never equals kms:ViaService, which is lower case: write "s3.us-east-1.amazonaws.com". The comparison is case-sensitive.');
  assert.match(mine[6].message, /^"secretsmanager" never equals kms:ViaService: write secretsmanager\.REGION\.amazonaws\.com, such as secretsmanager\.us-east-1\.amazonaws\.com/);
  assert.match(mine[7].message, /^"ec2\.\*\.amazonaws\.com\.cn" never matches kms:ViaService/);
  assert.equal(mine[8].message, '"ebs.*.amazonaws.com" never matches kms:ViaService: write ec2.*.amazonaws.com. EBS calls KMS as "ec2".');
  assert.match(mine[9].message, /^"ec2\.amazonaws\.com" never matches kms:ViaService: write ec2\.REGION\.amazonaws\.com/);
  const plain = marked.replace(/«condition-value-type:|»/g, '');
  const fixed = (k: number) => applyEdits(plain, mine[k].fixes![0].changes[0].edits);
  assert.equal(fixed(1), plain.replace('"s3.cn-north-1.amazonaws.com.cn"', '"s3.cn-north-1.amazonaws.com"'));
  assert.equal(fixed(3), plain.replace('"ebs.eu-west-1.amazonaws.com"', '"ec2.eu-west-1.amazonaws.com"'));
  assert.equal(fixed(5), plain.replace('"S3.us-east-1.amazonaws.com"', '"s3.us-east-1.amazonaws.com"'));
  assert.deepEqual([0, 2, 6, 7, 8, 9].map((k) => mine[k].fixes), [undefined, undefined, undefined, undefined, undefined, undefined]);
  // Fixed, the policy has no finding left.
  expectFindings(fixed(3).replace('"*.amazonaws.com", "*"', '"*.amazonaws.com"').replace(/"ec2\.amazonaws\.com"|"s3\.cn-north-1\.amazonaws\.com\.cn"|"rds\.region\.amazonaws\.com"|"aurora[^"]*"|"S3\.us-east-1[^"]*"|"secretsmanager"|"ec2\.\*\.amazonaws\.com\.cn"|"ebs\.\*[^"]*"/g, '"s3.us-east-1.amazonaws.com"'), { only });
});

test('condition-value-type: kms:ViaService in templates is judged by what it writes, ${…} read as any text', () => {
  const yaml = yamlKeyTemplate(`- Effect: Allow
  Principal: {AWS: arn:aws:iam::111122223333:role/App}
  Action: kms:Decrypt
  Resource: '*'
  Condition:
    StringEquals:
      kms:ViaService:
        - !Sub 'ec2.\${AWS::Region}.amazonaws.com'
        - !Sub '\${Service}.\${AWS::Region}.amazonaws.com'
        - «condition-value-type:!Sub 'ebs.\${AWS::Region}.amazonaws.com'»
        - «condition-value-type:!Sub 'ec2.\${AWS::URLSuffix}'»`);
  const r = expectFindings(yaml, { only, file: 'template.yaml' });
  const mine = r.findings.filter((f) => f.checkId === only[0]);
  assert.equal(mine[0].message, '"ebs.${AWS::Region}.amazonaws.com" never matches kms:ViaService: write ec2.${AWS::Region}.amazonaws.com. EBS calls KMS as "ec2".');
  assert.equal(mine[1].message, '"ec2.amazonaws.com" never equals kms:ViaService: write ec2.REGION.amazonaws.com, such as ec2.us-east-1.amazonaws.com, or ec2.*.amazonaws.com with StringLike for every Region. It is a service principal\'s form, without the Region.');
  assert.ok(mine.every((f) => f.fixes === undefined));
  expectFindings(`resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "kms:Decrypt", Resource = "*", Condition = { StringEquals = { "kms:ViaService" = ["s3.\${data.aws_region.current.name}.amazonaws.com", «condition-value-type:"ebs.\${var.region}.amazonaws.com"», «condition-value-type:"s3.amazonaws.com"»] } } }]
  })
}
`, { only, file: 'main.tf' });
});

test('condition-value-type: the Like fix on an ARN-typed key is ArnLike/ArnNotLike (qualifiers kept); "*" alone gets the Null operator, not a Like one', () => {
  /** The text after the one fix of the one condition-value-type finding, and what the check then finds in it. */
  const fixed = (file: string, text: string): [string, string[]] => {
    const fs = checkText(file, text).findings.filter((f) => f.checkId === only[0]);
    assert.equal(fs.length, 1, fs.map((f) => f.message).join('\n'));
    assert.equal(fs[0].fixes?.length, 1, fs[0].message);
    const after = applyEdits(text, fs[0].fixes![0].changes[0].edits);
    return [after, checkText(file, after).findings.filter((f) => f.checkId === only[0]).map((f) => f.message)];
  };
  assert.deepEqual(fixed('p.json', policy('{"StringEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/app-*"}}')),
    [policy('{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/app-*"}}'), []]);
  assert.deepEqual(fixed('p.json', policy('{"StringNotEqualsIfExists": {"aws:SourceArn": ["arn:aws:s3:::logs", "arn:aws:s3:::b*"]}}')),
    [policy('{"ArnNotLikeIfExists": {"aws:SourceArn": ["arn:aws:s3:::logs", "arn:aws:s3:::b*"]}}'), []]);
  // A String-typed key keeps StringLike.
  assert.deepEqual(fixed('p.json', policy('{"StringEquals": {"aws:PrincipalTag/team": "dev-*"}}')),
    [policy('{"StringLike": {"aws:PrincipalTag/team": "dev-*"}}'), []]);
  // "*" alone: present (StringEquals) or absent (StringNotEquals) is what a Like operator would test; the Null operator says it.
  assert.deepEqual(fixed('p.json', policy('{"StringEquals": {"aws:PrincipalTag/team": "*"}}')),
    [policy('{"Null": {"aws:PrincipalTag/team": "false"}}'), []]);
  assert.deepEqual(fixed('p.json', policy('{"StringNotEquals": {"aws:PrincipalArn": ["*"]}}')),
    [policy('{"Null": {"aws:PrincipalArn": ["true"]}}'), []]);
  const star = checkText('p.json', policy('{"StringEquals": {"aws:PrincipalTag/team": "*"}}')).findings.find((f) => f.checkId === only[0])!;
  assert.equal(star.message, 'StringEquals has no wildcards: use a Null condition if you meant that the key is present. StringEquals compares "*" as the character *, and as a Like pattern "*" would only test that the key is present. For aws:PrincipalTag/team: {"Null": {"aws:PrincipalTag/team": "false"}}.');
  assert.equal(star.fixes![0].title, 'Change to {"Null": {"aws:PrincipalTag/team": "false"}}');
  // With IfExists, a set qualifier or other values, "*" has no Null form: the finding comes without a fix.
  for (const condition of ['{"StringEqualsIfExists": {"aws:PrincipalTag/team": "*"}}', '{"ForAnyValue:StringEquals": {"aws:TagKeys": "*"}}', '{"StringEquals": {"aws:PrincipalTag/team": ["*", "dev-*"]}}']) {
    const f = checkText('p.json', policy(condition)).findings.find((x) => x.checkId === only[0]);
    assert.deepEqual([f?.message.startsWith('StringEquals has no wildcards: use a Null condition'), f?.fixes], [true, undefined], condition);
  }
  // Terraform: the condition block's test is renamed.
  const tf = `data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalArn"
      values   = ["arn:aws:iam::111122223333:role/app-*"]
    }
  }
}
resource "aws_iam_role_policy" "p" {
  role   = "r"
  policy = data.aws_iam_policy_document.p.json
}
`;
  assert.deepEqual(fixed('main.tf', tf), [tf.replace('test     = "StringEquals"', 'test     = "ArnLike"'), []]);
});
