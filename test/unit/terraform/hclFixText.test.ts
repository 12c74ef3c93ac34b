/**
 * The exact text quick-fixes write into Terraform files: escaped for the string a JSON policy
 * is written in (a heredoc, a quoted string), lists where a policy document block's attributes
 * take lists, whole lines removed (a `sid = ""`, a list item with its own comment), and a
 * condition added to a one-line statement indented like it. Each case applies one fix to a
 * small file and compares the whole file with the text written by hand.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { applyEdits } from '../../support/fixture';
import { withHclParser } from '../../support/hcl';
import { hclTemplateText } from '../../../server/src/core/sources/hcl/hclEdits';

withHclParser();

/** `file` of `files` after the fix `fixId` (the one titled `title`, when given) of a `checkId` finding in it. */
export function fixedText(files: Record<string, string>, file: string, checkId: string, fixId: string, title?: RegExp): string {
  const ws = new Workspace();
  for (const [path, text] of Object.entries(files)) ws.updateFile(path, text);
  const fixes = ws.findings(file).filter((f) => f.checkId === checkId).flatMap((f) => f.fixes ?? []);
  const fix = fixes.find((x) => x.id === fixId && (!title || title.test(x.title)));
  assert.ok(fix, `${fixId} among ${fixes.map((x) => `${x.id}: ${x.title}`).join(' | ') || ws.findings(file).map((f) => f.checkId).join(', ')}`);
  assert.deepEqual(fix.changes.map((c) => c.file ?? file), [file]);
  return applyEdits(files[file], fix.changes[0].edits);
}

test('remove-space-in-variable in a heredoc: the variable written as $${…}, which Terraform reads as text', () => {
  const file = `resource "aws_iam_role_policy" "h" {
  role   = "r"
  policy = <<EOT
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/$\${ aws:username }/*"}]}
EOT
}
`;
  assert.equal(fixedText({ '/m/main.tf': file }, '/m/main.tf', 'policy-variable-syntax', 'remove-space-in-variable'), `resource "aws_iam_role_policy" "h" {
  role   = "r"
  policy = <<EOT
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/$\${aws:username}/*"}]}
EOT
}
`);
});

test('remove-space-in-variable in a quoted string: the variable written as $${…}', () => {
  const file = `resource "aws_iam_role_policy" "q" {
  role   = "r"
  policy = "{\\"Version\\": \\"2012-10-17\\", \\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Action\\": \\"s3:GetObject\\", \\"Resource\\": \\"arn:aws:s3:::b/$\${ aws:username }/*\\"}]}"
}
`;
  assert.equal(fixedText({ '/m/quoted.tf': file }, '/m/quoted.tf', 'policy-variable-syntax', 'remove-space-in-variable'), `resource "aws_iam_role_policy" "q" {
  role   = "r"
  policy = "{\\"Version\\": \\"2012-10-17\\", \\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Action\\": \\"s3:GetObject\\", \\"Resource\\": \\"arn:aws:s3:::b/$\${aws:username}/*\\"}]}"
}
`);
});

test('a quoted string takes a fix\'s quotes escaped: add-version', () => {
  const file = `resource "aws_iam_role_policy" "q" {
  role   = "r"
  policy = "{\\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Action\\": \\"s3:GetObject\\", \\"Resource\\": \\"*\\"}]}"
}
`;
  assert.equal(fixedText({ '/m/quoted.tf': file }, '/m/quoted.tf', 'version-missing', 'add-version'), `resource "aws_iam_role_policy" "q" {
  role   = "r"
  policy = "{\\"Version\\": \\"2012-10-17\\", \\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Action\\": \\"s3:GetObject\\", \\"Resource\\": \\"*\\"}]}"
}
`);
});

test('text for a Terraform string: template markers doubled, a quoted string\'s escapes those HCL reads', () => {
  assert.equal(hclTemplateText('a${b}%{c}', false), 'a$${b}%%{c}');
  assert.equal(hclTemplateText('"x\\y"\b\f\n${v}', true), '\\"x\\\\y\\"\\u0008\\u000c\\n$${v}');
  // A `$` that ends the text before a `{` of the string starts no template either.
  assert.equal(hclTemplateText('a$', false, '{'), 'a$$');
  assert.equal(hclTemplateText('a$', false, 'b'), 'a$');
});

test('resource-star on a policy document block: resources = ["*"], a list as the argument takes', () => {
  const file = `data "aws_iam_policy_document" "k" {
  statement {
    actions = ["kms:*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
    resources = ["arn:aws:kms:us-east-1:111122223333:key/abc"]
  }
}
resource "aws_kms_key" "k" {
  policy = data.aws_iam_policy_document.k.json
}
`;
  assert.equal(fixedText({ '/m/main.tf': file }, '/m/main.tf', 'key-policy-resource-not-star', 'resource-star'), file.replace(
    'resources = ["arn:aws:kms:us-east-1:111122223333:key/abc"]',
    'resources = ["*"]',
  ));
});

test('keep-one-number on a condition block\'s values: values = ["20"], also for the second block of a test', () => {
  const file = `data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::b"]
    condition {
      test     = "StringEquals"
      variable = "s3:prefix"
      values   = ["home/"]
    }
    condition {
      test     = "NumericLessThan"
      variable = "aws:MultiFactorAuthAge"
      values   = ["3600"]
    }
    condition {
      test     = "NumericLessThan"
      variable = "s3:max-keys"
      values   = ["10", "20"]
    }
  }
}
resource "aws_iam_policy" "p" {
  policy = data.aws_iam_policy_document.p.json
}
`;
  assert.equal(fixedText({ '/m/main.tf': file }, '/m/main.tf', 'condition-value-type', 'keep-one-number'), file.replace('values   = ["10", "20"]', 'values   = ["20"]'));
});

test('remove-empty-sid on a policy document block: the sid line goes', () => {
  const file = `data "aws_iam_policy_document" "p" {
  statement {
    sid       = ""
    actions   = ["s3:PutObject"]
    resources = ["*"]
  }
}
resource "aws_iam_policy" "p" {
  policy = data.aws_iam_policy_document.p.json
}
`;
  assert.equal(fixedText({ '/m/main.tf': file }, '/m/main.tf', 'invalid-sid', 'remove-empty-sid'), file.replace('    sid       = ""\n', ''));
});

test('remove-redundant-action in a jsonencode list, one item a line: the removed item\'s line goes with its comment, the kept item keeps its own', () => {
  const file = `resource "aws_iam_role_policy" "p" {
  role = "r"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = [
        "s3:GetObject", # read objects
        "s3:GetObject", # duplicate
      ]
      Resource = "*"
    }]
  })
}
`;
  assert.equal(fixedText({ '/m/main.tf': file }, '/m/main.tf', 'redundant-action', 'remove-redundant-action'), file.replace('        "s3:GetObject", # duplicate\n', ''));
  // An item that starts its line with more after it goes with the separator that follows it; the comment above stays.
  const shared = file.replace('"s3:GetObject", # duplicate\n', '"s3:GetObject", "s3:PutObject" # write\n');
  assert.equal(fixedText({ '/m/main.tf': shared }, '/m/main.tf', 'redundant-action', 'remove-redundant-action'), file.replace('"s3:GetObject", # duplicate\n', '"s3:PutObject" # write\n'));
});
