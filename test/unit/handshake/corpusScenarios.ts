/**
 * The workspaces of the five real cross-account scenarios of the corpus
 * (shared/corpus/cross-account): both sides of each in one workspace, with the manifest that
 * binds them. Read only when a test asks for them (the corpus may be absent).
 */
import * as fs from 'node:fs';
import { corpusPath } from '../../support/corpus';

export type Files = Record<string, string>;

const read = (...p: string[]) => fs.readFileSync(corpusPath('cross-account', ...p), 'utf8');
/** A policy extracted from a template: the corpus wraps it with its origin. */
const extracted = (scenario: string, name: string) => JSON.stringify(JSON.parse(read(scenario, 'extracted-policies', name)).document, null, 2);
/** A statement fragment of the KMS docs. */
const fragment = (scenario: string, ...p: string[]) => JSON.parse(read(scenario, ...p));
const doc = (...statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);

export const S01 = { DEST: '222233334444', SRC: '555566667777' };

/** 01 S3 replication (CloudFormation JSON): the destination key trusts the source root. */
export function s3Replication(): Files {
  const { DEST, SRC } = S01;
  return {
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
}

/** 02 CodePipeline reference architecture: the Tools key trusts Dev/Test/Prod roots; their roles grant kms:*. */
export function codePipeline(): Files {
  const TOOLS = '100000000001', DEV = '200000000002', TEST = '300000000003', PROD = '400000000004';
  const key = `arn:aws:kms:us-east-1:${TOOLS}:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`;
  const s = '02-codepipeline-refarch-cloudformation';
  const ccRole = 'ToolsAcctCodePipelineCodeCommitRole';
  const cfRole = 'ToolsAcctCodePipelineCloudFormationRole';
  return {
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
}

/** 03 ADF organization-wide key: Principal "*" limited by aws:PrincipalOrgID; member-account roles grant the key. */
export function adfOrganizationKey(): Files {
  const DEPLOY = '500000000005', MEMBER = '600000000006';
  const key = `arn:aws:kms:eu-west-1:${DEPLOY}:key/11112222-3333-4444-5555-666677778888`;
  const s = '03-adf-org-wide-key-cloudformation';
  return {
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
}

const S04 = '04-kms-docs-external-account';
const S04_OWNER = 'key-owner-account-111122223333';

function externalAccount(keyStatements: unknown[]): Files {
  const own = { Sid: 'Enable IAM policies', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' };
  const iam = doc(fragment(S04, 'external-account-444455556666', 'iam-policy-statement__use-key-in-111122223333__L131.json'));
  return {
    '/ws/policy-handshake.json': JSON.stringify({
      accounts: { '111122223333': { name: 'key owner' }, '444455556666': { name: 'external' } },
      keys: [{ policy: 'key.json', arn: 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' }],
      principals: [
        { arn: 'arn:aws:iam::444455556666:role/ExampleRole', policies: ['external/example-role.json'] },
        { arn: 'arn:aws:iam::444455556666:role/OtherRole', policies: ['external/other-role.json'] },
      ],
    }),
    '/ws/key.json': doc(own, ...keyStatements),
    '/ws/external/example-role.json': iam,
    '/ws/external/other-role.json': iam,
  };
}

/** 04 KMS docs, external account: the root statement and the console persistent-resources statement. */
export function externalAccountRoot(): Files {
  return externalAccount([
    fragment(S04, S04_OWNER, 'key-policy-statement__grant-external-account-root__L63.json'),
    fragment(S04, S04_OWNER, 'console-persistent-resources-statement__L190.json'),
  ]);
}

/** 04 KMS docs, external account: the role-and-user variant. */
export function externalAccountRoleAndUser(): Files {
  return externalAccount([fragment(S04, S04_OWNER, 'key-policy-statement__grant-external-role-and-user__L91.json')]);
}

/** 05 KMS docs, assume role: account 2's key trusts account 1's root; role Engineering grants the same actions. */
export function assumeRole(): Files {
  const s = '05-kms-docs-assume-role-cross-account';
  return {
    '/ws/policy-handshake.json': JSON.stringify({
      accounts: { '444455556666': { name: 'account 2' }, '111122223333': { name: 'account 1' } },
      keys: [{ policy: 'account-2/key-policy.json', arn: 'arn:aws:kms:us-west-2:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab' }],
      principals: [{ arn: 'arn:aws:iam::111122223333:role/Engineering', policies: ['account-1/engineering-inline.json'] }],
    }),
    '/ws/account-2/key-policy.json': read(s, 'key-owner-account-444455556666', 'key-policy__key-policy-acct-2__L72.json'),
    '/ws/account-1/engineering-inline.json': read(s, 'caller-account-111122223333', 'Engineering-role-inline-policy__L112.json'),
    '/ws/account-1/engineering-get-role.json': read(s, 'caller-account-111122223333', 'Engineering-role-get-role-output__L136.json'),
  };
}

/** Every scenario's workspace, by name. */
export const CORPUS_SCENARIOS: Record<string, () => Files> = {
  '01 S3 replication': s3Replication,
  '02 CodePipeline': codePipeline,
  '03 ADF organization key': adfOrganizationKey,
  '04 external account (root)': externalAccountRoot,
  '04 external account (role and user)': externalAccountRoleAndUser,
  '05 assume role': assumeRole,
};
