/**
 * "Policy Handshake: Create manifest" (core/features/manifestDraft): what the draft proposes
 * for the shipped examples and the corpus's cross-account scenarios read without a manifest,
 * and for small workspaces showing each source of a guess (an export's account alias, a CDK
 * environment, a Terraform account variable or pinned provider, a folder of templates naming
 * one account). Placeholders only where nothing is known.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { manifestDraft } from '../../../server/src/core/features/manifestDraft';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { corpusMissing, corpusPath, repoRoot, walk } from '../../support/corpus';
import { withHclParser } from '../../support/hcl';
import { needs } from '../../support/needs';

withHclParser();

/** The draft for a folder read from disk, without its manifest unless asked. */
function draftOfFolder(root: string, withManifest = false) {
  const files = walk(root).filter((f) => !f.endsWith('.md') && (withManifest || path.basename(f) !== 'policy-handshake.json'));
  const ws = new Workspace();
  ws.updateFiles(files.map((f) => ({ path: f, text: fs.readFileSync(f, 'utf8') })));
  const d = manifestDraft(ws, root);
  return { manifest: JSON.parse(d.text), notes: d.notes };
}

function draftOf(files: Record<string, string>) {
  const ws = new Workspace();
  ws.updateFiles(Object.entries(files).map(([p, text]) => ({ path: `/ws/${p}`, text })));
  const d = manifestDraft(ws, '/ws');
  return { manifest: JSON.parse(d.text), notes: d.notes };
}

const example = (name: string) => path.join(repoRoot, 'examples', name);
const scenario = (name: string) => corpusPath('cross-account', name);
const skip = needs('corpus', corpusMissing('cross-account'));
const NAMES_NOTE = 'Account names come from what the workspace says of each account (an export\'s alias, a Terraform variable, a folder, a CDK stage or stack; else the last digits of the id): rename them as you call the accounts.';

test('examples/cross-account without its manifest: the draft is the manifest it ships with', () => {
  const { manifest } = draftOfFolder(example('cross-account'));
  assert.deepEqual(manifest, JSON.parse(fs.readFileSync(path.join(example('cross-account'), 'policy-handshake.json'), 'utf8')));
});

test('examples/terraform without its manifest: the account a variable names, its folder of templates, the key of key.tf', () => {
  const { manifest, notes } = draftOfFolder(example('terraform'));
  assert.deepEqual(manifest, {
    // `variable "workloads_account_id" { default = "345678901234" }` names the account; the
    // security account is named nowhere (aws_caller_identity): placeholders.
    accounts: { '345678901234': { name: 'workloads' } },
    keys: [{ policy: 'security/key.tf', arn: 'arn:aws:kms:REGION:ACCOUNT-ID:key/KEY-ID' }],
    templates: [
      { files: 'security/*.tf', account: 'ACCOUNT-ID', region: 'REGION' },
      // The folder is named after the account.
      { files: 'workloads/*.tf', account: '345678901234', region: 'REGION' },
    ],
  });
  assert.deepEqual(notes, [
    NAMES_NOTE,
    'security/key.tf: fill in the key\'s ARN (the workspace names none of its account\'s keys).',
    'security/*.tf: fill in the account and Region the templates are deployed to.',
    'workloads/*.tf: fill in the Region the templates are deployed to.',
  ]);
});

test('examples/terraform with its manifest: every account, the key\'s ARN and each folder\'s account and Region', () => {
  const { manifest, notes } = draftOfFolder(example('terraform'), true);
  assert.deepEqual(manifest, {
    accounts: { '123456789012': { name: 'security' }, '345678901234': { name: 'workloads' } },
    keys: [{ policy: 'security/key.tf', arn: 'arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' }],
    templates: [
      { files: 'security/*.tf', account: '123456789012', region: 'us-west-2' },
      { files: 'workloads/*.tf', account: '345678901234', region: 'us-west-2' },
    ],
  });
  assert.deepEqual(notes, [NAMES_NOTE]);
});

test('examples/organization without its manifest: accounts the key ARNs name, both keys of security, a role per folder', () => {
  const { manifest } = draftOfFolder(example('organization'));
  assert.deepEqual(manifest.accounts, { '111122223333': { name: 'security' }, '444455556666': { name: 'account-6666' } });
  assert.deepEqual(manifest.keys.map((k: { policy: string }) => k.policy), ['security/keys/org-logs.json', 'security/keys/s3-data.json']);
  assert.deepEqual(manifest.principals.map((p: { arn: string }) => p.arn), [
    'arn:aws:iam::ACCOUNT-ID:role/Auditor', 'arn:aws:iam::ACCOUNT-ID:role/DataWriter', 'arn:aws:iam::ACCOUNT-ID:role/Etl', 'arn:aws:iam::ACCOUNT-ID:role/LogReader',
  ]);
});

test('corpus 01 S3 replication: one templates entry per account folder (JSON and YAML), the key each declares', skip, () => {
  const { manifest } = draftOfFolder(scenario('01-s3-crr-kms-cloudformation'));
  const placeholderKey = 'arn:aws:kms:REGION:ACCOUNT-ID:key/KEY-ID';
  assert.deepEqual(manifest, {
    // The templates take both account ids as parameters: nothing names them.
    accounts: {},
    keys: [
      { policy: 'templates/destination-account/destination.json', arn: placeholderKey },
      { policy: 'templates/destination-account/destination.yaml', arn: placeholderKey },
      { policy: 'templates/source-account/source.json', arn: placeholderKey },
      { policy: 'templates/source-account/source.yaml', arn: placeholderKey },
    ],
    templates: [
      { files: ['templates/destination-account/*.json', 'templates/destination-account/*.yaml'], account: 'ACCOUNT-ID', region: 'REGION' },
      { files: ['templates/source-account/*.json', 'templates/source-account/*.yaml'], account: 'ACCOUNT-ID', region: 'REGION' },
    ],
  });
});

test('corpus 02 and 03: templates by folder, the keys of the tools and deployment accounts', skip, () => {
  const pipeline = draftOfFolder(scenario('02-codepipeline-refarch-cloudformation')).manifest;
  assert.deepEqual(pipeline.templates.map((t: { files: string }) => t.files), [
    'templates/dev-account/*.yaml', 'templates/test-and-prod-accounts/*.yaml', 'templates/tools-account/*.yaml',
  ]);
  assert.deepEqual(pipeline.keys.map((k: { policy: string }) => k.policy), ['templates/tools-account/pre-reqs.yaml']);
  const adf = draftOfFolder(scenario('03-adf-org-wide-key-cloudformation')).manifest;
  assert.deepEqual(adf.templates.map((t: { files: string }) => t.files), ['templates/deployment-account/*.yml', 'templates/target-accounts/*.yml']);
  assert.deepEqual(adf.keys.map((k: { policy: string }) => k.policy), ['templates/deployment-account/global.yml', 'templates/deployment-account/regional.yml']);
});

test('corpus 04: statement fragments only: an empty draft, no invented account', skip, () => {
  assert.deepEqual(draftOfFolder(scenario('04-kms-docs-external-account')), { manifest: { accounts: {} }, notes: [] });
});

test('corpus 05: folders named with account ids name the accounts; the get-role output names the caller\'s role', skip, () => {
  const { manifest, notes } = draftOfFolder(scenario('05-kms-docs-assume-role-cross-account'));
  assert.deepEqual(manifest, {
    accounts: { '111122223333': { name: 'caller-account' }, '444455556666': { name: 'key-owner-account' } },
    keys: [{ policy: 'key-owner-account-444455556666/key-policy__key-policy-acct-2__L72.json', arn: 'arn:aws:kms:us-west-2:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab' }],
    principals: [{ arn: 'arn:aws:iam::111122223333:role/Engineering', policies: ['caller-account-111122223333/*.json'] }],
  });
  assert.deepEqual(notes, [
    NAMES_NOTE,
    'key-owner-account-444455556666/key-policy__key-policy-acct-2__L72.json: the key\'s ARN is the one the identity policies name; check that it is this key.',
  ]);
});

const roleExport = (account: string, extra: Record<string, unknown> = {}) => JSON.stringify({
  ...extra,
  UserDetailList: [],
  GroupDetailList: [],
  RoleDetailList: [{
    RoleName: 'Reader', Arn: `arn:aws:iam::${account}:role/Reader`, Path: '/',
    AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
    RolePolicyList: [{ PolicyName: 'kms', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] } }],
    AttachedManagedPolicies: [],
  }],
  Policies: [],
});

test('an authorization-details export names its account by its alias when it carries one, else by its folder', () => {
  const { manifest } = draftOf({
    'exports/prod.json': roleExport('210987654321', { AccountAliases: ['acme-prod'] }),
    'workloads/auth.json': roleExport('444455556666'),
  });
  assert.deepEqual(manifest.accounts, { '210987654321': { name: 'acme-prod' }, '444455556666': { name: 'workloads' } });
});

const cfnKey = (principal: string) => JSON.stringify({
  AWSTemplateFormatVersion: '2010-09-09',
  Resources: { Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'kms:*', Resource: '*' }] } } } },
}, null, 2);

test('CDK: the cloud assembly\'s environments give the accounts (named after the stage) and bind the stacks, which need no templates entry', () => {
  const stack = (name: string, account: string) => ({ type: 'aws:cloudformation:stack', environment: `aws://${account}/eu-west-1`, properties: { templateFile: `${name}.template.json`, stackName: name } });
  const { manifest, notes } = draftOf({
    'cdk.out/assembly-Prod/manifest.json': JSON.stringify({ version: '36.0.0', artifacts: { KeyStack: stack('KeyStack', '555566667777') } }),
    'cdk.out/assembly-Prod/KeyStack.template.json': cfnKey('arn:aws:iam::555566667777:root'),
  });
  assert.deepEqual(manifest, {
    accounts: { '555566667777': { name: 'Prod' } },
    keys: [{ policy: 'cdk.out/assembly-Prod/KeyStack.template.json', arn: 'arn:aws:kms:eu-west-1:555566667777:key/KEY-ID' }],
  });
  assert.ok(notes.includes('The CDK stacks of a fixed environment get their account and Region from cdk.out/manifest.json: they need no templates entry.'), notes.join('\n'));
});

test('templates: a folder whose templates all name one account gets it; a pinned Terraform provider gets its account; a mixed folder gets a placeholder', () => {
  const { manifest } = draftOf({
    'stacks/a.json': cfnKey('arn:aws:iam::111122223333:root'),
    'stacks/b.json': cfnKey('arn:aws:iam::111122223333:role/Admin'),
    'mixed/a.json': cfnKey('arn:aws:iam::111122223333:root'),
    'mixed/b.json': cfnKey('arn:aws:iam::444455556666:root'),
    'infra/main.tf': `provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["777788889999"]
}

resource "aws_kms_key" "k" {
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::777788889999:root" }, Action = "kms:*", Resource = "*" }] })
}
`,
  });
  assert.deepEqual(manifest.templates, [
    { files: 'infra/*.tf', account: '777788889999', region: 'REGION' },
    { files: 'mixed/*.json', account: 'ACCOUNT-ID', region: 'REGION' },
    { files: 'stacks/*.json', account: '111122223333', region: 'REGION' },
  ]);
  assert.deepEqual(manifest.keys.filter((k: { policy: string }) => k.policy.startsWith('stacks/') || k.policy.startsWith('infra/')), [
    { policy: 'infra/main.tf', arn: 'arn:aws:kms:REGION:777788889999:key/KEY-ID' },
    { policy: 'stacks/a.json', arn: 'arn:aws:kms:REGION:111122223333:key/KEY-ID' },
    { policy: 'stacks/b.json', arn: 'arn:aws:kms:REGION:111122223333:key/KEY-ID' },
  ]);
});
