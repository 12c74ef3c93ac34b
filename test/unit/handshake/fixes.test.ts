/**
 * The handshake quick-fixes: narrow-root-to-role (one role, all matching roles, inside an
 * array), the aws:PrincipalArn condition alternative, and add-iam-grant (existing policy
 * file, new file bound by the manifest, new file plus manifest entry). Each fix is applied
 * and the workspace checked again: the finding it fixes is gone.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Finding, Fix } from '../../../server/src/core/findings';
import type { Workspace } from '../../../server/src/core/workspace/workspace';
import { applyEdits } from '../../support/fixture';
import { A, B, C, KEY, assertFindings, buildWorkspace, identityPolicy, keyPolicy, manifest, role, single } from './workspaceFixture';

const M = '/ws/policy-handshake.json';
const K = '/ws/keys/key.json';

/** Apply every change of a fix to the workspace (the finding's own file is `file`). */
function applyFix(ws: Workspace, file: string, fix: Fix): void {
  for (const change of fix.changes) {
    const target = change.file ?? file;
    const before = ws.text(target) ?? '';
    ws.updateFile(target, applyEdits(change.create && !ws.hasFile(target) ? '' : before, change.edits));
  }
}

function fixes(f: Finding, id: string): Fix[] {
  return (f.fixes ?? []).filter((x) => x.id === id);
}

const twoRoles = () => buildWorkspace({
  [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(B, 'Etl')]: ['b/etl/*.json'], [role(B, 'Idle')]: ['b/idle/*.json'] }),
  [K]: keyPolicy(`{
      "Sid": "Workloads",
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::${B}:root" },
      "Action": ["kms:Decrypt"],
      "Resource": "*"
    }`),
  '/ws/b/app/kms.json': identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}"}`),
  '/ws/b/etl/kms.json': identityPolicy(`{"Effect": "Allow", "Action": "kms:*", "Resource": "arn:aws:kms:*:${A}:key/*"}`),
  '/ws/b/idle/s3.json': identityPolicy(`{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}`),
});

test('narrow-root-to-role: one fix per matching role, then the other known roles, then all matching at once', () => {
  const { ws } = twoRoles();
  const f = single(ws, K, 'root-principal-broader-than-grants');
  const narrow = fixes(f, 'narrow-root-to-role');
  assert.deepEqual(narrow.map((x) => x.changes[0].edits[0].newText), [
    JSON.stringify(role(B, 'App')),
    JSON.stringify(role(B, 'Etl')),
    // Issue 18, defect 4: the two ARNs were written on one 120-character line.
    `[\n        ${JSON.stringify(role(B, 'App'))},\n        ${JSON.stringify(role(B, 'Etl'))}\n      ]`,
    JSON.stringify(role(B, 'Idle')),
  ]);
  assert.equal(narrow.filter((x) => x.isPreferred).length, 1);
  assert.match(narrow.find((x) => x.isPreferred)!.title, /2 principals/);
});

test('narrowing fixes are made when first read, once, and only then', () => {
  const { ws } = twoRoles();
  const f = single(ws, K, 'root-principal-broader-than-grants');
  const before = Object.getOwnPropertyDescriptor(f, 'fixes')!;
  assert.equal(typeof before.get, 'function', 'not made with the finding');
  assert.ok(Object.keys(f).includes('fixes'), 'enumerable like any fixes');
  const first = f.fixes;
  assert.ok(first && first.length >= 4);
  const after = Object.getOwnPropertyDescriptor(f, 'fixes')!;
  assert.equal(after.get, undefined, 'a plain value once made');
  assert.equal(f.fixes, first, 'made once');
  // Findings without lazy fixes carry them as plain values from the start.
  const { ws: other } = buildWorkspace({ '/ws/p.json': identityPolicy('{"Effect": "Allow", "Action": "kms:Decryp", "Resource": "*"}') });
  const unknown = single(other, '/ws/p.json', 'unknown-action');
  assert.ok(Array.isArray(Object.getOwnPropertyDescriptor(unknown, 'fixes')!.value));
});

test('narrowing to all matching roles: the string becomes an array and the broader finding is gone', () => {
  const { ws } = twoRoles();
  const fix = fixes(single(ws, K, 'root-principal-broader-than-grants'), 'narrow-root-to-role').find((x) => x.isPreferred)!;
  applyFix(ws, K, fix);
  assert.ok(ws.text(K)!.includes(`      "Principal": { "AWS": [\n        "arn:aws:iam::${B}:role/App",\n        "arn:aws:iam::${B}:role/Etl"\n      ] },\n      "Action"`), ws.text(K));
  assertFindings(ws, K, ws.text(K)!);
});

// Issue 18, defect 4: narrowing to several roles wrote one long line.
test('narrowing inside a one-line principal array that would grow too long writes the array one item a line', () => {
  const { ws } = buildWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(B, 'Etl')]: ['b/etl/*.json'] }),
    [K]: keyPolicy(`{
      "Effect": "Allow",
      "Principal": {"AWS": ["arn:aws:iam::${B}:root", "arn:aws:iam::${C}:root"]},
      "Action": "kms:Decrypt",
      "Resource": "*"
    }`),
    '/ws/b/app/kms.json': identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/b/etl/kms.json': identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}`),
  });
  const fix = fixes(single(ws, K, 'root-principal-broader-than-grants'), 'narrow-root-to-role').find((x) => x.isPreferred)!;
  applyFix(ws, K, fix);
  assert.ok(ws.text(K)!.includes(`      "Principal": {"AWS": [\n        "arn:aws:iam::${B}:role/App",\n        "arn:aws:iam::${B}:role/Etl",\n        "arn:aws:iam::${C}:root"\n      ]},\n`), ws.text(K));
});

test('narrowing in a policy written on one line keeps it on one line', () => {
  const oneLine = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${A}:root"}, "Action": "kms:*", "Resource": "*"}, {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": "kms:Decrypt", "Resource": "*"}]}`;
  const { ws } = buildWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(B, 'Etl')]: ['b/etl/*.json'] }),
    [K]: oneLine,
    '/ws/b/app/kms.json': identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/b/etl/kms.json': identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}`),
  });
  const fix = fixes(single(ws, K, 'root-principal-broader-than-grants'), 'narrow-root-to-role').find((x) => x.isPreferred)!;
  assert.equal(fix.changes[0].edits[0].newText, `["arn:aws:iam::${B}:role/App", "arn:aws:iam::${B}:role/Etl"]`);
});

test('narrowing to a role without a grant turns the finding into external-principal-without-grant', () => {
  const { ws } = twoRoles();
  const fix = fixes(single(ws, K, 'root-principal-broader-than-grants'), 'narrow-root-to-role').find((x) => x.title.includes('Idle'))!;
  applyFix(ws, K, fix);
  assert.deepEqual(ws.findings(K).map((x) => x.checkId), ['external-principal-without-grant']);
});

test('narrowing inside a principal array replaces only that item', () => {
  const { ws } = buildWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": [
        "arn:aws:iam::${B}:root",
        "arn:aws:iam::${C}:root"
      ]}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/b/app/kms.json': identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}`),
  });
  const fix = fixes(single(ws, K, 'root-principal-broader-than-grants'), 'narrow-root-to-role')[0];
  applyFix(ws, K, fix);
  assert.match(ws.text(K)!, new RegExp(`\\[\\n        "arn:aws:iam::${B}:role/App",\\n        "arn:aws:iam::${C}:root"\\n      \\]`));
  assert.deepEqual(ws.findings(K).map((x) => x.checkId), ['external-account-undescribed']);
});

test('condition alternative: adds Condition, or ArnEquals to an existing Condition, or aws:PrincipalArn to an existing ArnEquals', () => {
  const cases = [
    ['', `"Condition": {\n        "ArnEquals": {\n          "aws:PrincipalArn": "${role(B, 'App')}"\n        }\n      }`],
    [`,\n      "Condition": { "Bool": { "aws:SecureTransport": "true" } }`, `"Condition": { "Bool": { "aws:SecureTransport": "true" }, "ArnEquals": { "aws:PrincipalArn": "${role(B, 'App')}" } }`],
    [`,\n      "Condition": {\n        "ArnEquals": { "aws:SourceVpcArn": "arn:aws:ec2:us-west-2:${B}:vpc/vpc-1" }\n      }`, `"ArnEquals": { "aws:SourceVpcArn": "arn:aws:ec2:us-west-2:${B}:vpc/vpc-1", "aws:PrincipalArn": "${role(B, 'App')}" }`],
  ];
  for (const [condition, expected] of cases) {
    const { ws } = buildWorkspace({
      [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
      [K]: keyPolicy(`{
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::${B}:root" },
      "Action": "kms:Decrypt",
      "Resource": "*"${condition}
    }`),
      '/ws/b/app/kms.json': identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}`),
    });
    const fix = fixes(single(ws, K, 'root-principal-broader-than-grants'), 'narrow-root-with-condition');
    assert.equal(fix.length, 1);
    applyFix(ws, K, fix[0]);
    assert.ok(ws.text(K)!.includes(expected), ws.text(K));
    assert.deepEqual(ws.findings(K).filter((x) => x.checkId !== 'condition-key-not-supported').map((x) => x.checkId), [], ws.text(K));
  }
});

test('add-iam-grant into an existing policy file of the role: the root warning becomes the broader info', () => {
  const { ws } = buildWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": ["kms:Decrypt", "kms:PutKeyPolicy"], "Resource": "*"}`),
    '/ws/b/app/s3.json': identityPolicy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}`),
  });
  const f = single(ws, K, 'root-principal-without-grant');
  const fix = fixes(f, 'add-iam-grant');
  assert.equal(fix.length, 1);
  assert.equal(fix[0].changes[0].file, '/ws/b/app/s3.json');
  applyFix(ws, K, fix[0]);
  const added = JSON.parse(ws.text('/ws/b/app/s3.json')!).Statement[1];
  assert.deepEqual(added, { Sid: 'UseKey1234abcd', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: KEY });
  assert.deepEqual(ws.findings(K).map((x) => x.checkId).sort(), ['cross-account-action-ineffective', 'root-principal-broader-than-grants']);
});

test('add-iam-grant for a named role without policy files: a new file where the manifest already binds its policies', () => {
  const { ws } = buildWorkspace({
    [M]: manifest({ [role(B, 'Batch')]: ['b/batch/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": "${role(B, 'Batch')}"}, "Action": "kms:Encrypt", "Resource": "*"}`),
  });
  const fix = fixes(single(ws, K, 'external-principal-without-grant'), 'add-iam-grant');
  assert.equal(fix.length, 1);
  assert.deepEqual(fix[0].changes.map((c) => [c.file, c.create]), [['/ws/b/batch/kms-1234abcd.json', true]]);
  applyFix(ws, K, fix[0]);
  assert.deepEqual(ws.findings(K), []);
  assert.deepEqual(ws.findings(M), []);
});

test('add-iam-grant for a role known from an export only: a new file and a manifest entry', () => {
  const exportText = JSON.stringify({
    RoleDetailList: [{ RoleName: 'Reporter', Arn: role(B, 'Reporter'), RolePolicyList: [],
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] } }],
  }, null, 2);
  const { ws } = buildWorkspace({
    [M]: manifest({}),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": "${role(B, 'Reporter')}"}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/b/export.json': exportText,
  });
  const fix = fixes(single(ws, K, 'external-principal-without-grant'), 'add-iam-grant');
  assert.deepEqual(fix[0].changes.map((c) => c.file), ['/ws/policies/workloads/Reporter/kms-1234abcd.json', M]);
  applyFix(ws, K, fix[0]);
  assert.deepEqual(JSON.parse(ws.text(M)!).principals, [{ arn: role(B, 'Reporter'), policies: ['policies/workloads/Reporter/kms-1234abcd.json'] }]);
  assert.deepEqual(ws.findings(K), []);
  assert.deepEqual(ws.findings(M), []);
});

test('add-iam-grant never edits an export, and never a policy the principal shares: a role\'s inline policy in an export, a group\'s policy', () => {
  const exportText = JSON.stringify({
    UserDetailList: [{ UserName: 'alice', Arn: `arn:aws:iam::${B}:user/alice`, GroupList: ['Ops'], UserPolicyList: [], AttachedManagedPolicies: [] }],
    GroupDetailList: [{ GroupName: 'Ops', Arn: `arn:aws:iam::${B}:group/Ops`, AttachedManagedPolicies: [],
      GroupPolicyList: [{ PolicyName: 'read', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } }] }],
    RoleDetailList: [{ RoleName: 'Reporter', Arn: role(B, 'Reporter'), AttachedManagedPolicies: [],
      RolePolicyList: [{ PolicyName: 'logs', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }] } }],
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] } }],
  }, null, 2);
  const { ws } = buildWorkspace({
    [M]: manifest({}),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": ["${role(B, 'Reporter')}", "arn:aws:iam::${B}:user/alice"]}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/b/export.json': exportText,
  });
  const fix = ws.findings(K).filter((f) => f.checkId === 'external-principal-without-grant').flatMap((f) => fixes(f, 'add-iam-grant'));
  // Before: the statement went into the export, into the role's inline policy and into the group's policy (every member's).
  assert.deepEqual(fix.map((x) => x.changes.map((c) => c.file)), [
    ['/ws/policies/workloads/Reporter/kms-1234abcd.json', M],
    ['/ws/policies/workloads/alice/kms-1234abcd.json', M],
  ]);
});

test('add-iam-grant never writes where the manifest binds another principal\'s policies too', () => {
  const { ws } = buildWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/shared/*.json'], [role(B, 'Etl')]: ['b/shared/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": "${role(B, 'App')}"}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/b/shared/s3.json': identityPolicy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}`),
  });
  const fix = fixes(single(ws, K, 'external-principal-without-grant'), 'add-iam-grant');
  // Neither the shared file nor a new file in its folder: both would grant role/Etl the key.
  assert.deepEqual(fix.map((x) => x.changes.map((c) => c.file)), [['/ws/policies/workloads/App/kms-1234abcd.json', M]]);
  applyFix(ws, K, fix[0]);
  assert.deepEqual(JSON.parse(ws.text(M)!).principals[0], { arn: role(B, 'App'), policies: ['b/shared/*.json', 'policies/workloads/App/kms-1234abcd.json'] });
  assert.deepEqual(ws.findings(K), []);
});

test('cross-account-action-ineffective offers removing the entry; applied, the finding is gone', () => {
  const { ws } = buildWorkspace({
    [M]: manifest({}),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": ["kms:Decrypt", "kms:ScheduleKeyDeletion"], "Resource": "*"}`),
  });
  const f = single(ws, K, 'cross-account-action-ineffective');
  applyFix(ws, K, f.fixes![0]);
  assert.ok(ws.text(K)!.includes('"Action": ["kms:Decrypt"]'));
  assert.equal(ws.findings(K).filter((x) => x.checkId === 'cross-account-action-ineffective').length, 0);
});

test('get-key-policy output: the finding sits on the escaped principal, the fixes are escaped into the string', () => {
  const policy = keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": "kms:Decrypt", "Resource": "*"}`);
  const { ws, texts } = buildWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: JSON.stringify({ Policy: policy, PolicyName: 'default' }),
    '/ws/b/app/kms.json': identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}"}`),
  });
  const f = single(ws, K, 'root-principal-broader-than-grants');
  assert.equal(texts[K].slice(f.span.offset, f.span.offset + f.span.length), `\\"arn:aws:iam::${B}:root\\"`);
  for (const fix of [fixes(f, 'narrow-root-to-role')[0], fixes(f, 'narrow-root-with-condition')[0]]) {
    const text = applyEdits(texts[K], fix.changes[0].edits);
    const inner = JSON.parse(JSON.parse(text).Policy);
    assert.equal(inner.Statement.length, 2);
    const stmt = inner.Statement[1];
    assert.ok(stmt.Principal.AWS === role(B, 'App') || stmt.Condition.ArnEquals['aws:PrincipalArn'] === role(B, 'App'), text);
  }
});
