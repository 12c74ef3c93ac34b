/**
 * `iam-grant-without-key-trust`: an identity policy grants KMS actions on another account's
 * key whose key policy is in the workspace and trusts neither the principal nor its account.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { A, B, C, KEY, OTHER_KEY, expectWorkspace, identityPolicy, keyPolicy, manifest, role, single } from '../handshake/workspaceFixture';

const ID = 'iam-grant-without-key-trust';
const M = '/ws/policy-handshake.json';
const K = '/ws/keys/key.json';
const P = '/ws/b/app/kms.json';
const only = [ID];
const TRUSTS_C = `{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${C}:root"}, "Action": "kms:Decrypt", "Resource": "*"}`;
const files = (key: string, ...grants: string[]) => ({
  [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
  [K]: key,
  [P]: identityPolicy(...grants),
});

test('iam-grant-without-key-trust: a grant on a key that trusts another account only; message and related key policy', () => {
  const s = expectWorkspace(files(keyPolicy(TRUSTS_C), `{"Effect": "Allow", "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": «${ID}:"${KEY}"»}`), { only });
  const f = single(s.ws, P, ID);
  assert.equal(f.severity, 'warning');
  // Issue 18, defect 3: one short sentence first (what is wrong, what to do), then the details.
  assert.equal(f.message, 'The key policy does not trust role/App for these actions: allow it there, or remove this grant. '
    + `The key policy of ${KEY} (keys/key.json) trusts neither role/App nor account workloads (${B}) for kms:Decrypt, kms:Encrypt: the grant has no effect.`);
  assert.deepEqual(f.related!.map((r) => [r.file, s.texts[r.file].slice(r.span.offset, r.span.offset + r.span.length), r.message]), [
    [K, '"Statement"', `Key policy of ${KEY}: add a statement trusting role/App here`],
  ]);
  assert.deepEqual(f.fixes ?? [], []);
});

test('iam-grant-without-key-trust: a key wildcard in a Resource array, and NotAction, are grants on the key too', () => {
  expectWorkspace(files(keyPolicy(TRUSTS_C),
    `{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": ["arn:aws:s3:::bucket", «${ID}:"arn:aws:kms:us-west-2:${A}:key/*"»]}`,
    `{"Effect": "Allow", "NotAction": "s3:*", "Resource": «${ID}:"${KEY}"»}`), { only });
});

test('iam-grant-without-key-trust: the key policy trusts the account, but a Deny there takes the action from this role', () => {
  const key = keyPolicy(
    `{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": "kms:Decrypt", "Resource": "*"}`,
    `{"Effect": "Deny", "Principal": {"AWS": "${role(B, 'App')}"}, "Action": "kms:*", "Resource": "*"}`,
  );
  // The Deny leaves the trust statement in place, so the grant is reported per action (iam-grant-exceeds-key-policy), not here.
  expectWorkspace(files(key, `{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}"}`), { only });
});

test('iam-grant-without-key-trust: not when the key trusts the account root, a bare id, or the role itself', () => {
  for (const principal of [`"arn:aws:iam::${B}:root"`, `"${B}"`, `["${role(C, 'X')}", "${role(B, 'App')}"]`]) {
    expectWorkspace(files(keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": ${principal}}, "Action": ["kms:Decrypt"], "Resource": "*"}`),
      `{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}"}`), { only });
  }
});

test('iam-grant-without-key-trust: not for a key whose policy is not in the workspace, a Deny, or non-KMS actions', () => {
  expectWorkspace(files(keyPolicy(TRUSTS_C),
    `{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${OTHER_KEY}"}`,
    `{"Effect": "Deny", "Action": "kms:Decrypt", "Resource": "${KEY}"}`,
    `{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}`), { only });
});

test('iam-grant-without-key-trust: the related statement that trusts the role itself for other actions says so', () => {
  const s = expectWorkspace(files(keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": "${role(B, 'App')}"}, "Action": "kms:Encrypt", "Resource": "*"}`),
    `{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": «${ID}:"${KEY}"»}`), { only });
  assert.deepEqual(single(s.ws, P, ID).related!.map((r) => r.message), ['This statement trusts role/App for other actions']);
  const root = expectWorkspace(files(keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": "kms:Encrypt", "Resource": "*"}`),
    `{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": «${ID}:"${KEY}"»}`), { only });
  assert.deepEqual(single(root.ws, P, ID).related!.map((r) => r.message), [`This statement trusts account workloads (${B}) for other actions`]);
});

test('iam-grant-without-key-trust names a SAM function\'s role by its logical id, as the graph does', () => {
  const key = keyPolicy(`{"Sid": "Workloads", "Effect": "Allow", "Principal": {"AWS": "${B}"}, "Action": "kms:Decrypt", "Resource": "*"}`);
  const fn = `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Policies:
        - Statement:
            - Effect: Allow
              Action: kms:Encrypt
              Resource: «${ID}:${KEY}»
`;
  const s = expectWorkspace({
    [M]: manifest({}, { templates: [{ files: 'b/*.yaml', account: B, region: 'us-west-2' }] }),
    [K]: key,
    '/ws/b/fn.yaml': fn,
  }, { only });
  assert.equal(single(s.ws, '/ws/b/fn.yaml', ID).message, `The key policy does not trust role FnRole for these actions: allow it there, or remove this grant. The key policy of ${KEY} (keys/key.json) trusts neither role FnRole (name generated at deployment) nor account workloads (${B}) for kms:Encrypt: the grant has no effect.`);
});
