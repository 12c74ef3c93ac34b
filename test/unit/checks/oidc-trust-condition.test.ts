import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { expectFindings } from '../../support/fixture';

const only = ['oidc-trust-condition'];
const trust = { only, binding: { kind: 'iam-trust-policy' as const } };
const statement = (federated: string, condition?: string) =>
  `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": ${federated}}, "Action": "sts:AssumeRoleWithWebIdentity"${condition ? `, "Condition": ${condition}` : ''}}]}`;
const GITHUB = '"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"';

test('oidc-trust-condition: an OIDC provider without a condition on its claims (MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL)', () => {
  const r = expectFindings(statement(`«oidc-trust-condition:"cognito-identity.amazonaws.com"»`), trust);
  assert.equal(r.findings[0].message, 'Anyone with a token from this OIDC provider may assume this role: add conditions on its aud and sub claims. cognito-identity.amazonaws.com is trusted without a condition on cognito-identity.amazonaws.com:aud, cognito-identity.amazonaws.com:sub or another claim; name the application and users the role is for.');
  assert.equal(r.findings[0].severity, 'warning');
  // A condition on another provider's claims does not count.
  expectFindings(statement(`«oidc-trust-condition:"arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"»`, `{"StringEquals": {"accounts.google.com:aud": "x"}}`), trust);
  expectFindings(statement(`"arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"`, `{"StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:app:app"}}`), trust);
  // SAML providers are not judged here.
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/Corp"}, "Action": "sts:AssumeRoleWithSAML"}]}`, trust);
});

test('oidc-trust-condition: GitHub without token.actions.githubusercontent.com:sub (MISSING_GITHUB_REPO_CONDITION_KEY)', () => {
  const r = expectFindings(statement(`«oidc-trust-condition:${GITHUB}»`, `{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}`), trust);
  assert.equal(r.findings[0].message, 'Any GitHub repository\'s workflows may assume this role: add a condition on token.actions.githubusercontent.com:sub. Without it, workflows of any repository, other people\'s included, can; name your repository and branch (repo:my-org/my-repo:ref:refs/heads/main).');
  expectFindings(statement(`«oidc-trust-condition:"token.actions.githubusercontent.com"»`), trust);
});

test('oidc-trust-condition: a wildcard in the GitHub subject (SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED)', () => {
  const r = expectFindings(statement(GITHUB, `{"StringLike": {"token.actions.githubusercontent.com:sub": [«oidc-trust-condition:"repo:my-org/*"», "repo:my-org/app:ref:refs/heads/main"]}}`), trust);
  assert.equal(r.findings[0].message, 'The wildcard in "repo:my-org/*" lets more GitHub workflows assume this role than one repository and branch. Name the repository and branch (repo:my-org/my-repo:ref:refs/heads/main), or list them.');
  // Under StringEquals a * is literal (condition-value-type reports that).
  expectFindings(statement(GITHUB, `{"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:my-org/app:*"}}`), trust);
});

test('oidc-trust-condition: the aud claim under a set qualifier (CONFIRM_AUDIENCE_CLAIM_TYPE)', () => {
  const r = expectFindings(statement(`"accounts.google.com"`, `{"ForAllValues:StringEquals": {«oidc-trust-condition:"accounts.google.com:aud"»: ["app-1"]}}`), trust);
  assert.equal(r.findings[0].message, 'accounts.google.com:aud is compared with ForAllValues: that fits only an identity provider whose tokens carry several audiences. If yours sends one (most do), remove "ForAllValues:"; ForAllValues is also true when the claim is absent.');
  assert.equal(r.findings[0].severity, 'info');
  expectFindings(statement(`"accounts.google.com"`, `{"StringEquals": {"accounts.google.com:aud": "app-1"}}`), trust);
});
