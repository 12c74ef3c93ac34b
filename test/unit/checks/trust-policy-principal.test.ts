import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyEdits, expectFindings } from '../../support/fixture';

const only = ['trust-policy-principal'];
const trust = { only, binding: { kind: 'iam-trust-policy' as const } };
const policy = (statement: string) => `{"Version": "2012-10-17", "Statement": [${statement}]}`;
const plain = (marked: string) => marked.replace(/«trust-policy-principal:|»/g, '');

test('trust-policy-principal: NotPrincipal (ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL)', () => {
  const r = expectFindings(policy(`{"Effect": "Deny", «trust-policy-principal:"NotPrincipal"»: {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}`), trust);
  assert.equal(r.findings[0].message, 'NotPrincipal cannot be used in a role trust policy: name the principals that may assume the role in Principal instead.');
  assert.equal(r.findings[0].severity, 'error');
});

test('trust-policy-principal: "Principal": "*" is refused (ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL); {"AWS": "*"} is a warning unless a condition limits the callers', () => {
  const r = expectFindings(policy(`{"Effect": "Allow", "Principal": «trust-policy-principal:"*"», "Action": "sts:AssumeRole"},
    {"Effect": "Allow", "Principal": {"AWS": [«trust-policy-principal:"*"», "arn:aws:iam::111122223333:root"]}, "Action": "sts:AssumeRole"}`), trust);
  assert.match(r.findings[0].message, /^"Principal": "\*" is not supported in a role trust policy: name who may assume the role\. IAM refuses it\./);
  assert.equal(r.findings[0].severity, 'error');
  assert.match(r.findings[1].message, /^\{"AWS": "\*"\} lets every account assume this role: limit the callers with a condition, or name the principals\./);
  assert.equal(r.findings[1].severity, 'warning');
  // {"AWS": "*"} limited to an organization or an account: the documented cross-account form, no finding.
  expectFindings(policy(`{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}},
    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:PrincipalAccount": "111122223333"}}}`), trust);
  // Even with a condition, the bare form is refused.
  expectFindings(policy(`{"Effect": "Allow", "Principal": «trust-policy-principal:"*"», "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}`), trust);
  // A Deny with "*" and a service named "*" are something else.
  expectFindings(policy(`{"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a"}}}`), trust);
});

test('trust-policy-principal: an assume-role action the principal cannot use (MISMATCHED_ACTION_FOR_PRINCIPAL)', () => {
  const r = expectFindings(policy(`{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/Corp"}, "Action": «trust-policy-principal:"sts:AssumeRoleWithWebIdentity"»}`), trust);
  assert.equal(r.findings[0].message, 'sts:AssumeRoleWithWebIdentity cannot be used by arn:aws:iam::111122223333:saml-provider/Corp: a SAML provider assumes a role with sts:AssumeRoleWithSAML, an OIDC provider with sts:AssumeRoleWithWebIdentity (both as Federated principals), accounts, roles, users and services with sts:AssumeRole.');
  expectFindings(policy(`{"Effect": "Allow", "Principal": {"Federated": "accounts.google.com"}, "Action": «trust-policy-principal:"sts:AssumeRoleWithSAML"»}`), trust);
  expectFindings(policy(`{"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"}, "Action": [«trust-policy-principal:"sts:AssumeRole"», "sts:TagSession"]}`), trust);
  const aws = expectFindings(policy(`{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root", "Service": "ec2.amazonaws.com"}, "Action": ["sts:AssumeRole", «trust-policy-principal:"sts:AssumeRoleWithWebIdentity"»]}`), trust);
  assert.match(aws.findings[0].message, /^sts:AssumeRoleWithWebIdentity cannot be used by arn:aws:iam::111122223333:root, ec2\.amazonaws\.com:/);
  // The pairs that fit.
  expectFindings(policy(`{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/Corp"}, "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"]},
    {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity"},
    {"Effect": "Allow", "Principal": {"AWS": "111122223333", "Service": ["ec2.amazonaws.com"]}, "Action": "sts:AssumeRole"}`), trust);
});

test('trust-policy-principal: Roles Anywhere needs three actions, and the fix adds them (MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY)', () => {
  const marked = policy(`{"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"}, «trust-policy-principal:"Action"»: ["sts:AssumeRole", "sts:TagSession"]}`);
  const r = expectFindings(marked, trust);
  assert.equal(r.findings[0].message, 'IAM Roles Anywhere (rolesanywhere.amazonaws.com) needs sts:AssumeRole, sts:SetSourceIdentity and sts:TagSession to assume a role; this statement lacks sts:SetSourceIdentity. Add them.');
  assert.equal(applyEdits(plain(marked), r.findings[0].fixes![0].changes[0].edits), plain(marked).replace('"sts:TagSession"]', '"sts:TagSession", "sts:SetSourceIdentity"]'));
  const single = policy(`{"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"}, «trust-policy-principal:"Action"»: "sts:AssumeRole"}`);
  const s = expectFindings(single, trust);
  assert.equal(applyEdits(plain(single), s.findings[0].fixes![0].changes[0].edits), plain(single).replace('"Action": "sts:AssumeRole"', '"Action": ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"]'));
  expectFindings(policy(`{"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"}, "Action": ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"]},
    {"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"}, "Action": "sts:*"}`), trust);
});

test('trust-policy-principal: a session principal beside its role (REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY), and the fix', () => {
  const marked = policy(`{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:role/team/App", «trust-policy-principal:"arn:aws:sts::111122223333:assumed-role/App/ci"», "arn:aws:sts::444455556666:assumed-role/App/ci"]}, "Action": "sts:AssumeRole"}`);
  const r = expectFindings(marked, trust);
  assert.equal(r.findings[0].message, 'The session principal arn:aws:sts::111122223333:assumed-role/App/ci is redundant: the role arn:aws:iam::111122223333:role/team/App is named too, and it covers all its sessions. Remove the session principal.');
  assert.equal(r.findings[0].severity, 'info');
  assert.equal(applyEdits(plain(marked), r.findings[0].fixes![0].changes[0].edits), plain(marked).replace('"arn:aws:sts::111122223333:assumed-role/App/ci", ', ''));
});

test('trust-policy-principal: not run on key policies', () => {
  expectFindings(policy(`{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a"}}}`), { only, binding: { kind: 'kms-key-policy' as const } });
});
