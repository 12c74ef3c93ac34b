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
