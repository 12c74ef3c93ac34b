/**
 * `root-principal-broader-than-grants`: the key policy trusts a whole described account
 * where only some principals have IAM grants on the key; offers the narrowing fixes.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { A, B, KEY, OTHER_KEY, applyFix, expectWorkspace, identityPolicy, keyPolicy, manifest, role, single } from '../handshake/workspaceFixture';
import { applyEdits } from '../../support/fixture';

const ID = 'root-principal-broader-than-grants';
const M = '/ws/policy-handshake.json';
const K = '/ws/keys/key.json';
const only = [ID];
const allow = (actions: string, resource: string) => `{"Effect": "Allow", "Action": ${actions}, "Resource": ${resource}}`;

const threeRoles = (principal: string) => ({
  [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(B, 'Etl')]: ['b/etl/*.json'], [role(B, 'Idle')]: ['b/idle/*.json'] }),
  [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «${ID}:${principal}»}, "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"}`),
  '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
  '/ws/b/etl/kms.json': identityPolicy(allow('"kms:*"', `"arn:aws:kms:*:${A}:key/*"`)),
  '/ws/b/idle/s3.json': identityPolicy(allow('"s3:*"', '"*"')),
});

test('root-principal-broader-than-grants: two of three roles have grants; message, related grants, narrowing fixes', () => {
  const s = expectWorkspace(threeRoles(`"arn:aws:iam::${B}:root"`), { only });
  const f = single(s.ws, K, ID);
  assert.equal(f.severity, 'info');
  // Issue 18, defect 3: one short sentence first (what is wrong, what to do), then who and where.
  assert.equal(f.message, `Trusts all of workloads (${B}), but only 2 of its principals use this key: narrow the principal to them. `
    + 'They are role/App (kms:Decrypt), role/Etl (kms:Decrypt, kms:Encrypt on "arn:aws:kms:*:111122223333:key/*"). '
    + 'While the account is trusted, any new IAM grant in it widens access to the key.');
  assert.deepEqual(f.related!.map((r) => [r.file, s.texts[r.file].slice(r.span.offset, r.span.offset + r.span.length), r.message]), [
    ['/ws/b/app/kms.json', JSON.stringify(KEY), 'Grant of role/App'],
    ['/ws/b/etl/kms.json', `"arn:aws:kms:*:${A}:key/*"`, 'Grant of role/Etl'],
  ]);
  assert.deepEqual(f.fixes!.map((x) => [x.id, x.title, x.isPreferred ?? false]), [
    ['narrow-root-to-role', `Narrow the principal to ${role(B, 'App')} (has a grant on this key)`, false],
    ['narrow-root-to-role', `Narrow the principal to ${role(B, 'Etl')} (has a grant on this key)`, false],
    ['narrow-root-to-role', 'Narrow the principal to the 2 principals with a grant: role/App, role/Etl', true],
    ['narrow-root-to-role', `Narrow the principal to ${role(B, 'Idle')} (no grant on this key yet)`, false],
    ['narrow-root-with-condition', 'Keep the account principal and allow only role/App, role/Etl (ArnEquals aws:PrincipalArn condition)', false],
  ]);
});

test('root-principal-broader-than-grants: the preferred fix names both roles and the finding is gone', () => {
  const s = expectWorkspace(threeRoles(`"arn:aws:iam::${B}:root"`), { only });
  applyFix(s.ws, K, single(s.ws, K, ID).fixes!.find((x) => x.isPreferred)!);
  assert.deepEqual(JSON.parse(s.ws.text(K)!).Statement[1].Principal, { AWS: [role(B, 'App'), role(B, 'Etl')] });
  assert.deepEqual(s.ws.findings(K), []);
});

test('root-principal-broader-than-grants: a bare account id is the same trust', () => {
  const s = expectWorkspace(threeRoles(`"${B}"`), { only });
  applyFix(s.ws, K, single(s.ws, K, ID).fixes![0]);
  assert.deepEqual(JSON.parse(s.ws.text(K)!).Statement[1].Principal, { AWS: role(B, 'App') });
});

test('root-principal-broader-than-grants: one role with a grant, inside a principal array', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": ["${role(A, 'Admin')}", «${ID}:"arn:aws:iam::${B}:root"»]}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/b/app/kms.json': identityPolicy(allow('["kms:Decrypt", "kms:Encrypt"]', '"*"')),
  }, { only });
  assert.equal(single(s.ws, K, ID).message, `Trusts all of workloads (${B}), but only one of its principals uses this key: narrow the principal to it. `
    + 'It is role/App (kms:Decrypt on "*"). While the account is trusted, any new IAM grant in it widens access to the key.');
});

test('root-principal-broader-than-grants: not without a grant, with a grant on another key, for named roles, or a Deny', () => {
  for (const grant of [allow('"s3:*"', '"*"'), allow('"kms:Decrypt"', `"${OTHER_KEY}"`), allow('"kms:Encrypt"', `"${KEY}"`), '{"Effect": "Allow", "NotAction": "kms:Decrypt", "Resource": "*"}']) {
    expectWorkspace({
      [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
      [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": "kms:Decrypt", "Resource": "*"}`),
      '/ws/b/app/kms.json': identityPolicy(grant),
    }, { only });
  }
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(
      `{"Effect": "Allow", "Principal": {"AWS": "${role(B, 'App')}"}, "Action": "kms:Decrypt", "Resource": "*"}`,
      `{"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": "kms:Encrypt", "Resource": "*"}`,
    ),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
  }, { only });
});

test('root-principal-broader-than-grants: "*" limited by kms:CallerAccount to this account and another: a statement of their own, no fix that cuts the other off', () => {
  const callerAccounts = (accounts: string) => ({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(B, 'Idle')]: ['b/idle/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «${ID}:"*"»}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:CallerAccount": ${accounts}}}}`),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
    '/ws/b/idle/s3.json': identityPolicy(allow('"s3:*"', '"*"')),
  });
  const one = single(expectWorkspace(callerAccounts(`"${B}"`), { only }).ws, K, ID);
  assert.ok(one.message.startsWith(`Trusts all of workloads (${B}), but only one of its principals uses this key: narrow the principal to it.`), one.message);
  assert.deepEqual((one.fixes ?? []).map((f) => f.id), ['narrow-root-with-condition']);
  const two = single(expectWorkspace(callerAccounts(`["${B}", "777788889999"]`), { only }).ws, K, ID);
  assert.ok(two.message.startsWith(`Trusts all of workloads (${B}), but only one of its principals uses this key: give it a statement of its own, and leave ${B} out of this one's condition.`), two.message);
  assert.deepEqual(two.fixes ?? [], []);
});

test('root-principal-broader-than-grants: two policies whose principals are not known are two grantees, each with its own actions', () => {
  const s = expectWorkspace({
    [M]: JSON.stringify({ accounts: { [A]: { name: 'security' }, [B]: { name: 'workloads' } }, keys: [{ policy: 'keys/key.json', arn: KEY }], templates: [{ files: 'b/*.json', account: B }] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «${ID}:"arn:aws:iam::${B}:root"»}, "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"}`),
    '/ws/b/one.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
    '/ws/b/two.json': identityPolicy(allow('"kms:Encrypt"', `"${KEY}"`)),
  }, { only });
  assert.match(single(s.ws, K, ID).message, /only 2 of its IAM grants use this key: name the principals that need it\. They are a policy with no known principal \(b\/one\.json\) \(kms:Decrypt\), a policy with no known principal \(b\/two\.json\) \(kms:Encrypt\)\./);
});

test('root-principal-broader-than-grants: "*" limited to an account by kms:CallerAccount keeps "*" in the condition fix\'s title, and the edit adds the condition', () => {
  const text = keyPolicy(`{"Sid": "Workloads", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:CallerAccount": "${B}"}}}`);
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: text.replace('{"AWS": "*"}', `{"AWS": «${ID}:"*"»}`),
    '/ws/b/app/kms.json': identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}"}`),
  }, { only: [ID] });
  const fixes = single(s.ws, K, ID).fixes!;
  assert.deepEqual(fixes.map((f) => f.title), [`Keep "*" limited to ${B} and allow only role/App (ArnEquals aws:PrincipalArn condition)`]);
  assert.match(applyEdits(text, fixes[0].changes[0].edits), new RegExp(`"ArnEquals": \\{\\s*"aws:PrincipalArn": "arn:aws:iam::${B}:role/App"\\s*\\}`));
});

// The other roles' narrowing fixes read "(no grant on this key yet)" even for a role whose grant
// exists but does not work: the label sent the user to write a grant that is already there.
test('root-principal-broader-than-grants: another role whose grant on the key does not work is labelled so, not "no grant yet"', () => {
  const via = (service: string) => `"Condition": {"StringEquals": {"kms:ViaService": "${service}.us-west-2.amazonaws.com"}}`;
  const s = expectWorkspace({
    [M]: manifest({
      [role(B, 'App')]: ['b/app/*.json'], [role(B, 'Batch')]: ['b/batch/*.json'], [role(B, 'Etl')]: ['b/etl/*.json'],
      [role(B, 'Idle')]: ['b/idle/*.json'], [role(B, 'Queue')]: ['b/queue/*.json'],
    }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «${ID}:"arn:aws:iam::${B}:root"»}, "Action": "kms:Decrypt", "Resource": "*", ${via('s3')}}`),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
    // Allowed, and taken away by the role's own Deny.
    '/ws/b/batch/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`), '{"Effect": "Deny", "Action": "kms:*", "Resource": "*"}'),
    // Only for callers of the key's own account: never Etl, a role of workloads.
    '/ws/b/etl/kms.json': identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}", "Condition": {"StringEquals": {"kms:CallerAccount": "${A}"}}}`),
    '/ws/b/idle/s3.json': identityPolicy(allow('"s3:*"', '"*"')),
    // Only through SQS, where the key allows the account only through S3.
    '/ws/b/queue/kms.json': identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}", ${via('sqs')}}`),
  }, { only });
  const f = single(s.ws, K, ID);
  assert.deepEqual(f.fixes!.map((x) => [x.id, x.title]), [
    ['narrow-root-to-role', `Narrow the principal to ${role(B, 'App')} (has a grant on this key)`],
    ['narrow-root-to-role', `Narrow the principal to ${role(B, 'Batch')} (its grant on this key does not work)`],
    ['narrow-root-to-role', `Narrow the principal to ${role(B, 'Etl')} (its grant on this key does not work)`],
    ['narrow-root-to-role', `Narrow the principal to ${role(B, 'Idle')} (no grant on this key yet)`],
    ['narrow-root-to-role', `Narrow the principal to ${role(B, 'Queue')} (its grant on this key does not work)`],
    ['narrow-root-with-condition', 'Keep the account principal and allow only role/App (ArnEquals aws:PrincipalArn condition)'],
  ]);
});

test('root-principal-broader-than-grants: a user with a grant that the statement\'s condition shuts out is labelled so, not "no grant yet"', () => {
  const ops = `arn:aws:iam::${B}:user/Ops`;
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [ops]: ['b/ops/*.json'], [role(B, 'Idle')]: ['b/idle/*.json'] }),
    // Roles only: never the user Ops.
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «${ID}:"arn:aws:iam::${B}:root"»}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalType": "AssumedRole"}}}`),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
    '/ws/b/ops/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
    '/ws/b/idle/s3.json': identityPolicy(allow('"s3:*"', '"*"')),
  }, { only });
  assert.deepEqual(single(s.ws, K, ID).fixes!.filter((x) => x.id === 'narrow-root-to-role').map((x) => x.title), [
    `Narrow the principal to ${role(B, 'App')} (has a grant on this key)`,
    `Narrow the principal to ${role(B, 'Idle')} (no grant on this key yet)`,
    `Narrow the principal to ${ops} (its grant on this key does not work)`,
  ]);
});
