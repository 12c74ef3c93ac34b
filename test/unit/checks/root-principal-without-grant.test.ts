/**
 * `root-principal-without-grant`: the key policy trusts a described account's root, and no
 * principal of that account has an IAM grant on the key for the trusted actions.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { A, B, C, KEY, OTHER_KEY, applyFix, expectWorkspace, findingTexts, identityPolicy, keyPolicy, manifest, role, single } from '../handshake/workspaceFixture';
import { handshakeHover } from '../../../server/src/core/features/handshakeHover';

const ID = 'root-principal-without-grant';
const M = '/ws/policy-handshake.json';
const K = '/ws/keys/key.json';
const only = [ID];
const findingFixes = (f: { fixes?: unknown }) => (typeof f.fixes === 'function' ? (f.fixes as () => { title: string }[])() : (f.fixes as { title: string }[] | undefined) ?? []).map((x) => x.title);
const allow = (actions: string, resource: string) => `{"Effect": "Allow", "Action": ${actions}, "Resource": ${resource}}`;

test('root-principal-without-grant: no grant on this key anywhere in the account; message, related files, add-grant fixes', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(B, 'Etl')]: ['b/etl/*.json'] }),
    [K]: keyPolicy(`{"Sid": "Workloads", "Effect": "Allow", "Principal": {"AWS": «${ID}:"arn:aws:iam::${B}:root"»}, "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*"}`),
    '/ws/b/app/s3.json': identityPolicy(allow('"s3:GetObject"', '"*"')),
    '/ws/b/etl/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${OTHER_KEY}"`)),
  }, { only });
  const f = single(s.ws, K, ID);
  assert.equal(f.severity, 'warning');
  // Issue 18, defect 3: one short sentence first (what is wrong, what to do), then the details.
  assert.equal(f.message, `Nobody in workloads (${B}) can use the 2 trusted actions: grant them in IAM there, or remove the trust. `
    + 'Trusted: kms:Decrypt, kms:GenerateDataKey. No IAM grant for them on this key (searched 2 known principals and 2 identity policies in 2 files).');
  assert.deepEqual(f.related!.map((r) => [r.file, r.message]), [
    ['/ws/b/app/s3.json', 'Searched: no IAM grant of the trusted actions on this key'],
    ['/ws/b/etl/kms.json', 'Searched: no IAM grant of the trusted actions on this key'],
  ]);
  assert.deepEqual(f.fixes!.map((x) => [x.id, x.title]), [
    ['add-iam-grant', 'Grant 2 key actions to role/App in b/app/s3.json'],
    ['add-iam-grant', 'Grant 2 key actions to role/Etl in b/etl/kms.json'],
  ]);
  // Applied, the account has a grant: the trust is now broader than the grants, no longer without one.
  applyFix(s.ws, K, f.fixes![0]);
  assert.deepEqual(JSON.parse(s.ws.text('/ws/b/app/s3.json')!).Statement[1], { Sid: 'UseKey1234abcd', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: KEY });
  assert.deepEqual(findingTexts(s, K, [ID, 'root-principal-broader-than-grants']), [`root-principal-broader-than-grants "arn:aws:iam::${B}:root"`]);
});

test('root-principal-without-grant: a bare account id, and one account of a principal array', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(C, 'Etl')]: ['c/etl/*.json'] }),
    [K]: keyPolicy(
      `{"Effect": "Allow", "Principal": {"AWS": «${ID}:"${B}"»}, "Action": "kms:Decrypt", "Resource": "*"}`,
      `{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::${A}:role/Admin", «${ID}:"arn:aws:iam::${C}:root"»]}, "Action": "kms:Encrypt", "Resource": "*"}`,
    ),
    '/ws/b/app/s3.json': identityPolicy(allow('"s3:*"', '"*"')),
    '/ws/c/etl/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
  }, { only });
  // Etl grants Decrypt, but the key trusts its account for Encrypt only.
  const tail = ': grant it in IAM there, or remove the trust. No IAM grant for it on this key (searched 1 known principal and 1 identity policy in 1 file).';
  assert.deepEqual(s.ws.findings(K).filter((f) => f.checkId === ID).map((f) => f.message).sort(), [
    `Nobody in analytics (${C}) can use kms:Encrypt${tail}`,
    `Nobody in workloads (${B}) can use kms:Decrypt${tail}`,
  ]);
});

test('root-principal-without-grant: an unconditioned Deny in the account takes the grant away, and the message says so', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «${ID}:"arn:aws:iam::${B}:root"»}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/b/app/allow.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
    '/ws/b/app/deny.json': identityPolicy(`{"Effect": "Deny", "Action": ["s3:*", "kms:Decrypt"], "Resource": "*"}`),
  }, { only });
  const f = single(s.ws, K, ID);
  // The account has a grant: the first sentence says it does not work and what to correct, not to grant it.
  assert.equal(f.message, `workloads (${B}) has an IAM grant on this key that does not work: narrow the Deny, or remove the trust. `
    + 'No IAM grant for it on this key that works (searched 1 known principal and 2 identity policies in 2 files). A Deny removes the grant of role/App.');
  assert.deepEqual(f.related![0].file, '/ws/b/app/allow.json');
  assert.equal(f.related![0].message, 'Grant of role/App removed by a Deny in b/app/deny.json');
  // Another grant to App would be removed by the same Deny: no fix offers one.
  assert.deepEqual(findingFixes(f), []);
});

test('root-principal-without-grant: with a Deny removing one role\'s grant, the add-grant fix is offered for the others only', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(B, 'Etl')]: ['b/etl/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «${ID}:"arn:aws:iam::${B}:root"»}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/b/app/p.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`), `{"Effect": "Deny", "Action": "kms:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:ResourceAccount": "${B}"}}}`),
    '/ws/b/etl/s3.json': identityPolicy(allow('"s3:GetObject"', '"*"')),
  }, { only });
  assert.deepEqual(findingFixes(single(s.ws, K, ID)), ['Grant 1 key action to role/Etl in b/etl/s3.json']);
});

test('root-principal-without-grant: not reported with a grant (on the key ARN, "*" or a key wildcard), nor for the own account or an undescribed one', () => {
  for (const resource of [`"${KEY}"`, '"*"', `"arn:aws:kms:us-west-2:${A}:key/*"`, `["arn:aws:s3:::bucket", "arn:aws:kms:*:${A}:key/*"]`]) {
    expectWorkspace({
      [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
      [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": ["kms:Decrypt"], "Resource": "*"}`),
      '/ws/b/app/kms.json': identityPolicy(allow('["kms:Decrypt"]', resource)),
    }, { only });
  }
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    // The own account (the manifest names the key's account) and 123456789012, which nothing describes.
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::${A}:root", "arn:aws:iam::123456789012:root"]}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/b/app/s3.json': identityPolicy(allow('"s3:*"', '"*"')),
  }, { only });
});

test('root-principal-without-grant: a grant that NotAction excludes is no grant; a Deny statement in the key policy is not a trust', () => {
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(
      `{"Effect": "Allow", "Principal": {"AWS": «${ID}:"arn:aws:iam::${B}:root"»}, "Action": "kms:Decrypt", "Resource": "*"}`,
      `{"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::${C}:root"}, "Action": "kms:Decrypt", "Resource": "*"}`,
    ),
    '/ws/b/app/kms.json': identityPolicy(`{"Effect": "Allow", "NotAction": ["kms:Decrypt", "s3:*"], "Resource": "*"}`),
  }, { only });
});

// Issue 18, defect 9: the add-grant menu stopped at the first three roles, so one statement offered
// AppReader, Auditor, DataPipeline and not ReportBuilder. Every known role of the account is offered,
// those without any grant on the key first, in the same order for every statement.
test('root-principal-without-grant: add-grant fixes for every known role, those without a grant on the key first', () => {
  const names = ['AppReader', 'Auditor', 'DataPipeline', 'ReportBuilder'];
  const s = expectWorkspace({
    [M]: manifest(Object.fromEntries(names.map((n) => [role(B, n), [`b/${n}/*.json`]]))),
    [K]: keyPolicy(
      `{"Sid": "Read", "Effect": "Allow", "Principal": {"AWS": «${ID}:"arn:aws:iam::${B}:root"»}, "Action": "kms:Decrypt", "Resource": "*"}`,
      `{"Sid": "Write", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": "kms:Encrypt", "Resource": "*"}`,
      `{"Sid": "Sign", "Effect": "Allow", "Principal": {"AWS": «${ID}:"arn:aws:iam::${B}:root"»}, "Action": "kms:Sign", "Resource": "*"}`,
    ),
    ...Object.fromEntries(names.map((n) => [`/ws/b/${n}/p.json`, identityPolicy(allow(n === 'Auditor' ? '"kms:Encrypt"' : '"s3:GetObject"', n === 'Auditor' ? `"${KEY}"` : '"*"'))])),
  }, { only });
  const menus = s.ws.findings(K).filter((f) => f.checkId === ID).map((f) => f.fixes!.map((x) => [x.id, x.title]));
  const expected = ['AppReader', 'DataPipeline', 'ReportBuilder', 'Auditor'].map((n) => ['add-iam-grant', `Grant 1 key action to role/${n} in b/${n}/p.json`]);
  assert.deepEqual(menus, [expected, expected]);
});

// The key trusts the account only through S3 and the account's only grant is only through SQS: there
// is a grant, it just never meets the statement in one request. The message says that (not "no IAM
// grant", which the IAM side's "make them agree, or remove this grant" would send back here), names
// the grant, and no fix adds a second grant to its principal.
test('root-principal-without-grant: a grant only through another service than the trust is named, not called missing', () => {
  const via = (service: string) => `, "Condition": {"StringEquals": {"kms:ViaService": "${service}.us-west-2.amazonaws.com"}}`;
  const key = keyPolicy(`{"Sid": "Workloads", "Effect": "Allow", "Principal": {"AWS": «${ID}:"arn:aws:iam::${B}:root"»}, "Action": "kms:Decrypt", "Resource": "*"${via('s3')}}`);
  const app = identityPolicy(`{"Sid": "QueueDecrypt", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": «iam-grant-without-key-trust:"${KEY}"»${via('sqs')}}`);
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(B, 'Etl')]: ['b/etl/*.json'] }),
    [K]: key,
    '/ws/b/app/kms.json': app,
    '/ws/b/etl/s3.json': identityPolicy(allow('"s3:GetObject"', '"*"')),
  }, { only: [ID, 'iam-grant-without-key-trust'] });
  const f = single(s.ws, K, ID);
  assert.equal(f.message, 'This statement and the IAM grant of role/App never hold in the same request: make them agree, or remove the trust. '
    + `The statement trusts account workloads (${B}) for kms:Decrypt only through s3.us-west-2.amazonaws.com, and the grant of role/App (b/app/kms.json) allows it only through sqs.us-west-2.amazonaws.com: no request meets both. `
    + 'No other IAM grant for it on this key (searched 2 known principals and 2 identity policies in 2 files).');
  assert.doesNotMatch(f.message, /grant it in IAM/);
  // The related information points at the grant's condition, and the grant's file is not listed as searched in vain.
  const appText = s.texts['/ws/b/app/kms.json'];
  assert.deepEqual(f.related!.map((r) => [r.file, r.span.offset, r.message]), [
    ['/ws/b/app/kms.json', appText.indexOf('"Condition"'), 'Grant of role/App: allows kms:Decrypt only through sqs.us-west-2.amazonaws.com'],
    ['/ws/b/etl/s3.json', 0, 'Searched: no IAM grant of the trusted actions on this key'],
  ]);
  // A second grant to App would stand beside the one to correct: the fix is offered for Etl only.
  assert.deepEqual(findingFixes(f), ['Grant 1 key action to role/Etl in b/etl/s3.json']);
  // The hover on the principal (without the finding beside it) says the same.
  const hover = handshakeHover(s.ws, K, s.texts[K].indexOf(`${B}:root`))!.markdown;
  assert.match(hover, /`role\/App` has a grant on this key, but no request meets both its condition and the statement's\./);
  assert.doesNotMatch(hover, /No principal of the account has an IAM grant/);
});

test('root-principal-without-grant: grants of two roles that never meet the trust, and a trusted action nobody grants', () => {
  const via = (service: string) => `, "Condition": {"StringEquals": {"kms:ViaService": "${service}.us-west-2.amazonaws.com"}}`;
  const grant = (service: string) => identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}"${via(service)}}`);
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(B, 'Etl')]: ['b/etl/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «${ID}:"${B}"»}, "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"${via('s3')}}`),
    '/ws/b/app/kms.json': grant('sqs'),
    '/ws/b/etl/kms.json': grant('ec2'),
  }, { only });
  const f = single(s.ws, K, ID);
  // Both names do not fit the first sentence: the details name them.
  assert.equal(f.message, 'This statement and the account\'s IAM grants never hold in the same request: make them agree, or remove the trust. '
    + `Trusted: kms:Decrypt, kms:Encrypt. The statement trusts account workloads (${B}) for kms:Decrypt only through s3.us-west-2.amazonaws.com, `
    + 'and the grant of role/App (b/app/kms.json) allows it only through sqs.us-west-2.amazonaws.com: no request meets both. '
    + 'Nor does any request meet the statement and the grant of role/Etl. No other IAM grant for them on this key (searched 2 known principals and 2 identity policies in 2 files).');
  assert.deepEqual(f.related!.map((r) => [r.file, r.message]), [
    ['/ws/b/app/kms.json', 'Grant of role/App: allows kms:Decrypt only through sqs.us-west-2.amazonaws.com'],
    ['/ws/b/etl/kms.json', 'Grant of role/Etl: allows kms:Decrypt only through ec2.us-west-2.amazonaws.com'],
  ]);
  // Both roles have a grant to correct: no fix adds a second one.
  assert.deepEqual(findingFixes(f), []);
});

// The files of a grant a Deny removes, or whose own condition never holds, were also listed as
// "Searched: no IAM grant", which sent the user to add a grant that is there. Each such grant has
// an entry saying why it does not count, and its file is not listed as searched in vain.
test('root-principal-without-grant: the file of a grant a Deny removes or whose own condition never holds is not called "no IAM grant"', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(B, 'Etl')]: ['b/etl/*.json'], [role(B, 'Idle')]: ['b/idle/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «${ID}:"arn:aws:iam::${B}:root"»}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
    '/ws/b/app/deny.json': identityPolicy('{"Effect": "Deny", "Action": "kms:*", "Resource": "*"}'),
    // Only for callers of the key's own account: never Etl, a role of workloads.
    '/ws/b/etl/kms.json': identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}", "Condition": {"StringEquals": {"kms:CallerAccount": "${A}"}}}`),
    '/ws/b/idle/s3.json': identityPolicy(allow('"s3:GetObject"', '"*"')),
  }, { only });
  const f = single(s.ws, K, ID);
  // Grants that do not work for different reasons: making one work is enough.
  assert.equal(f.message, `workloads (${B}) has 2 IAM grants on this key that do not work: make one work, or remove the trust. `
    + 'No IAM grant for it on this key that works (searched 3 known principals and 4 identity policies in 4 files). A Deny removes the grant of role/App. '
    + `role/Etl has a grant whose own condition never holds for it (StringEquals kms:CallerAccount ${A}).`);
  const at = (file: string, needle: string) => s.texts[file].indexOf(needle);
  assert.deepEqual(f.related!.map((r) => [r.file, r.span.offset, r.message]), [
    ['/ws/b/app/kms.json', at('/ws/b/app/kms.json', '{"Effect"'), 'Grant of role/App removed by a Deny in b/app/deny.json'],
    ['/ws/b/etl/kms.json', at('/ws/b/etl/kms.json', '"Condition"'), `Grant of role/Etl: its condition (StringEquals kms:CallerAccount ${A}) never holds for it`],
    ['/ws/b/app/deny.json', 0, 'Searched: no IAM grant of the trusted actions on this key'],
    ['/ws/b/idle/s3.json', 0, 'Searched: no IAM grant of the trusted actions on this key'],
  ]);
  // No grant for App (the Deny would remove it); one without the condition that never holds works for Etl.
  // Etl has a grant (to correct, first): after Idle, which has none, and its title says why another one.
  assert.deepEqual(findingFixes(f), ['Grant 1 key action to role/Idle in b/idle/s3.json', 'Grant 1 key action to role/Etl in b/etl/kms.json, without the condition that never holds for it']);
});

test('root-principal-without-grant: the file of a grant the statement\'s condition shuts out is named for it, not called "no IAM grant"', () => {
  const ops = `arn:aws:iam::${B}:user/Ops`;
  const s = expectWorkspace({
    [M]: manifest({ [ops]: ['b/ops/*.json'], [role(B, 'Idle')]: ['b/idle/*.json'] }),
    // Roles only: never the user Ops.
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «${ID}:"arn:aws:iam::${B}:root"»}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalType": "AssumedRole"}}}`),
    '/ws/b/ops/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
    '/ws/b/idle/s3.json': identityPolicy(allow('"s3:GetObject"', '"*"')),
  }, { only });
  const f = single(s.ws, K, ID);
  // The account's name does not fit the first sentence: the details name it.
  assert.equal(f.message, 'The account has an IAM grant on this key that does not work: correct this statement\'s condition, or remove the trust. '
    + `No IAM grant for it on this key that works (searched 2 known principals and 2 identity policies in 2 files of workloads (${B})). `
    + 'user/Ops has a grant, but the statement\'s condition (StringEquals aws:PrincipalType AssumedRole) never holds for it.');
  assert.deepEqual(f.related!.map((r) => [r.file, r.span.offset, r.message]), [
    ['/ws/b/ops/kms.json', s.texts['/ws/b/ops/kms.json'].indexOf('{"Effect"'), 'Grant of user/Ops: the statement\'s condition (StringEquals aws:PrincipalType AssumedRole) never holds for it'],
    ['/ws/b/idle/s3.json', 0, 'Searched: no IAM grant of the trusted actions on this key'],
  ]);
  assert.deepEqual(findingFixes(f), ['Grant 1 key action to role/Idle in b/idle/s3.json']);
});

// The account's only grant has a condition that never holds for its principal (kms:CallerAccount
// naming the key's account): the first sentence said "grant it in IAM there", as if there were none.
test('root-principal-without-grant: the account\'s only grant never holds on its own condition: the first sentence says so; a grant without it works', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(`{"Sid": "Workloads", "Effect": "Allow", "Principal": {"AWS": «${ID}:"arn:aws:iam::${B}:root"»}, "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*"}`),
    '/ws/b/app/kms.json': identityPolicy(`{"Sid": "UseKey", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "${KEY}", "Condition": {"StringEquals": {"kms:CallerAccount": "${A}"}}}`),
  }, { only });
  const f = single(s.ws, K, ID);
  assert.equal(f.message, `workloads (${B}) has an IAM grant on this key that does not work: correct its condition, or remove the trust. `
    + 'Trusted: kms:Decrypt, kms:GenerateDataKey. No IAM grant for them on this key that works (searched 1 known principal and 1 identity policy in 1 file). '
    + `role/App has a grant whose own condition never holds for it (StringEquals kms:CallerAccount ${A}).`);
  assert.deepEqual(f.related!.map((r) => [r.file, r.span.offset, r.message]), [
    ['/ws/b/app/kms.json', s.texts['/ws/b/app/kms.json'].indexOf('"Condition"'), `Grant of role/App: its condition (StringEquals kms:CallerAccount ${A}) never holds for it`],
  ]);
  // A grant without that condition works: the fix adds one (its title says so, not that one is missing), and the finding goes.
  assert.deepEqual(findingFixes(f), ['Grant 2 key actions to role/App in b/app/kms.json, without the condition that never holds for it']);
  applyFix(s.ws, K, f.fixes![0]);
  assert.deepEqual(s.ws.findings(K).filter((x) => x.checkId === ID), []);
});

// A role whose grant never holds on its own condition was offered a second grant "without the
// condition" even when its own Deny takes every trusted action away: the new grant would be removed
// too. So is one to a role with no grant whose Deny takes them all. Neither is offered.
test('root-principal-without-grant: no add-grant fix for a role whose own Deny would remove the new grant', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(B, 'Etl')]: ['b/etl/*.json'], [role(B, 'Idle')]: ['b/idle/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «${ID}:"arn:aws:iam::${B}:root"»}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/b/app/kms.json': identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}", "Condition": {"StringEquals": {"kms:CallerAccount": "${A}"}}}`, '{"Effect": "Deny", "Action": "kms:*", "Resource": "*"}'),
    '/ws/b/etl/s3.json': identityPolicy(allow('"s3:GetObject"', '"*"'), '{"Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*"}'),
    // A Deny of users only: never Idle, a role.
    '/ws/b/idle/s3.json': identityPolicy(allow('"s3:GetObject"', '"*"'), '{"Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalType": "User"}}}'),
  }, { only });
  const f = single(s.ws, K, ID);
  assert.equal(f.message, `workloads (${B}) has an IAM grant on this key that does not work: correct its condition, or remove the trust. `
    + 'No IAM grant for it on this key that works (searched 3 known principals and 3 identity policies in 3 files). '
    + `role/App has a grant whose own condition never holds for it (StringEquals kms:CallerAccount ${A}).`);
  assert.deepEqual(findingFixes(f), ['Grant 1 key action to role/Idle in b/idle/s3.json']);
});
