/**
 * AWS policy variables in files Terraform renders with `templatefile()`: there `${…}` is
 * Terraform's interpolation and `$${` writes a literal `${`, so `$${aws:username}` is the policy
 * variable `${aws:username}`, and `${aws:username}` as written makes `templatefile()` fail
 * (`policy-variable-syntax`). Quick-fixes write `$${` in such a file. Files Terraform does not
 * render (read by `file()`, or envsubst `*.json` that no `.tf` reads) keep `${` as it is.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { checkText } from '../../../server/src/core/engine';
import { templateFileText } from '../../../server/src/core/sources/templatedJson';
import { prop } from '../../../server/src/core/json/nodes';
import type { Finding } from '../../../server/src/core/findings';
import { applyEdits } from '../../support/fixture';
import { withHclParser } from '../../support/hcl';

withHclParser();

/** The role's .tf: its inline policy rendered by templatefile() (or read by file()) from POLICY. */
const ROLE_TF = (call: string) => `
variable "bucket" {
  default = "app-data"
}

variable "prefix" {}

resource "aws_iam_role" "app" {
  name               = "App"
  assume_role_policy = file("\${path.module}/trust.json")
}

resource "aws_iam_role_policy" "home" {
  role   = aws_iam_role.app.name
  policy = ${call}
}
`;
const TEMPLATEFILE = (name: string) => `templatefile("\${path.module}/policies/${name}", { bucket = var.bucket, prefix = var.prefix })`;

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

/** Two variables written as is (one in a string with a placeholder known only at plan time), one with a space, one escaped. */
const HOME = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Home",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:PutObject"],
      "Resource": "arn:aws:s3:::\${bucket}/home/\${aws:username}/*"
    },
    {
      "Sid": "Team",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::\${bucket}/\${prefix}/\${aws:PrincipalTag/team}/*"
    },
    {
      "Sid": "List",
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::\${bucket}",
      "Condition": {"StringLike": {"s3:prefix": ["home/$\${aws:username}/*", "team/\${aws: PrincipalTag/team}/*", "dept/$\${aws:PrincipalTag/dept }/*"]}}
    }
  ]
}`;

/** HOME with every fix of policy-variable-syntax applied. */
const HOME_FIXED = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Home",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:PutObject"],
      "Resource": "arn:aws:s3:::\${bucket}/home/$\${aws:username}/*"
    },
    {
      "Sid": "Team",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::\${bucket}/\${prefix}/$\${aws:PrincipalTag/team}/*"
    },
    {
      "Sid": "List",
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::\${bucket}",
      "Condition": {"StringLike": {"s3:prefix": ["home/$\${aws:username}/*", "team/$\${aws:PrincipalTag/team}/*", "dept/$\${aws:PrincipalTag/dept}/*"]}}
    }
  ]
}`;

/** The manifest binds the folder to its account too: the file's binding is the manifest's with the reference's. */
const MANIFEST = JSON.stringify({ accounts: { '444455556666': { name: 'workloads' } }, templates: [{ files: '**', account: '444455556666', region: 'us-west-2' }] });

function roleWorkspace(policyFile: string, call: string, text = HOME): Workspace {
  const ws = new Workspace();
  ws.updateFile('/w/policy-handshake.json', MANIFEST);
  ws.updateFile('/w/role.tf', ROLE_TF(call));
  ws.updateFile('/w/trust.json', TRUST);
  ws.updateFile(`/w/policies/${policyFile}`, text);
  return ws;
}

/** A finding as the tests state it: check id, the text its range covers, message, and each fix's title and edits. */
function shown(text: string, f: Finding) {
  return {
    checkId: f.checkId,
    at: text.slice(f.span.offset, f.span.offset + f.span.length),
    message: f.message,
    fixes: (f.fixes ?? []).map((x) => ({ title: x.title, edits: x.changes.flatMap((c) => c.edits.map((e) => ({ at: text.slice(e.offset, e.offset + e.length), newText: e.newText }))) })),
  };
}
const variableFindings = (ws: Workspace, file: string) => ws.findings(file).filter((f) => f.checkId === 'policy-variable-syntax');

const UNESCAPED = (v: string) => `templatefile() fails on ${v}: write $${v}. In a template file Terraform reads \${…} as an interpolation; $\${ writes a literal \${.`;

for (const name of ['home.json.tpl', 'home.json']) {
  test(`templatefile("${name}"): each policy variable written \${…} is one finding whose fix writes $\${…}; $\${aws:username} is the variable`, () => {
    const ws = roleWorkspace(name, TEMPLATEFILE(name));
    const file = `/w/policies/${name}`;
    const findings = variableFindings(ws, file);
    assert.deepEqual(findings.map((f) => shown(HOME, f)), [
      { checkId: 'policy-variable-syntax', at: '${aws:username}', message: UNESCAPED('${aws:username}'),
        fixes: [{ title: 'Change to "$${aws:username}"', edits: [{ at: '${aws:username}', newText: '$${aws:username}' }] }] },
      // In a string whose `${prefix}` is known only at plan time (the string is an unknown value) too.
      { checkId: 'policy-variable-syntax', at: '${aws:PrincipalTag/team}', message: UNESCAPED('${aws:PrincipalTag/team}'),
        fixes: [{ title: 'Change to "$${aws:PrincipalTag/team}"', edits: [{ at: '${aws:PrincipalTag/team}', newText: '$${aws:PrincipalTag/team}' }] }] },
      // One mistake, one finding: the space; its fix writes the escape too.
      { checkId: 'policy-variable-syntax', at: '${aws: PrincipalTag/team}', message: 'A space is not supported in the policy variable text "${aws: PrincipalTag/team}": remove it.',
        fixes: [{ title: 'Change to "${aws:PrincipalTag/team}"', edits: [{ at: '${aws: PrincipalTag/team}', newText: '$${aws:PrincipalTag/team}' }] }] },
      // Written escaped, the range covers the escape.
      { checkId: 'policy-variable-syntax', at: '$${aws:PrincipalTag/dept }', message: 'A space is not supported in the policy variable text "${aws:PrincipalTag/dept }": remove it.',
        fixes: [{ title: 'Change to "${aws:PrincipalTag/dept}"', edits: [{ at: '$${aws:PrincipalTag/dept }', newText: '$${aws:PrincipalTag/dept}' }] }] },
    ]);
    assert.equal(findings[0].span.offset, HOME.indexOf('${aws:username}'));
    const fixed = applyEdits(HOME, findings.flatMap((f) => f.fixes![0].changes[0].edits));
    assert.equal(fixed, HOME_FIXED);
    ws.updateFile(file, fixed, true);
    assert.deepEqual(variableFindings(ws, file), []);
    // `$${aws:username}` is read as the policy variable.
    const [doc] = ws.discovered(file)!.documents;
    const list = prop(doc.root, 'Statement')!.value!.children![2];
    const prefixes = prop(prop(prop(list, 'Condition')!.value!, 'StringLike')!.value!, 's3:prefix')!.value!.children!;
    assert.deepEqual(prefixes.map((n) => n.value), ['home/${aws:username}/*', 'team/${aws:PrincipalTag/team}/*', 'dept/${aws:PrincipalTag/dept}/*']);
    assert.equal(prop(doc.root, 'Statement')!.value!.children![0].children![3].children![1].value, 'arn:aws:s3:::app-data/home/${aws:username}/*');
  });
}

test('files Terraform does not render: read by file(), or a *.json with placeholders no .tf reads (envsubst): ${aws:username} is right there', () => {
  // file() passes the text as it is: `${aws:username}` is the variable, `$${aws:username}` literal text.
  const ws = roleWorkspace('home.json.tpl', 'file("${path.module}/policies/home.json.tpl")');
  const read = variableFindings(ws, '/w/policies/home.json.tpl');
  assert.deepEqual(read.map((f) => shown(HOME, f).at), ['${aws: PrincipalTag/team}', '${aws:PrincipalTag/dept }']);
  assert.deepEqual(read.map((f) => f.fixes![0].changes[0].edits[0].newText), ['${aws:PrincipalTag/team}', '${aws:PrincipalTag/dept}']);
  const [doc] = ws.discovered('/w/policies/home.json.tpl')!.documents;
  const list = prop(doc.root, 'Statement')!.value!.children![2];
  assert.equal(prop(prop(prop(list, 'Condition')!.value!, 'StringLike')!.value!, 's3:prefix')!.value!.children![0].value, 'home/$${aws:username}/*');
  // A *.json with placeholders that no templatefile() reads: envsubst has no `$${` escape.
  const alone = new Workspace();
  alone.updateFile('/w/policies/home.json', HOME);
  assert.deepEqual(variableFindings(alone, '/w/policies/home.json').map((f) => shown(HOME, f).at), ['${aws: PrincipalTag/team}', '${aws:PrincipalTag/dept }']);
});

test('a *.tpl checked alone is a Terraform template by its name, whatever the Version', () => {
  const text = `{"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::\${bucket}/\${aws:username}/*"}]}`;
  const result = checkText('home.tpl', text);
  const findings = result.findings.filter((f) => f.checkId === 'policy-variable-syntax');
  assert.deepEqual(findings.map((f) => shown(text, f)), [
    { checkId: 'policy-variable-syntax', at: '${aws:username}',
      message: 'templatefile() fails on ${aws:username}: write $${aws:username}. In a template file Terraform reads ${…} as an interpolation; $${ writes a literal ${.',
      fixes: [{ title: 'Change to "$${aws:username}"', edits: [{ at: '${aws:username}', newText: '$${aws:username}' }] }] },
  ]);
});

test('condition-value-type reads $${aws:TokenIssueTime} of a templatefile() policy as the policy variable', () => {
  const text = HOME.replace('"Condition": {', () => '"Condition": {"DateGreaterThan": {"aws:CurrentTime": "$${aws:TokenIssueTime}"}, ');
  for (const name of ['home.json.tpl', 'home.json']) {
    const ws = roleWorkspace(name, TEMPLATEFILE(name), text);
    const found = ws.findings(`/w/policies/${name}`).filter((f) => f.checkId === 'condition-value-type');
    assert.deepEqual(found.map((f) => [text.slice(f.span.offset, f.span.offset + f.span.length), f.message]), [[
      '"$${aws:TokenIssueTime}"',
      'DateGreaterThan does not replace policy variables: use a String or Arn operator. Variables are replaced only in String and Arn conditions; DateGreaterThan compares "${aws:TokenIssueTime}" as it is.',
    ]], name);
  }
});

test('in a templatefile() policy %%{ is a literal %{, as $${ is a literal ${', () => {
  const text = HOME.replace('"s3:prefix": [', () => '"aws:UserAgent": "release %%{*", "s3:prefix": [');
  const ws = roleWorkspace('home.json', TEMPLATEFILE('home.json'), text);
  const [doc] = ws.discovered('/w/policies/home.json')!.documents;
  const list = prop(doc.root, 'Statement')!.value!.children![2];
  assert.equal(prop(prop(prop(list, 'Condition')!.value!, 'StringLike')!.value!, 'aws:UserAgent')!.value!.value, 'release %{*');
});

const KEY_TF = `
resource "aws_kms_key" "app" {
  description = "app data"
  policy      = templatefile("\${path.module}/key-policy.json.tpl", { admin_account = "111122223333" })
}
`;

/** Role ARNs pasted with a typographic hyphen (U+2010): after an escaped policy variable, and in a string with a placeholder. */
const KEY_TPL = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::\${admin_account}:root"}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "TeamAdmins", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:Decrypt", "Resource": "*",
     "Condition": {"ArnLike": {"aws:PrincipalArn": ["arn:aws:iam::111122223333:role/$\${aws:PrincipalTag/team}\u2010admin", "arn:aws:iam::\${admin_account}:role/ops\u2010admin"]}}}
  ]
}`;

/** The same key policy as an envsubst template: no .tf reads it, the manifest gives the placeholder's value. */
const KEY_MANIFEST = JSON.stringify({
  accounts: { '111122223333': { name: 'security' } },
  keys: [{ policy: 'key-policy.json', arn: 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' }],
  templates: [{ files: 'key-policy.json', account: '111122223333', parameters: { admin_account: '111122223333' } }],
});

for (const [file, setup] of [['key-policy.json.tpl', KEY_TF], ['key-policy.json', KEY_MANIFEST]] as const) {
  test(`a quick-fix that writes a whole value of a templated key policy (${file}) keeps $\${aws:…} as the file writes it, and is not offered where it would write a placeholder's value`, () => {
    const ws = new Workspace();
    ws.updateFile(file.endsWith('.tpl') ? '/w/key.tf' : '/w/policy-handshake.json', setup);
    ws.updateFile(`/w/${file}`, KEY_TPL);
    const found = ws.findings(`/w/${file}`).filter((x) => x.checkId === 'key-policy-character');
    assert.deepEqual(found.map((f) => [KEY_TPL.slice(f.span.offset, f.span.offset + f.span.length), (f.fixes ?? []).map((x) => x.id)]), [
      ['"arn:aws:iam::111122223333:role/$${aws:PrincipalTag/team}\u2010admin"', ['ascii-characters']],
      // Its value is the rendered one ("arn:aws:iam::111122223333:role/ops-admin"): written, it would replace `${admin_account}`.
      ['"arn:aws:iam::${admin_account}:role/ops\u2010admin"', []],
    ]);
    const fixed = applyEdits(KEY_TPL, found[0].fixes![0].changes[0].edits);
    assert.equal(fixed, KEY_TPL.replace('team}\u2010admin', 'team}-admin'));
    assert.ok(fixed.includes('"arn:aws:iam::111122223333:role/$${aws:PrincipalTag/team}-admin"'));
  });
}

test('templateFileText: ${…} and %{ the policy has are escaped; escapes, placeholders and directives stay', () => {
  assert.equal(templateFileText('"arn:aws:s3:::b/${aws:username}/*"'), '"arn:aws:s3:::b/$${aws:username}/*"');
  assert.equal(templateFileText('"arn:aws:iam::*:role/${aws:PrincipalTag/team}", "${*}${?}${$}"'), '"arn:aws:iam::*:role/$${aws:PrincipalTag/team}", "$${*}$${?}$${$}"');
  assert.equal(templateFileText('"home/$${aws:username}/${bucket}/${var.prefix}", ${jsonencode(arns)}'), '"home/$${aws:username}/${bucket}/${var.prefix}", ${jsonencode(arns)}');
  assert.equal(templateFileText('"a%{b", "%%{c", "%{ if admin }x%{ endif }", "${}", "${aws:x"'), '"a%%{b", "%%{c", "%{ if admin }x%{ endif }", "$${}", "$${aws:x"');
  // A `$` before the `{` that follows the edit would make `${`.
  assert.equal(templateFileText('a$', '{'), 'a$$');
  assert.equal(templateFileText('a$', '}'), 'a$');
});
