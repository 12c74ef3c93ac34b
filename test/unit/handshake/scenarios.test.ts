/**
 * Both sides of cross-account grants, checked together: multi-file fixtures with the
 * expected handshake findings marked in every file.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { A, B, C, KEY, OTHER_KEY, expectWorkspace, identityPolicy, keyPolicy, manifest, role, single } from './workspaceFixture';

const M = '/ws/policy-handshake.json';
const K = '/ws/keys/key.json';
const trustRoot = (account: string, actions = '["kms:Decrypt", "kms:Encrypt"]', extra = '') =>
  `{"Sid": "External${account}", "Effect": "Allow", "Principal": {"AWS": «MARK:"arn:aws:iam::${account}:root"»}, "Action": ${actions}, "Resource": "*"${extra}}`;
const mark = (s: string, id: string | undefined) => (id ? s.replace('«MARK:', `«${id}:`) : s.replace('«MARK:', '').replace('»', ''));
const allow = (actions: string, resource: string, extra = '') => `{"Effect": "Allow", "Action": ${actions}, "Resource": ${resource}${extra}}`;

test('root principal with a matching grant: broader-than-grants on the principal, nothing on the grant', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(B, 'Other')]: ['b/other/*.json'] }),
    [K]: keyPolicy(mark(trustRoot(B), 'root-principal-broader-than-grants')),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
    '/ws/b/other/s3.json': identityPolicy(allow('"s3:GetObject"', '"*"')),
  });
  const f = single(s.ws, K, 'root-principal-broader-than-grants');
  assert.deepEqual(f.related?.map((r) => r.file), ['/ws/b/app/kms.json']);
  assert.equal(s.texts['/ws/b/app/kms.json'].slice(f.related![0].span.offset, f.related![0].span.offset + f.related![0].span.length), JSON.stringify(KEY));
  assert.match(f.message, /role\/App/);
});

test('root principal with no grant in the described account: root-principal-without-grant', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(mark(trustRoot(B), 'root-principal-without-grant')),
    '/ws/b/app/s3.json': identityPolicy(allow('"s3:GetObject"', '"*"')),
  });
  // The other side: where the grant was looked for.
  assert.deepEqual(single(s.ws, K, 'root-principal-without-grant').related?.map((r) => r.file), ['/ws/b/app/s3.json']);
});

test('a grant naming another key of the account is no match', () => {
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(mark(trustRoot(B), 'root-principal-without-grant')),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${OTHER_KEY}"`)),
  });
});

test('grants on "*" and on arn:aws:kms:*:A:key/* match the key', () => {
  for (const resource of ['"*"', `"arn:aws:kms:*:${A}:key/*"`, `"arn:aws:kms:us-west-2:${A}:key/1234abcd-*"`]) {
    expectWorkspace({
      [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
      [K]: keyPolicy(mark(trustRoot(B), 'root-principal-broader-than-grants')),
      '/ws/b/app/kms.json': identityPolicy(allow('["kms:Decrypt"]', resource)),
    });
  }
});

test('an alias ARN as resource does not name the key', () => {
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(mark(trustRoot(B), 'root-principal-without-grant')),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"arn:aws:kms:us-west-2:${A}:alias/app-data"`)),
  });
});

test('NotAction is respected: excluding the trusted action is no match, excluding another is', () => {
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(mark(trustRoot(B, '"kms:Decrypt"'), 'root-principal-without-grant')),
    '/ws/b/app/kms.json': identityPolicy('{"Effect": "Allow", "NotAction": ["kms:Decrypt", "s3:*"], "Resource": "*"}'),
  });
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(mark(trustRoot(B, '"kms:Decrypt"'), 'root-principal-broader-than-grants')),
    '/ws/b/app/kms.json': identityPolicy('{"Effect": "Allow", "NotAction": "kms:Encrypt", "Resource": "*"}'),
  });
});

test('an unconditioned Deny on the same principal removes the grant; a conditioned one does not', () => {
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(mark(trustRoot(B, '"kms:Decrypt"'), 'root-principal-without-grant')),
    '/ws/b/app/allow.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
    '/ws/b/app/deny.json': identityPolicy('{"Effect": "Deny", "Action": "kms:*", "Resource": "*"}'),
  });
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(mark(trustRoot(B, '"kms:Decrypt"'), 'root-principal-broader-than-grants')),
    '/ws/b/app/allow.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
    '/ws/b/app/deny.json': identityPolicy('{"Effect": "Deny", "Action": "kms:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}'),
  });
  // A Deny attached to another principal leaves this one's grant alone.
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(B, 'Other')]: ['b/other/*.json'] }),
    [K]: keyPolicy(mark(trustRoot(B, '"kms:Decrypt"'), 'root-principal-broader-than-grants')),
    '/ws/b/app/allow.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
    '/ws/b/other/deny.json': identityPolicy('{"Effect": "Deny", "Action": "kms:*", "Resource": "*"}'),
  });
});

test('a conditional grant is a conditional match, never absent', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(mark(trustRoot(B), 'root-principal-broader-than-grants')),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`, ', "Condition": {"StringEquals": {"kms:EncryptionContext:project": "alpha"}}')),
  });
  const f = single(s.ws, K, 'root-principal-broader-than-grants');
  assert.equal(f.related![0].message, "Grant of role/App (conditional: the IAM statement's condition on kms:EncryptionContext:project)");
});

test('a grant limited by kms:ViaService is a match only through that service', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(mark(trustRoot(B), 'root-principal-broader-than-grants')),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`, ', "Condition": {"StringEquals": {"kms:ViaService": "s3.us-west-2.amazonaws.com"}}')),
  });
  const f = single(s.ws, K, 'root-principal-broader-than-grants');
  assert.equal(f.related![0].message, 'Grant of role/App (only through s3.us-west-2.amazonaws.com)');
  assert.match(f.message, /role\/App \(kms:Decrypt; only through s3\.us-west-2\.amazonaws\.com\)/);
});

test('two external accounts: one with a grant, one without, one undescribed', () => {
  const D = '123456789012';
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(C, 'Etl')]: ['c/etl/*.json'] }),
    [K]: keyPolicy(
      mark(trustRoot(B), 'root-principal-broader-than-grants'),
      mark(trustRoot(C), 'root-principal-without-grant'),
      mark(trustRoot(D), 'external-account-undescribed'),
    ),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
    '/ws/c/etl/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${OTHER_KEY}"`)),
  });
});

test('two accounts in one principal array each get their own finding', () => {
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(C, 'Etl')]: ['c/etl/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": [«root-principal-broader-than-grants:"arn:aws:iam::${B}:root"», «root-principal-without-grant:"${C}"»]}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
    '/ws/c/etl/kms.json': identityPolicy(allow('"s3:*"', '"*"')),
  });
});

test('specific role principals: one with a grant, one without; a grant of an untrusted role of the account', () => {
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(B, 'Batch')]: ['b/batch/*.json'], [role(B, 'Stray')]: ['b/stray/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": ["${role(B, 'App')}", «external-principal-without-grant:"${role(B, 'Batch')}"»]}, "Action": ["kms:Decrypt"], "Resource": "*"}`),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
    '/ws/b/batch/s3.json': identityPolicy(allow('"s3:GetObject"', '"*"')),
    '/ws/b/stray/kms.json': identityPolicy(allow('"kms:Decrypt"', `«iam-grant-without-key-trust:"${KEY}"»`)),
  });
});

test('IAM grant on a key whose policy does not trust the account at all', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(),
    '/ws/b/app/kms.json': identityPolicy(allow('["kms:Decrypt", "kms:Encrypt"]', `[«iam-grant-without-key-trust:"${KEY}"»]`)),
  });
  const f = single(s.ws, '/ws/b/app/kms.json', 'iam-grant-without-key-trust');
  assert.deepEqual(f.related?.map((r) => r.file), [K]);
});

test('key-policy actions that never work across accounts; they do not count toward the handshake', () => {
  expectWorkspace({
    [M]: manifest({}),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «external-account-undescribed:"arn:aws:iam::${B}:root"»}, "Action": [«cross-account-action-ineffective:"kms:PutKeyPolicy"», "kms:Decrypt", «cross-account-action-ineffective:"kms:Schedule*"»], "Resource": "*"}`),
  });
  // Only ineffective actions: the statement gives nothing across accounts, so no grant is looked for.
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": «cross-account-action-ineffective:"kms:TagResource"», "Resource": "*"}`),
    '/ws/b/app/kms.json': identityPolicy(allow('«iam-grant-exceeds-key-policy:"kms:TagResource"»', `"${KEY}"`)),
  });
});

test('IAM grant exceeding the key policy: per Action entry, warning when the entry has no effect at all', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(mark(trustRoot(B, '["kms:Decrypt", "kms:DescribeKey"]'), 'root-principal-broader-than-grants')),
    '/ws/b/app/kms.json': identityPolicy(allow(`["kms:Decrypt", «iam-grant-exceeds-key-policy:"kms:Encrypt"», «iam-grant-exceeds-key-policy:"kms:*"»]`, `"${KEY}"`)),
  });
  const [encrypt, star] = s.ws.findings('/ws/b/app/kms.json').filter((f) => f.checkId === 'iam-grant-exceeds-key-policy').sort((a, b) => a.span.offset - b.span.offset);
  assert.equal(encrypt.severity, 'warning');
  assert.equal(star.severity, 'info');
});

test('"*" limited by kms:CallerAccount trusts that account like its root', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(C, 'Etl')]: ['c/etl/*.json'] }),
    [K]: keyPolicy(
      `{"Effect": "Allow", "Principal": {"AWS": «root-principal-broader-than-grants:"*"»}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:CallerAccount": "${B}"}}}`,
      `{"Effect": "Allow", "Principal": «root-principal-without-grant:"*"», "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalAccount": ["${C}"]}}}`,
    ),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
    '/ws/c/etl/kms.json': identityPolicy(allow('"s3:*"', '"*"')),
  });
  // Only the condition alternative narrows a "*" principal.
  assert.deepEqual(single(s.ws, K, 'root-principal-broader-than-grants').fixes!.map((f) => f.id), ['narrow-root-with-condition']);
});

test('an assumed-role principal names its role', () => {
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(B, 'Batch')]: ['b/batch/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:sts::${B}:assumed-role/App/session-1", «external-principal-without-grant:"arn:aws:sts::${B}:assumed-role/Batch/s"»]}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
    // Batch is trusted for Decrypt only: its Encrypt grant has no effect.
    '/ws/b/batch/kms.json': identityPolicy(allow('"kms:Encrypt"', `«iam-grant-without-key-trust:"${KEY}"»`)),
  });
});

test('an unconditioned Deny in the key policy takes the action away from the trusted account', () => {
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(
      mark(trustRoot(B, '["kms:Decrypt", "kms:Encrypt"]'), 'root-principal-without-grant'),
      `{"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": "kms:Decrypt", "Resource": "*"}`,
    ),
    // The IAM side sees the same Deny: its Decrypt has no effect.
    '/ws/b/app/kms.json': identityPolicy(allow('«iam-grant-exceeds-key-policy:"kms:Decrypt"»', `"${KEY}"`)),
  });
});

test('no manifest: the key account is inferred from the default statement, nothing is described', () => {
  expectWorkspace({
    '/ws/keys/key.json': keyPolicy(mark(trustRoot(B), 'external-account-undescribed')),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
  });
});

test('grants on every key ("*", a wildcard key ARN) count as grants, and the message shows the wildcard', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(B, 'Etl')]: ['b/etl/*.json'] }),
    [K]: keyPolicy(mark(trustRoot(B), 'root-principal-broader-than-grants')),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', '"*"')),
    '/ws/b/etl/kms.json': identityPolicy(allow('"kms:Encrypt"', `"arn:aws:kms:*:${A}:key/*"`)),
  });
  const f = single(s.ws, K, 'root-principal-broader-than-grants');
  assert.match(f.message, /role\/App \(kms:Decrypt on "\*"\), role\/Etl \(kms:Encrypt on "arn:aws:kms:\*:111122223333:key\/\*"\)/);
});
