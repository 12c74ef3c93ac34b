/**
 * AWS policy variables written as they are (`${aws:username}`) in a `.tf` file: Terraform reads
 * `${…}` as an interpolation and cannot parse the file (`$${aws:username}` is the escape). The
 * policy is read anyway, the variable as the text `${aws:username}`, so its other findings
 * show, and `policy-variable-syntax` reports the variable with the fix that writes the escape:
 * in a heredoc (`<<EOF`, `<<-EOT`), a quoted JSON string, a `jsonencode` string and a policy
 * document block.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/engine';
import { toValue } from '../../../server/src/core/json/nodes';
import type { Finding } from '../../../server/src/core/findings';
import { applyEdits } from '../../support/fixture';
import { withHclParser } from '../../support/hcl';

withHclParser();

/** 1-based line and column of an offset, as an editor shows them. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

/** A finding as the tests state it: check id, where (line:column), the text its range covers, message, and each fix's edits. */
function shown(text: string, f: Finding) {
  return {
    checkId: f.checkId,
    where: lineColumn(text, f.span.offset),
    at: text.slice(f.span.offset, f.span.offset + f.span.length),
    message: f.message,
    fixes: (f.fixes ?? []).map((x) => ({ title: x.title, edits: x.changes.flatMap((c) => c.edits.map((e) => ({ at: text.slice(e.offset, e.offset + e.length), newText: e.newText }))) })),
  };
}

const UNESCAPED = (v: string) => `Terraform cannot parse ${v}: write $${v}. In a Terraform string \${…} is an interpolation; $\${ writes a literal \${.`;

/** The finding for an unescaped variable, with its fix. */
const unescaped = (where: string, v: string) => ({
  checkId: 'policy-variable-syntax', where, at: v, message: UNESCAPED(v),
  fixes: [{ title: `Change to "$${v}"`, edits: [{ at: v, newText: `$${v}` }] }],
});

/** The file's findings, as `shown`. */
const findingsOf = (text: string) => checkText('/m/main.tf', text).findings.map((f) => shown(text, f));

/** The policy of the text's resources, each as plain values, in order. */
const policies = (text: string) => checkText('/m/main.tf', text).discovered!.documents.map((d) => JSON.parse(JSON.stringify(toValue(d.root))));

/** The text with the one place of `from` written `to`. */
function swap(text: string, from: string, to: string): string {
  assert.equal(text.split(from).length, 2, from);
  return text.split(from).join(to);
}

/** Applies the first fix of every policy-variable-syntax finding. */
function fixAll(text: string): string {
  const found = checkText('/m/main.tf', text).findings.filter((f) => f.checkId === 'policy-variable-syntax');
  return applyEdits(text, found.flatMap((f) => f.fixes![0].changes[0].edits));
}

const HEREDOC = `resource "aws_iam_policy" "p" {
  name   = "p"
  policy = <<EOF2
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::bucket/\${aws:username}/*"
    },
    {
      "Effect": "Allow",
      "Action": "s3:GetObjekt",
      "Resource": "*"
    }
  ]
}
EOF2
}

resource "aws_iam_role_policy" "indented" {
  role   = "app"
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": "arn:aws:s3:::bucket",
        "Condition": {"StringLike": {"s3:prefix": ["\${s3:prefix}", "home/\${aws:PrincipalTag/team}/\${*}\${?}\${$}"]}}
      }]
    }
  EOT
}
`;

test('a heredoc (<<EOF, <<-EOT) with ${aws:username}: each variable one finding whose fix writes $${…}; the policy is read, its other findings shown', () => {
  assert.deepEqual(findingsOf(HEREDOC), [
    { checkId: 'unknown-action', where: '14:21', at: 'GetObjekt', message: 'Unknown action "GetObjekt" in s3: did you mean "GetObject"?',
      fixes: [{ title: 'Change to "s3:GetObject"', edits: [{ at: 'GetObjekt', newText: 'GetObject' }] }] },
    unescaped('10:40', '${aws:username}'),
    unescaped('31:53', '${s3:prefix}'),
    unescaped('31:74', '${aws:PrincipalTag/team}'),
    unescaped('31:99', '${*}'),
    unescaped('31:103', '${?}'),
    unescaped('31:107', '${$}'),
  ]);
  // Read as the policy variables they are meant to be.
  const [p, indented] = policies(HEREDOC);
  assert.equal(p.Statement[0].Resource, 'arn:aws:s3:::bucket/${aws:username}/*');
  assert.deepEqual(indented.Statement[0].Condition.StringLike['s3:prefix'], ['${s3:prefix}', 'home/${aws:PrincipalTag/team}/${*}${?}${$}']);
  const fixed = fixAll(HEREDOC);
  assert.equal(fixed, swap(swap(HEREDOC,
    'bucket/${aws:username}', 'bucket/$${aws:username}'),
    '["${s3:prefix}", "home/${aws:PrincipalTag/team}/${*}${?}${$}"]', '["$${s3:prefix}", "home/$${aws:PrincipalTag/team}/$${*}$${?}$${$}"]'));
  // Escaped, the same policies, and only the unknown action is left.
  assert.deepEqual(policies(fixed), [p, indented]);
  assert.deepEqual(findingsOf(fixed).map((f) => [f.checkId, f.where]), [['unknown-action', '14:21']]);
});

const JSONENCODE = `variable "bucket" {
  default = "app-data"
}

resource "aws_iam_policy" "q" {
  name   = "q"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "s3:GetObjekt"
      Resource = "arn:aws:s3:::\${var.bucket}/\${aws:username}/*"
    }, {
      Effect    = "Allow"
      Action    = "s3:ListBucket"
      Resource  = "arn:aws:s3:::\${var.bucket}"
      Condition = { StringLike = { "s3:prefix" = ["home/$\${aws:username}/*", "\${saml:sub}/\${aws:userid, 'none'}"] } }
    }]
  })
}

resource "aws_iam_policy" "quoted" {
  name   = "quoted"
  policy = "{\\"Version\\": \\"2012-10-17\\", \\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Action\\": \\"s3:GetObject\\", \\"Resource\\": \\"arn:aws:s3:::b/\${aws:username}/*\\"}]}"
}

data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::\${var.bucket}/\${aws:username}/*"]
  }
}

resource "aws_iam_policy" "d" {
  name   = "d"
  policy = data.aws_iam_policy_document.d.json
}
`;

test('jsonencode, a quoted JSON string, a policy document block: ${aws:username} is one finding whose fix writes $${…}; ${var.bucket} and $${…} are left alone', () => {
  assert.deepEqual(findingsOf(JSONENCODE), [
    { checkId: 'unknown-action', where: '11:22', at: 'GetObjekt', message: 'Unknown action "GetObjekt" in s3: did you mean "GetObject"?',
      fixes: [{ title: 'Change to "s3:GetObject"', edits: [{ at: 'GetObjekt', newText: 'GetObject' }] }] },
    unescaped('12:46', '${aws:username}'),
    unescaped('17:79', '${saml:sub}'),
    unescaped('17:91', "${aws:userid, 'none'}"),
    unescaped('24:144', '${aws:username}'),
    unescaped('30:46', '${aws:username}'),
  ]);
  assert.deepEqual(policies(JSONENCODE).map((p) => p.Statement[0].Resource), [
    'arn:aws:s3:::app-data/${aws:username}/*',
    'arn:aws:s3:::b/${aws:username}/*',
    ['arn:aws:s3:::app-data/${aws:username}/*'],
  ]);
  const fixed = fixAll(JSONENCODE);
  let expected = swap(JSONENCODE, '${var.bucket}/${aws:username}/*"\n    }, {', '${var.bucket}/$${aws:username}/*"\n    }, {');
  expected = swap(expected, '"${saml:sub}/${aws:userid, \'none\'}"', '"$${saml:sub}/$${aws:userid, \'none\'}"');
  expected = swap(expected, 'b/${aws:username}/*\\"', 'b/$${aws:username}/*\\"');
  expected = swap(expected, 'resources = ["arn:aws:s3:::${var.bucket}/${aws:username}/*"]', 'resources = ["arn:aws:s3:::${var.bucket}/$${aws:username}/*"]');
  assert.equal(fixed, expected);
  assert.deepEqual(findingsOf(fixed).map((f) => [f.checkId, f.where]), [['unknown-action', '11:22']]);
  assert.deepEqual(policies(fixed), policies(JSONENCODE));
});

test('a variable with a space, written ${aws: username} in jsonencode: one finding, whose fix removes the space and writes $${…}', () => {
  const text = `resource "aws_iam_policy" "q" {
  name   = "q"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = ["arn:aws:s3:::b/\${aws: username}/*", "arn:aws:s3:::c/$\${aws:userid }/*"] }]
  })
}
`;
  assert.deepEqual(findingsOf(text), [
    { checkId: 'policy-variable-syntax', where: '5:91', at: '${aws: username}', message: 'A space is not supported in the policy variable text "${aws: username}": remove it.',
      fixes: [{ title: 'Change to "${aws:username}"', edits: [{ at: '${aws: username}', newText: '$${aws:username}' }] }] },
    { checkId: 'policy-variable-syntax', where: '5:128', at: '$${aws:userid }', message: 'A space is not supported in the policy variable text "${aws:userid }": remove it.',
      fixes: [{ title: 'Change to "${aws:userid}"', edits: [{ at: '$${aws:userid }', newText: '$${aws:userid}' }] }] },
  ]);
  const fixed = fixAll(text);
  assert.equal(fixed, swap(swap(text, '${aws: username}', '$${aws:username}'), '$${aws:userid }', '$${aws:userid}'));
  assert.deepEqual(findingsOf(fixed), []);
});

test('interpolations Terraform reads are not policy variables: ${var.x}, ${local.y ? "a:b" : "c"}, ${join(":", …)}', () => {
  const text = `locals {
  team = "t"
}
resource "aws_iam_policy" "q" {
  name   = "q"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::b/\${local.team}/\${true ? "a:b" : "c"}/\${join(":", ["x", "y"])}/*" }]
  })
}
`;
  assert.deepEqual(findingsOf(text), []);
  // Known only at plan time (the conditional and join() are not evaluated): an unknown value, as written.
  assert.deepEqual(policies(text)[0].Statement[0].Resource, { 'Fn::Terraform': '"arn:aws:s3:::b/${local.team}/${true ? "a:b" : "c"}/${join(":", ["x", "y"])}/*"' });
});
