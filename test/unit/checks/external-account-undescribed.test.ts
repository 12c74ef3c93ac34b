/**
 * `external-account-undescribed`: the key policy trusts another account's root, and the
 * workspace holds no IAM data for that account.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { A, B, KEY, expectWorkspace, identityPolicy, keyPolicy, manifest, role, single } from '../handshake/workspaceFixture';

const ID = 'external-account-undescribed';
const M = '/ws/policy-handshake.json';
const K = '/ws/keys/key.json';
const only = [ID];
const D = '123456789012';
const MESSAGE = (label: string) => `No IAM data for ${label}: describe it so that its use of the key can be checked. `
  + 'List its principals with their policy files, or its CloudFormation templates, in policy-handshake.json, or add its authorization-details export.';

test('external-account-undescribed: a root of an account nothing describes; the manifest is the related place', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «${ID}:"arn:aws:iam::${D}:root"»}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/b/app/kms.json': identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}"}`),
  }, { only });
  const f = single(s.ws, K, ID);
  assert.equal(f.severity, 'info');
  assert.equal(f.message, MESSAGE(D));
  assert.deepEqual(f.related!.map((r) => [r.file, r.span, r.message]), [[M, { offset: 0, length: 0 }, `The manifest: describe ${D} here`]]);
  assert.deepEqual(f.fixes ?? [], []);
});

test('external-account-undescribed: an account the manifest names but gives no principals; bare ids; every root of an array', () => {
  const s = expectWorkspace({
    // The manifest names account B (workloads) but binds no policy of it.
    [M]: manifest({}),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": [«${ID}:"${B}"», «${ID}:"arn:aws:iam::${D}:root"»]}, "Action": ["kms:Decrypt"], "Resource": "*"}`),
  }, { only });
  assert.deepEqual(s.ws.findings(K).filter((f) => f.checkId === ID).map((f) => f.message).sort(), [MESSAGE(D), MESSAGE(`workloads (${B})`)].sort());
});

test('external-account-undescribed: without a manifest, nothing is related', () => {
  const s = expectWorkspace({
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «${ID}:"arn:aws:iam::${B}:root"»}, "Action": "kms:Decrypt", "Resource": "*"}`),
  }, { only });
  assert.deepEqual(single(s.ws, K, ID).related ?? [], []);
});

test('external-account-undescribed: not for a described account, the own account, a named role, or a Deny', () => {
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(
      `{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::${B}:root", "arn:aws:iam::${A}:root", "${role(D, 'Outside')}"]}, "Action": "kms:Decrypt", "Resource": "*"}`,
      `{"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::${D}:root"}, "Action": "kms:*", "Resource": "*"}`,
    ),
    '/ws/b/app/kms.json': identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}"}`),
  }, { only });
});
