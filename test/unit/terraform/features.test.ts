/** Editor features on Terraform files: hover and completion read the nodes built from HCL as they read JSON ones. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { hoverAt } from '../../../server/src/core/features/hover';
import { completionsAt } from '../../../server/src/core/features/completion';
import { toValue } from '../../../server/src/core/json/nodes';
import { parseHcl } from '../../../server/src/core/sources/hcl/hclSyntax';
import { repoRoot } from '../../support/corpus';
import { atCursor } from '../features/cursor';
import { withHclParser } from '../../support/hcl';

withHclParser();

const root = path.join(repoRoot, 'examples', 'terraform');
const KEY = path.join(root, 'security', 'key.tf');
const ROLES = path.join(root, 'workloads', 'roles.tf');

function workspace(): Workspace {
  const ws = new Workspace();
  for (const f of [path.join(root, 'policy-handshake.json'), KEY, ROLES]) ws.updateFile(f, fs.readFileSync(f, 'utf8'));
  return ws;
}

test('hover: the trusted account principal of a jsonencode key policy, an action of a policy document block', () => {
  const ws = workspace();
  const key = ws.text(KEY)!;
  const principal = hoverAt(ws, KEY, key.indexOf('arn:aws:iam::${var.workloads_account_id}:root') + 3)!;
  assert.match(principal.markdown, /^\*\*Account principal\*\* of `345678901234` \(workloads\)/);
  const roles = ws.text(ROLES)!;
  const action = hoverAt(ws, ROLES, roles.indexOf('"kms:Decrypt"') + 6)!;
  assert.match(action.markdown, /^\*\*kms:Decrypt\*\* — Write/);
});

test('completion: actions inside an actions = [...] list of a policy document block', () => {
  const ws = workspace();
  const roles = ws.text(ROLES)!;
  const items = completionsAt(ws, ROLES, roles.indexOf('"kms:Decrypt"') + 5)!.items.map((i) => i.insertText);
  assert.ok(items.includes('kms:Decrypt') || items.includes('Decrypt'), items.slice(0, 5).join(', '));
  assert.ok(items.includes('kms:*'));
});

/** The file with the entry written over the span completion replaces (a snippet's tab stop filled with `fill`). */
function applyEntry(text: string, replace: { offset: number; length: number }, insert: string, fill = ''): string {
  return text.slice(0, replace.offset) + insert.replace(/\$\{1:[^}]*\}/, fill) + text.slice(replace.offset + replace.length);
}

/** The HCL parse of a text has no error node. */
function validHcl(text: string): boolean {
  const broken = (n: { type: string; broken?: boolean; children: unknown[] }): boolean => n.type === 'ERROR' || !!n.broken || (n.children as typeof n[]).some(broken);
  return !broken(parseHcl(text) as never);
}

// A condition key with a placeholder completes as a snippet: its `${1:key}` is a tab stop the
// editor replaces, not text written into the file, so it is sent as it is in every Terraform form
// (escaped as `$${…}` it would leave a `$` in the key).
const TEMPLATE_FORMS: [string, string][] = [
  ['heredoc', `resource "aws_iam_policy" "p" {
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::reports/$\${aws:username}/*",
      "Condition": { "StringEquals": { "$0": "finance" } }
    }
  ]
}
EOF
}
`],
  ['quoted string', `resource "aws_iam_policy" "p" {
  policy = "{\\"Version\\": \\"2012-10-17\\", \\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Action\\": \\"s3:GetObject\\", \\"Resource\\": \\"arn:aws:s3:::reports/*\\", \\"Condition\\": {\\"StringEquals\\": {\\"$0\\": \\"finance\\"}}}]}"
}
`],
  ['jsonencode', `resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::reports/*"
      Condition = { StringEquals = { "$0" = "finance" } }
    }]
  })
}
`],
  ['policy document block', `data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::reports/*"]
    condition {
      test     = "StringEquals"
      variable = "$0"
      values   = ["finance"]
    }
  }
}

resource "aws_iam_policy" "p" {
  policy = data.aws_iam_policy_document.p.json
}
`],
];

test('completion of a condition key with a placeholder in a Terraform heredoc, quoted string, jsonencode and policy document block: a snippet whose tab stop is sent as it is; filled in, the key reads back', () => {
  for (const [name, marked] of TEMPLATE_FORMS) {
    const { ws, path, text, offset } = atCursor(marked, { path: '/m/p.tf' });
    const c = completionsAt(ws, path, offset)!;
    assert.ok(c, name);
    const entry = c.items.find((i) => i.label === 'aws:ResourceTag/${TagKey}')!;
    assert.deepEqual([entry.insertText, entry.snippet], ['aws:ResourceTag/${1:key}', true], name);
    const filled = applyEntry(text, c.replace, entry.insertText!, 'CostCenter');
    assert.ok(validHcl(filled), `${name}:\n${filled}`);
    const again = new Workspace();
    again.updateFile(path, filled);
    const doc = again.discovered(path)!.documents[0];
    const keys = (toValue(doc.root) as { Statement: { Condition: Record<string, Record<string, unknown>> }[] }).Statement[0].Condition.StringEquals;
    assert.deepEqual(Object.keys(keys), ['aws:ResourceTag/CostCenter'], name);
  }
});

test('completion of a new member of a jsonencode object: HCL Name = (a condition key quoted), with no comma starting a line', () => {
  const statement = (members: string) => `resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [${members}]
  })
}
`;
  const complete = (marked: string) => {
    const { ws, path, text, offset } = atCursor(marked, { path: '/m/p.tf' });
    const c = completionsAt(ws, path, offset)!;
    return { text, c };
  };
  // A member on a line of its own: a line break separates it from the others.
  const multiLine = complete(statement(`{
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = "arn:aws:s3:::reports/*"
      $0
    }`));
  assert.deepEqual(multiLine.c.items.map((i) => i.insertText), ['Sid = ', 'Condition = ']);
  const withSid = applyEntry(multiLine.text, multiLine.c.replace, 'Sid = "Reports"');
  assert.equal(withSid, statement(`{
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = "arn:aws:s3:::reports/*"
      Sid = "Reports"
    }`));
  assert.ok(validHcl(withSid));
  // A statement on one line: a comma after the member before it.
  const oneLine = complete(statement('{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::reports/*"$0 }'));
  assert.deepEqual(oneLine.c.items.map((i) => i.insertText), [', Sid = ', ', Condition = ']);
  // Condition keys are quoted; a placeholder stays a snippet's tab stop.
  const keys = complete(statement('{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::reports/*", Condition = { StringEquals = { $0 } } }'));
  const entry = (label: string) => keys.c.items.find((i) => i.label === label)!;
  assert.deepEqual([entry('aws:SourceAccount').insertText, entry('aws:ResourceTag/${TagKey}').insertText, entry('aws:ResourceTag/${TagKey}').snippet], ['"aws:SourceAccount" = ', '"aws:ResourceTag/${1:key}" = ', true]);
  const tagged = applyEntry(keys.text, keys.c.replace, `${entry('aws:ResourceTag/${TagKey}').insertText!}"finance"`, 'CostCenter');
  assert.equal(tagged, statement('{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::reports/*", Condition = { StringEquals = { "aws:ResourceTag/CostCenter" = "finance" } } }'));
  assert.ok(validHcl(tagged));
});
