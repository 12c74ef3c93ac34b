/**
 * The workspace model keeps cross-file findings current one change at a time: a change on
 * one side of the handshake returns the files of the other side among the affected paths,
 * and only those are recomputed.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { A, B, C, KEY, identityPolicy, keyPolicy, manifest, role } from '../handshake/workspaceFixture';

const M = '/ws/policy-handshake.json';
const K = '/ws/keys/key.json';
const APP = '/ws/b/app/kms.json';
const grant = identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}"}`);
const noGrant = identityPolicy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}`);
const ids = (ws: Workspace, path: string) => ws.findings(path).map((f) => f.checkId).sort();

function setup(): Workspace {
  const ws = new Workspace();
  ws.updateFile(M, manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(C, 'Etl')]: ['c/etl/*.json'] }));
  ws.updateFile(K, keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": "kms:Decrypt", "Resource": "*"}`));
  ws.updateFile(APP, grant);
  ws.updateFile('/ws/c/etl/s3.json', noGrant);
  return ws;
}

test('editing B\'s identity policy returns A\'s key policy among the affected paths and changes its findings', () => {
  const ws = setup();
  assert.deepEqual(ids(ws, K), ['root-principal-broader-than-grants']);
  const affected = ws.updateFile(APP, noGrant);
  assert.equal(affected[0], APP);
  assert.ok(affected.includes(K), `affected: ${affected.join(', ')}`);
  assert.deepEqual(ids(ws, K), ['root-principal-without-grant']);
  assert.ok(ws.updateFile(APP, grant).includes(K));
  assert.deepEqual(ids(ws, K), ['root-principal-broader-than-grants']);
});

test('removing and adding B\'s policy file affect A\'s key policy', () => {
  const ws = setup();
  ws.findings(K);
  assert.ok(ws.removeFile(APP).includes(K));
  assert.deepEqual(ids(ws, K), ['root-principal-without-grant']);
  assert.ok(ws.updateFile('/ws/b/app/other.json', grant).includes(K));
  assert.deepEqual(ids(ws, K), ['root-principal-broader-than-grants']);
});

test('a change in an account the key does not trust leaves the key policy alone (its cached findings are kept)', () => {
  const ws = setup();
  const before = ws.findings(K);
  const affected = ws.updateFile('/ws/c/etl/s3.json', grant);
  assert.deepEqual(affected, ['/ws/c/etl/s3.json']);
  assert.equal(ws.findings(K), before);
});

test('editing the key policy returns the identity policies that name its keys', () => {
  const ws = setup();
  assert.deepEqual(ids(ws, APP), []);
  const affected = ws.updateFile(K, keyPolicy());
  assert.ok(affected.includes(APP), `affected: ${affected.join(', ')}`);
  assert.deepEqual(ids(ws, APP), ['iam-grant-without-key-trust']);
  // An identity policy on "*" names no key: it does not depend on key policies.
  assert.ok(!affected.includes('/ws/c/etl/s3.json'));
});

test('changing the manifest re-binds files: a policy bound to another principal changes the key policy findings', () => {
  const ws = setup();
  assert.deepEqual(ids(ws, K), ['root-principal-broader-than-grants']);
  const affected = ws.updateFile(M, manifest({ [role(C, 'App')]: ['b/app/*.json'], [role(C, 'Etl')]: ['c/etl/*.json'] }));
  assert.ok(affected.includes(K) && affected.includes(APP) && affected.includes(M));
  assert.deepEqual(ids(ws, K), ['external-account-undescribed']);
  assert.equal(ws.discovered(APP)!.documents[0].owner.principals![0], role(C, 'App'));
});

test('the manifest loaded last binds the files already there', () => {
  const ws = new Workspace();
  ws.updateFile(K, keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": "kms:Decrypt", "Resource": "*"}`));
  ws.updateFile(APP, grant);
  // Without a manifest the key's account is inferred from the default statement; B is not described.
  assert.deepEqual(ids(ws, K), ['external-account-undescribed']);
  const affected = ws.updateFile(M, manifest({ [role(B, 'App')]: ['b/app/*.json'] }));
  assert.ok(affected.includes(K) && affected.includes(APP));
  assert.deepEqual(ids(ws, K), ['root-principal-broader-than-grants']);
  assert.ok(ws.removeFile(M).includes(K));
  assert.deepEqual(ids(ws, K), ['external-account-undescribed']);
});

test('a manifest glob that starts or stops matching a file makes the manifest affected', () => {
  const ws = setup();
  assert.deepEqual(ids(ws, M), []);
  assert.ok(ws.removeFile('/ws/c/etl/s3.json').includes(M));
  assert.deepEqual(ids(ws, M), ['manifest']);
  assert.ok(ws.updateFile('/ws/c/etl/new.json', noGrant).includes(M));
  assert.deepEqual(ids(ws, M), []);
  // A second file under the same glob changes nothing for the manifest.
  assert.ok(!ws.updateFile('/ws/c/etl/more.json', noGrant).includes(M));
});

test('many unrelated files: one change affects only its own dependents', () => {
  const ws = setup();
  const files = [];
  for (let i = 0; i < 2000; i++) files.push({ path: `/ws/c/etl/p${i}.json`, text: noGrant });
  ws.updateFiles(files);
  ws.findings(K);
  assert.deepEqual(ws.updateFile('/ws/c/etl/p7.json', grant), ['/ws/c/etl/p7.json']);
  assert.deepEqual(ws.updateFile(APP, noGrant).sort(), [APP, K].sort());
  assert.equal(ws.accountIam(C).files, 2001);
  assert.equal(ws.accountIam(A).described, false);
});

test('a new policy file of a known principal: only findings that count what was searched are refreshed', () => {
  const ws = setup();
  ws.findings(K);
  // K shows broader-than-grants (no counts): an S3-only file for App changes nothing there.
  assert.deepEqual(ws.updateFile('/ws/b/app/s3.json', noGrant), ['/ws/b/app/s3.json']);
  ws.updateFile(APP, noGrant);
  const before = ws.findings(K);
  assert.match(before[0].message, /2 identity policies in 2 files/);
  // Now K shows root-principal-without-grant, whose message counts B's policies.
  const affected = ws.updateFile('/ws/b/app/more.json', noGrant);
  assert.deepEqual(affected.sort(), [K, '/ws/b/app/more.json'].sort());
  assert.match(ws.findings(K)[0].message, /3 identity policies in 3 files/);
  // A new principal of B matters to every key policy trusting B (narrowing candidates).
  assert.ok(ws.updateFile(M, manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(B, 'New')]: ['b/new/*.json'], [role(C, 'Etl')]: ['c/etl/*.json'] })).includes(K));
});
