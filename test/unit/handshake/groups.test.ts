/**
 * IAM groups in the handshake: a group never makes a request and no policy can name it as a
 * principal. A group's policy is its member users' (an authorization-details export lists
 * them), and with its members not known the policy's principal is not known.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { B, HANDSHAKE_IDS, KEY, applyFix, expectWorkspace, identityPolicy, keyPolicy, manifest, single } from './workspaceFixture';
import { withHclParser } from '../../support/hcl';

withHclParser();

const M = '/ws/policy-handshake.json';
const K = '/ws/keys/key.json';
const X = '/ws/b/authorization-details.json';
const ALICE = `arn:aws:iam::${B}:user/alice`;
const OPS = `arn:aws:iam::${B}:group/Ops`;
const BROADER = 'root-principal-broader-than-grants';

/** An export of account B: group Ops granting kms:Decrypt on the key, with alice as its member or with no user list at all. */
function exportWithGroup(members: boolean): string {
  return JSON.stringify({
    ...(members ? { UserDetailList: [{ Path: '/', UserName: 'alice', UserId: 'AIDAEXAMPLEALICE0001', Arn: ALICE, GroupList: ['Ops'], UserPolicyList: [], AttachedManagedPolicies: [] }] } : {}),
    GroupDetailList: [{
      Path: '/', GroupName: 'Ops', GroupId: 'AGPAEXAMPLEOPS000001', Arn: OPS,
      GroupPolicyList: [{ PolicyName: 'use-key', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY }] } }],
      AttachedManagedPolicies: [],
    }],
    RoleDetailList: [],
    Policies: [],
  }, null, 2);
}

const trusting = (principal: string) => keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": "${principal}"}, "Action": "kms:Decrypt", "Resource": "*"}`);

test('groups: a key policy trusting a member user; the group\'s grant is hers, not a grant without trust', () => {
  // Before: "The key policy does not trust group/Ops for these actions: allow it there" on the export.
  expectWorkspace({ [M]: manifest({}), [K]: trusting(ALICE), [X]: exportWithGroup(true) }, { only: HANDSHAKE_IDS });
});

test('groups: narrowing a trusted account names the member users, never the group', () => {
  const s = expectWorkspace({ [M]: manifest({}), [K]: trusting(`arn:aws:iam::${B}:root`).replace(`"arn:aws:iam::${B}:root"`, `«${BROADER}:"arn:aws:iam::${B}:root"»`), [X]: exportWithGroup(true) }, { only: [BROADER] });
  const f = single(s.ws, K, BROADER);
  assert.equal(f.message, `Trusts all of workloads (${B}), but only one of its principals uses this key: narrow the principal to it. `
    + 'It is user/alice (kms:Decrypt). While the account is trusted, any new IAM grant in it widens access to the key.');
  const fixes = f.fixes ?? [];
  assert.deepEqual(fixes.map((x) => x.title), [
    `Narrow the principal to ${ALICE} (has a grant on this key)`,
    'Keep the account principal and allow only user/alice (ArnEquals aws:PrincipalArn condition)',
  ]);
  applyFix(s.ws, K, fixes[0]);
  assert.ok(s.ws.text(K)!.includes(`"AWS": "${ALICE}"`));
  assert.deepEqual(s.ws.findings(K).filter((x) => HANDSHAKE_IDS.includes(x.checkId)).map((x) => x.checkId), []);
});

test('groups: a group whose members are not known is an unknown principal; no narrowing that would cut its members off', () => {
  const bob = `arn:aws:iam::${B}:user/bob`;
  const files = {
    [M]: manifest({ [bob]: ['b/bob/*.json'] }),
    [K]: trusting(`arn:aws:iam::${B}:root`).replace(`"arn:aws:iam::${B}:root"`, `«${BROADER}:"arn:aws:iam::${B}:root"»`),
    [X]: exportWithGroup(false),
    '/ws/b/bob/kms.json': identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}"}`),
  };
  const s = expectWorkspace(files, { only: [BROADER] });
  const f = single(s.ws, K, BROADER);
  assert.equal(f.message, `Trusts all of workloads (${B}), but only 2 of its IAM grants use this key: name the principals that need it. `
    + 'They are user/bob (kms:Decrypt), the members of group/Ops (none known) (kms:Decrypt). While the account is trusted, any new IAM grant in it widens access to the key.');
  // Narrowing to bob would take the key from the group's members.
  assert.deepEqual(f.fixes ?? [], []);
  // Nobody of the account is claimed unable to use the key: any of them may be in the group.
  assert.deepEqual((f.claims ?? []).filter((c) => !c.can), []);
});

test('groups: a Terraform group policy on a key that trusts one user: not a grant without trust', () => {
  expectWorkspace({
    [M]: manifest({}, { templates: [{ files: 'b/*.tf', account: B, region: 'us-west-2' }] }),
    [K]: trusting(ALICE),
    '/ws/b/main.tf': `resource "aws_iam_group" "ops" {
  name = "Ops"
}

resource "aws_iam_group_policy" "use_key" {
  name  = "use-key"
  group = aws_iam_group.ops.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "kms:Decrypt", Resource = "${KEY}" }]
  })
}
`,
  }, { only: HANDSHAKE_IDS });
});

test('groups: Terraform memberships (aws_iam_group_membership, aws_iam_user_group_membership) make a group\'s policy its members\', in .tf files and plans', () => {
  const root = `arn:aws:iam::${B}:root`;
  const grant = `jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "kms:Decrypt", Resource = "${KEY}" }] })`;
  const tf = `resource "aws_iam_group" "ops" {
  name = "Ops"
}

resource "aws_iam_group_policy" "use_key" {
  group  = aws_iam_group.ops.name
  policy = ${grant}
}

resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_group_membership" "ops" {
  name  = "ops"
  group = aws_iam_group.ops.name
  users = [aws_iam_user.alice.name]
}

resource "aws_iam_user_group_membership" "bob" {
  user   = "bob"
  groups = [aws_iam_group.ops.name]
}
`;
  const claimed = (files: Record<string, string>) => single(expectWorkspace(files, { only: [] }).ws, K, BROADER).claims!.filter((c) => c.can).map((c) => c.principal);
  const members = [ALICE, `arn:aws:iam::${B}:user/bob`];
  assert.deepEqual(claimed({ [M]: manifest({}, { templates: [{ files: 'b/*.tf', account: B, region: 'us-west-2' }] }), [K]: trusting(root), '/ws/b/main.tf': tf }), members);
  const plan = JSON.stringify({
    format_version: '1.2',
    planned_values: { root_module: { resources: [
      { address: 'aws_iam_group.ops', mode: 'managed', type: 'aws_iam_group', name: 'ops', values: { name: 'Ops', path: '/' } },
      { address: 'aws_iam_group_policy.use_key', mode: 'managed', type: 'aws_iam_group_policy', name: 'use_key', values: { name: 'use-key', group: 'Ops', policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY }] }) } },
      { address: 'aws_iam_group_membership.ops', mode: 'managed', type: 'aws_iam_group_membership', name: 'ops', values: { name: 'ops', group: 'Ops', users: ['alice'] } },
      { address: 'aws_iam_user_group_membership.bob', mode: 'managed', type: 'aws_iam_user_group_membership', name: 'bob', values: { user: 'bob', groups: ['Ops'] } },
    ] } },
  });
  assert.deepEqual(claimed({ [M]: manifest({}, { templates: [{ files: 'b/plan.json', account: B, region: 'us-west-2' }] }), [K]: trusting(root), '/ws/b/plan.json': plan }), members);
});

/** A template user's or group's `Policies` (at its properties' column) with one policy granting kms:Decrypt on the key. */
const decryptPolicies = (name: string) => `      Policies:
        - PolicyName: ${name}
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: kms:Decrypt
                Resource: ${KEY}`;

test('groups: CloudFormation users and groups: a group\'s policies are its members\' (a user\'s Groups, AWS::IAM::UserToGroupAddition), a user\'s are its own', () => {
  const template = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Ops:
    Type: AWS::IAM::Group
    Properties:
      GroupName: Ops
${decryptPolicies('use-key')}
  Alice:
    Type: AWS::IAM::User
    Properties:
      UserName: alice
      Groups: [!Ref Ops]
  Bob:
    Type: AWS::IAM::User
    Properties:
      UserName: bob
      Path: /team/
${decryptPolicies('own')}
  Carol:
    Type: AWS::IAM::User
    Properties:
      UserName: carol
  AddCarol:
    Type: AWS::IAM::UserToGroupAddition
    Properties:
      GroupName: !Ref Ops
      Users: [!Ref Carol]
  Shared:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Groups: [!Ref Ops]
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action: kms:DescribeKey
            Resource: ${KEY}
`;
  const s = expectWorkspace({
    [M]: manifest({}, { templates: [{ files: 'b/*.yaml', account: B, region: 'us-west-2' }] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"}`),
    '/ws/b/iam.yaml': template,
  }, { only: [] });
  const f = single(s.ws, K, BROADER);
  // Each grant's claim: the group's inline policy and its managed policy reach alice and carol, bob's policy bob.
  const pairs = f.claims!.filter((c) => c.can).flatMap((c) => c.actions.map((a) => `${c.principal.split(':').pop()} ${a}`)).sort();
  assert.deepEqual(pairs, ['user/alice kms:Decrypt', 'user/alice kms:DescribeKey', 'user/carol kms:Decrypt', 'user/carol kms:DescribeKey', 'user/team/bob kms:Decrypt']);
});
