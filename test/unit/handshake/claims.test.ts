/**
 * What handshake findings state about access, machine-readable (`Finding.claims`): one
 * workspace per check, the claims written out in full.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { AccessClaim } from '../../../server/src/core/findings';
import { runCli } from '../../../server/src/cli/main';
import { repoRoot } from '../../support/corpus';
import { A, B, KEY, buildWorkspace, identityPolicy, keyPolicy, manifest, role, single } from './workspaceFixture';
import { defaultCatalog } from '../../../server/src/core/catalog/catalog';
import { accessClaim } from '../../../server/src/core/checks/accessClaims';
import type { KeyIdentity } from '../../../server/src/core/handshake/keyIdentity';

const M = '/ws/policy-handshake.json';
const K = '/ws/keys/key.json';
const ROOT_B = `arn:aws:iam::${B}:root`;
const allow = (actions: string, resource: string) => `{"Effect": "Allow", "Action": ${actions}, "Resource": ${resource}}`;
const trust = (principal: string, actions: string) => `{"Effect": "Allow", "Principal": {"AWS": "${principal}"}, "Action": ${actions}, "Resource": "*"}`;
const claim = (principal: string, actions: string[], can: boolean, extra: Partial<AccessClaim> = {}): AccessClaim => ({ key: KEY, principal, actions, can, ...extra });

test('root-principal-without-grant: no principal of the account can use the trusted actions', () => {
  const s = buildWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(trust(ROOT_B, '["kms:Decrypt", "kms:Encrypt", "kms:PutKeyPolicy"]')),
    '/ws/b/app/s3.json': identityPolicy(allow('"s3:GetObject"', '"*"')),
  });
  assert.deepEqual(single(s.ws, K, 'root-principal-without-grant').claims, [claim(ROOT_B, ['kms:Decrypt', 'kms:Encrypt'], false, { statement: true })]);
});

test('root-principal-broader-than-grants: the principals with grants can, conditional ones marked; the account\'s other roles cannot', () => {
  const s = buildWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(B, 'Etl')]: ['b/etl/*.json'], [role(B, 'Other')]: ['b/other/*.json'] }),
    [K]: keyPolicy(trust(ROOT_B, '["kms:Decrypt", "kms:Encrypt"]')),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
    '/ws/b/etl/kms.json': identityPolicy(`{"Effect": "Allow", "Action": "kms:Encrypt", "Resource": "${KEY}", "Condition": {"StringEquals": {"kms:EncryptionContext:project": "alpha"}}}`),
    '/ws/b/other/s3.json': identityPolicy(allow('"s3:GetObject"', '"*"')),
  });
  assert.deepEqual(single(s.ws, K, 'root-principal-broader-than-grants').claims, [
    claim(role(B, 'App'), ['kms:Decrypt'], true),
    claim(role(B, 'Etl'), ['kms:Encrypt'], true, { conditional: true }),
    claim(role(B, 'Other'), ['kms:Decrypt', 'kms:Encrypt'], false, { statement: true }),
  ]);
});

test('external-principal-without-grant: the named role cannot use the trusted actions', () => {
  const s = buildWorkspace({
    [M]: manifest({ [role(B, 'Batch')]: ['b/batch/*.json'] }),
    [K]: keyPolicy(trust(role(B, 'Batch'), '"kms:Decrypt"')),
    '/ws/b/batch/s3.json': identityPolicy(allow('"s3:GetObject"', '"*"')),
  });
  assert.deepEqual(single(s.ws, K, 'external-principal-without-grant').claims, [claim(role(B, 'Batch'), ['kms:Decrypt'], false, { statement: true })]);
});

test('external-account-undescribed states nothing about access', () => {
  const s = buildWorkspace({ [M]: manifest({}), [K]: keyPolicy(trust(ROOT_B, '"kms:Decrypt"')) });
  assert.deepEqual(single(s.ws, K, 'external-account-undescribed').claims, []);
});

test('iam-grant-without-key-trust: the policy\'s principal cannot use the granted actions on the key', () => {
  const s = buildWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(),
    '/ws/b/app/kms.json': identityPolicy(allow('["kms:Decrypt", "kms:Encrypt"]', `"${KEY}"`)),
  });
  assert.deepEqual(single(s.ws, '/ws/b/app/kms.json', 'iam-grant-without-key-trust').claims, [claim(role(B, 'App'), ['kms:Decrypt', 'kms:Encrypt'], false, { statement: true })]);
});

test('iam-grant-exceeds-key-policy: the entry\'s actions the key policy does not allow', () => {
  const s = buildWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(trust(ROOT_B, '["kms:Decrypt"]')),
    '/ws/b/app/kms.json': identityPolicy(allow('["kms:Decrypt", "kms:Encrypt", "kms:TagResource"]', `"${KEY}"`)),
  });
  const claims = s.ws.findings('/ws/b/app/kms.json').filter((f) => f.checkId === 'iam-grant-exceeds-key-policy').map((f) => f.claims);
  assert.deepEqual(claims, [[claim(role(B, 'App'), ['kms:Encrypt'], false, { statement: true })], [claim(role(B, 'App'), ['kms:TagResource'], false, { statement: true })]]);
});

test('cross-account-action-ineffective: the external principals cannot use the entry\'s actions', () => {
  const s = buildWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": ["${ROOT_B}", "${role(B, 'App')}", "arn:aws:iam::${A}:role/Admin"]}, "Action": ["kms:Decrypt", "kms:Schedule*"], "Resource": "*"}`),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
  });
  assert.deepEqual(single(s.ws, K, 'cross-account-action-ineffective').claims, [
    claim(ROOT_B, ['kms:ScheduleKeyDeletion'], false),
    claim(role(B, 'App'), ['kms:ScheduleKeyDeletion'], false),
  ]);
});

test('the CLI\'s JSON output carries the claims of handshake findings, and no claims field on others', () => {
  let out = '';
  runCli(['check', 'examples/cross-account', '--format', 'json'], { stdout: (t) => { out += t; }, stderr: (t) => { out += t; }, cwd: repoRoot });
  const findings = JSON.parse(out) as { code: string; claims?: AccessClaim[] }[];
  const broader = findings.find((f) => f.code === 'root-principal-broader-than-grants')!;
  assert.deepEqual(broader.claims?.filter((c) => c.can).map((c) => c.principal), ['arn:aws:iam::444455556666:role/AppReader', 'arn:aws:iam::444455556666:role/DataPipeline']);
  assert.ok(findings.every((f) => f.code.startsWith('root-principal') || f.claims === undefined));
});

test('claims naming the same actions share one frozen list of flat strings', () => {
  const catalog = defaultCatalog();
  const key = { arn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', account: '111122223333', partition: 'aws' } as KeyIdentity;
  const a = accessClaim(catalog, key, 'arn:aws:iam::444455556666:role/a', ['decrypt', 'encrypt', 'decrypt'], true)!;
  const b = accessClaim(catalog, key, 'arn:aws:iam::444455556666:role/b', ['encrypt', 'decrypt'], false)!;
  assert.deepEqual(a.actions, ['kms:Decrypt', 'kms:Encrypt']);
  assert.equal(a.actions, b.actions);
  assert.ok(Object.isFrozen(a.actions));
  const c = accessClaim(catalog, key, 'arn:aws:iam::444455556666:role/c', ['encrypt'], true)!;
  assert.deepEqual(c.actions, ['kms:Encrypt']);
  assert.notEqual(c.actions, a.actions);
});

test('claims are made when first read: a finding nobody reads the claims of (the server\'s) never makes them', () => {
  const s = buildWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(trust(ROOT_B, '["kms:Decrypt", "kms:Encrypt"]')),
    '/ws/b/app/s3.json': identityPolicy(allow('"s3:GetObject"', '"*"')),
  });
  const f = single(s.ws, K, 'root-principal-without-grant');
  const before = Object.getOwnPropertyDescriptor(f, 'claims')!;
  assert.equal(typeof before.get, 'function');
  assert.ok(before.enumerable);
  const expected = [claim(ROOT_B, ['kms:Decrypt', 'kms:Encrypt'], false, { statement: true })];
  assert.deepEqual(f.claims, expected);
  // Once read, a plain value: the same list each time.
  const after = Object.getOwnPropertyDescriptor(f, 'claims')!;
  assert.equal(after.get, undefined);
  assert.equal(f.claims, after.value);
  assert.deepEqual(after.value, expected);
});
