/**
 * What the manifest binds, in the corner cases: one policy file attached to roles of two
 * accounts, one key ARN bound to two key-policy files, account names from the manifest that
 * governs the file a finding is reported in. Messages are asserted whole where they are the product.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { B, C, KEY, identityPolicy, keyPolicy, manifest, role } from '../handshake/workspaceFixture';

const grant = identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}"}`);
const trusts = (account: string) => `{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${account}:root"}, "Action": "kms:Decrypt", "Resource": "*"}`;
const messages = (ws: Workspace, path: string, checkId: string) => ws.findings(path).filter((f) => f.checkId === checkId).map((f) => f.message);

test('a policy file bound to roles of two accounts is the policy of both: each account\'s role gets its grant', () => {
  const ws = new Workspace();
  ws.updateFile('/ws/policy-handshake.json', manifest({ [role(B, 'App')]: ['wl/p.json'], [role(C, 'Reader')]: ['wl/*.json'] }));
  ws.updateFile('/ws/keys/key.json', keyPolicy(trusts(B), trusts(C)));
  ws.updateFile('/ws/wl/p.json', grant);
  assert.deepEqual(ws.discovered('/ws/wl/p.json')!.documents[0].owner.principals, [role(B, 'App'), role(C, 'Reader')]);
  const broader = messages(ws, '/ws/keys/key.json', 'root-principal-broader-than-grants');
  assert.equal(broader.length, 2, broader.join('\n'));
  assert.match(broader[0], /^Trusts all of workloads \(444455556666\), but only one of its principals uses this key: narrow the principal to it\. It is role\/App \(kms:Decrypt\)\./);
  assert.match(broader[1], /^Trusts all of analytics \(777788889999\), but only one of its principals uses this key: narrow the principal to it\. It is role\/Reader \(kms:Decrypt\)\./);
  assert.deepEqual(messages(ws, '/ws/keys/key.json', 'root-principal-without-grant'), []);
  assert.deepEqual(messages(ws, '/ws/wl/p.json', 'iam-grant-without-key-trust'), []);
  assert.deepEqual(ws.findings('/ws/policy-handshake.json').map((f) => f.message), []);
});

test('a policy file bound to roles of two accounts: the key trusts one; the grant of the other has no effect', () => {
  const ws = new Workspace();
  ws.updateFile('/ws/policy-handshake.json', manifest({ [role(B, 'App')]: ['wl/p.json'], [role(C, 'Reader')]: ['wl/p.json'] }));
  ws.updateFile('/ws/keys/key.json', keyPolicy(trusts(B)));
  ws.updateFile('/ws/wl/p.json', grant);
  assert.match(messages(ws, '/ws/keys/key.json', 'root-principal-broader-than-grants')[0], /It is role\/App \(kms:Decrypt\)\./);
  assert.deepEqual(messages(ws, '/ws/wl/p.json', 'iam-grant-without-key-trust'), [
    `The key policy does not trust role/Reader for these actions: allow it there, or remove this grant. The key policy of ${KEY} (keys/key.json) trusts neither role/Reader nor account analytics (${C}) for kms:Decrypt: the grant has no effect.`,
  ]);
});

test('account names come from the manifest that governs the file a finding is in, whatever order the manifests were read in', () => {
  for (const nestedFirst of [true, false]) {
    const ws = new Workspace();
    const nestedManifest = JSON.stringify({ accounts: { [B]: { name: 'NESTED-NAME' } }, principals: [{ arn: role(B, 'X'), policies: ['x.json'] }] });
    if (nestedFirst) ws.updateFile('/ws/aa/policy-handshake.json', nestedManifest);
    ws.updateFile('/ws/policy-handshake.json', manifest({ [role(B, 'App')]: ['wl/*.json'] }));
    if (!nestedFirst) ws.updateFile('/ws/aa/policy-handshake.json', nestedManifest);
    // bb/ has a manifest naming nobody: the names of the manifest above it.
    ws.updateFile('/ws/bb/policy-handshake.json', JSON.stringify({ principals: [{ arn: role(C, 'Y'), policies: ['y.json'] }] }));
    ws.updateFile('/ws/keys/key.json', keyPolicy(trusts(B)));
    ws.updateFile('/ws/wl/p.json', grant);
    ws.updateFile('/ws/aa/key.json', keyPolicy(trusts(B)));
    ws.updateFile('/ws/bb/key.json', keyPolicy(trusts(B)));
    // The account as the handshake finding on the trust of B names it.
    const label = (path: string) => ws.findings(path).filter((f) => f.checkId.startsWith('root-principal')).map((f) => /(?:of|in) (\S+ \(\d{12}\))/.exec(f.message)?.[1]);
    assert.deepEqual(label('/ws/keys/key.json'), ['workloads (444455556666)'], `nested first: ${nestedFirst}`);
    assert.deepEqual(label('/ws/aa/key.json'), ['NESTED-NAME (444455556666)'], `nested first: ${nestedFirst}`);
    assert.deepEqual(label('/ws/bb/key.json'), ['workloads (444455556666)'], `nested first: ${nestedFirst}`);
    assert.equal(ws.accountName(B), 'NESTED-NAME', 'without a file: the first manifest by path that names it');
    assert.equal(ws.accountName(B, '/ws/wl/p.json'), 'workloads');
  }
});

test('one key ARN bound to two key-policy files in one manifest: a manifest finding on the second; the handshake reads the first', () => {
  const ws = new Workspace();
  ws.updateFile('/ws/policy-handshake.json', JSON.stringify({ keys: [{ policy: 'sec/k1.json', arn: KEY }, { policy: 'sec/k2.json', arn: KEY }], principals: [{ arn: role(B, 'App'), policies: ['wl/p.json'] }] }));
  ws.updateFile('/ws/sec/k1.json', keyPolicy(trusts(C)));
  ws.updateFile('/ws/sec/k2.json', keyPolicy(trusts(B)));
  ws.updateFile('/ws/wl/p.json', grant);
  assert.deepEqual(messages(ws, '/ws/policy-handshake.json', 'manifest'), [
    `The key ${KEY} already has its key policy "sec/k1.json" (an earlier entry): a key has exactly one key policy. IAM grants on the key are checked against that one only.`,
  ]);
  assert.deepEqual(ws.keyPoliciesFor(KEY).map((d) => d.file), ['/ws/sec/k1.json']);
  assert.deepEqual(messages(ws, '/ws/wl/p.json', 'iam-grant-without-key-trust'), [
    `The key policy does not trust role/App for these actions: allow it there, or remove this grant. The key policy of ${KEY} (sec/k1.json) trusts neither role/App nor account ${B} for kms:Decrypt: the grant has no effect.`,
  ]);
});

test('one key ARN bound in two manifests: a manifest finding in the later one by path; the handshake reads the first; files named with their folder', () => {
  const ws = new Workspace();
  ws.updateFile('/ws/b/policy-handshake.json', manifest({ [role(B, 'App')]: ['p.json'] }, { keys: [{ policy: 'k2.json', arn: KEY }] }));
  ws.updateFile('/ws/a/policy-handshake.json', manifest({}, { keys: [{ policy: 'k1.json', arn: KEY }] }));
  ws.updateFile('/ws/a/k1.json', keyPolicy(trusts(C)));
  ws.updateFile('/ws/b/k2.json', keyPolicy(trusts(C)));
  ws.updateFile('/ws/b/p.json', grant);
  assert.deepEqual(messages(ws, '/ws/a/policy-handshake.json', 'manifest'), []);
  assert.deepEqual(messages(ws, '/ws/b/policy-handshake.json', 'manifest'), [
    `The key ${KEY} already has its key policy in /ws/a/policy-handshake.json: a key has exactly one key policy. IAM grants on the key are checked against that one only.`,
  ]);
  assert.deepEqual(ws.keyPoliciesFor(KEY).map((d) => d.file), ['/ws/a/k1.json']);
  assert.deepEqual(messages(ws, '/ws/b/p.json', 'iam-grant-without-key-trust'), [
    `The key policy does not trust role/App for these actions: allow it there, or remove this grant. The key policy of ${KEY} (a/k1.json) trusts neither role/App nor account workloads (${B}) for kms:Decrypt: the grant has no effect.`,
  ]);
  // The first manifest gives the key up: the finding goes, and the other binding is read.
  ws.updateFile('/ws/a/policy-handshake.json', manifest({}, { keys: [] }));
  assert.deepEqual(messages(ws, '/ws/b/policy-handshake.json', 'manifest'), []);
  // (a/k1.json, bound to no key now, stays a key policy of account A that may be this key.)
  assert.equal(ws.keyPoliciesFor(KEY)[0].file, '/ws/b/k2.json');
});
