/**
 * Fixes write the new lines they add with the file's line break: a file of `\r\n` lines stays
 * one (JSON, YAML and Terraform). Each case applies one fix and compares the whole text.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/engine';
import { applyEdits } from '../../support/fixture';
import { withHclParser } from '../../support/hcl';

withHclParser();

/** `lines` joined with `\r\n`. */
const crlf = (...lines: string[]) => lines.join('\r\n');

function fixed(file: string, text: string, fixId: string): string {
  const fix = checkText(file, text).findings.flatMap((f) => f.fixes ?? []).find((f) => f.id === fixId);
  assert.ok(fix, fixId);
  return applyEdits(text, fix.changes[0].edits);
}

test('JSON of \\r\\n lines: use-key-usage-actions writes its array one item a line with \\r\\n', () => {
  const text = crlf(
    '{',
    '  "Version": "2012-10-17",',
    '  "Statement": [',
    '    {"Sid": "Own", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},',
    '    {',
    '      "Effect": "Allow",',
    '      "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},',
    '      "Action": ["kms:Encrypt", "kms:*"],',
    '      "Resource": "*"',
    '    }',
    '  ]',
    '}',
    '',
  );
  assert.equal(fixed('key.json', text, 'use-key-usage-actions'), crlf(
    '{',
    '  "Version": "2012-10-17",',
    '  "Statement": [',
    '    {"Sid": "Own", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},',
    '    {',
    '      "Effect": "Allow",',
    '      "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},',
    '      "Action": [',
    '        "kms:Encrypt",',
    '        "kms:Decrypt",',
    '        "kms:ReEncrypt*",',
    '        "kms:GenerateDataKey*",',
    '        "kms:DescribeKey"',
    '      ],',
    '      "Resource": "*"',
    '    }',
    '  ]',
    '}',
    '',
  ));
});

test('YAML of \\r\\n lines: a value replaced by a block sequence, with \\r\\n', () => {
  const text = crlf(
    'Resources:',
    '  Key:',
    '    Type: AWS::KMS::Key',
    '    Properties:',
    '      KeyPolicy:',
    '        Version: "2012-10-17"',
    '        Statement:',
    '          - Sid: Own',
    '            Effect: Allow',
    '            Principal: {AWS: arn:aws:iam::111122223333:root}',
    '            Action: kms:*',
    '            Resource: "*"',
    '          - Effect: Allow',
    '            Principal:',
    '              AWS: arn:aws:iam::111122223333:role/App',
    '            Action: kms:*',
    '            Resource: "*"',
    '',
  );
  assert.equal(fixed('stack.yaml', text, 'use-key-usage-actions'), crlf(
    'Resources:',
    '  Key:',
    '    Type: AWS::KMS::Key',
    '    Properties:',
    '      KeyPolicy:',
    '        Version: "2012-10-17"',
    '        Statement:',
    '          - Sid: Own',
    '            Effect: Allow',
    '            Principal: {AWS: arn:aws:iam::111122223333:root}',
    '            Action: kms:*',
    '            Resource: "*"',
    '          - Effect: Allow',
    '            Principal:',
    '              AWS: arn:aws:iam::111122223333:role/App',
    '            Action:',
    '              - kms:Encrypt',
    '              - kms:Decrypt',
    '              - kms:ReEncrypt*',
    '              - kms:GenerateDataKey*',
    '              - kms:DescribeKey',
    '            Resource: "*"',
    '',
  ));
});

test('Terraform of \\r\\n lines: use-key-usage-actions in a jsonencode list written one item a line, with \\r\\n', () => {
  const text = crlf(
    'resource "aws_kms_key" "k" {',
    '  policy = jsonencode({',
    '    Version = "2012-10-17"',
    '    Statement = [',
    '      { Sid = "Own", Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "kms:*", Resource = "*" },',
    '      {',
    '        Effect    = "Allow"',
    '        Principal = { AWS = "arn:aws:iam::111122223333:role/App" }',
    '        Action = [',
    '          "kms:*",',
    '        ]',
    '        Resource  = "*"',
    '      },',
    '    ]',
    '  })',
    '}',
    '',
  );
  assert.equal(fixed('main.tf', text, 'use-key-usage-actions'), text.replace('          "kms:*",\r\n', [
    '          "kms:Encrypt",',
    '          "kms:Decrypt",',
    '          "kms:ReEncrypt*",',
    '          "kms:GenerateDataKey*",',
    '          "kms:DescribeKey",',
    '',
  ].join('\r\n')));
});
