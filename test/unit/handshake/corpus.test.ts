/**
 * The five real cross-account scenarios of the corpus (shared/corpus/cross-account), each
 * checked with both sides in one workspace. Every test says what the scenario's README
 * expects and which findings follow from it.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { corpusMissing } from '../../support/corpus';
import { adfOrganizationKey, assumeRole, codePipeline, externalAccountRoleAndUser, externalAccountRoot, S01, s3Replication } from './corpusScenarios';
import type { Finding } from '../../../server/src/core/findings';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { HANDSHAKE_IDS } from './workspaceFixture';
import { needs } from '../../support/needs';

const skip = needs('corpus', corpusMissing('cross-account'));

function build(files: Record<string, string>): Workspace {
  const ws = new Workspace();
  ws.updateFiles(Object.entries(files).map(([path, text]) => ({ path, text })));
  return ws;
}

/** Handshake findings of every file as `checkId path "covered text"`, sorted. */
function handshakeFindings(ws: Workspace, files: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [path, text] of Object.entries(files)) {
    for (const f of ws.findings(path)) {
      if (HANDSHAKE_IDS.includes(f.checkId) || f.checkId === 'internal-error') out.push(`${f.checkId} ${path} ${JSON.stringify(text.slice(f.span.offset, f.span.offset + f.span.length).replace(/\s+/g, ' '))}`);
    }
  }
  return out.sort();
}

function finding(ws: Workspace, path: string, checkId: string): Finding {
  const list = ws.findings(path).filter((f) => f.checkId === checkId);
  assert.equal(list.length, 1);
  return list[0];
}

test('01 S3 replication (CloudFormation JSON): the destination key trusts the source root; the replication role grants kms:Encrypt on "*" under a kms:RequestAlias condition', skip, () => {
  // README: allowed only because both sides allow it; the IAM side names the key only through
  // kms:RequestAlias. So: a conditional match, and the root trust is broader than that one role.
  const { DEST } = S01;
  const files = s3Replication();
  const ws = build(files);
  assert.deepEqual(handshakeFindings(ws, files), [
    'root-principal-broader-than-grants /ws/destination/destination.json "{ \\"Fn::Sub\\": \\"arn:${AWS::Partition}:iam::${AccountIdSource}:root\\" }"',
  ]);
  const f = finding(ws, '/ws/destination/destination.json', 'root-principal-broader-than-grants');
  assert.match(f.message, new RegExp(`narrow the principal to it\\. It is role/replication-demo-${DEST}-role \\(`));
  assert.match(f.related![0].message, /conditional.*kms:RequestAlias/);
});

test('02 CodePipeline reference architecture: the Tools key trusts Dev/Test/Prod roots for five actions; their roles grant kms:* on the key ARN', skip, () => {
  // README: the effective permission is the intersection. So each root trust is broader than
  // the one role per account that uses it, and each kms:* grant exceeds the key policy.
  const files = codePipeline();
  const ws = build(files);
  assert.deepEqual(handshakeFindings(ws, files), [
    'iam-grant-exceeds-key-policy /ws/dev/codecommit.json "\\"kms:*\\""',
    'iam-grant-exceeds-key-policy /ws/prod/cloudformation.json "\\"kms:*\\""',
    'iam-grant-exceeds-key-policy /ws/test/cloudformation.json "\\"kms:*\\""',
    'root-principal-broader-than-grants /ws/tools/kms-key.json "{ \\"Fn::Sub\\": \\"arn:aws:iam::${DevAccount}:root\\" }"',
    'root-principal-broader-than-grants /ws/tools/kms-key.json "{ \\"Fn::Sub\\": \\"arn:aws:iam::${ProductionAccount}:root\\" }"',
    'root-principal-broader-than-grants /ws/tools/kms-key.json "{ \\"Fn::Sub\\": \\"arn:aws:iam::${TestAccount}:root\\" }"',
  ]);
  assert.equal(finding(ws, '/ws/dev/codecommit.json', 'iam-grant-exceeds-key-policy').severity, 'info');
});

test('03 ADF organization-wide key: Principal "*" limited by aws:PrincipalOrgID; member-account roles grant the key read from SSM', skip, () => {
  // README: allowed through the organization statement, a wildcard principal that is not
  // public. The member accounts are not known here, so the handshake can neither confirm nor
  // deny: no finding on either side (in particular no iam-grant-without-key-trust).
  const files = adfOrganizationKey();
  const ws = build(files);
  assert.deepEqual(handshakeFindings(ws, files), []);
});

test('04 KMS docs, external account: the root statement, the console statements, and the role-and-user variant', skip, () => {
  // README: principals of 444455556666 carrying the IAM statement can use the key; with the
  // role-and-user variant only ExampleRole/ExampleUser can, even if others carry the statement.
  // Root variant plus the two console statements: the crypto statement is used by both roles
  // (broader than grants); the persistent-resource statement (CreateGrant, ListGrants,
  // RevokeGrant) is granted by no IAM policy of the account: root-principal-without-grant.
  const rootFiles = externalAccountRoot();
  let ws = build(rootFiles);
  assert.deepEqual(handshakeFindings(ws, rootFiles), [
    'root-principal-broader-than-grants /ws/key.json "\\"arn:aws:iam::444455556666:root\\""',
    'root-principal-without-grant /ws/key.json "\\"arn:aws:iam::444455556666:root\\""',
  ]);
  const broader = finding(ws, '/ws/key.json', 'root-principal-broader-than-grants');
  assert.deepEqual(broader.fixes!.filter((f) => f.id === 'narrow-root-to-role').map((f) => f.changes[0].edits[0].newText), [
    '"arn:aws:iam::444455556666:role/ExampleRole"',
    '"arn:aws:iam::444455556666:role/OtherRole"',
    '"arn:aws:iam::444455556666:role/ExampleRole",\n          "arn:aws:iam::444455556666:role/OtherRole"',
  ]);
  // Role-and-user variant: ExampleRole is fine; ExampleUser has no policy in the workspace;
  // OtherRole's identical statement has no effect because the key policy does not name it.
  const roleFiles = externalAccountRoleAndUser();
  ws = build(roleFiles);
  assert.deepEqual(handshakeFindings(ws, roleFiles), [
    'external-principal-without-grant /ws/key.json "\\"arn:aws:iam::444455556666:user/ExampleUser\\""',
    'iam-grant-without-key-trust /ws/external/other-role.json "\\"arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\\""',
  ]);
});

test('05 KMS docs, assume role: account 2 key trusts account 1 root; role Engineering of account 1 grants the same seven actions', skip, () => {
  // README: Bob, through Engineering, may use the key for those seven operations. So the
  // handshake holds: the root trust has one matching role (broader than grants, narrowable
  // to Engineering) and the IAM grant neither lacks trust nor exceeds the key policy.
  const files = assumeRole();
  const ws = build(files);
  assert.deepEqual(handshakeFindings(ws, files), [
    'root-principal-broader-than-grants /ws/account-2/key-policy.json "\\"arn:aws:iam::111122223333:root\\""',
  ]);
  const f = finding(ws, '/ws/account-2/key-policy.json', 'root-principal-broader-than-grants');
  assert.equal(f.fixes!.find((x) => x.isPreferred)!.changes[0].edits[0].newText, '"arn:aws:iam::111122223333:role/Engineering"');
});
