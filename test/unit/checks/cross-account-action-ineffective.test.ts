/**
 * `cross-account-action-ineffective`: a key-policy statement allows another account's
 * principal actions KMS never allows across accounts; reported on each Action entry that
 * stands only for such actions.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { A, B, applyFix, expectWorkspace, findingTexts, keyPolicy, manifest, role } from '../handshake/workspaceFixture';

const ID = 'cross-account-action-ineffective';
const M = '/ws/policy-handshake.json';
const K = '/ws/keys/key.json';
const only = [ID];

test('cross-account-action-ineffective: key management actions for another account root; message and the remove fix', () => {
  const s = expectWorkspace({
    [M]: manifest({}),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": ["kms:Decrypt", «${ID}:"kms:PutKeyPolicy"», «${ID}:"kms:Schedule*"»], "Resource": "*"}`),
  }, { only });
  const [put, schedule] = s.ws.findings(K).filter((f) => f.checkId === ID).sort((a, b) => a.span.offset - b.span.offset);
  assert.equal(put.severity, 'warning');
  assert.equal(put.message, `kms:PutKeyPolicy never works for another account: remove it. It has no effect for account workloads (${B}): KMS allows only the cryptographic and grant actions across accounts.`);
  // A wildcard standing for one action is named by that action.
  assert.equal(schedule.message, `kms:ScheduleKeyDeletion never works for another account: remove it. It has no effect for account workloads (${B}): KMS allows only the cryptographic and grant actions across accounts.`);
  assert.deepEqual(put.fixes!.map((x) => [x.id, x.title]), [['remove-action', 'Remove kms:PutKeyPolicy']]);
  applyFix(s.ws, K, put.fixes![0]);
  assert.deepEqual(JSON.parse(s.ws.text(K)!).Statement[1].Action, ['kms:Decrypt', 'kms:Schedule*']);
  assert.deepEqual(findingTexts(s, K, only), [`${ID} "kms:Schedule*"`]);
});

test('cross-account-action-ineffective: a single Action string, and a named role; no remove fix where removing would empty or change others', () => {
  const s = expectWorkspace({
    [M]: manifest({}),
    [K]: keyPolicy(
      `{"Effect": "Allow", "Principal": {"AWS": "${B}"}, "Action": «${ID}:"kms:TagResource"», "Resource": "*"}`,
      // Shared with the own account's Admin role, for which the action does work.
      `{"Effect": "Allow", "Principal": {"AWS": ["${role(A, 'Admin')}", "${role(B, 'App')}"]}, "Action": ["kms:Decrypt", «${ID}:"kms:DisableKey"»], "Resource": "*"}`,
    ),
  }, { only });
  const found = s.ws.findings(K).filter((f) => f.checkId === ID).sort((a, b) => a.span.offset - b.span.offset);
  assert.deepEqual(found.map((f) => [f.message, (f.fixes ?? []).length]), [
    [`kms:TagResource never works for another account: remove it. It has no effect for account workloads (${B}): KMS allows only the cryptographic and grant actions across accounts.`, 0],
    // The statement also trusts the key's own account: the action stays, only the other account cannot use it.
    ['kms:DisableKey has no effect for role/App: only the key\'s own account can use it. KMS allows only the cryptographic and grant actions across accounts.', 0],
  ]);
});

test('cross-account-action-ineffective: not for entries that include a cross-account action, NotAction, the own account, or a Deny', () => {
  expectWorkspace({
    [M]: manifest({}),
    [K]: keyPolicy(
      `{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": ["kms:*", "kms:Create*", "kms:Decrypt", "kms:RetireGrant"], "Resource": "*"}`,
      `{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "NotAction": "kms:PutKeyPolicy", "Resource": "*"}`,
      `{"Effect": "Allow", "Principal": {"AWS": "${role(A, 'Admin')}"}, "Action": ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"], "Resource": "*"}`,
      `{"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": ["kms:PutKeyPolicy", "kms:Decrypt"], "Resource": "*"}`,
    ),
  }, { only });
});
