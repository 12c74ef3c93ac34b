/**
 * Editor features of the handshake: hover on both sides, code lens on cross-account
 * principals, go to definition across the two sides. Spans are file offsets.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { codeLens } from '../../../server/src/core/features/codeLens';
import { definition } from '../../../server/src/core/features/definition';
import { handshakeHover } from '../../../server/src/core/features/handshakeHover';
import { A, B, C, KEY, buildWorkspace, identityPolicy, keyPolicy, manifest, role } from './workspaceFixture';

const M = '/ws/policy-handshake.json';
const K = '/ws/keys/key.json';
const APP = '/ws/b/app/kms.json';
const ETL = '/ws/b/etl/kms.json';

function setup() {
  return buildWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(B, 'Etl')]: ['b/etl/*.json'], [role(C, 'Job')]: ['c/*.json'] }),
    [K]: keyPolicy(
      `{"Sid": "Workloads", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": ["kms:Decrypt", "kms:Encrypt", "kms:PutKeyPolicy"], "Resource": "*"}`,
      `{"Sid": "Job", "Effect": "Allow", "Principal": {"AWS": "${role(C, 'Job')}"}, "Action": "kms:Decrypt", "Resource": "*"}`,
    ),
    [APP]: identityPolicy(`{"Effect": "Allow", "Action": ["kms:Decrypt", "kms:ScheduleKeyDeletion"], "Resource": "${KEY}"}`),
    [ETL]: identityPolicy(`{"Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:EncryptionContext:app": "etl"}}}`),
    '/ws/c/job.json': identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}"}`),
  });
}

const inside = (text: string, needle: string) => text.indexOf(needle) + 5;
const slice = (text: string, span: { offset: number; length: number }) => text.slice(span.offset, span.offset + span.length);

test('hover on a root principal: who can use the key, with which actions, where, conditional or not, and what has no effect', () => {
  const { ws, texts } = setup();
  const h = handshakeHover(ws, K, inside(texts[K], `arn:aws:iam::${B}:root`))!;
  assert.equal(slice(texts[K], h.span), `"arn:aws:iam::${B}:root"`);
  assert.match(h.markdown, /`role\/App`: kms:Decrypt — b\/app\/kms\.json:4/);
  assert.match(h.markdown, /`role\/Etl`: kms:Encrypt — b\/etl\/kms\.json:4 \(conditional: the IAM statement's condition on kms:EncryptionContext:app\)/);
  assert.match(h.markdown, /No effect: kms:PutKeyPolicy \(KMS never allows it across accounts\)/);
});

test('hover on a key ARN in an identity policy: what the key policy allows this principal', () => {
  const { ws, texts } = setup();
  const h = handshakeHover(ws, APP, inside(texts[APP], KEY))!;
  assert.equal(slice(texts[APP], h.span), JSON.stringify(KEY));
  assert.match(h.markdown, /`role\/App` can use kms:Decrypt — trusted by "Workloads" at keys\/key\.json:5/);
  assert.match(h.markdown, /No effect: kms:ScheduleKeyDeletion \(KMS never allows it across accounts\)/);
  assert.equal(handshakeHover(ws, APP, 1), undefined);
});

test('code lens on every cross-account principal of a key policy', () => {
  const { ws, texts } = setup();
  const lenses = codeLens(ws, K).map((l) => [slice(texts[K], l.span), l.title]);
  assert.deepEqual(lenses, [
    [`"arn:aws:iam::${B}:root"`, '2 roles in workloads use this key (1 conditional)'],
    [`"${role(C, 'Job')}"`, 'role/Job in analytics uses this key'],
  ]);
  assert.deepEqual(codeLens(ws, APP), []);
  // Issue 18, defect 5: clicking the lens peeks the IAM statements that grant the key.
  assert.deepEqual(codeLens(ws, K).map((l) => (l.references ?? []).map((r) => [r.file, slice(texts[r.file], r.span).slice(0, 40)])), [
    [[APP, '{"Effect": "Allow", "Action": ["kms:Decr'], [ETL, '{"Effect": "Allow", "Action": "kms:Encry']],
    [['/ws/c/job.json', '{"Effect": "Allow", "Action": "kms:Decry']],
  ]);
});

// Issue 18, defect 4: after narrowing to several roles the lenses read "1 role in workloads uses this key |
// 1 role in workloads uses this key" (one lens per ARN, both on one line). Each lens names its principal.
test('code lens on several named roles: one per principal value, each naming it', () => {
  const { ws, texts } = buildWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(B, 'Etl')]: ['b/etl/*.json'], [role(B, 'Idle')]: ['b/idle/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": ["${role(B, 'App')}", "${role(B, 'Etl')}", "${role(B, 'Idle')}"]}, "Action": "kms:Decrypt", "Resource": "*"}`),
    [APP]: identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}"}`),
    [ETL]: identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/b/idle/s3.json': identityPolicy('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}'),
  });
  assert.deepEqual(codeLens(ws, K).map((l) => [slice(texts[K], l.span), l.title]), [
    [`"${role(B, 'App')}"`, 'role/App in workloads uses this key'],
    [`"${role(B, 'Etl')}"`, 'role/Etl in workloads uses this key'],
    [`"${role(B, 'Idle')}"`, 'role/Idle in workloads has no IAM grant on this key'],
  ]);
});

test('definition: key ARN → key policy; role ARN → its policies; account root → the grants', () => {
  const { ws, texts } = setup();
  const toKey = definition(ws, APP, inside(texts[APP], KEY));
  assert.deepEqual(toKey.map((d) => [d.file, d.span.offset, d.span.length]), [[K, 0, texts[K].length]]);
  const toRole = definition(ws, K, inside(texts[K], role(C, 'Job')));
  assert.deepEqual(toRole.map((d) => d.file), ['/ws/c/job.json']);
  const toGrants = definition(ws, K, inside(texts[K], `arn:aws:iam::${B}:root`));
  assert.deepEqual(toGrants.map((d) => [d.file, slice(texts[d.file], d.span).startsWith('{"Effect"')]), [[APP, true], [ETL, true]]);
});

// A named role whose grant on the key does not work was labelled "has no IAM grant on this key",
// sending the user to add a grant that exists. The lens says the grant is there and why it does not work.
test('code lens on a named role whose IAM grant does not work: says so and why, not "no IAM grant"', () => {
  const via = (service: string) => `"Condition": {"StringEquals": {"kms:ViaService": "${service}.us-west-2.amazonaws.com"}}`;
  const { ws, texts } = buildWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(B, 'Etl')]: ['b/etl/*.json'], [role(B, 'Batch')]: ['b/batch/*.json'], [role(B, 'Idle')]: ['b/idle/*.json'] }),
    [K]: keyPolicy(
      `{"Sid": "App", "Effect": "Allow", "Principal": {"AWS": "${role(B, 'App')}"}, "Action": "kms:Decrypt", "Resource": "*", ${via('s3')}}`,
      `{"Sid": "Others", "Effect": "Allow", "Principal": {"AWS": ["${role(B, 'Etl')}", "${role(B, 'Batch')}", "${role(B, 'Idle')}"]}, "Action": "kms:Decrypt", "Resource": "*"}`,
    ),
    // Only through SQS, where the key allows App only through S3.
    [APP]: identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}", ${via('sqs')}}`),
    // Only for callers of the key's own account: never Etl, a role of workloads.
    [ETL]: identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}", "Condition": {"StringEquals": {"kms:CallerAccount": "${A}"}}}`),
    // Allowed twice, and taken away by the role's own Deny.
    '/ws/b/batch/kms.json': identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}"}`),
    '/ws/b/batch/all-keys.json': identityPolicy('{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}'),
    '/ws/b/batch/deny.json': identityPolicy(`{"Effect": "Deny", "Action": "kms:*", "Resource": "*"}`),
    '/ws/b/idle/s3.json': identityPolicy('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}'),
  });
  assert.deepEqual(codeLens(ws, K).map((l) => [slice(texts[K], l.span), l.title]), [
    [`"${role(B, 'App')}"`, 'role/App in workloads has an IAM grant on this key that does not work: no request meets both its condition and the statement\'s'],
    [`"${role(B, 'Etl')}"`, 'role/Etl in workloads has an IAM grant on this key that does not work: its own condition never holds for it'],
    [`"${role(B, 'Batch')}"`, 'role/Batch in workloads has 2 IAM grants on this key that do not work: a Deny in b/batch/deny.json removes them'],
    [`"${role(B, 'Idle')}"`, 'role/Idle in workloads has no IAM grant on this key'],
  ]);
});

// A statement whose condition never holds for the principal it names (or for the account's only
// grantee) was labelled "has no IAM grant on this key": grants were never looked for, and adding
// one would not help. The lens says the statement's condition never holds for it, and why.
test('code lens on a principal the statement\'s own condition shuts out: says so and why, not "no IAM grant"', () => {
  const ops = `arn:aws:iam::${B}:user/Ops`;
  const roles = '"Condition": {"StringEquals": {"aws:PrincipalType": "AssumedRole"}}';
  const { ws, texts } = buildWorkspace({
    [M]: manifest({ [ops]: ['b/ops/*.json'], [role(B, 'Idle')]: ['b/idle/*.json'], [role(C, 'Job')]: ['c/*.json'] }),
    [K]: keyPolicy(
      // Roles only: never the user Ops it names, nor Ops, the account's only grantee.
      `{"Sid": "Ops", "Effect": "Allow", "Principal": {"AWS": "${ops}"}, "Action": "kms:Decrypt", "Resource": "*", ${roles}}`,
      `{"Sid": "Workloads", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": "kms:Decrypt", "Resource": "*", ${roles}}`,
      // Only for service principals: never a caller of analytics.
      `{"Sid": "Analytics", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${C}:root"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalIsAWSService": "true"}}}`,
    ),
    '/ws/b/ops/kms.json': identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}"}`),
    '/ws/b/idle/s3.json': identityPolicy('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}'),
    '/ws/c/job.json': identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}"}`),
  });
  assert.deepEqual(codeLens(ws, K).map((l) => [slice(texts[K], l.span), l.title]), [
    [`"${ops}"`, 'user/Ops in workloads: this statement\'s condition never holds for it (StringEquals aws:PrincipalType AssumedRole)'],
    // Worded as the findings' first sentence: the account has a grant, and why it does not work.
    [`"arn:aws:iam::${B}:root"`, 'workloads has an IAM grant on this key that does not work: this statement\'s condition never holds for user/Ops (StringEquals aws:PrincipalType AssumedRole)'],
    [`"arn:aws:iam::${C}:root"`, `No principal in analytics uses this key: this statement's condition never holds for its principals (StringEquals aws:PrincipalIsAWSService true)`],
  ]);
});

// A Deny of the key policy that takes every trusted action from the principal (or the account) left
// the lens saying "has no IAM grant on this key" (or only "No principal … uses this key"), as if a
// grant would help: the hover said the Deny is why. The lens says it too, and where the Deny is.
test('code lens on a principal a Deny of the key policy takes everything from: the Deny and its line, not "no IAM grant"', () => {
  const { ws, texts } = buildWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(
      `{"Sid": "App", "Effect": "Allow", "Principal": {"AWS": "${role(B, 'App')}"}, "Action": "kms:Decrypt", "Resource": "*"}`,
      `{"Sid": "Workloads", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"}`,
      `{"Sid": "NoWorkloads", "Effect": "Deny", "Principal": {"AWS": "${B}"}, "Action": "kms:*", "Resource": "*"}`,
    ),
    // App's grant is there: the Deny of the key policy removes it.
    [APP]: identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}"}`),
  });
  assert.deepEqual(codeLens(ws, K).map((l) => [slice(texts[K], l.span), l.title]), [
    [`"${role(B, 'App')}"`, 'role/App in workloads: a Deny of the key policy (line 7) removes kms:Decrypt from it'],
    [`"arn:aws:iam::${B}:root"`, 'No principal in workloads uses this key: a Deny of the key policy (line 7) removes kms:Decrypt, kms:Encrypt from its principals'],
  ]);
});

// On an account trust, grants that a Deny removed or that were dead on their own condition got only
// "No principal in workloads uses this key", as if the account had none. The lens says, as the
// findings' first sentence does, that the account has grants that do not work, and why, naming whose.
test('code lens on an account whose grants do not work: says so and why for each, not only "No principal uses this key"', () => {
  const via = (service: string) => `"Condition": {"StringEquals": {"kms:ViaService": "${service}.us-west-2.amazonaws.com"}}`;
  const { ws, texts } = buildWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(B, 'Etl')]: ['b/etl/*.json'], [role(B, 'Batch')]: ['b/batch/*.json'], [role(C, 'Job')]: ['c/*.json'] }),
    [K]: keyPolicy(
      `{"Sid": "Workloads", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": "kms:Decrypt", "Resource": "*"}`,
      `{"Sid": "Analytics", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${C}:root"}, "Action": "kms:Decrypt", "Resource": "*", ${via('s3')}}`,
      `{"Sid": "NoBatch", "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"ArnEquals": {"aws:PrincipalArn": "${role(B, 'Batch')}"}}}`,
    ),
    // Removed by the role's own Deny.
    [APP]: identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}"}`),
    '/ws/b/app/deny.json': identityPolicy('{"Effect": "Deny", "Action": "kms:*", "Resource": "*"}'),
    // Only for callers of the key's own account: never Etl, a role of workloads.
    [ETL]: identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}", "Condition": {"StringEquals": {"kms:CallerAccount": "${A}"}}}`),
    // Removed by the key policy's Deny of Batch.
    '/ws/b/batch/kms.json': identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}"}`),
    // Only through SQS, where the key allows analytics only through S3.
    '/ws/c/job.json': identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}", ${via('sqs')}}`),
  });
  assert.deepEqual(codeLens(ws, K).map((l) => [slice(texts[K], l.span), l.title]), [
    [`"arn:aws:iam::${B}:root"`, 'workloads has 3 IAM grants on this key that do not work: its own condition never holds for role/Etl; '
      + `a Deny in b/app/deny.json removes it from role/App; a Deny in the key policy (its condition: ArnEquals aws:PrincipalArn ${role(B, 'Batch')}) removes it from role/Batch`],
    [`"arn:aws:iam::${C}:root"`, 'analytics has an IAM grant on this key that does not work: no request of role/Job meets both its condition and the statement\'s'],
  ]);
});
