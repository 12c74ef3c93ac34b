/**
 * Templated JSON policy files (Terraform templatefile, envsubst): a `${name}` placeholder is an
 * unknown value, never an error; the manifest's template parameters replace it, and the
 * handshake reads the result. `*.tpl`/`*.tftpl` files are read in folder walks.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { collectFiles } from '../../../server/src/cli/files';
import { runCli } from '../../../server/src/cli/main';
import { isUnknownValue } from '../../../server/src/core/sources/hcl/hclValues';
import { prop } from '../../../server/src/core/json/nodes';

const A = '111122223333';
const B = '444455556666';
const KEY_ARN = `arn:aws:kms:us-west-2:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

const KEY_TEMPLATE = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Own", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${A}:root"}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "Use", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::\${account_id}:root"}, "Action": ["kms:Decrypt"], "Resource": "*"},
    {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${A}:role/\${var.admin_role}"}, "Action": ["kms:DescribeKey"], "Resource": \${jsonencode(resources)},
     "Condition": {"StringEquals": {"aws:PrincipalTag/team": "$\${aws:username}", "kms:CallerAccount": "${A}"}}}
  ]
}`;

function manifest(parameters?: Record<string, string>): string {
  return JSON.stringify({
    accounts: { [A]: { name: 'security' }, [B]: { name: 'workloads' } },
    keys: [{ policy: 'keys/app.json.tpl', arn: KEY_ARN }],
    principals: [{ arn: `arn:aws:iam::${B}:role/Reader`, policies: ['workloads/reader.json'] }],
    templates: [{ files: 'keys/*.tpl', account: A, region: 'us-west-2', ...(parameters ? { parameters } : {}) }],
  });
}

const READER = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });

function workspace(parameters?: Record<string, string>, keyText = KEY_TEMPLATE): Workspace {
  const ws = new Workspace();
  ws.updateFile('/w/policy-handshake.json', manifest(parameters));
  ws.updateFile('/w/keys/app.json.tpl', keyText);
  ws.updateFile('/w/workloads/reader.json', READER);
  return ws;
}

const ids = (ws: Workspace, file: string) => ws.findings(file).map((f) => f.checkId).sort();

test('without parameters: placeholders are unknown values, never errors (no syntax, principal or resource finding)', () => {
  const ws = workspace();
  assert.deepEqual(ids(ws, '/w/keys/app.json.tpl'), []);
  const doc = ws.discovered('/w/keys/app.json.tpl')!.documents[0];
  assert.equal(doc.kind, 'kms-key-policy');
  const statements = prop(doc.root, 'Statement')!.value!.children!;
  const principal = prop(prop(statements[1], 'Principal')!.value!, 'AWS')!.value!;
  assert.ok(isUnknownValue(principal));
  // The placeholder outside a string is a value of its own range.
  const resource = prop(statements[2], 'Resource')!.value!;
  assert.ok(isUnknownValue(resource));
  assert.equal(KEY_TEMPLATE.slice(resource.offset, resource.offset + resource.length), '${jsonencode(resources)}');
  // `$${` writes a literal `${` in a template file: the policy variable is read as one.
  const cond = prop(prop(prop(statements[2], 'Condition')!.value!, 'StringEquals')!.value!, 'aws:PrincipalTag/team')!.value!;
  assert.equal(cond.value, '${aws:username}');
});

test('the same text as a plain policy file: `${account_id}` in a principal is unknown, not invalid-principal', () => {
  const ws = new Workspace();
  const text = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::\${account_id}:root"}, "Action": "kms:Decrypt", "Resource": "*"}]}`;
  ws.updateFile('/w/key.json', text);
  assert.deepEqual(ids(ws, '/w/key.json').filter((i) => i === 'invalid-principal'), []);
  // Without the placeholder the same malformed account is an error (the check still runs).
  ws.updateFile('/w/key.json', text.replace('${account_id}', 'ACCOUNT'));
  assert.deepEqual(ids(ws, '/w/key.json').filter((i) => i === 'invalid-principal'), ['invalid-principal']);
  // CloudFormation's `${Param}` in Fn::Sub is not a template placeholder: the template is read as before.
  const cfn = JSON.stringify({ Resources: { K: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: { 'Fn::Sub': 'arn:aws:iam::${Other}:root' } }, Action: 'kms:Decrypt', Resource: '*' }] } } } } });
  ws.updateFile('/w/stack.json', cfn);
  assert.equal(ws.discovered('/w/stack.json')!.shape, 'cloudformation');
});

test('with parameters: the values replace the placeholders and the handshake reads the result', () => {
  const ws = workspace({ account_id: B, admin_role: 'KeyAdmin' });
  const findings = ws.findings('/w/keys/app.json.tpl');
  assert.deepEqual(findings.map((f) => f.checkId), ['root-principal-without-grant']);
  const f = findings[0];
  assert.equal(KEY_TEMPLATE.slice(f.span.offset, f.span.offset + f.span.length), '"arn:aws:iam::${account_id}:root"');
  assert.match(f.message, /^Account workloads \(444455556666\) is trusted for kms:Decrypt, but none of its principals has an IAM grant/);
  const doc = ws.discovered('/w/keys/app.json.tpl')!.documents[0];
  const statements = prop(doc.root, 'Statement')!.value!.children!;
  assert.equal(prop(prop(statements[2], 'Principal')!.value!, 'AWS')!.value!.value, `arn:aws:iam::${A}:role/KeyAdmin`);
  // A parameter change reaches the file (its binding changed).
  ws.updateFile('/w/policy-handshake.json', manifest({ account_id: A }));
  assert.deepEqual(ids(ws, '/w/keys/app.json.tpl'), []);
});

test('edits of a templated file: parsed whole each time, placeholders typed and removed', () => {
  const ws = workspace({ account_id: B });
  ws.updateFile('/w/keys/app.json.tpl', KEY_TEMPLATE.replace('${account_id}', '${account_'), true);
  assert.ok(!ids(ws, '/w/keys/app.json.tpl').includes('internal-error'));
  ws.updateFile('/w/keys/app.json.tpl', KEY_TEMPLATE, true);
  assert.deepEqual(ids(ws, '/w/keys/app.json.tpl'), ['root-principal-without-grant']);
  ws.updateFile('/w/keys/app.json.tpl', KEY_TEMPLATE.replace('${account_id}', B), true);
  assert.deepEqual(ids(ws, '/w/keys/app.json.tpl'), ['root-principal-without-grant']);
});

let root: string;
before(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ph-tpl-')));
  fs.mkdirSync(path.join(root, 'keys'));
  fs.writeFileSync(path.join(root, 'keys', 'app.json.tpl'), KEY_TEMPLATE.replace('kms:DescribeKey', 'kms:DescribeKeys'));
  fs.writeFileSync(path.join(root, 'keys', 'other.tftpl'), KEY_TEMPLATE);
  fs.writeFileSync(path.join(root, 'user_data.tpl'), '#!/bin/sh\necho ${name}\n');
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

test('the CLI walk reads *.tpl and *.tftpl; a template that is no policy gives nothing', () => {
  assert.deepEqual(collectFiles(['.'], root).files.map((p) => path.relative(root, p)).sort(), ['keys/app.json.tpl', 'keys/other.tftpl', 'user_data.tpl']);
  let out = '';
  const code = runCli(['check', '.', '--format', 'json'], { stdout: (s) => { out += s; }, stderr: (s) => { out += s; }, cwd: root });
  const findings = JSON.parse(out) as { file: string; code: string }[];
  assert.deepEqual(findings.map((f) => [f.file, f.code]), [['keys/app.json.tpl', 'unknown-action']]);
  assert.equal(code, 1);
});
