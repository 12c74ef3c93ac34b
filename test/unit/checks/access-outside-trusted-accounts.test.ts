/**
 * access-outside-trusted-accounts: with trustedAccounts in the manifest, key policies and role
 * trust policies that give access to other accounts are reported on the principal value.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { A, B, C, buildWorkspace, expectWorkspace, keyPolicy, manifest, role } from '../handshake/workspaceFixture';

const ID = 'access-outside-trusted-accounts';
const only = [ID];
const M = '/ws/policy-handshake.json';
const K = '/ws/keys/key.json';
const T = '/ws/roles/trust.json';
const ORG = 'o-a1b2c3d4e5';
const ADVICE = 'Remove it, or add the account to trustedAccounts in the manifest.';
const D = '999900001111';

const trusting = (principal: string, extra = '') =>
  `{"Effect": "Allow", "Principal": {"AWS": ${principal}}, "Action": ["kms:Decrypt", "kms:Encrypt", "kms:ScheduleKeyDeletion"], "Resource": "*"${extra}}`;
const trustPolicy = (...statements: string[]) => `{"Version": "2012-10-17", "Statement": [\n  ${statements.join(',\n  ')}\n]}`;
const assume = (principal: string, extra = '') => `{"Effect": "Allow", "Principal": ${principal}, "Action": "sts:AssumeRole"${extra}}`;

function messages(ws: ReturnType<typeof buildWorkspace>['ws'], file: string): string[] {
  return ws.findings(file).filter((f) => f.checkId === ID).sort((x, y) => x.span.offset - y.span.offset).map((f) => f.message);
}

test('access-outside-trusted-accounts: an untrusted account root and role are flagged; trusted, own and member accounts are not', () => {
  const s = expectWorkspace({
    [M]: manifest({}, { trustedAccounts: [B], organization: { id: ORG, accounts: { [D]: `${ORG}/r-ab12/` } } }),
    [K]: keyPolicy(
      trusting(`«${ID}:"arn:aws:iam::${C}:root"»`),
      trusting(`["arn:aws:iam::${B}:root", "${D}", «${ID}:"${role(C, 'Etl')}"»]`),
      trusting(`"${role(A, 'Admin')}"`),
    ),
  }, { only });
  assert.deepEqual(messages(s.ws, K), [
    `Outside the trusted accounts: account analytics (${C}) can use the key for kms:Decrypt, kms:Encrypt. ${ADVICE}`,
    `Outside the trusted accounts: role/Etl of account analytics (${C}) can use the key for kms:Decrypt, kms:Encrypt. ${ADVICE}`,
  ]);
});

test('access-outside-trusted-accounts: "*" for an organization: silent for the manifest\'s, flagged for another; public "*" flagged', () => {
  const s = expectWorkspace({
    [M]: manifest({}, { trustedAccounts: [B], organization: { id: ORG, accounts: { [B]: `${ORG}/r-ab12/` } } }),
    [K]: keyPolicy(
      trusting('"*"', `, "Condition": {"StringEquals": {"aws:PrincipalOrgID": "${ORG}"}}`),
      trusting('«access-outside-trusted-accounts:"*"»', ', "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-zzzzzzzzzz"}}'),
      trusting('"*"', `, "Condition": {"StringLike": {"aws:PrincipalOrgPaths": "${ORG}/r-ab12/*"}}`),
      trusting('«access-outside-trusted-accounts:"*"»'),
      trusting('"*"', `, "Condition": {"StringEquals": {"kms:CallerAccount": "${B}"}}`),
    ),
  }, { only });
  assert.deepEqual(messages(s.ws, K), [
    `Outside the trusted accounts: any account of organization o-zzzzzzzzzz can use the key for kms:Decrypt, kms:Encrypt. ${ADVICE}`,
    'Everyone ("*") can use the key for kms:Decrypt, kms:Encrypt, accounts outside the trusted accounts included. Limit it with aws:PrincipalOrgID or kms:CallerAccount, or list the principals.',
  ]);
});

test('access-outside-trusted-accounts: a role trust policy with an untrusted account; services and federated principals are not read', () => {
  const s = expectWorkspace({
    [M]: manifest({}, { trustedAccounts: [B] }),
    [K]: keyPolicy(),
    [T]: trustPolicy(
      assume(`{"AWS": [«${ID}:"arn:aws:iam::${C}:root"», "arn:aws:iam::${B}:root"]}`),
      assume(`{"AWS": «${ID}:"${role(C, 'Deployer')}"», "Service": "ec2.amazonaws.com"}`),
      assume('{"Federated": "arn:aws:iam::777788889999:saml-provider/Okta"}'),
      assume(`{"AWS": «${ID}:"*"»}`),
      assume('{"AWS": "*"}', `, "Condition": {"StringEquals": {"aws:PrincipalAccount": "${B}"}}`),
    ),
  }, { only });
  assert.deepEqual(messages(s.ws, T), [
    `Outside the trusted accounts: account analytics (${C}) can assume the role. ${ADVICE}`,
    `Outside the trusted accounts: role/Deployer of account analytics (${C}) can assume the role. ${ADVICE}`,
    'Everyone ("*") can assume the role, accounts outside the trusted accounts included. Limit it with aws:PrincipalOrgID or aws:PrincipalAccount, or list the principals.',
  ]);
});

test('access-outside-trusted-accounts: silent without trustedAccounts in the manifest, and without a manifest', () => {
  const files = {
    [K]: keyPolicy(trusting(`"arn:aws:iam::${C}:root"`), trusting('"*"')),
    [T]: trustPolicy(assume(`{"AWS": "arn:aws:iam::${C}:root"}`)),
  };
  expectWorkspace({ [M]: manifest({}, { organization: { id: ORG, accounts: {} } }), ...files }, { only });
  expectWorkspace(files, { only });
});

test('access-outside-trusted-accounts: adding the account to trustedAccounts clears the finding', () => {
  const s = buildWorkspace({
    [M]: manifest({}, { trustedAccounts: [B] }),
    [K]: keyPolicy(trusting(`"arn:aws:iam::${C}:root"`)),
  });
  assert.equal(messages(s.ws, K).length, 1);
  const affected = s.ws.updateFile(M, manifest({}, { trustedAccounts: [B, C] }));
  assert.ok(affected.includes(K));
  assert.deepEqual(messages(s.ws, K), []);
});

test('access-outside-trusted-accounts: renaming the account in the manifest renews a trust policy\'s message', () => {
  const s = buildWorkspace({
    [M]: manifest({}, { trustedAccounts: [B] }),
    [T]: trustPolicy(assume(`{"AWS": "arn:aws:iam::${C}:root"}`)),
  });
  assert.deepEqual(messages(s.ws, T), [`Outside the trusted accounts: account analytics (${C}) can assume the role. ${ADVICE}`]);
  const renamed = JSON.parse(manifest({}, { trustedAccounts: [B] }));
  renamed.accounts[C].name = 'vendor';
  assert.ok(s.ws.updateFile(M, JSON.stringify(renamed, null, 2)).includes(T));
  assert.deepEqual(messages(s.ws, T), [`Outside the trusted accounts: account vendor (${C}) can assume the role. ${ADVICE}`]);
});

test('access-outside-trusted-accounts: a Deny whose condition shuts out every account outside the organization leaves nothing to report; one on another key does not', () => {
  const perimeter = `{"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "${ORG}"}}}`;
  const org = { trustedAccounts: [B], organization: { id: ORG, accounts: { [D]: `${ORG}/r-ab12/` } } };
  expectWorkspace({
    [M]: manifest({}, org),
    [K]: keyPolicy(trusting(`"arn:aws:iam::${C}:root"`), `{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}`, perimeter),
  }, { only });
  // A Deny on a condition that cannot be decided (the encryption context) does not count.
  expectWorkspace({
    [M]: manifest({}, org),
    [K]: keyPolicy(trusting(`«${ID}:"arn:aws:iam::${C}:root"»`), `{"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*", "Condition": {"StringNotEquals": {"kms:EncryptionContext:team": "x"}}}`),
  }, { only });
});
