/**
 * key-usage-on-all-keys: identity policies that allow kms:Decrypt or kms:ReEncryptFrom on
 * all keys (Security Hub KMS.1/KMS.2), reported on the Resource entry; the quick-fix narrows
 * Resource to the keys whose key policy lets the principal use them.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Fix } from '../../../server/src/core/findings';
import type { Workspace } from '../../../server/src/core/workspace/workspace';
import { applyEdits } from '../../support/fixture';
import { A, B, C, KEY, OTHER_KEY, buildWorkspace, expectWorkspace, identityPolicy, keyPolicy, manifest, role, single } from '../handshake/workspaceFixture';

const ID = 'key-usage-on-all-keys';
const only = [ID];
const M = '/ws/policy-handshake.json';
const K = '/ws/keys/key.json';
const P = '/ws/b/app/kms.json';
const KEY_C = `arn:aws:kms:eu-west-1:${C}:key/2222bbbb-12ab-34cd-56ef-1234567890ab`;
// Issue 18, defect 3: one short sentence first (what is wrong, what to do), then why.
const LEAD = ': name the keys the principal uses.';
const TAIL = 'Security Hub KMS.1/KMS.2 fails IAM policies that allow decryption on all keys.';

/** Three keys: KEY trusts account B for Decrypt, OTHER_KEY trusts no one outside A, KEY_C (account C) trusts role B/App. */
function keysManifest(): string {
  return manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(B, 'Idle')]: ['b/idle/*.json'] }, {
    keys: [
      { policy: 'keys/key.json', arn: KEY },
      { policy: 'keys/other.json', arn: OTHER_KEY },
      { policy: 'keys/c.json', arn: KEY_C },
    ],
  });
}

function keys(): Record<string, string> {
  return {
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"}`),
    '/ws/keys/other.json': keyPolicy(),
    '/ws/keys/c.json': `{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${C}:root"}, "Action": "kms:*", "Resource": "*"},
  {"Effect": "Allow", "Principal": {"AWS": "${role(B, 'App')}"}, "Action": "kms:Decrypt", "Resource": "*"}]}`,
  };
}

function applyFix(ws: Workspace, file: string, fix: Fix): string {
  assert.equal(fix.changes.length, 1);
  const text = applyEdits(ws.text(file)!, fix.changes[0].edits);
  ws.updateFile(file, text);
  return text;
}

test('key-usage-on-all-keys: "*", every key of an account, wildcards and NotAction are flagged on the Resource entry', () => {
  const s = expectWorkspace({
    [M]: keysManifest(),
    ...keys(),
    [P]: identityPolicy(
      `{"Effect": "Allow", "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": «${ID}:"*"»}`,
      `{"Effect": "Allow", "Action": "kms:*", "Resource": [«${ID}:"arn:aws:kms:*:${A}:key/*"»]}`,
      `{"Effect": "Allow", "Action": "kms:ReEncrypt*", "Resource": «${ID}:"arn:aws:kms:us-west-2:${C}:*"»}`,
      `{"Effect": "Allow", "NotAction": "kms:Encrypt", "Resource": «${ID}:"arn:aws:kms:*:*:key/*"»}`,
    ),
  }, { only });
  const messages = s.ws.findings(P).filter((f) => f.checkId === ID).sort((a, b) => a.span.offset - b.span.offset).map((f) => f.message);
  assert.deepEqual(messages, [
    `kms:Decrypt is allowed on all KMS keys${LEAD} ${TAIL}`,
    `kms:Decrypt and kms:ReEncryptFrom are allowed on every key of account security (${A})${LEAD} Granted through "kms:*". ${TAIL}`,
    `kms:ReEncryptFrom is allowed on every key of account analytics (${C}) in us-west-2${LEAD} Granted through "kms:ReEncrypt*". ${TAIL}`,
    `kms:Decrypt and kms:ReEncryptFrom are allowed on all KMS keys${LEAD} NotAction leaves them in. ${TAIL}`,
  ]);
});

test('key-usage-on-all-keys: a wildcard is named as the way in only for the actions the statement does not name (cloudsplaining example.json)', () => {
  const s = expectWorkspace({
    [M]: keysManifest(),
    ...keys(),
    [P]: identityPolicy(
      `{"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey*", "kms:ReEncrypt*"], "Resource": «${ID}:"*"»}`,
      `{"Effect": "Allow", "Action": ["kms:Decrypt", "kms:ReEncryptFrom", "kms:*"], "Resource": «${ID}:"*"»}`,
    ),
  }, { only });
  const messages = s.ws.findings(P).filter((f) => f.checkId === ID).sort((a, b) => a.span.offset - b.span.offset).map((f) => f.message);
  assert.deepEqual(messages, [
    `kms:Decrypt and kms:ReEncryptFrom are allowed on all KMS keys${LEAD} kms:ReEncryptFrom is granted through "kms:ReEncrypt*". ${TAIL}`,
    `kms:Decrypt and kms:ReEncryptFrom are allowed on all KMS keys${LEAD} ${TAIL}`,
  ]);
});

test('key-usage-on-all-keys: named keys, other actions, Deny, NotResource, aliases and key policies are not flagged', () => {
  expectWorkspace({
    [M]: keysManifest(),
    ...keys(),
    [P]: identityPolicy(
      `{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}"}`,
      `{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-west-2:${A}:key/1234abcd-*"}`,
      `{"Effect": "Allow", "Action": ["kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncryptTo"], "Resource": "*"}`,
      `{"Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*"}`,
      `{"Effect": "Allow", "Action": "kms:Decrypt", "NotResource": "${KEY}"}`,
      `{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:*:${A}:alias/*"}`,
      `{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}`,
    ),
  }, { only });
});

test('key-usage-on-all-keys: a condition does not count; the message says so', () => {
  const s = buildWorkspace({
    [M]: keysManifest(),
    ...keys(),
    [P]: identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:ViaService": "s3.us-west-2.amazonaws.com"}}}`),
  });
  assert.equal(single(s.ws, P, ID).message, 'kms:Decrypt is allowed on all KMS keys: name the keys the principal uses. Security Hub KMS.1/KMS.2 fails IAM policies that allow decryption on all keys. '
    + 'A condition does not count for KMS.1/KMS.2: they read Resource only.');
});

test('key-usage-on-all-keys: KMS.1 for customer managed policies, KMS.2 for inline ones; AWS managed policies are left alone', () => {
  const template = JSON.stringify({ Resources: {
    Managed: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] } } },
    Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      Policies: [{ PolicyName: 'kms', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] } }] } },
  } }, null, 2);
  const export_ = JSON.stringify({ UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [
    { PolicyName: 'AWSKeyManagementServicePowerUser', Arn: 'arn:aws:iam::aws:policy/AWSKeyManagementServicePowerUser', AttachmentCount: 1, DefaultVersionId: 'v1',
      PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] } }] },
  ] }, null, 2);
  const s = buildWorkspace({ '/ws/stack.json': template, '/ws/export.json': export_ });
  const found = s.ws.findings('/ws/stack.json').filter((f) => f.checkId === ID).sort((a, b) => a.span.offset - b.span.offset).map((f) => f.message);
  assert.deepEqual(found, [
    'kms:Decrypt is allowed on all KMS keys: name the keys the principal uses. Security Hub KMS.1 fails customer managed policies that allow decryption on all keys.',
    'kms:Decrypt is allowed on all KMS keys: name the keys the principal uses. Security Hub KMS.2 fails inline policies that allow decryption on all keys.',
  ]);
  assert.deepEqual(s.ws.findings('/ws/export.json').filter((f) => f.checkId === ID), []);
});

test('key-usage-on-all-keys: the fix narrows "*" to the keys the principal uses, and the finding is gone', () => {
  const s = buildWorkspace({
    [M]: keysManifest(),
    ...keys(),
    [P]: identityPolicy(`{"Effect": "Allow", "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"}`),
  });
  const f = single(s.ws, P, ID);
  assert.deepEqual(f.fixes?.map((x) => x.title), ['Narrow Resource to the 2 keys the principal uses']);
  const fixed = applyFix(s.ws, P, f.fixes![0]);
  assert.equal(fixed, identityPolicy(`{"Effect": "Allow", "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": ["${KEY_C}", "${KEY}"]}`));
  assert.deepEqual(s.ws.findings(P).filter((x) => x.checkId === ID), []);
});

test('key-usage-on-all-keys: the fix keeps to the account of the entry, in a multi-line list', () => {
  const text = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "kms:*",
      "Resource": [
        "arn:aws:kms:*:${A}:key/*"
      ]
    }
  ]
}`;
  const s = buildWorkspace({ [M]: keysManifest(), ...keys(), [P]: text });
  const f = single(s.ws, P, ID);
  assert.deepEqual(f.fixes?.map((x) => x.title), [`Narrow Resource to ${KEY}, the key the principal uses`]);
  const fixed = applyFix(s.ws, P, f.fixes![0]);
  assert.equal(fixed, text.replace(`"arn:aws:kms:*:${A}:key/*"`, `"${KEY}"`));
  assert.deepEqual(s.ws.findings(P).filter((x) => x.checkId === ID), []);
});

test('key-usage-on-all-keys: no fix without a known key, with other services\' actions, or with NotAction', () => {
  const s = buildWorkspace({
    [M]: keysManifest(),
    ...keys(),
    // Role Idle: only the account-wide trust of KEY applies.
    '/ws/b/idle/kms.json': identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:*:${C}:key/*"}`),
    [P]: identityPolicy(
      `{"Effect": "Allow", "Action": ["s3:GetObject", "kms:Decrypt"], "Resource": "*"}`,
      `{"Effect": "Allow", "NotAction": "kms:Encrypt", "Resource": "*"}`,
    ),
  });
  assert.equal(single(s.ws, '/ws/b/idle/kms.json', ID).fixes, undefined);
  const found = s.ws.findings(P).filter((x) => x.checkId === ID);
  assert.equal(found.length, 2);
  assert.deepEqual(found.map((x) => x.fixes), [undefined, undefined]);
});

test('key-usage-on-all-keys: a key policy that starts trusting the principal renews the finding and its fix', () => {
  const all = keys();
  const s = buildWorkspace({ [M]: keysManifest(), [K]: all[K], [P]: identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}`) });
  assert.deepEqual(single(s.ws, P, ID).fixes?.map((x) => x.title), [`Narrow Resource to ${KEY}, the key the principal uses`]);
  // A key policy that trusts neither B nor its roles leaves the file alone.
  assert.ok(!s.ws.updateFile('/ws/keys/other.json', all['/ws/keys/other.json']).includes(P));
  const affected = s.ws.updateFile('/ws/keys/c.json', all['/ws/keys/c.json']);
  assert.ok(affected.includes(P), affected.join(', '));
  const fixed = applyFix(s.ws, P, single(s.ws, P, ID).fixes![0]);
  assert.equal(fixed, identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": ["${KEY_C}", "${KEY}"]}`));
});

test('key-usage-on-all-keys: a key the grant\'s own condition shuts out, or whose actions the principal\'s own Deny removes, is not one it uses: no fix narrows to it', () => {
  // aws:ResourceAccount limits the grant to B's own keys: it does nothing on KEY (account A).
  const own = buildWorkspace({
    [M]: keysManifest(),
    ...keys(),
    [P]: identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceAccount": "${B}"}}}`),
  });
  // KEY_C trusts App by name, but the condition shuts KEY_C out too: no key is used.
  assert.equal(single(own.ws, P, ID).fixes, undefined);
  // An unconditioned Deny of Decrypt on the two keys App could decrypt with: the keys it uses are none
  // (a Deny on all keys leaves nothing to report: see below).
  const denied = buildWorkspace({
    [M]: keysManifest(),
    ...keys(),
    [P]: identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}`, `{"Effect": "Deny", "Action": "kms:Decrypt", "Resource": ["${KEY}", "${KEY_C}"]}`),
  });
  assert.equal(single(denied.ws, P, ID).fixes, undefined);
  // With the Deny on another key only, KEY and KEY_C are used again.
  const other = buildWorkspace({
    [M]: keysManifest(),
    ...keys(),
    [P]: identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}`, `{"Effect": "Deny", "Action": "kms:Decrypt", "Resource": "${OTHER_KEY}"}`),
  });
  assert.deepEqual(single(other.ws, P, ID).fixes!.map((f) => f.title), ['Narrow Resource to the 2 keys the principal uses']);
});

// An action the policy's own Deny always removes on every key of the entry is not allowed on
// all keys: reporting it would claim access the policy denies. A Deny that may not apply (a
// condition, fewer keys, a NotAction or NotResource that may leave the key out) removes nothing.
test('key-usage-on-all-keys: an action the same policy\'s unconditioned Deny removes on all keys is not reported', () => {
  const s = expectWorkspace({
    [M]: keysManifest(),
    ...keys(),
    [P]: identityPolicy(
      `{"Sid": "UseKeys", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:ReEncryptFrom", "kms:Encrypt"], "Resource": «${ID}:"*"»}`,
      `{"Sid": "NoDecrypt", "Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*"}`,
    ),
  }, { only });
  assert.equal(single(s.ws, P, ID).message, `kms:ReEncryptFrom is allowed on all KMS keys${LEAD} ${TAIL}`);
  // With only kms:Decrypt left to report (kms:Encrypt is not decryption), there is no finding.
  expectWorkspace({
    [M]: keysManifest(),
    ...keys(),
    [P]: identityPolicy(
      `{"Effect": "Allow", "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"}`,
      `{"Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*"}`,
    ),
  }, { only });
});

test('key-usage-on-all-keys: a Deny counts when it covers every key of the entry, whatever way it names the actions and resources', () => {
  for (const deny of [
    `{"Effect": "Deny", "Action": ["kms:De*", "kms:ReEncrypt*"], "Resource": "arn:aws:kms:*:*:key/*"}`,
    `{"Effect": "Deny", "Action": "kms:*", "Resource": "arn:aws:kms:*:${A}:*"}`,
    `{"Effect": "Deny", "NotAction": ["kms:Encrypt", "s3:*"], "Resource": "*"}`,
    `{"Effect": "Deny", "Action": ["kms:Decrypt", "kms:ReEncryptFrom"], "NotResource": "arn:aws:s3:::logs/*"}`,
    `{"Effect": "Deny", "Action": ["kms:Decrypt", "kms:ReEncryptFrom"], "Resource": "*", "Condition": {}}`,
  ]) {
    expectWorkspace({
      [M]: keysManifest(),
      ...keys(),
      [P]: identityPolicy(`{"Effect": "Allow", "Action": ["kms:Decrypt", "kms:ReEncryptFrom"], "Resource": "arn:aws:kms:us-west-2:${A}:key/*"}`, deny),
    }, { only });
  }
});

test('key-usage-on-all-keys: a Deny that may not apply (a condition, fewer keys, NotResource naming a key, another policy) removes nothing', () => {
  const both = `kms:Decrypt and kms:ReEncryptFrom are allowed on all KMS keys${LEAD} ${TAIL}`;
  for (const deny of [
    `{"Effect": "Deny", "Action": "kms:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:ResourceAccount": "${A}"}}}`,
    `{"Effect": "Deny", "Action": "kms:*", "Resource": "arn:aws:kms:*:${A}:key/*"}`,
    `{"Effect": "Deny", "Action": "kms:*", "Resource": "arn:aws:kms:us-*:*:key/*"}`,
    `{"Effect": "Deny", "Action": "kms:*", "Resource": "arn:aws-cn:kms:*:*:key/*"}`,
    `{"Effect": "Deny", "Action": "kms:*", "NotResource": "${KEY}"}`,
    `{"Effect": "Deny", "Action": "kms:Encrypt", "Resource": "*"}`,
  ]) {
    const s = expectWorkspace({
      [M]: keysManifest(),
      ...keys(),
      [P]: identityPolicy(`{"Effect": "Allow", "Action": ["kms:Decrypt", "kms:ReEncryptFrom"], "Resource": «${ID}:"*"»}`, deny),
    }, { only });
    assert.equal(single(s.ws, P, ID).message, both, deny);
  }
  // A Deny of another policy of the principal: KMS.1/KMS.2 read each policy on its own.
  const s = expectWorkspace({
    [M]: keysManifest(),
    ...keys(),
    [P]: identityPolicy(`{"Effect": "Allow", "Action": ["kms:Decrypt", "kms:ReEncryptFrom"], "Resource": «${ID}:"*"»}`),
    '/ws/b/app/deny.json': identityPolicy('{"Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*"}'),
  }, { only });
  assert.equal(single(s.ws, P, ID).message, both);
});

test('key-usage-on-all-keys: a Deny naming the keys of one partition covers "*" only in a policy known to be of that partition', () => {
  const policy = identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": «${ID}:"*"»}`, `{"Effect": "Deny", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:*:*:key/*"}`);
  // Bound to role/App (an aws ARN): "*" is aws's keys, all denied.
  expectWorkspace({ [M]: keysManifest(), ...keys(), [P]: policy.replace(/«[^:]+:("\*")»/, '$1') }, { only });
  // A file nothing binds: "*" may be keys of another partition, which the Deny leaves.
  expectWorkspace({ [M]: keysManifest(), ...keys(), '/ws/loose/kms.json': policy }, { only });
});

test('key-usage-on-all-keys: a Deny whose NotAction has a value not known may leave the action out: it removes nothing', () => {
  const statements = [
    { Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' },
    { Effect: 'Deny', NotAction: [{ Ref: 'Kept' }], Resource: '*' },
  ];
  const template = JSON.stringify({ Parameters: { Kept: { Type: 'String' } }, Resources: {
    Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      Policies: [{ PolicyName: 'kms', PolicyDocument: { Version: '2012-10-17', Statement: statements } }] } },
  } }, null, 2);
  const s = buildWorkspace({ '/ws/stack.json': template });
  assert.deepEqual(s.ws.findings('/ws/stack.json').filter((f) => f.checkId === ID).map((f) => f.message), [
    'kms:Decrypt is allowed on all KMS keys: name the keys the principal uses. Security Hub KMS.2 fails inline policies that allow decryption on all keys.',
  ]);
});

/** A role of account B in a CloudFormation template (the manifest binds the template to B, `KeyAccount` to A). */
function templateWith(resource: string): string {
  return `Parameters:
  KeyAccount:
    Type: String
Resources:
  App:
    Type: AWS::IAM::Role
    Properties:
      RoleName: App
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {Service: ec2.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: use-keys
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: kms:Decrypt
                Resource: ${resource}
`;
}

test('key-usage-on-all-keys: in a template, an entry written with an expression gets no fix that writes literal key ARNs; a literal entry does', () => {
  const T = '/ws/b/stack.yaml';
  const m = manifest({}, {
    keys: [{ policy: 'keys/key.json', arn: KEY }],
    templates: [{ files: 'b/*.yaml', account: B, region: 'us-west-2', parameters: { KeyAccount: A } }],
  });
  const sub = "!Sub 'arn:${AWS::Partition}:kms:*:${KeyAccount}:key/*'";
  const s = buildWorkspace({ [M]: m, [K]: keys()[K], [T]: templateWith(sub) });
  const f = single(s.ws, T, ID);
  // The finding is on the expression; narrowing it would write account A's key ARN into a template that takes the account as a parameter.
  assert.equal(s.ws.text(T)!.slice(f.span.offset, f.span.offset + f.span.length), sub);
  assert.equal(f.fixes, undefined);
  // Written as a literal, the entry is narrowed to the key as before.
  const literal = `'arn:aws:kms:*:${A}:key/*'`;
  const t = buildWorkspace({ [M]: m, [K]: keys()[K], [T]: templateWith(literal) });
  const g = single(t.ws, T, ID);
  assert.deepEqual(g.fixes?.map((x) => x.title), [`Narrow Resource to ${KEY}, the key the principal uses`]);
  assert.equal(applyFix(t.ws, T, g.fixes![0]), templateWith(`'${KEY}'`));
  assert.deepEqual(t.ws.findings(T).filter((x) => x.checkId === ID), []);
});
