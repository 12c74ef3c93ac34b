/**
 * The real YAML cross-account scenarios of the corpus (shared/corpus/cross-account 02 and 03),
 * read from their verbatim templates, each side bound to its account by a manifest. Each test
 * says what the scenario's README expects and which findings follow from it.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { corpusMissing, corpusPath } from '../../support/corpus';
import { needs } from '../../support/needs';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { HANDSHAKE_IDS } from '../handshake/workspaceFixture';

// In CI (POLICY_HANDSHAKE_REQUIRE_CORPUS=1) a missing corpus fails these tests instead of skipping them.
const skip = needs('corpus', corpusMissing('cross-account'));
const read = (...p: string[]) => fs.readFileSync(corpusPath('cross-account', ...p), 'utf8');

function build(files: Record<string, string>): Workspace {
  const ws = new Workspace();
  ws.updateFiles(Object.entries(files).map(([path, text]) => ({ path, text })));
  return ws;
}

/** Findings of the given ids in every file as `checkId path line:column "covered text"`, sorted. */
function findings(ws: Workspace, files: Record<string, string>, ids: string[]): string[] {
  const out: string[] = [];
  for (const [path, text] of Object.entries(files)) {
    for (const f of ws.findings(path)) {
      if (!ids.includes(f.checkId) && f.checkId !== 'internal-error') continue;
      const before = text.slice(0, f.span.offset);
      const line = before.split('\n').length;
      const column = f.span.offset - before.lastIndexOf('\n');
      out.push(`${f.checkId} ${path} ${line}:${column} ${JSON.stringify(text.slice(f.span.offset, f.span.offset + f.span.length))}`);
    }
  }
  return out.sort();
}

test('02 CodePipeline reference architecture, YAML templates: the Tools key trusts Dev/Test/Prod roots for five actions; their roles grant kms:* on the key ARN', skip, () => {
  // README: the effective permission is the intersection of both sides. So each root trust is
  // broader than the one role per account that uses it, and each kms:* grant exceeds the key
  // policy: the same findings as the extracted JSON policies give (handshake/corpus.test.ts).
  const TOOLS = '100000000001', DEV = '200000000002', TEST = '300000000003', PROD = '400000000004';
  const key = `arn:aws:kms:us-east-1:${TOOLS}:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`;
  const s = '02-codepipeline-refarch-cloudformation';
  const deployer = read(s, 'templates', 'test-and-prod-accounts', 'toolsacct-codepipeline-cloudformation-deployer.yaml');
  const files: Record<string, string> = {
    '/ws/policy-handshake.json': JSON.stringify({
      accounts: { [TOOLS]: { name: 'tools' }, [DEV]: { name: 'dev' }, [TEST]: { name: 'test' }, [PROD]: { name: 'prod' } },
      keys: [{ policy: 'tools/pre-reqs.yaml', arn: key }],
      templates: [
        { files: 'tools/*.yaml', account: TOOLS, region: 'us-east-1', parameters: { DevAccount: DEV, TestAccount: TEST, ProductionAccount: PROD, ProjectName: 'sample' } },
        { files: 'dev/*.yaml', account: DEV, region: 'us-east-1', parameters: { CMKARN: key, ToolsAccount: TOOLS } },
        { files: 'test/*.yaml', account: TEST, region: 'us-east-1', parameters: { CMKARN: key, ToolsAccount: TOOLS } },
        { files: 'prod/*.yaml', account: PROD, region: 'us-east-1', parameters: { CMKARN: key, ToolsAccount: TOOLS } },
      ],
    }),
    '/ws/tools/pre-reqs.yaml': read(s, 'templates', 'tools-account', 'pre-reqs.yaml'),
    '/ws/tools/code-pipeline.yaml': read(s, 'templates', 'tools-account', 'code-pipeline.yaml'),
    '/ws/dev/codecommit.yaml': read(s, 'templates', 'dev-account', 'toolsacct-codepipeline-codecommit.yaml'),
    '/ws/test/deployer.yaml': deployer,
    '/ws/prod/deployer.yaml': deployer,
  };
  const ws = build(files);
  assert.deepEqual(findings(ws, files, [...HANDSHAKE_IDS, 'yaml-syntax', 'invalid-principal', 'schema']), [
    'iam-grant-exceeds-key-policy /ws/dev/codecommit.yaml 56:17 "kms:*"',
    'iam-grant-exceeds-key-policy /ws/prod/deployer.yaml 54:17 "kms:*"',
    'iam-grant-exceeds-key-policy /ws/test/deployer.yaml 54:17 "kms:*"',
    'root-principal-broader-than-grants /ws/tools/pre-reqs.yaml 65:19 "!Sub arn:aws:iam::${ProductionAccount}:root"',
    'root-principal-broader-than-grants /ws/tools/pre-reqs.yaml 66:19 "!Sub arn:aws:iam::${TestAccount}:root"',
    'root-principal-broader-than-grants /ws/tools/pre-reqs.yaml 67:19 "!Sub arn:aws:iam::${DevAccount}:root"',
  ]);
  const broader = ws.findings('/ws/tools/pre-reqs.yaml').find((f) => f.checkId === 'root-principal-broader-than-grants' && f.message.includes(DEV))!;
  assert.equal(broader.severity, 'info');
  assert.match(broader.message, new RegExp(`only one of its principals uses this key: narrow the principal to it. It is role/ToolsAcctCodePipelineCodeCommitRole \\(`));
  // Where the grant is (line 57 of the YAML template), the related entry says.
  const grant = broader.related![0];
  assert.equal(grant.file, '/ws/dev/codecommit.yaml');
  assert.equal(files['/ws/dev/codecommit.yaml'].slice(0, grant.span.offset).split('\n').length, 57);
  const exceeds = ws.findings('/ws/dev/codecommit.yaml').find((f) => f.checkId === 'iam-grant-exceeds-key-policy')!;
  assert.match(exceeds.message, /^Only 9 of the 56 actions kms:\* stands for work on the key: list them instead\. .* The other 47 have no effect on arn:aws:kms:us-east-1:100000000001:key\/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0 \(tools\/pre-reqs\.yaml\)\./);
});

test('03 ADF organization-wide key, YAML templates: Principal "*" limited by aws:PrincipalOrgID; member roles grant the key passed as a parameter', skip, () => {
  // README: allowed through the organization statement, a wildcard principal that is not
  // public; the member account's roles are granted by it. So no finding on either side (no
  // public-key-policy, no iam-grant-without-key-trust); and without the organization
  // statement the same grants have no key trust.
  const DEPLOY = '500000000005', MEMBER = '600000000006';
  const key = `arn:aws:kms:eu-west-1:${DEPLOY}:key/11112222-3333-4444-5555-666677778888`;
  const s = '03-adf-org-wide-key-cloudformation';
  const files: Record<string, string> = {
    '/ws/policy-handshake.json': JSON.stringify({
      keys: [{ policy: 'deployment/global.yml', arn: key }],
      templates: [
        { files: 'deployment/*.yml', account: DEPLOY, region: 'eu-west-1', parameters: { OrganizationId: 'o-exampleorgid' } },
        { files: 'member/*.yml', account: MEMBER, region: 'eu-west-1', parameters: { KMSArn: key, DeploymentAccountId: DEPLOY } },
      ],
    }),
    '/ws/deployment/global.yml': read(s, 'templates', 'deployment-account', 'global.yml'),
    '/ws/deployment/regional.yml': read(s, 'templates', 'deployment-account', 'regional.yml'),
    '/ws/deployment/pipeline_management.yml': read(s, 'templates', 'deployment-account', 'pipeline_management.yml'),
    '/ws/member/global.yml': read(s, 'templates', 'target-accounts', 'global.yml'),
  };
  const ids = [...HANDSHAKE_IDS, 'yaml-syntax', 'invalid-principal', 'public-key-policy', 'file-skipped', 'schema'];
  const ws = build(files);
  assert.deepEqual(findings(ws, files, ids), []);
  assert.deepEqual(ws.discovered('/ws/deployment/global.yml')!.documents.filter((d) => d.kind === 'kms-key-policy').length, 1);
  // Control: the organization statement trusts the deployment account only; the member roles' grants lose their key trust.
  const orgStatement = 'Principal:\n              AWS: "*"';
  assert.ok(files['/ws/deployment/global.yml'].includes(orgStatement));
  const control = { ...files, '/ws/deployment/global.yml': files['/ws/deployment/global.yml'].replace(orgStatement, `Principal:\n              AWS: "arn:aws:iam::${DEPLOY}:root"`) };
  const lines = findings(build(control), control, ids);
  // Every member-account statement that grants the key (`Resource: !Ref KMSArn`), on its tagged value.
  assert.deepEqual(lines, [
    'iam-grant-without-key-trust /ws/member/global.yml 152:23 "!Ref KMSArn"',
    'iam-grant-without-key-trust /ws/member/global.yml 215:23 "!Ref \\"KMSArn\\""',
    'iam-grant-without-key-trust /ws/member/global.yml 405:23 "!Ref KMSArn"',
    'iam-grant-without-key-trust /ws/member/global.yml 86:23 "!Ref KMSArn"',
  ]);
});
