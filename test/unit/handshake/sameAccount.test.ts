/**
 * Keys of the grant's own account: an IAM grant works only when the key policy allows the
 * account principal (delegates to IAM) or names the principal itself ("Default key policy" in
 * the facts doc); otherwise iam-grant-without-key-trust, and iam-grant-exceeds-key-policy for
 * actions the account principal's statement does not allow. Every KMS action counts there.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { handshakeHover } from '../../../server/src/core/features/handshakeHover';
import { keyAccess } from '../../../server/src/core/features/keyAccess';
import { A, HANDSHAKE_IDS, KEY, expectWorkspace as expectAll, identityPolicy, role, single } from './workspaceFixture';

const M = '/ws/policy-handshake.json';
const K = '/ws/keys/key.json';
const LOCAL = '/ws/a/local/p.json';
const ADMIN = '/ws/a/admin/p.json';

/** The handshake's findings, not the manifest's (some workspaces have no file for Admin's policies). */
const expectWorkspace = (files: Record<string, string>, options: { only?: string[] } = {}) => expectAll(files, { only: HANDSHAKE_IDS.filter((id) => id !== 'manifest'), ...options });

const manifest = (extra: Record<string, unknown> = {}) => JSON.stringify({
  accounts: { [A]: { name: 'security' } },
  keys: [{ policy: 'keys/key.json', arn: KEY }],
  principals: [
    { arn: role(A, 'Local'), policies: ['a/local/*.json'] },
    { arn: role(A, 'Admin'), policies: ['a/admin/*.json'] },
  ],
  ...extra,
}, null, 2);

/** A key policy with exactly these statements (no default statement). */
const keyPolicyOf = (...statements: string[]) => `{
  "Version": "2012-10-17",
  "Statement": [
    ${statements.join(',\n    ')}
  ]
}`;
const ADMIN_ONLY = `{"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": "${role(A, 'Admin')}"}, "Action": "kms:*", "Resource": "*"}`;
const rootStatement = (actions: string, principal = `arn:aws:iam::${A}:root`) => `{"Sid": "Iam", "Effect": "Allow", "Principal": {"AWS": "${principal}"}, "Action": ${actions}, "Resource": "*"}`;
const allow = (actions: string, resource = `"${KEY}"`) => `{"Sid": "Use", "Effect": "Allow", "Action": ${actions}, "Resource": ${resource}}`;

test('a key policy that neither allows the account principal nor names the role: the own-account grant has no effect', () => {
  const s = expectWorkspace({
    [M]: manifest(),
    [K]: keyPolicyOf(ADMIN_ONLY),
    [LOCAL]: identityPolicy(`{"Sid": "Use", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": «iam-grant-without-key-trust:"${KEY}"»}`),
    // Admin is named by the key policy: the key policy alone gives it the key, its grant is not without trust.
    [ADMIN]: identityPolicy(allow('"kms:Decrypt"')),
  });
  const f = single(s.ws, LOCAL, 'iam-grant-without-key-trust');
  assert.equal(f.message, 'IAM policies cannot grant role/Local this key: allow the account principal in the key policy or name it there. '
    + `The key policy of ${KEY} (keys/key.json) allows no IAM policy of account security (${A}) to grant kms:Decrypt; `
    + `add the account principal (arn:aws:iam::${A}:root) or name role/Local there. The grant has no effect.`);
  assert.deepEqual(f.related?.map((r) => [r.file, r.message]), [[K, `This statement trusts other principals of security (${A})`]]);
});

test('the account principal (ARN or bare id) lets IAM grants of the account work; named roles need no grant', () => {
  for (const principal of [`arn:aws:iam::${A}:root`, A]) {
    expectWorkspace({
      [M]: manifest(),
      [K]: keyPolicyOf(ADMIN_ONLY, rootStatement('"kms:*"', principal)),
      [LOCAL]: identityPolicy(allow('["kms:Decrypt", "kms:ScheduleKeyDeletion"]')),
      [ADMIN]: identityPolicy(allow('"kms:Decrypt"')),
    });
  }
});

test('actions the account principal\'s statement does not allow: iam-grant-exceeds-key-policy, and every KMS action counts in the own account', () => {
  const s = expectWorkspace({
    [M]: manifest(),
    [K]: keyPolicyOf(ADMIN_ONLY, rootStatement('["kms:Decrypt", "kms:ScheduleKeyDeletion"]')),
    // ScheduleKeyDeletion never works across accounts, but does in the key's own account.
    [LOCAL]: identityPolicy(`{"Sid": "Use", "Effect": "Allow", "Action": ["kms:Decrypt", «iam-grant-exceeds-key-policy:"kms:Encrypt"», "kms:ScheduleKeyDeletion"], "Resource": "${KEY}"}`),
  });
  const f = single(s.ws, LOCAL, 'iam-grant-exceeds-key-policy');
  assert.equal(f.message, 'kms:Encrypt has no effect on the key: remove it, or allow it in the key policy. '
    + `The key policy of ${KEY} (keys/key.json) allows role/Local only kms:Decrypt, kms:ScheduleKeyDeletion.`);
  // Key management the account principal's statement does not allow: no effect here, not "never across accounts".
  const t = expectWorkspace({
    [M]: manifest(),
    [K]: keyPolicyOf(ADMIN_ONLY, rootStatement('"kms:Decrypt"')),
    [LOCAL]: identityPolicy(`{"Sid": "Use", "Effect": "Allow", "Action": ["kms:Decrypt", «iam-grant-exceeds-key-policy:"kms:ScheduleKeyDeletion"»], "Resource": "${KEY}"}`),
  });
  assert.equal(single(t.ws, LOCAL, 'iam-grant-exceeds-key-policy').message, 'kms:ScheduleKeyDeletion has no effect on the key: remove it, or allow it in the key policy. '
    + `The key policy of ${KEY} (keys/key.json) allows role/Local only kms:Decrypt.`);
});

test('undecided key policies say nothing: a principal not known (template value), a key whose account is not known', () => {
  // The Admin statement's principal is an unresolved placeholder: it may be role/Local.
  expectWorkspace({
    [M]: manifest(),
    [K]: keyPolicyOf(`{"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": "\${admin_role}"}, "Action": "kms:*", "Resource": "*"}`),
    [LOCAL]: identityPolicy(allow('"kms:Decrypt"')),
  });
  // No key bound to the policy, and no default statement to infer its account from.
  expectWorkspace({
    [M]: JSON.stringify({ accounts: { [A]: { name: 'security' } }, principals: [{ arn: role(A, 'Local'), policies: ['a/local/*.json'] }] }),
    [K]: keyPolicyOf(ADMIN_ONLY),
    [LOCAL]: identityPolicy(allow('"kms:Decrypt"', `"arn:aws:kms:us-west-2:${A}:key/*"`)),
  });
});

test('a CloudFormation key whose default statement names ${AWS::AccountId}\'s root delegates to IAM of its own account', () => {
  const template = (ownStatement: string) => `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Key": {
      "Type": "AWS::KMS::Key",
      "Properties": { "KeyPolicy": { "Version": "2012-10-17", "Statement": [
        ${ownStatement}
      ] } }
    },
    "Local": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "RoleName": "Local",
        "AssumeRolePolicyDocument": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Principal": { "Service": "lambda.amazonaws.com" }, "Action": "sts:AssumeRole" }] },
        "Policies": [{ "PolicyName": "use", "PolicyDocument": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "kms:Decrypt", "Resource": «MARK:"arn:aws:kms:us-west-2:${A}:key/*"» }] } }]
      }
    }
  }
}`;
  const bound = JSON.stringify({ accounts: { [A]: { name: 'security' } }, templates: [{ files: 'stack/*.template.json', account: A, region: 'us-west-2' }] });
  const sub = '{ "Sid": "Own", "Effect": "Allow", "Principal": { "AWS": { "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root" } }, "Action": "kms:*", "Resource": "*" }';
  const adminOnly = `{ "Sid": "Admin", "Effect": "Allow", "Principal": { "AWS": "${role(A, 'Admin')}" }, "Action": "kms:*", "Resource": "*" }`;
  const unmarked = (t: string) => t.replace('«MARK:', '').replace('»', '');
  expectWorkspace({ [M]: bound, '/ws/stack/app.template.json': unmarked(template(sub)) });
  // The same stack whose key policy names only another role: the role's grant has no effect there.
  expectWorkspace({ [M]: bound, '/ws/stack/app.template.json': template(adminOnly).replace('«MARK:', '«iam-grant-without-key-trust:') });
  // Not bound to an account: neither side's account is known, nothing is said.
  expectWorkspace({ [M]: JSON.stringify({ accounts: { [A]: { name: 'security' } } }), '/ws/stack/app.template.json': unmarked(template(adminOnly)) });
});

test('hover on an own-account grant says why it has no effect', () => {
  const s = expectWorkspace({
    [M]: manifest(),
    [K]: keyPolicyOf(ADMIN_ONLY),
    [LOCAL]: identityPolicy(`{"Sid": "Use", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": «iam-grant-without-key-trust:"${KEY}"»}`),
  });
  const h = handshakeHover(s.ws, LOCAL, s.texts[LOCAL].indexOf(KEY) + 5);
  assert.equal(h?.markdown, `**Handshake** · kms:Decrypt granted to principals of security (${A})\n\n`
    + `- Key \`${KEY}\` (keys/key.json):\n`
    + '  the key policy lets no IAM policy of its own account grant these actions (it neither allows the account principal nor names `role/Local`): the grant has no effect.');
});

test('key access lists the own account\'s principals whose grant works, and those whose grant has no effect', () => {
  const access = (keyText: string) => {
    const s = expectWorkspace({
      [M]: manifest(),
      [K]: keyText,
      [LOCAL]: identityPolicy(allow('["kms:Decrypt", "kms:Encrypt"]')),
    }, { only: [] });
    const [key] = keyAccess(s.ws);
    const own = key.accounts.find((a) => a.own)!;
    return {
      // role/Admin is named by the key policy (kms:*, every action listed).
      principals: own.principals.map((p) => (p.label === 'role/Admin' ? `role/Admin: ${p.actions.includes('kms:ScheduleKeyDeletion') && p.actions.includes('kms:Decrypt') ? 'kms:* (every action)' : p.actions.join(', ')} @ ${p.places.map((x) => x.file).join(', ')}` : `${p.label}: ${p.actions.join(', ')}${p.conditions.length ? ' conditional' : ''}${p.via ? ` via ${p.via.join(', ')}` : ''} @ ${p.places.map((x) => x.file).join(', ')}`)),
      ineffective: own.ineffective.map((i) => `${i.principal}: ${i.actions.join(', ')}: ${i.reason}`),
    };
  };
  assert.deepEqual(access(keyPolicyOf(ADMIN_ONLY)), {
    principals: ['role/Admin: kms:* (every action) @ /ws/keys/key.json'],
    ineffective: ['role/Local: kms:Decrypt, kms:Encrypt: the key policy neither allows the account principal nor names this principal: IAM policies of its account cannot grant it'],
  });
  assert.deepEqual(access(keyPolicyOf(ADMIN_ONLY, `{"Sid": "Iam", "Effect": "Allow", "Principal": {"AWS": "${A}"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:ViaService": "s3.us-west-2.amazonaws.com"}}}`)), {
    principals: ['role/Admin: kms:* (every action) @ /ws/keys/key.json', 'role/Local: kms:Decrypt via s3.us-west-2.amazonaws.com @ /ws/a/local/p.json'],
    ineffective: ['role/Local: kms:Encrypt: the key policy does not allow them to this principal'],
  });
});
