/**
 * The Terraform reader: policies in `jsonencode`, heredoc and quoted JSON, and
 * `aws_iam_policy_document` blocks, as JSON nodes with ranges in the `.tf` text; values that
 * resolve from the module and the manifest's binding, unknown values, half-typed input.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { discover } from '../../../server/src/core/sources/discover';
import { checkText } from '../../../server/src/core/engine';
import { toValue } from '../../../server/src/core/json/nodes';
import { setHclParser } from '../../../server/src/core/sources/hcl/hclSyntax';
import { loadHclParser } from '../../../server/src/runtime/hclParser';
import type { PolicyDocument } from '../../../server/src/core/model/policyDocument';
import { withHclParser } from '../../support/hcl';

withHclParser();

/** The document's nodes as plain values. */
const value = (d: PolicyDocument) => JSON.parse(JSON.stringify(toValue(d.root)));
/** The file text a node of a document covers. */
const at = (text: string, d: PolicyDocument, offset: number, length: number) => text.slice(d.toFileOffset(offset), d.toFileOffset(offset + length));

const JSONENCODE = `variable "other" {
  default = "444455556666"
}
resource "aws_kms_key" "k" {
  policy = jsonencode({
    Version = "2012-10-17"
    "Statement" = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::\${var.other}:root" }
      Action    = ["kms:Decrypt", var.extra_action]
      Resource  = "*"
      Condition = { StringEquals = { "kms:ViaService" = "s3.\${data.aws_region.current.name}.amazonaws.com" } }
    }]
  })
}
`;

test('jsonencode: objects, tuples and literals become JSON nodes on their HCL ranges; references resolve or are unknown', () => {
  const d = discover('/m/main.tf', JSONENCODE);
  assert.equal(d.shape, 'terraform');
  assert.equal(d.documents.length, 1);
  const doc = d.documents[0];
  assert.equal(doc.kind, 'kms-key-policy');
  assert.equal(doc.owner.label, 'aws_kms_key.k');
  assert.deepEqual(value(doc), {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::444455556666:root' },
      Action: ['kms:Decrypt', { 'Fn::Terraform': 'var.extra_action' }],
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Terraform': '"s3.${data.aws_region.current.name}.amazonaws.com"' } } },
    }],
  });
  const st = doc.root.children![1].children![1].children![0];
  assert.equal(at(JSONENCODE, doc, st.offset, st.length).split('\n')[0], '{');
  const principal = st.children![1].children![1].children![0].children![1];
  assert.equal(at(JSONENCODE, doc, principal.offset, principal.length), '"arn:aws:iam::${var.other}:root"');
  const actionKey = st.children![2].children![0];
  assert.equal(at(JSONENCODE, doc, actionKey.offset, actionKey.length), 'Action');
});

test('the binding resolves the account, region and variables; locals resolve where literal', () => {
  const text = `locals {
  admin = "arn:aws:iam::\${data.aws_caller_identity.current.account_id}:role/Admin"
}
resource "aws_kms_key" "k" {
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { AWS = [local.admin, "arn:aws:iam::\${var.other}:root"] }, Action = "kms:*", Resource = "*",
      Condition = { StringEquals = { "kms:ViaService" = "s3.\${data.aws_region.current.name}.amazonaws.com", "aws:SourceArn" = "arn:\${data.aws_partition.current.partition}:s3:::b" } } }]
  })
}
`;
  const d = discover('/m/main.tf', text, { template: { account: '111122223333', region: 'eu-west-1', parameters: { other: '444455556666' } } });
  const doc = d.documents[0];
  assert.equal(doc.owner.account, '111122223333');
  assert.equal(doc.owner.region, 'eu-west-1');
  assert.deepEqual(value(doc).Statement[0].Principal, { AWS: ['arn:aws:iam::111122223333:role/Admin', 'arn:aws:iam::444455556666:root'] });
  assert.deepEqual(value(doc).Statement[0].Condition, { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com', 'aws:SourceArn': 'arn:aws:s3:::b' } });
});

test('heredoc and quoted JSON strings: ranges inside them map to the file; interpolations resolve or are unknown', () => {
  const text = `variable "other" {
  default = "444455556666"
}
resource "aws_iam_role" "r" {
  name = "App"
  path = "/svc/"
  assume_role_policy = <<-EOT
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::\${var.other}:root"}, "Action": "sts:AssumeRole",
      "Resource": \${jsonencode(var.arns)}}]}
  EOT
}
resource "aws_iam_role_policy" "p" {
  role   = aws_iam_role.r.id
  policy = "{\\"Version\\": \\"2012-10-17\\", \\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Action\\": \\"kms:Decrypt\\", \\"Resource\\": \\"\${aws_kms_key.k.arn}\\"}]}"
}
`;
  const d = discover('/m/main.tf', text, { template: { account: '111122223333' } });
  assert.equal(d.documents.length, 2);
  const [trust, inline] = d.documents;
  assert.equal(trust.kind, 'iam-trust-policy');
  assert.deepEqual(trust.owner.principals, ['arn:aws:iam::111122223333:role/svc/App']);
  assert.equal(trust.embedded, false);
  const tv = value(trust);
  assert.deepEqual(tv.Statement[0].Principal, { AWS: 'arn:aws:iam::444455556666:root' });
  assert.deepEqual(tv.Statement[0].Resource, { 'Fn::Terraform': '${jsonencode(var.arns)}' });
  const action = trust.root.children![1].children![1].children![0].children![2].children![1];
  assert.equal(at(text, trust, action.offset, action.length), '"sts:AssumeRole"');

  assert.equal(inline.kind, 'iam-identity-policy');
  assert.equal(inline.embedded, true);
  assert.deepEqual(inline.owner.principals, ['arn:aws:iam::111122223333:role/svc/App']);
  const iv = value(inline);
  assert.deepEqual(iv.Statement[0].Resource, { 'Fn::Terraform': '${aws_kms_key.k.arn}' });
  const ia = inline.root.children![1].children![1].children![0].children![1].children![1];
  assert.equal(at(text, inline, ia.offset, ia.length), '\\"kms:Decrypt\\"');
});

test('Terraform\'s escapes for a policy variable: $${…} in a heredoc or a quoted string, &{…} in a policy document block, read as ${…}', () => {
  const text = `resource "aws_iam_policy" "h" {
  name   = "h"
  policy = <<EOT
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/home/$\${aws:username}/*"}]}
EOT
}
resource "aws_iam_policy" "q" {
  name   = "q"
  policy = "{\\"Version\\": \\"2012-10-17\\", \\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Action\\": \\"s3:GetObject\\", \\"Resource\\": \\"arn:aws:s3:::b/$\${aws:username}/%%{x}\\"}]}"
}
data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::b/home/&{aws:username}/*"]
  }
}
resource "aws_iam_policy" "d" {
  name   = "d"
  policy = data.aws_iam_policy_document.d.json
}
`;
  const d = discover('/m/main.tf', text, {});
  assert.deepEqual(d.documents.map((x) => value(x).Statement[0].Resource), [
    'arn:aws:s3:::b/home/\${aws:username}/*',
    'arn:aws:s3:::b/\${aws:username}/%{x}',
    ['arn:aws:s3:::b/home/\${aws:username}/*'],
  ]);
  // The node of the rendered value still covers the HCL text it comes from.
  const r = d.documents[0].root.children![1].children![1].children![0].children![2].children![1];
  assert.equal(at(text, d.documents[0], r.offset, r.length), '"arn:aws:s3:::b/home/$\${aws:username}/*"');
  // With variables, no finding calls them literal text.
  assert.deepEqual(checkText('/m/main.tf', text).findings.filter((f) => f.checkId === 'invalid-arn' || f.checkId.startsWith('version-')).map((f) => f.checkId), []);
});

const POLICY_DOCUMENT = `data "aws_iam_policy_document" "key" {
  statement {
    sid     = "Share"
    actions = ["kms:Decrypt", "kms:Encrypt"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::444455556666:root"]
    }
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::777788889999:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.us-west-2.amazonaws.com"]
    }
  }
  statement {
    effect      = "Deny"
    not_actions = ["kms:Describe*"]
    resources   = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
  dynamic "statement" {
    for_each = var.extra
    content {
      actions = ["kms:*"]
    }
  }
}
resource "aws_kms_key" "k" {
  policy = data.aws_iam_policy_document.key.json
}
`;

test('aws_iam_policy_document: the rendered policy, each node on the HCL it comes from; dynamic blocks are left out', () => {
  const d = discover('/m/main.tf', POLICY_DOCUMENT);
  assert.equal(d.documents.length, 1);
  const doc = d.documents[0];
  assert.equal(doc.kind, 'kms-key-policy');
  assert.equal(doc.owner.label, 'aws_kms_key.k');
  assert.deepEqual(value(doc), {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Share', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt'], Resource: ['*'],
        Principal: { AWS: ['arn:aws:iam::444455556666:root', 'arn:aws:iam::777788889999:root'] },
        Condition: { StringEquals: { 'kms:ViaService': ['s3.us-west-2.amazonaws.com'] } },
      },
      { Effect: 'Deny', NotAction: ['kms:Describe*'], Resource: ['*'], Principal: '*' },
      { 'Fn::Terraform': POLICY_DOCUMENT.slice(POLICY_DOCUMENT.indexOf('dynamic'), POLICY_DOCUMENT.indexOf('\n}\nresource')) },
    ],
  });
  const statements = doc.root.children![1].children![1].children!;
  assert.ok(at(POLICY_DOCUMENT, doc, statements[0].offset, statements[0].length).startsWith('statement {\n    sid     = "Share"'));
  assert.ok(at(POLICY_DOCUMENT, doc, statements[1].offset, statements[1].length).endsWith('identifiers = ["*"]\n    }\n  }'));
  const effect = statements[0].children!.find((p) => p.children![0].value === 'Effect')!;
  assert.equal(at(POLICY_DOCUMENT, doc, effect.offset, effect.length), 'statement', 'the default Allow is on the statement keyword');
  const viaKey = statements[0].children!.find((p) => p.children![0].value === 'Condition')!.children![1].children![0].children![1].children![0].children![0];
  assert.equal(at(POLICY_DOCUMENT, doc, viaKey.offset, viaKey.length), '"kms:ViaService"');
});

test('half-typed HCL: a policy holding a syntax error is not read (one file-skipped finding says so), the others are, and nothing throws', () => {
  const text = `resource "aws_iam_policy" "ok" {
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "kms:Decrpyt", Resource = "*" }] })
}
resource "aws_iam_policy" "typing" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["kms:Decrpyt", }] })
}
`;
  const r = checkText('/m/main.tf', text);
  assert.deepEqual(r.discovered!.documents.map((d) => d.owner.label), ['aws_iam_policy.ok']);
  assert.deepEqual(r.findings.map((f) => [f.checkId, text.slice(f.span.offset, f.span.offset + f.span.length)]), [
    ['file-skipped', '{ Statement = [{ Effect = "Allow", Action = ["kms:Decrpyt", }] }'],
    ['unknown-action', 'Decrpyt'],
  ]);
  assert.equal(r.findings[1].span.offset, text.indexOf('Decrpyt'));
  for (let cut = 0; cut <= POLICY_DOCUMENT.length; cut += 7) checkText('/m/main.tf', POLICY_DOCUMENT.slice(0, cut));
});

/** 1-based line and column of an offset, as an editor shows them. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

test('a policy whose HCL does not parse: one file-skipped finding at the first error in it, once for a local two resources use; errors outside policies are not reported', () => {
  const text = `locals {
  shared = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = ["s3:GetObject", } }] })
}
resource "aws_iam_role_policy" "a" {
  role   = "a"
  policy = local.shared
}
resource "aws_iam_role_policy" "b" {
  role   = "b"
  policy = local.shared
}
data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"
  }
}
resource "aws_s3_bucket" "x" {
  bucket = "x" +
}
resource "aws_iam_policy" "ok" {
  name   = "ok"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:GetObjekt", Resource = "*" }] })
}
`;
  const r = checkText('/m/main.tf', text);
  assert.deepEqual(r.findings.map((f) => [f.checkId, f.severity, lineColumn(text, f.span.offset), text.slice(f.span.offset, f.span.offset + f.span.length), f.message]), [
    // A missing token: on the character it is missing before.
    ['file-skipped', 'info', '2:108', '}', 'This policy is not checked: its HCL does not parse here. Fix the syntax, and aws_iam_role_policy.a is checked.'],
    ['file-skipped', 'info', '16:3', '}', 'This policy is not checked: its HCL does not parse here. Fix the syntax, and data.aws_iam_policy_document.d is checked.'],
    ['unknown-action', 'error', '23:95', 'GetObjekt', 'Unknown action "GetObjekt" in s3: did you mean "GetObject"?'],
  ]);
  assert.deepEqual(r.discovered!.documents.map((d) => d.owner.label), ['aws_iam_policy.ok']);
});

test('a JSON string that is not valid JSON is a syntax finding inside it', () => {
  const text = `resource "aws_iam_policy" "p" {
  policy = <<EOF
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow" "Action": "kms:Decrypt", "Resource": "*"}]}
EOF
}
`;
  const r = checkText('/m/main.tf', text);
  const syntax = r.findings.filter((f) => f.checkId === 'json-syntax');
  assert.equal(syntax.length, 1);
  assert.equal(syntax[0].span.offset, text.indexOf('"Action"'));
});

test('without a parser, .tf files give no documents and no findings', async () => {
  setHclParser(undefined);
  try {
    const r = checkText('/m/main.tf', JSONENCODE);
    assert.deepEqual(r.discovered!.documents, []);
    assert.deepEqual(r.findings, []);
  } finally {
    setHclParser(await loadHclParser());
  }
});

test('fixes in HCL: replacing a value is kept, the Version is added in HCL, other JSON structure written into HCL is not offered', () => {
  const text = `resource "aws_iam_policy" "p" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "kms:Decrpyt", Resource = "*" }] })
}
`;
  const r = checkText('/m/main.tf', text);
  const apply = (edits: { offset: number; length: number; newText: string }[]) => edits.reduceRight((t, e) => t.slice(0, e.offset) + e.newText + t.slice(e.offset + e.length), text);
  const typo = r.findings.find((f) => f.checkId === 'unknown-action')!;
  const fixed = apply(typo.fixes![0].changes[0].edits);
  assert.ok(fixed.includes('Action = "kms:Decrypt"'), fixed);
  const version = r.findings.find((f) => f.checkId === 'version-missing')!;
  assert.ok(apply(version.fixes![0].changes[0].edits).includes('policy = jsonencode({ Version = "2012-10-17", Statement = ['));
  // A principal written as a string is put in an object: JSON structure with no HCL writer, not offered in jsonencode, offered in JSON.
  const key = (principal: string) => `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${'111122223333'}:root"}, "Action": "kms:*", "Resource": "*"}, {"Effect": "Allow", "Principal": ${principal}, "Action": "kms:Decrypt", "Resource": "*"}]}`;
  const hcl = (principal: string) => `resource "aws_kms_key" "k" {\n  policy = jsonencode(${key(principal).replace(/"(\w+)": /g, '$1 = ').replace(/"AWS" = /, 'AWS = ')})\n}\n`;
  const stringPrincipal = checkText('/m/key.tf', hcl('"arn:aws:iam::444455556666:root"')).findings.find((f) => f.checkId === 'invalid-principal')!;
  assert.equal(stringPrincipal.fixes, undefined);
  const json = checkText('/m/key.json', key('"arn:aws:iam::444455556666:root"'));
  assert.ok(json.findings.find((f) => f.checkId === 'invalid-principal')!.fixes!.length > 0);
  // The source condition for a service principal has its HCL writer: offered in jsonencode as HCL.
  const tf = hcl('{ Service = "logs.amazonaws.com" }');
  const deputy = checkText('/m/key.tf', tf).findings.find((f) => f.checkId === 'service-principal-without-source')!;
  assert.equal(deputy.fixes!.length, 1);
  const withSource = deputy.fixes![0].changes[0].edits.reduceRight((t, e) => t.slice(0, e.offset) + e.newText + t.slice(e.offset + e.length), tf);
  assert.equal(withSource, tf.replace('Action = "kms:Decrypt", Resource = "*"}]})', `Action = "kms:Decrypt", Resource = "*", Condition = {
    StringEquals = {
      "aws:SourceAccount" = "111122223333"
    }
  } }]})`));
  // Read again: the condition is there and the finding gone.
  const again = checkText('/m/key.tf', withSource);
  assert.deepEqual(again.findings.map((f) => f.checkId), []);
  assert.equal(JSON.stringify((toValue(again.discovered!.documents[0].root) as { Statement: { Condition?: unknown }[] }).Statement[1].Condition), '{"StringEquals":{"aws:SourceAccount":"111122223333"}}');
});

test('mutated HCL (characters deleted, duplicated, swapped) never throws and never reports outside the text', () => {
  const texts = [JSONENCODE, POLICY_DOCUMENT];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  for (const base of texts) {
    for (let round = 0; round < 150; round++) {
      const chars = base.split('');
      for (let k = 0; k < 3; k++) {
        const i = next() % chars.length;
        const op = next() % 3;
        if (op === 0) chars.splice(i, 1);
        else if (op === 1) chars.splice(i, 0, chars[i]);
        else [chars[i], chars[(i + 1) % chars.length]] = [chars[(i + 1) % chars.length], chars[i]];
      }
      const text = chars.join('');
      const r = checkText('/m/main.tf', text, { binding: { template: { account: '111122223333', region: 'us-west-2' } } });
      for (const f of r.findings) {
        assert.notEqual(f.checkId, 'internal-error', `${f.message}\n${text}`);
        assert.ok(f.span.offset >= 0 && f.span.offset + f.span.length <= text.length, text);
      }
    }
  }
});

test('source and override documents of the same file are merged: by Sid, sources first, overrides last', () => {
  const text = `data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Read"
    actions   = ["kms:Decrypt"]
    resources = ["*"]
  }
  statement {
    sid       = "Describe"
    actions   = ["kms:DescribeKey"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "override" {
  statement {
    sid       = "Read"
    actions   = ["kms:Decrypt", "kms:Encrypt"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "combined" {
  source_policy_documents   = [data.aws_iam_policy_document.base.json]
  override_policy_documents = [data.aws_iam_policy_document.override.json]
  statement {
    sid       = "Describe"
    actions   = ["kms:ListAliases"]
    resources = ["*"]
  }
  statement {
    actions   = ["kms:GenerateDataKey"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "elsewhere" {
  source_policy_documents = [var.extra_json]
  statement {
    actions   = ["kms:Sign"]
    resources = ["*"]
  }
}
resource "aws_iam_policy" "p" {
  policy = data.aws_iam_policy_document.combined.json
}
`;
  const d = discover('/m/main.tf', text);
  // base and override are merged into combined, which a resource uses: they are not checked twice.
  assert.deepEqual(d.documents.map((x) => x.owner.label), ['aws_iam_policy.p', 'data.aws_iam_policy_document.elsewhere']);
  const combined = d.documents.find((x) => x.owner.label === 'aws_iam_policy.p')!;
  assert.deepEqual(value(combined).Statement.map((s: { Sid?: string; Action: string[] }) => [s.Sid, s.Action]), [
    ['Read', ['kms:Decrypt', 'kms:Encrypt']],
    ['Describe', ['kms:ListAliases']],
    [undefined, ['kms:GenerateDataKey']],
  ]);
  const read = combined.root.children![1].children![1].children![0];
  assert.ok(at(text, combined, read.offset, read.length).includes('"kms:Encrypt"'), 'the override statement keeps its own range');
  const elsewhere = d.documents.find((x) => x.owner.label === 'data.aws_iam_policy_document.elsewhere')!;
  assert.deepEqual(value(elsewhere).Statement, [
    { Effect: 'Allow', Action: ['kms:Sign'], Resource: ['*'] },
    { 'Fn::Terraform': 'source_policy_documents = [var.extra_json]' },
  ]);
});

test('documents that merge each other (a cycle, a dense web) are read in bounded time', () => {
  const n = 30;
  const refs = Array.from({ length: n }, (_, i) => `data.aws_iam_policy_document.d${i}.json`).join(', ');
  const text = Array.from({ length: n }, (_, i) => `data "aws_iam_policy_document" "d${i}" {
  source_policy_documents = [${refs}]
  statement {
    actions   = ["kms:Decrypt"]
    resources = ["*"]
  }
}
`).join('');
  const d = discover('/m/main.tf', text);
  // No resource uses them: each is checked as itself.
  assert.equal(d.documents.length, n);
});

test('a number where principals { identifiers } takes a list of strings: a schema finding on the number, not a crash or a dropped principal', () => {
  for (const identifiers of ['3', '[3]', '["arn:aws:iam::111122223333:root", 3]']) {
    const text = `data "aws_iam_policy_document" "key" {
  statement {
    actions   = ["kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ${identifiers}
    }
  }
}

resource "aws_kms_key" "k" {
  policy = data.aws_iam_policy_document.key.json
}
`;
    const r = checkText('/m/key.tf', text);
    const [doc] = r.discovered!.documents;
    assert.deepEqual(value(doc).Statement[0].Principal, { AWS: JSON.parse(identifiers) }, identifiers);
    const schema = r.findings.filter((f) => f.checkId === 'schema' || f.checkId === 'internal-error');
    assert.deepEqual(schema.map((f) => [f.checkId, text.slice(f.span.offset, f.span.offset + f.span.length), f.message]), [
      ['schema', '3', identifiers === '3' ? 'Principal AWS is not valid: it must be a string or an array of strings.' : 'Each entry of Principal AWS is not valid: it must be a string.'],
    ], identifiers);
  }
});

test('an argument a statement block does not take (action for actions) is a schema finding on its name, with the fix that renames it in HCL', () => {
  const text = `data "aws_iam_policy_document" "trust" {
  statement {
    action = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"]
    }
    colour = "blue"
  }
}
`;
  const r = checkText('/m/trust.tf', text);
  const schema = r.findings.filter((f) => f.checkId === 'schema');
  assert.deepEqual(schema.map((f) => [text.slice(f.span.offset, f.span.offset + f.span.length), f.message]), [
    ['action', 'A statement block has no argument "action": did you mean "actions"? Terraform rejects it, and the policy is read without it.'],
    ['colour', 'A statement block has no argument "colour": it takes sid, effect, actions, not_actions, resources, not_resources, principals, not_principals or condition.'],
  ]);
  const [rename] = schema[0].fixes!;
  assert.equal(rename.title, 'Change to actions');
  const edits = rename.changes[0].edits;
  const fixed = edits.reduceRight((t, e) => t.slice(0, e.offset) + e.newText + t.slice(e.offset + e.length), text);
  assert.ok(fixed.includes('    actions = ["sts:AssumeRoleWithWebIdentity"]'), fixed);
  // Read again: the statement has its action, is a trust policy by its content, and its GitHub provider has no sub condition.
  const again = checkText('/m/trust.tf', fixed.replace('    colour = "blue"\n', ''));
  assert.deepEqual(again.findings.map((f) => f.checkId), ['oidc-trust-condition']);
  assert.deepEqual(value(again.discovered!.documents[0]).Statement[0].Action, ['sts:AssumeRoleWithWebIdentity']);
});

/** An identity policy document block whose one statement holds `body` (four-space indented). */
const identityBlock = (body: string) => `data "aws_iam_policy_document" "use" {
  statement {
${body.replace(/^/gm, '    ')}
  }
}

resource "aws_iam_policy" "use" {
  name   = "use"
  policy = data.aws_iam_policy_document.use.json
}
`;

const schemaFindings = (text: string) => checkText('/m/use.tf', text).findings
  .filter((f) => f.checkId === 'schema' || f.checkId === 'internal-error' || f.checkId === 'empty-array')
  .map((f) => [f.checkId, text.slice(f.span.offset, f.span.offset + f.span.length), f.message]);

test('a statement block Terraform rejects: one schema finding at the argument or nested block, never a crash', () => {
  const listArgs = 'actions   = ["kms:Decrypt"]\nresources = ["*"]';
  const condition = (args: string) => `${listArgs}\ncondition {\n${args.replace(/^/gm, '  ')}\n}`;
  const principals = (args: string) => `${listArgs}\nprincipals {\n${args.replace(/^/gm, '  ')}\n}`;
  const cases: [string, string, string][] = [
    ['actions = "kms:Decrypt"\nresources = ["*"]', '"kms:Decrypt"', 'actions is not valid: it must be a list of strings: put the value in brackets.'],
    ['actions = ["kms:Decrypt"]\nresources = "*"', '"*"', 'resources is not valid: it must be a list of strings: put the value in brackets.'],
    ['effect = "Maybe"\n' + listArgs, '"Maybe"', 'Effect is not valid: it must be "Allow" or "Deny".'],
    [condition('test     = "StringEquals"\nvariable = "aws:PrincipalTag/team"\nvalues   = 5'), '5', 'values is not valid: it must be a list of strings: put the value in brackets.'],
    [condition('test     = "StringEquals"\nvariable = "aws:PrincipalTag/team"\nvalues   = "blue"'), '"blue"', 'values is not valid: it must be a list of strings: put the value in brackets.'],
    [condition('variable = "aws:PrincipalTag/team"\nvalues   = ["blue"]'), 'condition', 'condition is not valid: it has no test argument, which Terraform requires.'],
    [condition('test   = "StringEquals"\nvalues = ["blue"]'), 'condition', 'condition is not valid: it has no variable argument, which Terraform requires.'],
    [condition('values = ["blue"]'), 'condition', 'condition is not valid: it has no test or variable argument, which Terraform requires.'],
    [condition('test     = ["StringEquals"]\nvariable = "aws:PrincipalTag/team"\nvalues   = ["blue"]'), '["StringEquals"]', 'test is not valid: it must be one string, not a list.'],
    [principals('type = "AWS"'), 'principals', 'principals is not valid: it has no identifiers argument, which Terraform requires.'],
    [principals('identifiers = ["arn:aws:iam::444455556666:root"]'), 'principals', 'principals is not valid: it has no type argument, which Terraform requires.'],
    [principals('type        = "AWS"\nidentifiers = "arn:aws:iam::444455556666:root"'), '"arn:aws:iam::444455556666:root"', 'identifiers is not valid: it must be a list of strings: put the value in brackets.'],
  ];
  for (const [body, at, message] of cases) {
    const text = identityBlock(body);
    assert.deepEqual(schemaFindings(text), [['schema', at, message]], body);
  }
});

test('a string or number where a statement block takes a list: the fix puts it in brackets, and the block reads clean again', () => {
  for (const [body, fixed] of [
    ['actions   = "kms:Decrypt"\nresources = ["*"]', 'actions   = ["kms:Decrypt"]\nresources = ["*"]'],
    ['actions   = ["kms:Decrypt"]\nresources = ["*"]\ncondition {\n  test     = "NumericLessThan"\n  variable = "aws:MultiFactorAuthAge"\n  values   = 3600\n}', 'actions   = ["kms:Decrypt"]\nresources = ["*"]\ncondition {\n  test     = "NumericLessThan"\n  variable = "aws:MultiFactorAuthAge"\n  values   = [3600]\n}'],
  ]) {
    const text = identityBlock(body);
    const [f] = checkText('/m/use.tf', text).findings.filter((x) => x.checkId === 'schema');
    const [fix] = f.fixes!;
    assert.equal(fix.title, 'Put the value in a list');
    const after = fix.changes[0].edits.reduceRight((t, e) => t.slice(0, e.offset) + e.newText + t.slice(e.offset + e.length), text);
    assert.equal(after, identityBlock(fixed));
    assert.deepEqual(checkText('/m/use.tf', after).findings.map((x) => x.checkId), [], fixed);
  }
});

test('a principals or condition block missing an argument, or computed (dynamic), is read as an unknown value, never dropped', () => {
  const read = (body: string) => value(discover('/m/use.tf', identityBlock(`actions   = ["kms:Decrypt"]\nresources = ["*"]\n${body}`)).documents[0]).Statement[0];
  // Without identifiers: principals of that type not known here, beside the other blocks' ones.
  const noIds = read('principals {\n  type        = "AWS"\n  identifiers = ["arn:aws:iam::444455556666:root"]\n}\nprincipals {\n  type = "AWS"\n}');
  assert.deepEqual(noIds.Principal, { AWS: ['arn:aws:iam::444455556666:root', { 'Fn::Terraform': 'principals {\n      type = "AWS"\n    }' }] });
  // Without a type: the whole Principal is not known.
  assert.deepEqual(Object.keys(read('principals {\n  identifiers = ["*"]\n}').Principal), ['Fn::Terraform']);
  // A condition without test, or with a test only known at plan time: the statement is conditional in a way not known here.
  assert.deepEqual(Object.keys(read('condition {\n  variable = "aws:PrincipalTag/team"\n  values   = ["blue"]\n}').Condition), ['Fn::Terraform']);
  assert.deepEqual(Object.keys(read('condition {\n  test     = var.operator\n  variable = "aws:PrincipalTag/team"\n  values   = ["blue"]\n}').Condition), ['Fn::Terraform']);
  // Blocks computed at plan time, beside written ones or alone: the element is unknown, over all of them.
  const dynamicCondition = 'dynamic "condition" {\n  for_each = var.conditions\n  content {\n    test     = condition.value.test\n    variable = condition.value.variable\n    values   = condition.value.values\n  }\n}';
  const written = 'condition {\n  test     = "StringEquals"\n  variable = "aws:PrincipalTag/team"\n  values   = ["blue"]\n}';
  const both = read(`${written}\n${dynamicCondition}`).Condition['Fn::Terraform'];
  assert.ok(both.startsWith('condition {') && both.includes('dynamic "condition" {'), both);
  assert.deepEqual(Object.keys(read(dynamicCondition).Condition), ['Fn::Terraform']);
  assert.deepEqual(Object.keys(read('dynamic "principals" {\n  for_each = var.principals\n  content {\n    type        = principals.value.type\n    identifiers = principals.value.identifiers\n  }\n}').Principal), ['Fn::Terraform']);
});
