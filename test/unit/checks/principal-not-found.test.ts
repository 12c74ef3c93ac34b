/**
 * `principal-not-found`: a key policy names a role or user that the authorization-details
 * export of its account does not list (KMS refuses such a policy).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { A, B, expectWorkspace, keyPolicy, manifest, role, single } from '../handshake/workspaceFixture';

const ID = 'principal-not-found';
const M = '/ws/policy-handshake.json';
const K = '/ws/keys/key.json';
const only = [ID];

/** An authorization-details export of an account with these roles and users (no policies). */
function exportOf(account: string, roles: string[], users?: string[]): string {
  const entity = (kind: string, name: string) => {
    const slash = name.lastIndexOf('/');
    const path = slash >= 0 ? `/${name.slice(0, slash)}/` : '/';
    const base = name.slice(slash + 1);
    return kind === 'role'
      ? { RoleName: base, Path: path, Arn: `arn:aws:iam::${account}:role${path}${base}`, RolePolicyList: [], AttachedManagedPolicies: [], AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] } }
      : { UserName: base, Path: path, Arn: `arn:aws:iam::${account}:user${path}${base}`, UserPolicyList: [], AttachedManagedPolicies: [], GroupList: [] };
  };
  const out: Record<string, unknown> = { RoleDetailList: roles.map((r) => entity('role', r)), GroupDetailList: [], Policies: [] };
  if (users) out.UserDetailList = users.map((u) => entity('user', u));
  return JSON.stringify(out, null, 2);
}

test('principal-not-found: a role or user the export of its account does not list, own account or another', () => {
  const s = expectWorkspace({
    [M]: manifest({}),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": ["${role(A, 'Admin')}", «${ID}:"${role(A, 'Admn')}"», «${ID}:"arn:aws:iam::${B}:user/ghost"», "arn:aws:iam::${B}:user/alice"]}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/exports/a.json': exportOf(A, ['Admin']),
    '/ws/exports/b.json': exportOf(B, ['App'], ['alice']),
  }, { only });
  const f = s.ws.findings(K).filter((x) => x.checkId === ID);
  assert.equal(f[0].message, `security (${A}) has no role role/Admn in the workspace's authorization-details export, which lists every role of the account: KMS refuses a key policy whose principal does not exist (MalformedPolicyDocument). Correct the ARN, or remove the principal.`);
  assert.equal(f[0].severity, 'error');
});

test('principal-not-found: a role listed under another path is named in the message', () => {
  const s = expectWorkspace({
    [M]: manifest({}),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «${ID}:"${role(B, 'Deployer')}"»}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/exports/b.json': exportOf(B, ['ci/Deployer']),
  }, { only });
  assert.match(single(s.ws, K, ID).message, new RegExp(`The account has arn:aws:iam::${B}:role/ci/Deployer: write the ARN with its path\\.`));
});

test('principal-not-found: nothing without a complete list (no export, a manifest, an export without users), for roots, wildcards and listed names in another case', () => {
  // The manifest names some principals only: absence there proves nothing.
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": ["${role(B, 'Ghost')}", "arn:aws:iam::${B}:root", "arn:aws:iam::${B}:user/bob"]}, "Action": "kms:Decrypt", "Resource": "*"}`),
  }, { only });
  // An export filtered to roles says nothing about users.
  expectWorkspace({
    [M]: manifest({}),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::${B}:user/bob", "${role(B, 'app')}", "arn:aws:iam::${B}:role/*"]}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/exports/b.json': exportOf(B, ['App']),
  }, { only });
});

test('principal-not-found: the finding goes when the export gains the role', () => {
  const s = expectWorkspace({
    [M]: manifest({}),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «${ID}:"${role(B, 'Later')}"»}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/exports/b.json': exportOf(B, ['App']),
  }, { only });
  s.ws.updateFile('/ws/exports/b.json', exportOf(B, ['App', 'Later']));
  assert.deepEqual(s.ws.findings(K).filter((f) => f.checkId === ID), []);
});

/** A manifest whose account B says the workspace names all its roles (and maybe users). */
function completeManifest(principals: Record<string, string[]>, complete: string[], extra: Record<string, unknown> = {}): string {
  const m = JSON.parse(manifest(principals, extra)) as { accounts: Record<string, Record<string, unknown>> };
  m.accounts[B].complete = complete;
  return JSON.stringify(m, null, 2);
}

/** A CloudFormation template of account B defining the role `name`. */
const roleTemplate = (name: string) => JSON.stringify({ Resources: { R: { Type: 'AWS::IAM::Role', Properties: {
  RoleName: name,
  AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
} } } }, null, 2);

test('principal-not-found: a manifest that says its account\'s roles are complete makes the manifest\'s principals and templates the list', () => {
  const s = expectWorkspace({
    [M]: completeManifest({ [role(B, 'App')]: ['b/*.json'] }, ['role'], { templates: [{ files: 'cfn/*.json', account: B, region: 'us-west-2' }] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": ["${role(B, 'App')}", "${role(B, 'FromTemplate')}", «${ID}:"${role(B, 'Ghost')}"», "arn:aws:iam::${B}:user/bob", "arn:aws:iam::${B}:root"]}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/cfn/roles.json': roleTemplate('FromTemplate'),
  }, { only });
  assert.equal(single(s.ws, K, ID).message, `workloads (${B}) has no role role/Ghost among the roles the workspace names, which the manifest says are all of the account's (accounts.${B}.complete): KMS refuses a key policy whose principal does not exist (MalformedPolicyDocument). Correct the ARN, or remove the principal.`);
  // Users were not declared complete: bob is not judged. Declared, he is.
  expectWorkspace({
    [M]: completeManifest({ [role(B, 'App')]: ['b/*.json'] }, ['role', 'user']),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": ["${role(B, 'App')}", «${ID}:"arn:aws:iam::${B}:user/bob"»]}, "Action": "kms:Decrypt", "Resource": "*"}`),
  }, { only });
});

test('principal-not-found: the manifest\'s complete flag added or removed while the key policy is open', () => {
  const files = {
    [M]: manifest({ [role(B, 'App')]: ['b/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": ["${role(B, 'App')}", "${role(B, 'Ghost')}"]}, "Action": "kms:Decrypt", "Resource": "*"}`),
  };
  const s = expectWorkspace(files, { only });
  s.ws.updateFile(M, completeManifest({ [role(B, 'App')]: ['b/*.json'] }, ['role']));
  assert.deepEqual(s.ws.findings(K).filter((f) => f.checkId === ID).map((f) => f.message.split(':')[0]), [`workloads (${B}) has no role role/Ghost among the roles the workspace names, which the manifest says are all of the account's (accounts.${B}.complete)`]);
  s.ws.updateFile(M, files[M]);
  assert.deepEqual(s.ws.findings(K).filter((f) => f.checkId === ID), []);
});

test('principal-not-found: an export of the account keeps its own wording when the manifest also says complete', () => {
  const s = expectWorkspace({
    [M]: completeManifest({}, ['role']),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «${ID}:"${role(B, 'Ghost')}"»}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/exports/b.json': exportOf(B, ['App']),
  }, { only });
  assert.match(single(s.ws, K, ID).message, /in the workspace's authorization-details export, which lists every role of the account:/);
});
