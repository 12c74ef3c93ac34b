/**
 * The same policy written four ways (a bare JSON file, `jsonencode`, a heredoc, an
 * `aws_iam_policy_document` block) gives the same findings: check, severity, message, and the
 * same text under each value-level finding.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/engine';
import { withHclParser } from '../../support/hcl';

withHclParser();

const JSON_TEXT = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "UseKey",
      "Effect": "Allow",
      "Action": ["kms:Decrpyt", "kms:Encrypt"],
      "Resource": "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      "Condition": {"StringEqualz": {"kms:ViaService": "s3.us-west-2.amazonaws.com"}}
    },
    {
      "Sid": "UseKey",
      "Effect": "Allow",
      "Action": "kms:Encrypt*",
      "Resource": "arn:aws:s3:::bucket",
      "Condition": {"StringEquals": {"kms:ViaServce": "s3.us-west-2.amazonaws.com"}}
    }
  ]
}
`;

const JSONENCODE = `resource "aws_iam_policy" "p" {
  name = "use-key"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "UseKey"
        Effect    = "Allow"
        Action    = ["kms:Decrpyt", "kms:Encrypt"]
        Resource  = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        Condition = { StringEqualz = { "kms:ViaService" = "s3.us-west-2.amazonaws.com" } }
      },
      {
        Sid       = "UseKey"
        Effect    = "Allow"
        Action    = "kms:Encrypt*"
        Resource  = "arn:aws:s3:::bucket"
        Condition = { StringEquals = { "kms:ViaServce" = "s3.us-west-2.amazonaws.com" } }
      },
    ]
  })
}
`;

const HEREDOC = `resource "aws_iam_policy" "p" {
  name   = "use-key"
  policy = <<-POLICY
${JSON_TEXT.split('\n').map((l) => (l ? '    ' + l : l)).join('\n')}  POLICY
}
`;

const POLICY_DOCUMENT = `data "aws_iam_policy_document" "p" {
  statement {
    sid       = "UseKey"
    actions   = ["kms:Decrpyt", "kms:Encrypt"]
    resources = ["arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
    condition {
      test     = "StringEqualz"
      variable = "kms:ViaService"
      values   = ["s3.us-west-2.amazonaws.com"]
    }
  }
  statement {
    sid       = "UseKey"
    actions   = ["kms:Encrypt*"]
    resources = ["arn:aws:s3:::bucket"]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaServce"
      values   = ["s3.us-west-2.amazonaws.com"]
    }
  }
}
resource "aws_iam_policy" "p" {
  name   = "use-key"
  policy = data.aws_iam_policy_document.p.json
}
`;

/** Findings as [check, severity, message, text under the span when it is one value]. */
function summary(file: string, text: string): string[][] {
  return checkText(file, text).findings
    .map((f) => {
      const under = text.slice(f.span.offset, f.span.offset + f.span.length);
      return [f.checkId, f.severity, f.message, /^[\w:*"-]+$/.test(under) ? under.replace(/"/g, '') : '(statement)'];
    })
    .sort((a, b) => a.join('|').localeCompare(b.join('|')));
}

test('a policy in JSON, jsonencode, a heredoc and a policy document block gives the same findings', () => {
  const expected = summary('/w/policy.json', JSON_TEXT);
  assert.deepEqual(expected.map((f) => [f[0], f[3]]), [
    ['duplicate-sid', 'UseKey'],
    ['resource-type-mismatch', 'arn:aws:s3:::bucket'],
    ['unknown-action', 'Decrpyt'],
    ['unknown-condition-key', 'kms:ViaServce'],
    ['unknown-condition-operator', 'StringEqualz'],
  ]);
  assert.deepEqual(summary('/w/jsonencode.tf', JSONENCODE), expected, 'jsonencode');
  assert.deepEqual(summary('/w/heredoc.tf', HEREDOC), expected, 'heredoc');
  assert.deepEqual(summary('/w/document.tf', POLICY_DOCUMENT), expected, 'aws_iam_policy_document');
});
