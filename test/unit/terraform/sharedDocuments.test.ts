/**
 * A `data "aws_iam_policy_document"` block several resources use is the policy of every
 * principal of them: two roles whose `aws_iam_role_policy` name one block both use the key it
 * grants (in one file, across the files of a module, or both). add-iam-grant never edits such a
 * block for one of them (the others would get the grant too), and never creates a policy file for
 * a role a template declares (Terraform would not deploy it).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { expectWorkspace, HANDSHAKE_IDS, single } from '../handshake/workspaceFixture';
import { withHclParser } from '../../support/hcl';
import { A, B, appKeyTf, ec2Role, twoAccountManifest } from './twoAccounts';

withHclParser();

const MANIFEST = twoAccountManifest({ keyFile: 'security/key.tf' });
const KEY = '/w/security/key.tf';
const TRUST_B = `{ Sid = "Workloads", Effect = "Allow", Principal = { AWS = «%:"arn:aws:iam::${B}:root"» }, Action = ["kms:Decrypt", "kms:Encrypt"], Resource = "*" }`;
const keyTf = (checkId: string) => appKeyTf(TRUST_B.replace('%', checkId));

const COMMON = (kms: boolean) => `
data "aws_iam_policy_document" "common" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::bucket/*"]
  }${kms ? `
  statement {
    actions   = ["kms:Decrypt", "kms:Encrypt"]
    resources = ["arn:aws:kms:us-west-2:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
  }` : ''}
}
`;
const rolePolicy = (r: string) => `
resource "aws_iam_role_policy" "${r}" {
  role   = aws_iam_role.${r}.id
  policy = data.aws_iam_policy_document.common.json
}
`;

test('a policy document block two roles use grants the key to both: the finding names both, the preferred narrowing keeps both', () => {
  const s = expectWorkspace({
    '/w/policy-handshake.json': MANIFEST,
    [KEY]: keyTf('root-principal-broader-than-grants'),
    '/w/workloads/roles.tf': `${ec2Role('RoleA')}${ec2Role('RoleB')}${COMMON(true)}${rolePolicy('rolea')}${rolePolicy('roleb')}`,
  });
  const f = single(s.ws, KEY, 'root-principal-broader-than-grants');
  assert.equal(f.message, `Trusts all of workloads (${B}), but only 2 of its principals use this key: narrow the principal to them. They are role/RoleA (kms:Decrypt, kms:Encrypt), role/RoleB (kms:Decrypt, kms:Encrypt). While the account is trusted, any new IAM grant in it widens access to the key.`);
  assert.deepEqual(f.related!.map((r) => r.message), ['Grant of role/RoleA', 'Grant of role/RoleB']);
  const preferred = f.fixes!.filter((x) => x.isPreferred).map((x) => x.title);
  assert.deepEqual(preferred, ['Narrow the principal to the 2 principals with a grant: role/RoleA, role/RoleB']);
});

test('a policy document block used by roles of two other files of its module, and by one of its own file: all three use the key', () => {
  const s = expectWorkspace({
    '/w/policy-handshake.json': MANIFEST,
    [KEY]: keyTf('root-principal-broader-than-grants'),
    '/w/workloads/data.tf': `${COMMON(true)}${ec2Role('RoleC')}${rolePolicy('rolec')}`,
    '/w/workloads/a.tf': `${ec2Role('RoleA')}${rolePolicy('rolea')}`,
    '/w/workloads/b.tf': `${ec2Role('RoleB')}${rolePolicy('roleb')}`,
  });
  const f = single(s.ws, KEY, 'root-principal-broader-than-grants');
  assert.match(f.message, /but only 3 of its principals use this key: narrow the principal to them\. They are role\/RoleA \(kms:Decrypt, kms:Encrypt\), role\/RoleB \(kms:Decrypt, kms:Encrypt\), role\/RoleC \(kms:Decrypt, kms:Encrypt\)\./);
  const doc = s.ws.discovered('/w/workloads/data.tf')!.documents.find((d) => d.kind === 'iam-identity-policy')!;
  assert.deepEqual([...doc.owner.principals!].sort(), ['RoleA', 'RoleB', 'RoleC'].map((r) => `arn:aws:iam::${B}:role/${r}`));
});

test('add-iam-grant never edits a policy document block other roles use too, and never creates a policy file for a Terraform role: each gets a policy of its own', () => {
  const s = expectWorkspace({
    '/w/policy-handshake.json': MANIFEST,
    [KEY]: keyTf('root-principal-without-grant'),
    '/w/workloads/roles.tf': `${ec2Role('RoleA')}${ec2Role('RoleB')}${COMMON(false)}${rolePolicy('rolea')}${rolePolicy('roleb')}`,
  });
  const f = single(s.ws, KEY, 'root-principal-without-grant');
  assert.match(f.message, /^Nobody in workloads \(444455556666\) can use the 2 trusted actions: grant them in IAM there, or remove the trust\./);
  // The block is both roles' and no other policy is either's alone; a new JSON file would not be
  // deployed: each role gets an aws_iam_role_policy of its own in the file that declares it.
  assert.deepEqual((f.fixes ?? []).filter((x) => x.id === 'add-iam-grant').map((x) => [x.title, x.changes.map((c) => c.file)]), [
    ['Grant 2 key actions to role/RoleA in workloads/roles.tf as aws_iam_role_policy.rolea_use_key', ['/w/workloads/roles.tf']],
    ['Grant 2 key actions to role/RoleB in workloads/roles.tf as aws_iam_role_policy.roleb_use_key', ['/w/workloads/roles.tf']],
  ]);
});

test('add-iam-grant for a role that a Terraform file declares with no policy of its own: a policy resource in that file, no new policy file', () => {
  const ws = new Workspace();
  ws.updateFile('/w/policy-handshake.json', MANIFEST);
  ws.updateFile(KEY, keyTf('root-principal-without-grant').replace(/[«»]|root-principal-without-grant:/g, ''));
  ws.updateFile('/w/workloads/roles.tf', ec2Role('Lonely'));
  const f = ws.findings(KEY).find((x) => x.checkId === 'root-principal-without-grant');
  assert.ok(f, ws.findings(KEY).map((x) => x.checkId).join(', '));
  assert.match(f.message, /searched 1 known principal and 0 identity policies in 0 files/);
  assert.deepEqual((f.fixes ?? []).filter((x) => x.id === 'add-iam-grant').map((x) => [x.title, x.changes.map((c) => c.file)]), [
    ['Grant 2 key actions to role/Lonely in workloads/roles.tf as aws_iam_role_policy.lonely_use_key', ['/w/workloads/roles.tf']],
  ]);
});

test('add-iam-grant for a role a manifest alone names still creates a policy file bound to it', () => {
  const manifest = JSON.parse(MANIFEST);
  manifest.principals = [{ arn: `arn:aws:iam::${B}:role/Bare`, policies: ['workloads/bare/*.json'] }];
  const ws = new Workspace();
  ws.updateFile('/w/policy-handshake.json', JSON.stringify(manifest));
  ws.updateFile(KEY, keyTf('x').replace(/[«»]|x:/g, ''));
  const f = ws.findings(KEY).find((x) => x.checkId === 'root-principal-without-grant')!;
  assert.ok(f, ws.findings(KEY).map((x) => `${x.checkId}: ${x.message}`).join('\n'));
  assert.deepEqual((f.fixes ?? []).filter((x) => x.id === 'add-iam-grant').map((x) => x.title), ['Grant 2 key actions to role/Bare in a new policy file workloads/bare/kms-1234abcd.json']);
  assert.ok(HANDSHAKE_IDS.includes(f.checkId));
});
