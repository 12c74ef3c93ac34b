/**
 * `external-principal-without-grant`: the key policy names a role or user of a described
 * account, and none of that principal's identity policies grants the trusted actions on the key.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { A, B, KEY, OTHER_KEY, applyFix, expectWorkspace, identityPolicy, keyPolicy, manifest, role, single } from '../handshake/workspaceFixture';

const ID = 'external-principal-without-grant';
const M = '/ws/policy-handshake.json';
const K = '/ws/keys/key.json';
const only = [ID];
const allow = (actions: string, resource: string) => `{"Effect": "Allow", "Action": ${actions}, "Resource": ${resource}}`;

test('external-principal-without-grant: a named role whose policy grants something else; message, related file, fix', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(B, 'Batch')]: ['b/batch/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": ["${role(B, 'App')}", «${ID}:"${role(B, 'Batch')}"»]}, "Action": ["kms:Decrypt"], "Resource": "*"}`),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
    '/ws/b/batch/s3.json': identityPolicy(allow('"s3:GetObject"', '"*"')),
  }, { only });
  const f = single(s.ws, K, ID);
  assert.equal(f.severity, 'warning');
  // Issue 18, defect 3: one short sentence first (what is wrong, what to do), then the details.
  assert.equal(f.message, `role/Batch cannot use kms:Decrypt: grant it in its IAM policy, or remove the trust. Account workloads (${B}): its identity policy (b/batch/s3.json) does not grant it on this key.`);
  assert.deepEqual(f.related!.map((r) => [r.file, r.message]), [['/ws/b/batch/s3.json', 'Identity policy of role/Batch (b/batch/s3.json): no grant on this key']]);
  assert.deepEqual(f.fixes!.map((x) => [x.id, x.title]), [['add-iam-grant', 'Grant 1 key action to role/Batch in b/batch/s3.json']]);
  applyFix(s.ws, K, f.fixes![0]);
  assert.deepEqual(JSON.parse(s.ws.text('/ws/b/batch/s3.json')!).Statement[1], { Sid: 'UseKey1234abcd', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: KEY });
  assert.deepEqual(s.ws.findings(K).filter((x) => x.checkId === ID), []);
});

test('external-principal-without-grant: a principal the account does not know, with a fix that adds a new policy file', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «${ID}:"${role(B, 'Ghost')}"»}, "Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": "*"}`),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
  }, { only });
  const f = single(s.ws, K, ID);
  assert.equal(f.message, 'role/Ghost cannot use the 2 trusted actions: grant them in its IAM policy, or remove the trust. '
    + `Account workloads (${B}): it is not among the 1 known principals of the account, and nothing grants them on this key. Trusted: kms:Decrypt, kms:Encrypt.`);
  assert.deepEqual(f.related ?? [], []);
  assert.deepEqual(f.fixes!.map((x) => x.changes.map((c) => [c.file, c.create ?? false])), [[['/ws/policies/workloads/Ghost/kms-1234abcd.json', true], [M, false]]]);
});

test('external-principal-without-grant: several policy files of the principal, none granting the key', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'Batch')]: ['b/batch/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «${ID}:"${role(B, 'Batch')}"»}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/b/batch/other-key.json': identityPolicy(allow('"kms:Decrypt"', `"${OTHER_KEY}"`)),
    '/ws/b/batch/s3.json': identityPolicy(allow('"s3:*"', '"*"')),
  }, { only });
  assert.equal(single(s.ws, K, ID).message, 'role/Batch cannot use kms:Decrypt: grant it in its IAM policy, or remove the trust. '
    + `Account workloads (${B}): none of its 2 identity policies (b/batch/other-key.json, b/batch/s3.json) grants it on this key.`);
});

test('external-principal-without-grant: a long role name is "this principal" in the first sentence', () => {
  const long = role(B, 'service-role/codepipeline/ToolsAccountCodePipelineCloudFormationDeployerRole');
  const s = expectWorkspace({
    [M]: manifest({ [long]: ['b/deployer/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «${ID}:"${long}"»}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/b/deployer/s3.json': identityPolicy(allow('"s3:GetObject"', '"*"')),
  }, { only });
  assert.equal(single(s.ws, K, ID).message, 'This principal cannot use kms:Decrypt: grant it in its IAM policy, or remove the trust. '
    + `Account workloads (${B}): its identity policy (b/deployer/s3.json) does not grant it on this key.`);
});

test('external-principal-without-grant: not for a principal with a grant (key ARN, "*", key wildcard), a root, the own account, or an undescribed account', () => {
  for (const resource of [`"${KEY}"`, '"*"', `"arn:aws:kms:*:${A}:key/*"`]) {
    expectWorkspace({
      [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
      [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": "${role(B, 'App')}"}, "Action": "kms:Decrypt", "Resource": "*"}`),
      '/ws/b/app/kms.json': identityPolicy(allow('["kms:Decrypt", "kms:Encrypt"]', resource)),
    }, { only });
  }
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::${B}:root", "${role(A, 'Admin')}", "${role('123456789012', 'Outside')}"]}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/b/app/s3.json': identityPolicy(allow('"s3:*"', '"*"')),
  }, { only });
});

test('external-principal-without-grant: a Deny statement naming the role is not a trust; an assumed-role session names its role', () => {
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(B, 'Batch')]: ['b/batch/*.json'] }),
    [K]: keyPolicy(
      `{"Effect": "Deny", "Principal": {"AWS": "${role(B, 'Batch')}"}, "Action": "kms:*", "Resource": "*"}`,
      `{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:sts::${B}:assumed-role/App/session", «${ID}:"arn:aws:sts::${B}:assumed-role/Batch/s"»]}, "Action": "kms:Decrypt", "Resource": "*"}`,
    ),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
    '/ws/b/batch/s3.json': identityPolicy(allow('"s3:*"', '"*"')),
  }, { only });
});

test('external-principal-without-grant: a group\'s grant with its members not known may be the principal\'s', () => {
  const user = `arn:aws:iam::${B}:user/alice`;
  // An export with group Ops granting kms:Decrypt on the key, and no user list: the members are not known.
  const exported = JSON.stringify({
    GroupDetailList: [{ Path: '/', GroupName: 'Ops', GroupId: 'AGPAEXAMPLEOPS000001', Arn: `arn:aws:iam::${B}:group/Ops`, AttachedManagedPolicies: [],
      GroupPolicyList: [{ PolicyName: 'use-key', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY }] } }] }],
    RoleDetailList: [],
  });
  const files = (actions: string, marked: boolean) => ({
    [M]: manifest({}),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": ${marked ? `«${ID}:"${user}"»` : `"${user}"`}}, "Action": ${actions}, "Resource": "*"}`),
    '/ws/b/authorization-details.json': exported,
  });
  expectWorkspace(files('"kms:Decrypt"', false), { only });
  const s = expectWorkspace(files('["kms:Decrypt", "kms:Encrypt"]', true), { only });
  assert.equal(single(s.ws, K, ID).message, `user/alice cannot use kms:Encrypt: grant it in its IAM policy, or remove the trust. Account workloads (${B}): `
    + 'it is not among the 1 known principals of the account, and nothing grants it on this key. '
    + 'kms:Decrypt is granted by a policy whose principals are not known (Ops/use-key in b/authorization-details.json): it may be user/alice\'s.');
});

// The principal has a grant whose own condition never holds for it: the first sentence said "grant it
// in its IAM policy", as if there were none. It says the grant does not work and what to correct.
test('external-principal-without-grant: the principal\'s grant has a condition that never holds for it: the message says so and links the condition', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «${ID}:"${role(B, 'App')}"»}, "Action": ["kms:Decrypt"], "Resource": "*"}`),
    '/ws/b/app/kms.json': identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}", "Condition": {"StringEquals": {"kms:CallerAccount": "${A}"}}}`),
  }, { only });
  const f = single(s.ws, K, ID);
  assert.equal(f.message, `role/App has an IAM grant on this key that does not work: correct its condition, or remove the trust. Account workloads (${B}): b/app/kms.json grants it on this key, but the grant's own condition (StringEquals kms:CallerAccount ${A}) never holds for it.`);
  assert.deepEqual(f.related!.map((r) => [r.file, s.texts[r.file].slice(r.span.offset, r.span.offset + r.span.length), r.message]), [
    ['/ws/b/app/kms.json', '"Condition"', `Grant of role/App: its condition (StringEquals kms:CallerAccount ${A}) never holds for it`],
  ]);
  // A grant without that condition works: the fix adds one (its title says so, not that one is missing), and the finding goes.
  assert.deepEqual(f.fixes!.map((x) => [x.id, x.title]), [['add-iam-grant', 'Grant 1 key action to role/App in b/app/kms.json, without the condition that never holds for it']]);
  applyFix(s.ws, K, f.fixes![0]);
  assert.deepEqual(s.ws.findings(K).filter((x) => x.checkId === ID), []);
});

test('external-principal-without-grant: a long role name whose grant does not work is "this principal" in the first sentence', () => {
  const long = role(B, 'service-role/codepipeline/ToolsAccountCodePipelineCloudFormationDeployerRole');
  const s = expectWorkspace({
    [M]: manifest({ [long]: ['b/deployer/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «${ID}:"${long}"»}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/b/deployer/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`), '{"Effect": "Deny", "Action": "kms:*", "Resource": "*"}'),
  }, { only });
  assert.equal(single(s.ws, K, ID).message, 'This principal has an IAM grant on this key that does not work: narrow the Deny, or remove the trust. '
    + `Account workloads (${B}): b/deployer/kms.json grants it on this key, but a Deny in b/deployer/kms.json removes the grant.`);
});

test('external-principal-without-grant: a grant its own Deny removes is named, and no fix adds another (the Deny would remove it too)', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «${ID}:"${role(B, 'App')}"»}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/b/app/p.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`), '{"Effect": "Deny", "Action": "kms:*", "Resource": "*"}'),
  }, { only });
  const f = single(s.ws, K, ID);
  assert.equal(f.message, `role/App has an IAM grant on this key that does not work: narrow the Deny, or remove the trust. Account workloads (${B}): b/app/p.json grants it on this key, but a Deny in b/app/p.json removes the grant.`);
  assert.equal(f.fixes, undefined);
  assert.deepEqual(f.related!.map((r) => [r.file, r.message]), [['/ws/b/app/p.json', 'Grant of role/App removed by a Deny in b/app/p.json']]);
});

test('external-principal-without-grant: a grant only through another service than the trust is named, and no fix adds a second one', () => {
  const via = (service: string) => `, "Condition": {"StringEquals": {"kms:ViaService": "${service}.us-west-2.amazonaws.com"}}`;
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «${ID}:"${role(B, 'App')}"»}, "Action": "kms:Decrypt", "Resource": "*"${via('s3')}}`),
    '/ws/b/app/kms.json': identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": «iam-grant-without-key-trust:"${KEY}"»${via('sqs')}}`),
  }, { only: [ID, 'iam-grant-without-key-trust'] });
  const f = single(s.ws, K, ID);
  assert.equal(f.message, 'This statement and the IAM grant of role/App never hold in the same request: make them agree, or remove the trust. '
    + `Account workloads (${B}): b/app/kms.json grants it on this key only through sqs.us-west-2.amazonaws.com, but the statement trusts role/App for it only through s3.us-west-2.amazonaws.com: no request meets both.`);
  assert.equal(f.fixes, undefined);
  assert.deepEqual(f.related!.map((r) => [r.file, s.texts[r.file].slice(r.span.offset, r.span.offset + r.span.length), r.message]), [
    ['/ws/b/app/kms.json', '"Condition"', 'Grant of role/App: allows kms:Decrypt only through sqs.us-west-2.amazonaws.com'],
  ]);
});

// Two grants of the principal, one removed by a Deny, one dead on its own condition, and a trusted
// action nothing grants: the first sentence says the grants do not work, the details say why each
// one does not and which action no policy grants.
test('external-principal-without-grant: grants that do not work for different reasons, and an action nothing grants', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(`{"Sid": "App", "Effect": "Allow", "Principal": {"AWS": «${ID}:"${role(B, 'App')}"»}, "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], "Resource": "*"}`),
    '/ws/b/app/read.json': identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}", "Condition": {"StringEquals": {"kms:CallerAccount": "${A}"}}}`),
    '/ws/b/app/write.json': identityPolicy(
      allow('"kms:GenerateDataKey"', `"${KEY}"`),
      `{"Effect": "Deny", "Action": "kms:GenerateDataKey*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:ResourceAccount": "${B}"}}}`,
    ),
  }, { only });
  const f = single(s.ws, K, ID);
  assert.equal(f.message, 'role/App has 2 IAM grants on this key that do not work: make one work, or remove the trust. '
    + `Account workloads (${B}): b/app/write.json grants kms:GenerateDataKey on this key, but a Deny in b/app/write.json (its condition: StringNotEquals aws:ResourceAccount ${B}) removes the grant. `
    + `b/app/read.json grants kms:Decrypt on this key, but the grant's own condition (StringEquals kms:CallerAccount ${A}) never holds for it. `
    + 'None of its 2 identity policies (b/app/read.json, b/app/write.json) grants kms:Encrypt on this key. Trusted: kms:Decrypt, kms:Encrypt, kms:GenerateDataKey.');
  const at = (file: string, needle: string) => s.texts[file].indexOf(needle);
  assert.deepEqual(f.related!.map((r) => [r.file, r.span.offset, r.message]), [
    ['/ws/b/app/write.json', at('/ws/b/app/write.json', '{"Effect": "Allow"'), `Grant of role/App removed by a Deny in b/app/write.json (its condition: StringNotEquals aws:ResourceAccount ${B})`],
    ['/ws/b/app/read.json', at('/ws/b/app/read.json', '"Condition"'), `Grant of role/App: its condition (StringEquals kms:CallerAccount ${A}) never holds for it`],
  ]);
  // The Deny would remove a new grant of kms:GenerateDataKey too: the fix grants only kms:Encrypt, which nothing grants.
  assert.deepEqual(f.fixes!.map((x) => [x.id, x.title]), [['add-iam-grant', 'Grant 1 key action to role/App in b/app/read.json']]);
  applyFix(s.ws, K, f.fixes![0]);
  assert.deepEqual(JSON.parse(s.ws.text('/ws/b/app/read.json')!).Statement[1], { Sid: 'UseKey1234abcd', Effect: 'Allow', Action: ['kms:Encrypt'], Resource: KEY });
});

// A Deny removed the principal's grant of one trusted action and no grant gave the other: no fix was
// offered at all, though a grant of the other one works. The fix adds that one only (a grant of the
// denied action would be removed too), and none when a Deny may remove the other as well.
test('external-principal-without-grant: one action\'s grant removed by a Deny, another not granted: the fix grants the other one only', () => {
  const files = (deny: string) => ({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «${ID}:"${role(B, 'App')}"»}, "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"}`),
    '/ws/b/app/p.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`), deny),
  });
  const s = expectWorkspace(files('{"Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*"}'), { only });
  const f = single(s.ws, K, ID);
  assert.equal(f.message, `role/App has an IAM grant on this key that does not work: narrow the Deny, or remove the trust. Account workloads (${B}): `
    + 'b/app/p.json grants kms:Decrypt on this key, but a Deny in b/app/p.json removes the grant. Its identity policy (b/app/p.json) does not grant kms:Encrypt on this key. '
    + 'Trusted: kms:Decrypt, kms:Encrypt.');
  assert.deepEqual(f.fixes!.map((x) => [x.id, x.title]), [['add-iam-grant', 'Grant 1 key action to role/App in b/app/p.json']]);
  applyFix(s.ws, K, f.fixes![0]);
  assert.deepEqual(JSON.parse(s.ws.text('/ws/b/app/p.json')!).Statement[2], { Sid: 'UseKey1234abcd', Effect: 'Allow', Action: ['kms:Encrypt'], Resource: KEY });
  // App can use the key now (kms:Encrypt): it is no longer a principal without a grant.
  assert.deepEqual(s.ws.findings(K).filter((x) => x.checkId === ID), []);
  // A Deny of every KMS action would remove a grant of Encrypt too: no fix.
  const all = single(expectWorkspace(files('{"Effect": "Deny", "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"}'), { only }).ws, K, ID);
  assert.equal(all.fixes, undefined);
});

// The principal's grant never holds on its own condition, and its own Deny takes the action away:
// a grant "without the condition" would be removed too, so none is offered.
test('external-principal-without-grant: a grant dead on its own condition and a Deny of the action: no fix adds another', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «${ID}:"${role(B, 'App')}"»}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/b/app/kms.json': identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}", "Condition": {"StringEquals": {"kms:CallerAccount": "${A}"}}}`, '{"Effect": "Deny", "Action": "kms:*", "Resource": "*"}'),
  }, { only });
  const f = single(s.ws, K, ID);
  assert.equal(f.message, `role/App has an IAM grant on this key that does not work: correct its condition, or remove the trust. Account workloads (${B}): b/app/kms.json grants it on this key, but the grant's own condition (StringEquals kms:CallerAccount ${A}) never holds for it.`);
  assert.equal(f.fixes, undefined);
});
