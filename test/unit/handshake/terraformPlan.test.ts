/**
 * Terraform plan JSON (`terraform show -json`): policies of planned resources, as JSON strings
 * inside the plan, with findings inside the strings and owners from the plan and the manifest.
 * Plans here are written the way Terraform writes them: `jsonencode` output (minified, `<`, `>`
 * and `&` escaped) as string values.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { A, B, KEY, buildWorkspace, expectWorkspace, keyPolicy, role, single } from './workspaceFixture';
import { discover } from '../../../server/src/core/sources/discover';
import { corpusMissing, corpusRoot } from '../../support/corpus';
import { needs } from '../../support/needs';

/** Terraform's `jsonencode`: minified, with `<`, `>` and `&` escaped. */
const jsonencode = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

function plan(resources: { type: string; name: string; values: Record<string, unknown> }[], childModules: { address: string; resources: typeof resources }[] = []): string {
  const res = (list: typeof resources, prefix = '') => list.map((r) => ({ address: `${prefix}${r.type}.${r.name}`, mode: 'managed', type: r.type, name: r.name, provider_name: 'registry.terraform.io/hashicorp/aws', schema_version: 0, values: r.values, sensitive_values: {} }));
  return JSON.stringify({
    format_version: '1.2',
    terraform_version: '1.8.3',
    planned_values: { root_module: { resources: res(resources), child_modules: childModules.map((m) => ({ address: m.address, resources: res(m.resources, `${m.address}.`) })) } },
  }, null, 2);
}

const manifest = JSON.stringify({
  accounts: { [A]: { name: 'security' }, [B]: { name: 'workloads' } },
  keys: [{ policy: 'security/keys/key.json', arn: KEY }],
  templates: [{ files: 'workloads/plan.json', account: B, region: 'us-west-2' }],
});

const decryptGrant = (action: string) => ({ Version: '2012-10-17', Statement: [{ Sid: 'UseKey', Effect: 'Allow', Action: action, Resource: KEY }] });

test('a plan is read: a typo inside a policy string is found at its place, and the role policy is the role\'s grant in the handshake', () => {
  const files = {
    '/ws/policy-handshake.json': manifest,
    '/ws/security/keys/key.json': keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «root-principal-broader-than-grants:"arn:aws:iam::${B}:root"»}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/workloads/plan.json': plan([
      { type: 'aws_iam_role', name: 'reader', values: { name: 'AppReader', path: '/', assume_role_policy: jsonencode({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) } },
      { type: 'aws_iam_role_policy', name: 'reader_kms', values: { name: 'kms', role: 'AppReader', policy: jsonencode(decryptGrant('kms:Decrypt')) } },
      { type: 'aws_iam_role_policy', name: 'typo', values: { name: 'typo', role: 'AppReader', policy: jsonencode(decryptGrant('kms:Decrpyt')) } },
    ]),
  };
  const s = expectWorkspace(files);
  const text = s.texts['/ws/workloads/plan.json'];
  const typo = single(s.ws, '/ws/workloads/plan.json', 'unknown-action');
  // The range is the action's name inside the escaped string.
  assert.equal(text.slice(typo.span.offset - 6, typo.span.offset + typo.span.length + 2), '\\"kms:Decrpyt\\"');
  assert.equal(typo.message, 'Unknown action "Decrpyt" in kms: did you mean "Decrypt"?');
  const broader = single(s.ws, '/ws/security/keys/key.json', 'root-principal-broader-than-grants');
  assert.match(broader.message, new RegExp(`role/AppReader \\(kms:Decrypt\\)`));
  assert.deepEqual(broader.related!.map((r) => [r.file, r.message]), [['/ws/workloads/plan.json', 'Grant of role/AppReader']]);
});

test('a plan: a managed policy reaches the roles it is attached to, child modules are read, and an unattached one grants nothing', () => {
  const files = {
    '/ws/policy-handshake.json': manifest,
    '/ws/security/keys/key.json': keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «root-principal-broader-than-grants:"arn:aws:iam::${B}:root"»}, "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"}`),
    '/ws/workloads/plan.json': plan([
      { type: 'aws_iam_policy', name: 'use_key', values: { name: 'use-key', path: '/', policy: jsonencode(decryptGrant('kms:Encrypt')) } },
      { type: 'aws_iam_policy', name: 'unattached', values: { name: 'spare', path: '/', policy: jsonencode(decryptGrant('kms:Decrypt')) } },
    ], [{
      address: 'module.pipeline',
      resources: [
        { type: 'aws_iam_role', name: 'this', values: { name: 'Pipeline', path: '/service/', assume_role_policy: jsonencode({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'codepipeline.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) } },
        { type: 'aws_iam_role_policy_attachment', name: 'use_key', values: { role: 'Pipeline', policy_arn: `arn:aws:iam::${B}:policy/use-key` } },
      ],
    }]),
  };
  const s = expectWorkspace(files);
  const f = single(s.ws, '/ws/security/keys/key.json', 'root-principal-broader-than-grants');
  assert.match(f.message, /only one of its principals uses this key: narrow the principal to it\. It is role\/service\/Pipeline \(kms:Encrypt\)/);
});

test('a plan\'s key policy: findings inside the policy string, the key from the plan\'s ARN', () => {
  const keyArn = `arn:aws:kms:us-west-2:${A}:key/abcd`;
  const text = plan([{ type: 'aws_kms_key', name: 'k', values: { arn: keyArn, key_id: 'abcd', policy: jsonencode({ Version: '2012-10-17', Statement: [{ Sid: 'Own', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'kms:*', Resource: '*' }, { Sid: 'Bad', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }] }) } }]);
  const d = discover('/p/plan.json', text);
  assert.equal(d.shape, 'terraform-plan');
  assert.deepEqual(d.documents.map((x) => [x.kind, x.owner.keyArn, x.owner.account, x.owner.label]), [['kms-key-policy', keyArn, A, 'aws_kms_key.k']]);
  const s = buildWorkspace({ '/p/plan.json': text });
  const pub = single(s.ws, '/p/plan.json', 'public-key-policy');
  assert.equal(text.slice(pub.span.offset, pub.span.offset + pub.span.length), '\\"*\\"');
});

test('every plan JSON of the corpus is read without a crash, and its policies are found', needs('corpus', corpusMissing('terraform')), () => {
  const root = path.join(corpusRoot, 'terraform');
  const plans: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.json') && fs.readFileSync(p, 'utf8').includes('"planned_values"')) plans.push(p);
    }
  };
  walk(root);
  assert.ok(plans.length >= 15, `${plans.length} plans`);
  let documents = 0;
  for (const p of plans) {
    const d = discover(p, fs.readFileSync(p, 'utf8'));
    assert.equal(d.shape, 'terraform-plan', p);
    documents += d.documents.length;
  }
  // iam_check/test/identity_policies alone holds eight policies (role, user, group, managed, trust).
  const identity = discover('x', fs.readFileSync(path.join(root, 'plans/awslabs__terraform-iam-policy-validator/iam_check/test/identity_policies/test_plan.json'), 'utf8'));
  assert.deepEqual(identity.documents.map((x) => x.owner.label), [
    'aws_iam_group_policy.my_developer_policy', 'aws_iam_policy.policy', 'aws_iam_role.example trust policy', 'aws_iam_role.example/my_inline_policy',
    'aws_iam_role.example/policy-8675309', 'aws_iam_role.test_role trust policy', 'aws_iam_role_policy.test_policy', 'aws_iam_user_policy.lb_ro',
  ]);
  assert.ok(documents >= 30, `${documents} documents`);
});
