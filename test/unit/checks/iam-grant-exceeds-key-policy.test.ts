/**
 * `iam-grant-exceeds-key-policy`: an identity policy grants actions on another account's key
 * that the key policy never allows that principal (or that KMS never allows across
 * accounts); reported per Action entry, a warning when the entry has no effect at all.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { A, B, KEY, OTHER_KEY, expectWorkspace, identityPolicy, keyPolicy, manifest, role } from '../handshake/workspaceFixture';

const ID = 'iam-grant-exceeds-key-policy';
const M = '/ws/policy-handshake.json';
const K = '/ws/keys/key.json';
const P = '/ws/b/app/kms.json';
const only = [ID];
const TRUST = `{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"}`;
const WHERE = `${KEY} (keys/key.json)`;
const files = (key: string, ...grants: string[]) => ({
  [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
  [K]: key,
  [P]: identityPolicy(...grants),
});

test('iam-grant-exceeds-key-policy: per entry; a warning for an entry without effect, info for a wildcard that partly works', () => {
  const s = expectWorkspace(files(keyPolicy(TRUST),
    `{"Effect": "Allow", "Action": ["kms:Decrypt", «${ID}:"kms:Encrypt"», «${ID}:"kms:*"», «${ID}:"kms:PutKeyPolicy"»], "Resource": "${KEY}"}`), { only });
  const found = s.ws.findings(P).filter((f) => f.checkId === ID).sort((a, b) => a.span.offset - b.span.offset);
  assert.deepEqual(found.map((f) => [f.severity, f.message]), [
    // Issue 18, defect 3: one short sentence first (what is wrong, what to do), then the details.
    ['warning', `kms:Encrypt has no effect on the key: remove it, or allow it in the key policy. The key policy of ${WHERE} allows role/App only kms:Decrypt, kms:DescribeKey.`],
    ['info', `Only 2 of the 56 actions kms:* stands for work on the key: list them instead. They are kms:Decrypt, kms:DescribeKey. The other 54 have no effect on ${WHERE}. KMS never allows 36 of them across accounts.`],
    ['warning', `kms:PutKeyPolicy never works on another account's key: remove it. KMS allows it only in the key's own account (${WHERE}).`],
  ]);
  for (const f of found) {
    assert.deepEqual(f.related!.map((r) => [r.file, r.span.offset, r.message]), [[K, s.texts[K].indexOf(TRUST), `Key policy statement trusting account workloads (${B})`]]);
    assert.deepEqual(f.fixes ?? [], []);
  }
});

test('iam-grant-exceeds-key-policy: with a bare account id in the key policy, on the key ARN and on key wildcards of its account; "*" names no account', () => {
  const key = keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": "${B}"}, "Action": "kms:Decrypt", "Resource": "*"}`);
  for (const resource of [`["arn:aws:s3:::bucket", "${KEY}"]`, `"arn:aws:kms:us-west-2:${A}:key/*"`, `"arn:aws:kms:*:${A}:key/*"`]) {
    expectWorkspace(files(key, `{"Effect": "Allow", "Action": ["kms:Decrypt", «${ID}:"kms:GenerateDataKey"»], "Resource": ${resource}}`), { only });
  }
  expectWorkspace(files(key, '{"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*"}'), { only });
});

test('iam-grant-exceeds-key-policy: an unconditioned Deny in the key policy leaves the role no action', () => {
  const s = expectWorkspace(files(keyPolicy(TRUST, `{"Effect": "Deny", "Principal": {"AWS": "${role(B, 'App')}"}, "Action": "kms:*", "Resource": "*"}`),
    `{"Effect": "Allow", "Action": «${ID}:"kms:Decrypt"», "Resource": "${KEY}"}`), { only });
  assert.equal(s.ws.findings(P).find((f) => f.checkId === ID)!.message,
    `kms:Decrypt has no effect on the key: remove it, or allow it in the key policy. The key policy of ${WHERE} allows role/App no action across accounts. A Deny in the key policy removes it from role/App.`);
  assert.equal(s.ws.findings(P).find((f) => f.checkId === ID)!.related![0].message, 'Deny removing kms:Decrypt from role/App');
});

test('iam-grant-exceeds-key-policy: a wildcard entry of which nothing works; a long entry is called "this entry" in the first sentence', () => {
  const s = expectWorkspace(files(keyPolicy(TRUST),
    `{"Effect": "Allow", "Action": ["kms:Decrypt", «${ID}:"kms:Create*"», «${ID}:"kms:Delete*"», «${ID}:"kms:*Generate*Data*Key*Pair*"»], "Resource": "${KEY}"}`), { only });
  const found = s.ws.findings(P).filter((f) => f.checkId === ID).sort((a, b) => a.span.offset - b.span.offset);
  assert.deepEqual(found.map((f) => [f.severity, f.message]), [
    ['warning', `None of the 4 actions kms:Create* stands for works on the key: remove it, or allow them in the key policy. The key policy of ${WHERE} allows role/App only kms:Decrypt, kms:DescribeKey. KMS never allows 3 of them across accounts.`],
    ['warning', `None of the 3 actions kms:Delete* stands for works on the key: remove it. The key policy of ${WHERE} allows role/App only kms:Decrypt, kms:DescribeKey. KMS never allows them across accounts.`],
    // With the entry's text the first sentence would run past what the Problems panel shows on one line.
    ['warning', `None of the 2 actions this entry stands for works on the key: remove it, or allow them in the key policy. The key policy of ${WHERE} allows role/App only kms:Decrypt, kms:DescribeKey.`],
  ]);
});

test('iam-grant-exceeds-key-policy: not for grants within the key policy, NotAction, other keys, or a key with no trust at all', () => {
  expectWorkspace(files(keyPolicy(TRUST),
    `{"Effect": "Allow", "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "${KEY}"}`,
    `{"Effect": "Allow", "NotAction": "s3:*", "Resource": "${KEY}"}`,
    `{"Effect": "Allow", "Action": "kms:Encrypt", "Resource": "${OTHER_KEY}"}`,
    `{"Effect": "Deny", "Action": "kms:Encrypt", "Resource": "${KEY}"}`), { only });
  // No statement trusts the account: the whole grant is iam-grant-without-key-trust's.
  expectWorkspace(files(keyPolicy(), `{"Effect": "Allow", "Action": ["kms:Decrypt", "kms:PutKeyPolicy"], "Resource": «iam-grant-without-key-trust:"${KEY}"»}`),
    { only: [ID, 'iam-grant-without-key-trust'] });
});

test('iam-grant-exceeds-key-policy: what the key policy allows says how, when it is only through a service or only when conditions hold', () => {
  const key = keyPolicy(
    `{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": "kms:DescribeKey", "Resource": "*"}`,
    `{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:ViaService": "s3.us-west-2.amazonaws.com"}}}`,
    `{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": "kms:GenerateDataKey", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}`,
  );
  const s = expectWorkspace(files(key, `{"Effect": "Allow", "Action": ["kms:DescribeKey", "kms:Decrypt", "kms:GenerateDataKey", «${ID}:"kms:Encrypt"»], "Resource": "${KEY}"}`), { only });
  assert.equal(s.ws.findings(P).find((f) => f.checkId === ID)!.message,
    `kms:Encrypt has no effect on the key: remove it, or allow it in the key policy. The key policy of ${WHERE} allows role/App only kms:DescribeKey, kms:Decrypt (only through s3.us-west-2.amazonaws.com), kms:GenerateDataKey (when the conditions hold).`);
});
