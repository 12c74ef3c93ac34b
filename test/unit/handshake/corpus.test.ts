/**
 * The five real cross-account scenarios of the corpus (shared/corpus/cross-account), each
 * checked with both sides in one workspace. Every test says what the scenario's README
 * expects and which findings follow from it.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { corpusMissing, corpusPath } from '../../support/corpus';
import type { Finding } from '../../../server/src/core/findings';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { HANDSHAKE_IDS } from './workspaceFixture';
import { needs } from '../../support/needs';

const skip = needs('corpus', corpusMissing('cross-account'));
const read = (...p: string[]) => fs.readFileSync(corpusPath('cross-account', ...p), 'utf8');
/** A policy extracted from a template: the corpus wraps it with its origin. */
const extracted = (scenario: string, name: string) => JSON.stringify(JSON.parse(read(scenario, 'extracted-policies', name)).document, null, 2);
/** A statement fragment of the KMS docs. */
const fragment = (scenario: string, ...p: string[]) => JSON.parse(read(scenario, ...p));
const doc = (...statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);

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
  const DEST = '222233334444';
  const SRC = '555566667777';
  const files = {
    '/ws/policy-handshake.json': JSON.stringify({
      accounts: { [DEST]: { name: 'destination' }, [SRC]: { name: 'source' } },
      templates: [
        { files: 'destination/*.json', account: DEST, region: 'us-east-1', parameters: { AccountIdSource: SRC, 'AWS::StackName': 'replication-demo' } },
        { files: 'source/*.json', account: SRC, region: 'us-east-1', parameters: { AccountIdDestination: DEST, 'AWS::StackName': 'replication-demo' } },
      ],
    }),
    '/ws/destination/destination.json': read('01-s3-crr-kms-cloudformation', 'templates', 'destination-account', 'destination.json'),
    '/ws/source/source.json': read('01-s3-crr-kms-cloudformation', 'templates', 'source-account', 'source.json'),
  };
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
  const TOOLS = '100000000001', DEV = '200000000002', TEST = '300000000003', PROD = '400000000004';
  const key = `arn:aws:kms:us-east-1:${TOOLS}:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`;
  const s = '02-codepipeline-refarch-cloudformation';
  const ccRole = 'ToolsAcctCodePipelineCodeCommitRole';
  const cfRole = 'ToolsAcctCodePipelineCloudFormationRole';
  const files = {
    '/ws/policy-handshake.json': JSON.stringify({
      accounts: { [TOOLS]: { name: 'tools' }, [DEV]: { name: 'dev' }, [TEST]: { name: 'test' }, [PROD]: { name: 'prod' } },
      keys: [{ policy: 'tools/kms-key.json', arn: key }],
      principals: [
        { arn: `arn:aws:iam::${DEV}:role/${ccRole}`, policies: ['dev/*.json'] },
        { arn: `arn:aws:iam::${TEST}:role/${cfRole}`, policies: ['test/*.json'] },
        { arn: `arn:aws:iam::${PROD}:role/${cfRole}`, policies: ['prod/*.json'] },
      ],
      templates: [
        { files: 'tools/*.json', account: TOOLS, region: 'us-east-1', parameters: { DevAccount: DEV, TestAccount: TEST, ProductionAccount: PROD, ProjectName: 'sample' } },
        { files: 'dev/*.json', account: DEV, region: 'us-east-1', parameters: { CMKARN: key } },
        { files: 'test/*.json', account: TEST, region: 'us-east-1', parameters: { CMKARN: key } },
        { files: 'prod/*.json', account: PROD, region: 'us-east-1', parameters: { CMKARN: key } },
      ],
    }),
    '/ws/tools/kms-key.json': extracted(s, 'tools-account_pre-reqs__KMSKey__KeyPolicy.json'),
    '/ws/dev/codecommit.json': extracted(s, 'dev-account_toolsacct-codepipeline-codecommit__Policy__PolicyDocument.json'),
    '/ws/test/cloudformation.json': extracted(s, 'test-and-prod-accounts_toolsacct-codepipeline-cloudformation-deployer__CFPolicy__PolicyDocument.json'),
    '/ws/prod/cloudformation.json': extracted(s, 'test-and-prod-accounts_toolsacct-codepipeline-cloudformation-deployer__CFPolicy__PolicyDocument.json'),
  };
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
  const DEPLOY = '500000000005', MEMBER = '600000000006';
  const key = `arn:aws:kms:eu-west-1:${DEPLOY}:key/11112222-3333-4444-5555-666677778888`;
  const s = '03-adf-org-wide-key-cloudformation';
  const files: Record<string, string> = {
    '/ws/policy-handshake.json': JSON.stringify({
      keys: [{ policy: 'deployment/kms-key.json', arn: key }],
      principals: [{ arn: `arn:aws:iam::${MEMBER}:role/adf-cloudformation-role`, policies: ['member/*.json'] }],
      templates: [
        { files: 'deployment/*.json', account: DEPLOY, region: 'eu-west-1', parameters: { OrganizationId: 'o-exampleorgid' } },
        { files: 'member/*.json', account: MEMBER, region: 'eu-west-1', parameters: { KMSArn: key } },
      ],
    }),
    '/ws/deployment/kms-key.json': extracted(s, 'deployment-account_global__KMSKey__KeyPolicy.json'),
    '/ws/member/cloudformation-kms.json': extracted(s, 'target-accounts_global__CloudFormationKMSPolicy__PolicyDocument.json'),
    '/ws/member/codecommit.json': extracted(s, 'target-accounts_global__CodeCommitPolicy__PolicyDocument.json'),
  };
  const ws = build(files);
  assert.deepEqual(handshakeFindings(ws, files), []);
});

test('04 KMS docs, external account: the root statement, the console statements, and the role-and-user variant', skip, () => {
  // README: principals of 444455556666 carrying the IAM statement can use the key; with the
  // role-and-user variant only ExampleRole/ExampleUser can, even if others carry the statement.
  const s = '04-kms-docs-external-account';
  const owner = 'key-owner-account-111122223333';
  const own = { Sid: 'Enable IAM policies', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' };
  const iam = doc(fragment(s, 'external-account-444455556666', 'iam-policy-statement__use-key-in-111122223333__L131.json'));
  const manifest = JSON.stringify({
    accounts: { '111122223333': { name: 'key owner' }, '444455556666': { name: 'external' } },
    keys: [{ policy: 'key.json', arn: 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' }],
    principals: [
      { arn: 'arn:aws:iam::444455556666:role/ExampleRole', policies: ['external/example-role.json'] },
      { arn: 'arn:aws:iam::444455556666:role/OtherRole', policies: ['external/other-role.json'] },
    ],
  });
  // Root variant plus the two console statements: the crypto statement is used by both roles
  // (broader than grants); the persistent-resource statement (CreateGrant, ListGrants,
  // RevokeGrant) is granted by no IAM policy of the account: root-principal-without-grant.
  const rootFiles = {
    '/ws/policy-handshake.json': manifest,
    '/ws/key.json': doc(own,
      fragment(s, owner, 'key-policy-statement__grant-external-account-root__L63.json'),
      fragment(s, owner, 'console-persistent-resources-statement__L190.json')),
    '/ws/external/example-role.json': iam,
    '/ws/external/other-role.json': iam,
  };
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
  const roleFiles = {
    '/ws/policy-handshake.json': manifest,
    '/ws/key.json': doc(own, fragment(s, owner, 'key-policy-statement__grant-external-role-and-user__L91.json')),
    '/ws/external/example-role.json': iam,
    '/ws/external/other-role.json': iam,
  };
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
  const s = '05-kms-docs-assume-role-cross-account';
  const files = {
    '/ws/policy-handshake.json': JSON.stringify({
      accounts: { '444455556666': { name: 'account 2' }, '111122223333': { name: 'account 1' } },
      keys: [{ policy: 'account-2/key-policy.json', arn: 'arn:aws:kms:us-west-2:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab' }],
      principals: [{ arn: 'arn:aws:iam::111122223333:role/Engineering', policies: ['account-1/engineering-inline.json'] }],
    }),
    '/ws/account-2/key-policy.json': read(s, 'key-owner-account-444455556666', 'key-policy__key-policy-acct-2__L72.json'),
    '/ws/account-1/engineering-inline.json': read(s, 'caller-account-111122223333', 'Engineering-role-inline-policy__L112.json'),
    '/ws/account-1/engineering-get-role.json': read(s, 'caller-account-111122223333', 'Engineering-role-get-role-output__L136.json'),
  };
  const ws = build(files);
  assert.deepEqual(handshakeFindings(ws, files), [
    'root-principal-broader-than-grants /ws/account-2/key-policy.json "\\"arn:aws:iam::111122223333:root\\""',
  ]);
  const f = finding(ws, '/ws/account-2/key-policy.json', 'root-principal-broader-than-grants');
  assert.equal(f.fixes!.find((x) => x.isPreferred)!.changes[0].edits[0].newText, '"arn:aws:iam::111122223333:role/Engineering"');
});
