import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { expectFindings } from '../../support/fixture';
import { corpusMissing, corpusPath } from '../../support/corpus';
import { findingsOf } from './kmsPolicies';
import { needs } from '../../support/needs';

const only = ['unscoped-role-permission'];
const identity = { only, binding: { kind: 'iam-identity-policy' as const } };
const stmt = (body: string, effect = 'Allow') => `{"Version": "2012-10-17", "Statement": [{"Effect": "${effect}", ${body}}]}`;

test('unscoped-role-permission: iam:PassRole named with Resource "*" (PASS_ROLE_WITH_STAR_IN_RESOURCE)', () => {
  const r = expectFindings(stmt(`"Action": ["ec2:RunInstances", «unscoped-role-permission:"iam:PassRole"»], "Resource": ["*"]`), identity);
  // Issue 18, defect 3: one short sentence first (what is wrong, what to do), then why.
  assert.equal(r.findings[0].message, 'iam:PassRole is allowed on every resource: name the roles in Resource, or add iam:PassedToService. '
    + '"Resource": "*" stands for every role: it lets the holder pass any role to any service, which then acts with that role\'s permissions.');
  assert.equal(r.findings[0].severity, 'warning');
  // Case does not matter in action names.
  expectFindings(stmt(`"Action": «unscoped-role-permission:"IAM:passrole"», "Resource": "*"`), identity);
});

test('unscoped-role-permission: wildcard actions reach both actions (STAR_IN_ACTION_AND_RESOURCE)', () => {
  const r = expectFindings(stmt(`"Action": «unscoped-role-permission:«unscoped-role-permission:"*"»», "Resource": "*"`), identity);
  assert.deepEqual(r.findings.map((f) => f.message.split(':')[0]), ['A wildcard action allows iam', 'A wildcard action allows iam']);
  assert.match(r.findings[1].message, /^A wildcard action allows iam:CreateServiceLinkedRole on every resource/);
  expectFindings(stmt(`"Action": «unscoped-role-permission:«unscoped-role-permission:"iam:*"»», "Resource": "*"`), identity);
  expectFindings(stmt(`"Action": [«unscoped-role-permission:"iam:Pass*"», "iam:Get*"], "Resource": "*"`), identity);
  // The named action is reported, not the wildcard that also covers it.
  expectFindings(stmt(`"Action": [«unscoped-role-permission:"iam:*"», «unscoped-role-permission:"iam:CreateServiceLinkedRole"»], "Resource": "*"`), identity);
});

test('unscoped-role-permission: NotResource and NotAction shapes', () => {
  const notResource = expectFindings(stmt(`"Action": «unscoped-role-permission:"iam:CreateServiceLinkedRole"», "NotResource": "arn:aws:iam::111122223333:role/admin"`), identity);
  assert.equal(notResource.findings[0].message, 'iam:CreateServiceLinkedRole is allowed with NotResource: name the roles in Resource, or add iam:AWSServiceName. '
    + 'NotResource stands for every role but the ones listed: it lets the holder create service-linked roles for services you did not intend.');
  expectFindings(stmt(`"Action": «unscoped-role-permission:«unscoped-role-permission:"iam:*"»», "NotResource": "arn:aws:iam::111122223333:role/admin"`), identity);
  const notAction = expectFindings(stmt(`«unscoped-role-permission:«unscoped-role-permission:"NotAction"»»: "s3:*", "NotResource": "arn:aws:s3:::x"`), identity);
  assert.match(notAction.findings[0].message, /^NotAction leaves iam:PassRole allowed with NotResource: name the roles in Resource, or add iam:PassedToService\. /);
  expectFindings(stmt(`«unscoped-role-permission:"NotAction"»: ["iam:PassRole"], "Resource": "*"`), identity);
  // NotAction that excludes both, by name or wildcard, gives neither.
  expectFindings(stmt(`"NotAction": ["iam:PassRole", "iam:Create*"], "Resource": "*"`), identity);
});

test('unscoped-role-permission: named roles, narrowing conditions, Deny, other kinds', () => {
  expectFindings(stmt(`"Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/app-*"`), identity);
  expectFindings(stmt(`"Action": "iam:PassRole", "Resource": "*", "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}`), identity);
  expectFindings(stmt(`"Action": "iam:CreateServiceLinkedRole", "Resource": "*", "Condition": {"StringLike": {"iam:AWSServiceName": "elasticbeanstalk.amazonaws.com"}}`), identity);
  // IfExists narrows too (IAM puts iam:PassedToService in every PassRole request), and so does a pattern.
  expectFindings(stmt(`"Action": "iam:PassRole", "Resource": "*", "Condition": {"StringEqualsIfExists": {"iam:PassedToService": ["ec2.amazonaws.com"]}}`), identity);
  expectFindings(stmt(`"Action": "iam:CreateServiceLinkedRole", "Resource": "*", "Condition": {"StringLike": {"iam:AWSServiceName": "*a4b.amazonaws.com"}}`), identity);
  // "*", a negative operator or a Null test narrows nothing.
  expectFindings(stmt(`"Action": «unscoped-role-permission:"iam:PassRole"», "Resource": "*", "Condition": {"StringLike": {"iam:PassedToService": "*"}}`), identity);
  expectFindings(stmt(`"Action": «unscoped-role-permission:"iam:PassRole"», "Resource": "*", "Condition": {"StringNotEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}`), identity);
  expectFindings(stmt(`"Action": «unscoped-role-permission:"iam:PassRole"», "Resource": "*", "Condition": {"Null": {"iam:PassedToService": "false"}}`), identity);
  // The PassRole condition does not narrow CreateServiceLinkedRole.
  expectFindings(stmt(`"Action": ["iam:PassRole", «unscoped-role-permission:"iam:CreateServiceLinkedRole"»], "Resource": "*", "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}`), identity);
  expectFindings(stmt(`"Action": "iam:PassRole", "Resource": "*"`, 'Deny'), identity);
  expectFindings(stmt(`"Action": ["iam:GetRole", "s3:*"], "Resource": "*"`), identity);
  expectFindings(stmt(`"Action": {"Ref": "Actions"}, "Resource": "*"`), identity);
  expectFindings(stmt(`"NotAction": [{"Ref": "Excluded"}], "Resource": "*"`), identity);
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "*", "Resource": "*"}]}`, { only, binding: { kind: 'kms-key-policy' as const } });
});

test('unscoped-role-permission: the managed policies Access Analyzer reports PASS_ROLE_/CREATE_SLR_ findings for', needs('corpus', corpusMissing('aws-managed')), () => {
  const at = (name: string) => {
    const file = corpusPath('aws-managed', `${name}.json`);
    const text = fs.readFileSync(file, 'utf8');
    return findingsOf(text, 'unscoped-role-permission', {}, file).map((f) => text.slice(f.span.offset, f.span.offset + f.span.length));
  };
  assert.deepEqual(at('AdministratorAccess'), ['"*"', '"*"']);
  assert.deepEqual(at('IAMFullAccess'), ['"iam:*"', '"iam:*"']);
  assert.deepEqual(at('AmazonElasticMapReduceRole'), ['"iam:PassRole"']);
  assert.deepEqual(at('AWSOrganizationsServiceTrustPolicy'), ['"iam:CreateServiceLinkedRole"']);
});
