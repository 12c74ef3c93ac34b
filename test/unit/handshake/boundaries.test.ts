/**
 * Permissions boundaries: an export marks the roles and users that have one. A boundary limits
 * what the principal's policies give it and the handshake does not evaluate it, so the
 * principal's use of a key is conditional, never certain.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { handshakeHover } from '../../../server/src/core/features/handshakeHover';
import { B, KEY, buildWorkspace, keyPolicy, manifest, single } from './workspaceFixture';
import { withHclParser } from '../../support/hcl';

withHclParser();

const M = '/ws/policy-handshake.json';
const K = '/ws/keys/key.json';
const X = '/ws/b/authorization-details.json';
const DEV = `arn:aws:iam::${B}:role/Dev`;
const BROADER = 'root-principal-broader-than-grants';

function exported(boundary: boolean): string {
  return JSON.stringify({
    UserDetailList: [],
    GroupDetailList: [],
    RoleDetailList: [{
      Path: '/', RoleName: 'Dev', Arn: DEV,
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      RolePolicyList: [{ PolicyName: 'use-key', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY }] } }],
      AttachedManagedPolicies: [],
      // Last: adding or removing it moves no policy of the export (only the boundary changes).
      ...(boundary ? { PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: `arn:aws:iam::${B}:policy/DevBoundary` } } : {}),
    }],
    Policies: [],
  }, null, 2);
}

const files = (boundary: boolean) => ({
  [M]: manifest({}),
  [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": "kms:Decrypt", "Resource": "*"}`),
  [X]: exported(boundary),
});

test('boundaries: a role with a permissions boundary uses the key only conditionally; without one, for sure; an edit of the export refreshes the key policy', () => {
  const { ws } = buildWorkspace(files(true));
  const bounded = single(ws, K, BROADER);
  assert.match(bounded.message, /It is role\/Dev \(kms:Decrypt; conditional\)\./);
  assert.deepEqual(bounded.related!.map((r) => r.message), ['Grant of role/Dev (conditional: its permissions boundary (not evaluated here))']);
  assert.deepEqual(bounded.claims!.map((c) => [c.principal, c.can, c.conditional]), [[DEV, true, true]]);
  // The boundary removed from the export: the key policy's finding is refreshed.
  ws.updateFile(X, exported(false));
  const free = single(ws, K, BROADER);
  assert.match(free.message, /It is role\/Dev \(kms:Decrypt\)\./);
  assert.deepEqual(free.claims!.map((c) => [c.principal, c.can, c.conditional ?? false]), [[DEV, true, false]]);
  ws.updateFile(X, exported(true));
  assert.match(single(ws, K, BROADER).message, /\(kms:Decrypt; conditional\)/);
});

test('boundaries: the IAM side\'s hover on the key ARN says "when the conditions hold"', () => {
  for (const boundary of [true, false]) {
    const { ws } = buildWorkspace(files(boundary));
    const text = ws.text(X)!;
    const h = handshakeHover(ws, X, text.indexOf(KEY) + 5);
    assert.ok(h, 'a hover on the key ARN');
    const line = h.markdown.split('\n').find((l) => l.includes('can use'))!;
    assert.equal(line.includes('(when the conditions hold)'), boundary, line);
  }
});

test('boundaries: Terraform, a role or user with permissions_boundary (whatever its value), in a .tf file and in a plan', () => {
  const key = keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": "kms:Decrypt", "Resource": "*"}`);
  const grant = `jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "kms:Decrypt", Resource = "${KEY}" }] })`;
  const tf = (boundary: string) => `resource "aws_iam_role" "dev" {
  name = "Dev"
${boundary}  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}

resource "aws_iam_user" "ops" {
  name = "ops"
${boundary}}

resource "aws_iam_role_policy" "dev" {
  role   = aws_iam_role.dev.id
  policy = ${grant}
}

resource "aws_iam_user_policy" "ops" {
  user   = aws_iam_user.ops.name
  policy = ${grant}
}
`;
  const conditional = (boundary: string) => {
    const { ws } = buildWorkspace({
      [M]: manifest({}, { templates: [{ files: 'b/*.tf', account: B, region: 'us-west-2' }] }),
      [K]: key,
      '/ws/b/main.tf': tf(boundary),
    });
    return single(ws, K, BROADER).claims!.map((c) => [c.principal, c.conditional ?? false]);
  };
  assert.deepEqual(conditional('  permissions_boundary = aws_iam_policy.boundary.arn\n'), [[DEV, true], [`arn:aws:iam::${B}:user/ops`, true]]);
  assert.deepEqual(conditional(''), [[DEV, false], [`arn:aws:iam::${B}:user/ops`, false]]);
  // A plan: the boundary's ARN as planned.
  const plan = (boundary: boolean) => JSON.stringify({
    format_version: '1.2',
    planned_values: { root_module: { resources: [
      { address: 'aws_iam_role.dev', mode: 'managed', type: 'aws_iam_role', name: 'dev', values: { name: 'Dev', path: '/', ...(boundary ? { permissions_boundary: `arn:aws:iam::${B}:policy/DevBoundary` } : { permissions_boundary: null }), assume_role_policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) } },
      { address: 'aws_iam_role_policy.dev', mode: 'managed', type: 'aws_iam_role_policy', name: 'dev', values: { name: 'k', role: 'Dev', policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY }] }) } },
    ] } },
  });
  for (const boundary of [true, false]) {
    const { ws } = buildWorkspace({ [M]: manifest({}, { templates: [{ files: 'b/plan.json', account: B, region: 'us-west-2' }] }), [K]: key, '/ws/b/plan.json': plan(boundary) });
    assert.deepEqual(single(ws, K, BROADER).claims!.map((c) => [c.principal, c.conditional ?? false]), [[DEV, boundary]]);
  }
});
