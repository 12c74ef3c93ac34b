import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { conditionKeyNotSupported } from '../../../server/src/core/checks/conditionKeyNotSupported';
import { checkText } from '../../../server/src/core/engine';
import { corpusMissing, corpusPath } from '../../support/corpus';
import { applyEdits, expectFindings } from '../../support/fixture';
import { needs } from '../../support/needs';

const only = ['condition-key-not-supported'];
const stmt = (action: string, condition: string, extra = '"Resource": "*"') =>
  `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ${action}, ${extra}, "Condition": ${condition}}]}`;

test('condition-key-not-supported: keys the actions document', () => {
  expectFindings(stmt(`"kms:Decrypt"`, `{"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com", "kms:EncryptionContext:purpose": "backup"}}`), { only });
  expectFindings(stmt(`"kms:CreateGrant"`, `{"Bool": {"kms:GrantIsForAWSResource": true}, "ForAllValues:StringEquals": {"kms:GrantOperations": ["Decrypt"]}}`), { only });
  expectFindings(stmt(`["s3:ListBucket"]`, `{"StringLike": {"s3:prefix": "home/*"}}`, `"Resource": "arn:aws:s3:::b"`), { only });
  // The reference spells this one `ssm:resourceTag/tag-key` on the action.
  expectFindings(stmt(`"ssm:DeregisterManagedInstance"`, `{"StringEquals": {"ssm:resourceTag/team": "a"}}`), { only });
});

test('condition-key-not-supported: global keys are always supported', () => {
  expectFindings(stmt(`"kms:Decrypt"`, `{"StringEquals": {"aws:ResourceTag/team": "a", "aws:PrincipalOrgID": "o-123"}, "Bool": {"aws:SecureTransport": "true"}}`), { only });
});

test('condition-key-not-supported: a key no action of the statement supports', () => {
  expectFindings(stmt(`"kms:Decrypt"`, `{"Bool": {«condition-key-not-supported:"kms:GrantIsForAWSResource"»: "true"}}`), { only });
  expectFindings(stmt(`"kms:CreateKey"`, `{"StringEquals": {«condition-key-not-supported:"kms:EncryptionContext:purpose"»: "x"}}`), { only });
  expectFindings(stmt(`["kms:Decrypt", "kms:Encrypt"]`, `{"StringLike": {«condition-key-not-supported:"s3:prefix"»: "home/*"}}`), { only });
});

test('condition-key-not-supported: IfExists, ForAllValues and Null are judged the same way', () => {
  expectFindings(stmt(`"kms:Decrypt"`, `{"StringEqualsIfExists": {«condition-key-not-supported:"kms:GranteePrincipal"»: "x"},
    "ForAllValues:StringEquals": {«condition-key-not-supported:"kms:GrantOperations"»: ["Decrypt"]},
    "Null": {«condition-key-not-supported:"kms:RetiringPrincipal"»: "false"}}`), { only });
});

test('condition-key-not-supported: wildcards in the middle of action names expand', () => {
  expectFindings(stmt(`"kms:Re*crypt*"`, `{"StringEquals": {"kms:EncryptionContext:app": "x", "kms:ReEncryptOnSameKey": "true"}}`), { only });
  expectFindings(stmt(`"kms:Generate*Pair"`, `{"StringEquals": {«condition-key-not-supported:"kms:GrantOperations"»: "x"}}`), { only });
});

test('condition-key-not-supported: skipped for NotAction, "*", unknown actions and unknown keys', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotAction": "kms:Decrypt", "Resource": "*", "Condition": {"StringLike": {"s3:prefix": "x"}}}]}`, { only });
  expectFindings(stmt(`"*"`, `{"StringLike": {"s3:prefix": "x"}}`), { only });
  expectFindings(stmt(`["kms:Decrypt", "kms:NoSuchAction"]`, `{"StringLike": {"s3:prefix": "x"}}`), { only });
  expectFindings(stmt(`"kms:Decrypt"`, `{"StringEquals": {"kms:NoSuchKey": "x", "nosuchservice:Key": "y"}}`), { only });
});

test('condition-key-not-supported: actions that document no keys at all are not judged for their own service', () => {
  expectFindings(stmt(`"kms:ListKeys"`, `{"StringEquals": {"kms:CallerAccount": "111122223333"}}`), { only });
});

test('condition-key-not-supported: KMS operations on no key never carry a key\'s condition keys', () => {
  const r = expectFindings(stmt(`["kms:ListKeys", "kms:ListAliases"]`, `{"StringEquals": {«condition-key-not-supported:"kms:KeySpec"»: "SYMMETRIC_DEFAULT", "kms:CallerAccount": "111122223333", "kms:ViaService": "s3.us-east-1.amazonaws.com"}}`), { only });
  assert.match(r.findings[0].message, /^kms:KeySpec is not supported by any action of this statement: remove it, or change the actions\./);
  assert.match(r.findings[0].message, /kms:ListKeys, kms:ListAliases act on no KMS key/);
  // The key's other actions keep it: only the ones on no key are named.
  const partial = expectFindings(stmt(`"kms:List*"`, `{"StringEquals": {«condition-key-not-supported:"kms:KeyOrigin"»: "AWS_KMS"}}`), { only });
  assert.equal(partial.findings[0].severity, 'warning');
  assert.match(partial.findings[0].message, /^kms:KeyOrigin does not apply to 3 actions of the statement: .* They are kms:ListAliases, kms:ListKeys, kms:ListRetirableGrants\./);
  expectFindings(stmt(`"kms:CreateKey"`, `{"StringEquals": {"kms:KeySpec": "SYMMETRIC_DEFAULT"}}`), { only });
});

test('condition-key-not-supported: a single Statement object in an embedded key policy', () => {
  expectFindings(String.raw`{"Policy": "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"111122223333\"}, \"Action\": \"kms:Decrypt\", \"Resource\": \"*\", \"Condition\": {\"StringEquals\": {«condition-key-not-supported:\"kms:GranteePrincipal\"»: \"x\"}}}}"}`, { only });
});

test('condition-key-not-supported: in the AWS managed policies, only actions the reference lists without the key', needs('corpus', corpusMissing('aws-managed')), () => {
  const dir = corpusPath('aws-managed');
  const found: string[] = [];
  for (const name of fs.readdirSync(dir)) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    for (const f of checkText(name, text, { checks: [conditionKeyNotSupported] }).findings) found.push(`${name} ${text.slice(f.span.offset, f.span.offset + f.span.length)}`);
  }
  // No key that no action of its statement supports; keys some actions do not support, and
  // the tag keys on actions that carry no tags (Access Analyzer's ALLOW_WITH_UNSUPPORTED_TAG_…
  // findings among them).
  assert.ok(found.includes('AWSObservabilityAdminTelemetryEnablementServiceRolePolicy.json "aws:ResourceTag/CloudWatchTelemetryRuleManaged"'));
  assert.ok(found.includes('AWSServiceRoleForAmazonEKSNodegroup.json "ec2:ResourceTag/eks"'));
  assert.equal(found.filter((f) => f.startsWith('AmazonConnectServiceLinkedRolePolicy.json ')).length, 2);
  assert.equal(found.length, 37, found.join('\n'));
});

test('condition-key-not-supported: some actions of the statement do not support the key (UNSUPPORTED_ACTION_FOR_CONDITION_KEY)', () => {
  const r = expectFindings(stmt(`["ec2:StartInstances", "ec2:DescribeInstances"]`, `{"StringEquals": {«condition-key-not-supported:"ec2:ResourceTag/team"»: "a"}}`), { only });
  assert.equal(r.findings[0].message, 'ec2:ResourceTag/team does not apply to an action of the statement: move it to a statement without the key. It is ec2:DescribeInstances. Requests for it never carry ec2:ResourceTag/team, so for it the condition never matches as intended.');
  // A warning: the rule is broader than Access Analyzer's (see the docs page).
  assert.equal(r.findings[0].severity, 'warning');
  const several = expectFindings(stmt(`["kms:CreateGrant", "kms:Decrypt", "kms:Encrypt"]`, `{"BoolIfExists": {«condition-key-not-supported:"kms:GrantIsForAWSResource"»: "true"}}`), { only });
  assert.equal(several.findings[0].message, 'kms:GrantIsForAWSResource does not apply to 2 actions of the statement: move them to a statement without the key. They are kms:Decrypt, kms:Encrypt. Requests for them never carry kms:GrantIsForAWSResource, so for them with IfExists the condition is always true.');
});

test('condition-key-not-supported: global tag keys on actions that carry no tags (…_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE)', () => {
  // kms:ListKeys and kms:ListAliases document no condition key and no resource type.
  const allow = expectFindings(stmt(`["kms:Decrypt", "kms:ListKeys", "kms:ListAliases"]`, `{"StringEquals": {«condition-key-not-supported:"aws:ResourceTag/team"»: "a"}}`), { only });
  assert.equal(allow.findings[0].message, 'This tag key is not supported by these 2 actions: move them to a statement without it. aws:ResourceTag/team is not supported by service kms: kms:ListKeys, kms:ListAliases. Requests for them carry no tags, so this statement does not allow them.');
  assert.equal(allow.findings[0].severity, 'info');
  const deny = expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": ["kms:ListKeys", "iam:ListRoles", "s3:GetObject"], "Resource": "*", "Condition": {"StringEquals": {«condition-key-not-supported:"aws:RequestTag/team"»: "a"}}}]}`, { only });
  assert.equal(deny.findings[0].message, 'This tag key is not supported by these 2 actions: move them to a statement without it. aws:RequestTag/team is not supported by services kms, iam: kms:ListKeys, iam:ListRoles. Requests for them carry no tags, so this statement does not deny them.');
  assert.equal(deny.findings[0].severity, 'warning');
  // Actions that document tag keys, or any other key, are left alone.
  expectFindings(stmt(`["kms:Decrypt", "kms:CreateKey"]`, `{"StringEquals": {"aws:ResourceTag/team": "a", "aws:RequestTag/team": "a"}, "ForAllValues:StringEquals": {"aws:TagKeys": ["team"]}}`), { only });
  // A key policy's tag keys are judged as IAM-only keys instead (see below).
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": ["kms:ListKeys"], "Resource": "*", "Condition": {"StringEquals": {"aws:RequestTag/team": "a"}}}]}`, { only });
});

test('condition-key-not-supported: global tag keys with NotAction (ALLOW_/DENY_NOTACTION_WITH_UNSUPPORTED_TAG_…)', () => {
  const deny = expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotAction": "iam:*", "Resource": "*", "Condition": {"StringNotEquals": {«condition-key-not-supported:"aws:ResourceTag/team"»: "a"}, "StringLike": {"s3:prefix": "x"}}}]}`, { only });
  assert.equal(deny.findings[0].message, 'aws:ResourceTag/team with NotAction: the statement covers actions of many services, and the key does not apply to some of them, so the statement does not deny the actions that do not support it, which can be more than you meant to leave open. Use Action with the actions that support the key instead of NotAction.');
  assert.equal(deny.findings[0].severity, 'warning');
  const allow = expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*", "Condition": {"ForAnyValue:StringEquals": {«condition-key-not-supported:"aws:TagKeys"»: "a"}}}]}`, { only });
  assert.equal(allow.findings[0].severity, 'info');
  assert.match(allow.findings[0].message, /so the statement allows only the actions that support it\./);
});

test('condition-key-not-supported: kms:ResourceAliases and aws:ResourceTag/… have no effect in a key policy', () => {
  const keyPolicy = (condition: string) => `{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": ${condition}}]}`;
  const result = expectFindings(keyPolicy(`{"ForAnyValue:StringLike": {«condition-key-not-supported:"kms:ResourceAliases"»: "alias/app-*"},
    "StringEquals": {«condition-key-not-supported:"aws:ResourceTag/Project"»: "x", "aws:PrincipalTag/Project": "x", "kms:RequestAlias": "alias/app"}}`), { only });
  assert.equal(result.findings[0].message, 'kms:ResourceAliases has no effect in a key policy: KMS documents it for IAM policies only. Use it in the IAM policies that allow access to the key, or name the key\'s principals and aliases here directly.');
  assert.equal(result.findings[0].severity, 'warning');
  // The same keys in an IAM policy are what KMS documents.
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*",
    "Condition": {"ForAnyValue:StringLike": {"kms:ResourceAliases": "alias/app-*"}, "StringEquals": {"aws:ResourceTag/Project": "x"}}}]}`, { only });
});

test('condition-key-not-supported: a key only one action sets, without that action (MISSING_ACTION_FOR_CONDITION_KEY), and its fix', () => {
  const marked = stmt(`["ec2:RunInstances", "ec2:DescribeInstances"]`, `{"StringEquals": {«condition-key-not-supported:"iam:PassedToService"»: "ec2.amazonaws.com"}}`);
  const r = expectFindings(marked, { only });
  assert.equal(r.findings[0].message, 'iam:PassedToService is not supported by any action of this statement: remove it, or change the actions. The actions are ec2:RunInstances, ec2:DescribeInstances; requests for them never carry iam:PassedToService, so the condition never matches as intended.');
  // The statement's actions are of another service than the key: no advice, no fix.
  assert.equal(r.findings[0].fixes, undefined);
  const kms = stmt(`"kms:Decrypt"`, `{"ForAllValues:StringEquals": {«condition-key-not-supported:"kms:GrantOperations"»: ["Decrypt"]}}`);
  const found = expectFindings(kms, { only });
  assert.equal(found.findings[0].message, 'kms:GrantOperations is not supported by the action of this statement: add kms:CreateGrant to the Action element. The action is kms:Decrypt; requests for it never carry kms:GrantOperations, so with ForAllValues the condition is always true. kms:CreateGrant is the only action that sets this key.');
  const fix = found.findings[0].fixes![0];
  assert.equal(fix.title, 'Add kms:CreateGrant to Action');
  assert.equal(found.findings[0].severity, 'error');
  const plain = kms.replace(/«condition-key-not-supported:|»/g, '');
  assert.equal(applyEdits(plain, fix.changes[0].edits), plain.replace('"Action": "kms:Decrypt"', '"Action": ["kms:Decrypt", "kms:CreateGrant"]'));
  const list = stmt(`["kms:Decrypt", "kms:Encrypt"]`, `{"ForAllValues:StringEquals": {«condition-key-not-supported:"kms:GrantOperations"»: ["Decrypt"]}}`);
  const plainList = list.replace(/«condition-key-not-supported:|»/g, '');
  assert.equal(applyEdits(plainList, expectFindings(list, { only }).findings[0].fixes![0].changes[0].edits), plainList.replace('"kms:Encrypt"]', '"kms:Encrypt", "kms:CreateGrant"]'));
  // A key several actions set gets no such advice (kms:GrantIsForAWSResource: CreateGrant, ListGrants, RevokeGrant).
  const several = expectFindings(stmt(`"kms:Decrypt"`, `{"Bool": {«condition-key-not-supported:"kms:GrantIsForAWSResource"»: "true"}}`), { only }).findings[0];
  assert.doesNotMatch(several.message, /only action/);
  assert.equal(several.fixes, undefined);
});

test('condition-key-not-supported: keys about the calling IAM principal with a service principal (UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL)', () => {
  const keyPolicy = (principal: string, condition: string) => `{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
  {"Effect": "Allow", "Principal": ${principal}, "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*", "Condition": ${condition}}]}`;
  const r = expectFindings(keyPolicy(`{"Service": "cloudfront.amazonaws.com"}`, `{"StringEquals": {«condition-key-not-supported:"aws:PrincipalOrgID"»: "o-abc123", «condition-key-not-supported:"aws:PrincipalTag/team"»: "a", "aws:SourceAccount": "111122223333"}}`), { only });
  assert.equal(r.findings[0].message, 'aws:PrincipalOrgID is not supported when the principal is an AWS service: a service principal\'s request never carries it (it describes an IAM user or role: its organization, tags, MFA or credentials). Remove it, or use aws:SourceAccount or aws:SourceArn to tie the service to your resources.');
  assert.equal(r.findings[0].severity, 'error');
  // An account or any other principal beside the service: the key may apply to them.
  expectFindings(keyPolicy(`{"Service": "cloudfront.amazonaws.com", "AWS": "arn:aws:iam::111122223333:role/App"}`, `{"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}`), { only });
  expectFindings(keyPolicy(`"*"`, `{"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}`), { only });
});

test('condition-key-not-supported: the key absent makes a negated operator and ForAllValues true, and the message says so', () => {
  const deny = `{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "kms:GenerateRandom", "Resource": "*", "Condition": {"StringNotEquals": {«condition-key-not-supported:"kms:ViaService"»: "s3.us-east-1.amazonaws.com"}}}]}`;
  const r = expectFindings(deny, { only });
  assert.match(r.findings[0].message, /requests for it never carry kms:ViaService, so StringNotEquals is always true\./);
  const all = expectFindings(stmt(`"kms:Decrypt"`, `{"ForAllValues:StringEquals": {«condition-key-not-supported:"kms:GrantOperations"»: ["Decrypt"]}}`), { only });
  assert.match(all.findings[0].message, /so with ForAllValues the condition is always true\./);
  const any = expectFindings(stmt(`"kms:Decrypt"`, `{"ForAnyValue:StringNotEquals": {«condition-key-not-supported:"kms:GrantOperations"»: ["Decrypt"]}}`), { only });
  assert.match(any.findings[0].message, /so the condition never matches as intended\./);
});
