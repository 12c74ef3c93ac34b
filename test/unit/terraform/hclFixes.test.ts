/**
 * Quick-fixes on policies read from Terraform HCL, written in HCL: narrowing a root principal
 * inside `jsonencode` and inside `principals { identifiers = [...] }` (to one role, to several,
 * or with an `aws:PrincipalArn` condition), add-iam-grant as a `jsonencode` list item or a new
 * `statement` block, an unknown action replaced inside `actions = [...]`. Each fix is applied and
 * the file checked again; add-source-account as a `Condition` in `jsonencode` (merged into the
 * statement's own) and as a `condition` block; fixes inside an indented heredoc (`<<-EOT`) at
 * the indentation of the lines around them. Also: a `principals` or `condition` block
 * Terraform rejects gives the handshake nothing to report on.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Fix } from '../../../server/src/core/findings';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { parseHcl } from '../../../server/src/core/sources/hcl/hclSyntax';
import { applyFix, HANDSHAKE_IDS } from '../handshake/workspaceFixture';
import { withHclParser } from '../../support/hcl';
import { A, B, KEY_ARN, ec2Role, twoAccountManifest } from './twoAccounts';

withHclParser();

const READER = `arn:aws:iam::${B}:role/Reader`;
const WRITER = `arn:aws:iam::${B}:role/Writer`;

const MANIFEST = twoAccountManifest({ keyFile: 'security/key.tf', workloads: { key_arn: KEY_ARN } });

const KEY_JSONENCODE = `
resource "aws_kms_key" "app" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Own"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${A}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "Workloads"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${B}:root" }
        Action    = ["kms:Decrypt", "kms:Encrypt"]
        Resource  = "*"
      },
    ]
  })
}
`;

const KEY_BLOCK = `
data "aws_iam_policy_document" "key" {
  statement {
    sid       = "Own"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${A}:root"]
    }
  }
  statement {
    sid       = "Workloads"
    actions   = ["kms:Decrypt", "kms:Encrypt"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${B}:root"]
    }
  }
}

resource "aws_kms_key" "app" {
  policy = data.aws_iam_policy_document.key.json
}
`;

/** Roles Reader and Writer; the grants given (role name → its policy resource text). */
function rolesTf(policies: string): string {
  return `variable "key_arn" {}
${ec2Role('Reader')}${ec2Role('Writer')}${policies}`;
}

const jsonencodeGrant = (r: string, actions: string) => `
resource "aws_iam_role_policy" "${r}_key" {
  role = aws_iam_role.${r}.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Logs"
        Effect   = "Allow"
        Action   = "s3:GetObject"
        Resource = "arn:aws:s3:::logs/*"
      },${actions ? `
      {
        Effect   = "Allow"
        Action   = [${actions}]
        Resource = var.key_arn
      },` : ''}
    ]
  })
}
`;

function workspace(key: string, roles: string): Workspace {
  const ws = new Workspace();
  ws.updateFile('/w/policy-handshake.json', MANIFEST);
  ws.updateFile('/w/security/key.tf', key);
  ws.updateFile('/w/workloads/roles.tf', roles);
  return ws;
}

function fixOf(ws: Workspace, file: string, id: string, title: RegExp): Fix {
  const f = ws.findings(file).find((x) => x.checkId === id);
  assert.ok(f, `${id} in ${file}: ${ws.findings(file).map((x) => x.checkId).join(', ')}`);
  const fix = f.fixes?.find((x) => title.test(x.title));
  assert.ok(fix, `fix ${title} among ${(f.fixes ?? []).map((x) => x.title).join(' | ')}`);
  return fix;
}

/** The file after the fix is valid HCL (no error node) and is read again without a finding of these ids. */
function assertFixed(ws: Workspace, file: string, ids: string[]): string {
  const text = ws.text(file)!;
  const tree = parseHcl(text)!;
  const broken = (n: { type: string; broken?: boolean; children: unknown[] }): boolean => n.type === 'ERROR' || !!n.broken || (n.children as typeof n[]).some(broken);
  assert.ok(!broken(tree as never), `not valid HCL:\n${text}`);
  const left = ws.findings(file).filter((f) => ids.includes(f.checkId) || f.checkId === 'internal-error');
  assert.deepEqual(left.map((f) => f.checkId), [], text);
  return text;
}

const BOTH = rolesTf(jsonencodeGrant('reader', '"kms:Decrypt"') + jsonencodeGrant('writer', '"kms:Encrypt"'));
const READER_ONLY = rolesTf(jsonencodeGrant('reader', '"kms:Decrypt", "kms:Encrypt"') + jsonencodeGrant('writer', ''));

for (const [name, key] of [['jsonencode', KEY_JSONENCODE], ['policy document block', KEY_BLOCK]] as const) {
  test(`narrowing the root principal in ${name}: to one role`, () => {
    const ws = workspace(key, READER_ONLY);
    applyFix(ws, '/w/security/key.tf', fixOf(ws, '/w/security/key.tf', 'root-principal-broader-than-grants', /^Narrow the principal to arn:aws:iam::444455556666:role\/Reader \(has a grant/));
    const text = assertFixed(ws, '/w/security/key.tf', ['root-principal-broader-than-grants', 'root-principal-without-grant']);
    assert.ok(text.includes(`"${READER}"`), text);
    assert.ok(!text.includes(`${B}:root`), text);
  });

  test(`narrowing the root principal in ${name}: to the two roles with a grant (an HCL list)`, () => {
    const ws = workspace(key, BOTH);
    applyFix(ws, '/w/security/key.tf', fixOf(ws, '/w/security/key.tf', 'root-principal-broader-than-grants', /^Narrow the principal to the 2 principals/));
    const text = assertFixed(ws, '/w/security/key.tf', ['root-principal-broader-than-grants', 'root-principal-without-grant']);
    assert.ok(text.includes(READER) && text.includes(WRITER), text);
    const doc = ws.discovered('/w/security/key.tf')!.documents.find((d) => d.kind === 'kms-key-policy')!;
    const aws = JSON.stringify(doc.root.children!.find((p) => p.children![0].value === 'Statement')!.children![1].children![1].children!.find((p) => p.children![0].value === 'Principal')!.children![1].children![0].children![1].children!.map((c) => c.value));
    assert.equal(aws, JSON.stringify([READER, WRITER]));
  });

  test(`narrowing with an aws:PrincipalArn condition in ${name}`, () => {
    const ws = workspace(key, READER_ONLY);
    applyFix(ws, '/w/security/key.tf', fixOf(ws, '/w/security/key.tf', 'root-principal-broader-than-grants', /^Keep the account principal and allow only role\/Reader/));
    const text = assertFixed(ws, '/w/security/key.tf', ['root-principal-broader-than-grants', 'root-principal-without-grant', 'schema', 'unknown-condition-key', 'unknown-condition-operator']);
    assert.ok(name === 'jsonencode' ? /Condition = \{\n\s+ArnEquals = \{\n\s+"aws:PrincipalArn" = "arn:aws:iam::444455556666:role\/Reader"/.test(text) : /condition \{\n\s+test {5}= "ArnEquals"\n\s+variable = "aws:PrincipalArn"\n\s+values {3}= \["arn:aws:iam::444455556666:role\/Reader"\]/.test(text), text);
  });
}

test('add-iam-grant into a jsonencode role policy: a new item of its Statement list in HCL syntax', () => {
  const ws = workspace(KEY_JSONENCODE, rolesTf(jsonencodeGrant('reader', '') + jsonencodeGrant('writer', '')));
  const fix = fixOf(ws, '/w/security/key.tf', 'root-principal-without-grant', /^Grant 2 key actions to role\/Reader in workloads\/roles\.tf$/);
  applyFix(ws, '/w/security/key.tf', fix);
  const text = assertFixed(ws, '/w/workloads/roles.tf', ['iam-grant-without-key-trust']);
  assert.match(text, /\{\n\s+Sid = "UseKey1234abcd"\n\s+Effect = "Allow"\n\s+Action = \["kms:Decrypt", "kms:Encrypt"\]\n\s+Resource = "arn:aws:kms:us-west-2:111122223333:key\/1234abcd-12ab-34cd-56ef-1234567890ab"\n\s+\}/);
  assert.deepEqual(ws.findings('/w/security/key.tf').filter((f) => f.checkId === 'root-principal-without-grant'), []);
});

test('add-iam-grant into a policy document block: a new statement block', () => {
  const roles = rolesTf(`
data "aws_iam_policy_document" "reader" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::logs/*"]
  }
}

resource "aws_iam_role_policy" "reader" {
  role   = aws_iam_role.reader.name
  policy = data.aws_iam_policy_document.reader.json
}
`);
  const ws = workspace(KEY_JSONENCODE, roles);
  applyFix(ws, '/w/security/key.tf', fixOf(ws, '/w/security/key.tf', 'root-principal-without-grant', /^Grant 2 key actions to role\/Reader in workloads\/roles\.tf$/));
  const text = assertFixed(ws, '/w/workloads/roles.tf', ['iam-grant-without-key-trust']);
  assert.ok(text.includes(`  statement {
    sid       = "UseKey1234abcd"
    actions   = ["kms:Decrypt", "kms:Encrypt"]
    resources = ["${KEY_ARN}"]
  }
}`), text);
  assert.deepEqual(ws.findings('/w/security/key.tf').filter((f) => f.checkId === 'root-principal-without-grant'), []);
});

test('unknown action inside actions = [...] of a statement block: replaced in place', () => {
  const ws = new Workspace();
  const text = `data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["kms:Decrpyt", "kms:Encrypt"]
    resources = ["*"]
  }
}
`;
  ws.updateFile('/m/p.tf', text);
  applyFix(ws, '/m/p.tf', fixOf(ws, '/m/p.tf', 'unknown-action', /kms:Decrypt/));
  const fixed = assertFixed(ws, '/m/p.tf', ['unknown-action']);
  assert.ok(fixed.includes('actions   = ["kms:Decrypt", "kms:Encrypt"]'), fixed);
});

test('add-version inside jsonencode: Version = "2012-10-17" as its first element, in HCL, on its own line or inline', () => {
  const cases: [string, string, RegExp][] = [
    ['multi-line', `resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::logs/*" }]
  })
}
`, /policy = jsonencode\(\{\n {4}Version = "2012-10-17"\n {4}Statement = \[/],
    ['one line', `resource "aws_iam_policy" "p" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::logs/*" }] })
}
`, /policy = jsonencode\(\{ Version = "2012-10-17", Statement = \[/],
  ];
  for (const [name, text, expected] of cases) {
    const ws = new Workspace();
    ws.updateFile('/m/p.tf', text);
    const fix = fixOf(ws, '/m/p.tf', 'version-missing', /^Add "Version": "2012-10-17"$/);
    applyFix(ws, '/m/p.tf', fix);
    const fixed = assertFixed(ws, '/m/p.tf', ['version-missing', 'schema']);
    assert.match(fixed, expected, name);
    assert.equal(ws.discovered('/m/p.tf')!.documents[0].root.children![0].children![1].value, '2012-10-17', name);
  }
  // A policy document block without `version` renders "Version": "2012-10-17" (the provider's default): nothing to add.
  const ws = new Workspace();
  ws.updateFile('/m/d.tf', `data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::logs/*"]
  }
}
`);
  assert.deepEqual(ws.findings('/m/d.tf').map((f) => f.checkId), []);
});

/** The key of workloads' statement given a condition already (jsonencode element text, block text). */
const withCondition = (jsonencode: string, block: string): [string, string][] => [
  ['jsonencode', KEY_JSONENCODE.replace('Action    = ["kms:Decrypt", "kms:Encrypt"]\n        Resource  = "*"', `Action    = ["kms:Decrypt", "kms:Encrypt"]\n        Resource  = "*"\n        ${jsonencode}`)],
  ['policy document block', KEY_BLOCK.replace(`      identifiers = ["arn:aws:iam::${B}:root"]\n    }\n`, `      identifiers = ["arn:aws:iam::${B}:root"]\n    }\n${block}`)],
];

/** The Condition of the Workloads statement as read back (operator → key → values). */
function workloadsCondition(ws: Workspace): unknown {
  const doc = ws.discovered('/w/security/key.tf')!.documents.find((d) => d.kind === 'kms-key-policy')!;
  const statement = doc.root.children!.find((p) => p.children![0].value === 'Statement')!.children![1].children![1];
  const condition = statement.children!.filter((p) => p.children![0].value === 'Condition');
  assert.equal(condition.length, 1);
  const plain = (n: NonNullable<typeof doc.root>): unknown => n.type === 'object'
    ? Object.fromEntries(n.children!.map((p) => [p.children![0].value, plain(p.children![1])]))
    : n.type === 'array' ? n.children!.map(plain) : n.value;
  return plain(condition[0].children![1]);
}

test('narrowing with an aws:PrincipalArn condition when the statement has conditions already: merged into them, not a second Condition', () => {
  const via = { StringEquals: { 'kms:ViaService': 's3.us-west-2.amazonaws.com' } };
  for (const [name, key] of withCondition(
    'Condition = {\n          StringEquals = { "kms:ViaService" = "s3.us-west-2.amazonaws.com" }\n        }',
    '    condition {\n      test     = "StringEquals"\n      variable = "kms:ViaService"\n      values   = ["s3.us-west-2.amazonaws.com"]\n    }\n',
  )) {
    const ws = workspace(key, READER_ONLY);
    assert.deepEqual(workloadsCondition(ws), name === 'jsonencode' ? via : { StringEquals: { 'kms:ViaService': ['s3.us-west-2.amazonaws.com'] } }, name);
    applyFix(ws, '/w/security/key.tf', fixOf(ws, '/w/security/key.tf', 'root-principal-broader-than-grants', /^Keep the account principal and allow only role\/Reader/));
    const text = assertFixed(ws, '/w/security/key.tf', ['root-principal-broader-than-grants', 'root-principal-without-grant', 'schema', 'unknown-condition-key', 'unknown-condition-operator']);
    assert.deepEqual(workloadsCondition(ws), name === 'jsonencode'
      ? { ...via, ArnEquals: { 'aws:PrincipalArn': READER } }
      : { StringEquals: { 'kms:ViaService': ['s3.us-west-2.amazonaws.com'] }, ArnEquals: { 'aws:PrincipalArn': [READER] } }, text);
    assert.equal(text.match(name === 'jsonencode' ? /Condition = / : /condition \{/g)!.length, name === 'jsonencode' ? 1 : 2, text);
  }
  // An ArnEquals operator of its own already: the key goes into it.
  const [[, arnKey]] = withCondition('Condition = { ArnEquals = { "kms:EncryptionContext:aws:s3:arn" = "arn:aws:s3:::reports" } }', '');
  const ws = workspace(arnKey, READER_ONLY);
  applyFix(ws, '/w/security/key.tf', fixOf(ws, '/w/security/key.tf', 'root-principal-broader-than-grants', /^Keep the account principal and allow only role\/Reader/));
  const text = assertFixed(ws, '/w/security/key.tf', ['root-principal-broader-than-grants', 'schema']);
  assert.deepEqual(workloadsCondition(ws), { ArnEquals: { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::reports', 'aws:PrincipalArn': READER } }, text);
  assert.ok(text.includes('Condition = { ArnEquals = { "kms:EncryptionContext:aws:s3:arn" = "arn:aws:s3:::reports", "aws:PrincipalArn" = "arn:aws:iam::444455556666:role/Reader" } }'), text);
  // A Condition, or its ArnEquals, known only at plan time: no condition fix (the narrowing fix stays).
  for (const condition of ['Condition = local.conditions', 'Condition = { ArnEquals = local.conditions }']) {
    const [[, unknown]] = withCondition(condition, '');
    const u = workspace(`locals {\n  conditions = merge({}, {})\n}\n${unknown}`, READER_ONLY);
    const f = u.findings('/w/security/key.tf').find((x) => x.checkId === 'root-principal-broader-than-grants');
    assert.deepEqual(f?.fixes?.map((x) => x.title), [`Narrow the principal to ${READER} (has a grant on this key)`, `Narrow the principal to ${WRITER} (no grant on this key yet)`], condition);
  }
});

test('a principals or condition block Terraform rejects is unknown to the handshake, not absent: no finding made up from it', () => {
  const trusted = `    principals {\n      type        = "AWS"\n      identifiers = ["arn:aws:iam::${B}:root"]\n    }\n`;
  assert.ok(KEY_BLOCK.includes(trusted));
  const handshake = (blocks: string) => {
    const ws = workspace(KEY_BLOCK.replace(trusted, blocks.replace(/^/gm, '    ') + '\n'), READER_ONLY);
    return ['/w/security/key.tf', '/w/workloads/roles.tf'].flatMap((f) => ws.findings(f))
      .filter((f) => f.checkId === 'schema' || HANDSHAKE_IDS.includes(f.checkId))
      .map((f) => `${f.checkId}: ${f.message.split('. ')[1] ?? ''}`);
  };
  const principal = `principals {\n  type        = "AWS"\n  identifiers = ["arn:aws:iam::${B}:root"]\n}`;
  const onlyReader = `condition {\n  test     = "ArnEquals"\n  variable = "aws:PrincipalArn"\n  values   = ["${READER}"]\n}`;
  // Written right, the handshake reads both sides: the trusted root is narrowed to Reader, who has a grant.
  assert.deepEqual(handshake(`${principal}\n${onlyReader}`), []);
  assert.deepEqual(handshake(principal), ['root-principal-broader-than-grants: It is role/Reader (kms:Decrypt, kms:Encrypt)']);
  // Reader's grant is not "without key trust" because the principal could not be read.
  assert.deepEqual(handshake('principals {\n  type = "AWS"\n}'), ['schema: ']);
  assert.deepEqual(handshake(`principals {\n  identifiers = ["arn:aws:iam::${B}:root"]\n}`), ['schema: ']);
  // The condition that could not be read is not left out: Reader's use of the key depends on it, as on a condition known at plan time only.
  assert.deepEqual(handshake(`${principal}\n${onlyReader.replace('  test     = "ArnEquals"\n', '')}`), ['schema: ', 'root-principal-broader-than-grants: It is role/Reader (kms:Decrypt, kms:Encrypt; conditional)']);
});

test('narrowing a root principal written with a variable keeps the variable: only root becomes the role', () => {
  const key = KEY_JSONENCODE.replace(`Principal = { AWS = "arn:aws:iam::${B}:root" }`, 'Principal = { AWS = "arn:aws:iam::${var.workloads}:root" }')
    .replace('resource "aws_kms_key"', `variable "workloads" {\n  default = "${B}"\n}\n\nresource "aws_kms_key"`);
  const ws = workspace(key, READER_ONLY);
  applyFix(ws, '/w/security/key.tf', fixOf(ws, '/w/security/key.tf', 'root-principal-broader-than-grants', /^Narrow the principal to arn:aws:iam::444455556666:role\/Reader \(has a grant/));
  const text = assertFixed(ws, '/w/security/key.tf', ['root-principal-broader-than-grants', 'root-principal-without-grant']);
  assert.ok(text.includes('Principal = { AWS = "arn:aws:iam::${var.workloads}:role/Reader" }'), text);
});

test('narrowing a root principal written with a variable to several roles, or with a condition: each role ARN keeps the variable', () => {
  const key = `variable "workloads" {
  default = "${B}"
}

resource "aws_kms_key" "app" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Own", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${A}:root" }, Action = "kms:*", Resource = "*" },
      {
        Sid       = "Workloads"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::\${var.workloads}:root" }
        Action    = ["kms:Decrypt", "kms:Encrypt"]
        Resource  = "*"
      },
    ]
  })
}
`;
  const both = workspace(key, BOTH);
  applyFix(both, '/w/security/key.tf', fixOf(both, '/w/security/key.tf', 'root-principal-broader-than-grants', /^Narrow the principal to the 2 principals/));
  assert.equal(assertFixed(both, '/w/security/key.tf', ['root-principal-broader-than-grants', 'root-principal-without-grant']), key.replace(
    'Principal = { AWS = "arn:aws:iam::${var.workloads}:root" }',
    // Longer than a line: one ARN a line.
    'Principal = { AWS = [\n          "arn:aws:iam::${var.workloads}:role/Reader",\n          "arn:aws:iam::${var.workloads}:role/Writer"\n        ] }',
  ));
  const one = workspace(key, READER_ONLY);
  applyFix(one, '/w/security/key.tf', fixOf(one, '/w/security/key.tf', 'root-principal-broader-than-grants', /^Keep the account principal and allow only role\/Reader/));
  assert.equal(assertFixed(one, '/w/security/key.tf', ['root-principal-broader-than-grants', 'root-principal-without-grant', 'schema']), key.replace(
    '        Resource  = "*"\n      },\n    ]',
    '        Resource  = "*"\n        Condition = {\n          ArnEquals = {\n            "aws:PrincipalArn" = "arn:aws:iam::${var.workloads}:role/Reader"\n          }\n        }\n      },\n    ]',
  ));
});

test('narrow-root-with-condition on a statement written on one line: the Condition\'s lines are indented from the statement\'s', () => {
  const key = KEY_JSONENCODE.replace(`{
        Sid       = "Workloads"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${B}:root" }
        Action    = ["kms:Decrypt", "kms:Encrypt"]
        Resource  = "*"
      },`, `{ Sid = "Workloads", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${B}:root" }, Action = ["kms:Decrypt", "kms:Encrypt"], Resource = "*" },`);
  const ws = workspace(key, READER_ONLY);
  applyFix(ws, '/w/security/key.tf', fixOf(ws, '/w/security/key.tf', 'root-principal-broader-than-grants', /^Keep the account principal and allow only role\/Reader/));
  assert.equal(assertFixed(ws, '/w/security/key.tf', ['root-principal-broader-than-grants', 'root-principal-without-grant', 'schema']), key.replace(
    'Resource = "*" },',
    `Resource = "*", Condition = {
        ArnEquals = {
          "aws:PrincipalArn" = "${READER}"
        }
      } },`,
  ));
});

// add-source-account (service-principal-without-source) in HCL: a Condition in jsonencode, a condition block in a policy document.

const LOGS_JSONENCODE = `
resource "aws_kms_key" "logs" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Own", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${A}:root" }, Action = "kms:*", Resource = "*" },
      {
        Sid       = "Logs"
        Effect    = "Allow"
        Principal = { Service = "logs.us-west-2.amazonaws.com" }
        Action    = ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"]
        Resource  = "*"
      },
    ]
  })
}
`;

function addSourceAccount(key: string): string {
  const ws = workspace(key, READER_ONLY);
  applyFix(ws, '/w/security/key.tf', fixOf(ws, '/w/security/key.tf', 'service-principal-without-source', /^Allow the service only for resources of account 111122223333 \(aws:SourceAccount\)$/));
  return assertFixed(ws, '/w/security/key.tf', ['service-principal-without-source', 'schema']);
}

test('add-source-account in jsonencode: Condition = { StringEquals = { "aws:SourceAccount" = … } } in HCL, below the statement\'s other elements', () => {
  assert.equal(addSourceAccount(LOGS_JSONENCODE), LOGS_JSONENCODE.replace('        Resource  = "*"\n      },', `        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = "${A}"
          }
        }
      },`));
});

test('add-source-account in jsonencode merges into the statement\'s Condition, and into its StringEquals', () => {
  const arnLike = LOGS_JSONENCODE.replace('        Resource  = "*"\n      },', `        Resource  = "*"
        Condition = {
          ArnLike = { "kms:EncryptionContext:aws:logs:arn" = "arn:aws:logs:us-west-2:${A}:log-group:*" }
        }
      },`);
  assert.equal(addSourceAccount(arnLike), arnLike.replace(`:log-group:*" }\n`, `:log-group:*" }
          StringEquals = {
            "aws:SourceAccount" = "${A}"
          }\n`));
  const equals = LOGS_JSONENCODE.replace('        Resource  = "*"\n      },', `        Resource  = "*"
        Condition = { StringEquals = { "kms:EncryptionContext:aws:logs:arn" = "arn:aws:logs:us-west-2:${A}:log-group:app" } }
      },`);
  assert.equal(addSourceAccount(equals), equals.replace(':log-group:app" } }', `:log-group:app", "aws:SourceAccount" = "${A}" } }`));
});

test('add-source-account in a policy document block: one more condition block in the statement', () => {
  const key = `
data "aws_iam_policy_document" "logs" {
  statement {
    sid       = "Own"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${A}:root"]
    }
  }
  statement {
    sid       = "Logs"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.us-west-2.amazonaws.com"]
    }
  }
}

resource "aws_kms_key" "logs" {
  policy = data.aws_iam_policy_document.logs.json
}
`;
  assert.equal(addSourceAccount(key), key.replace('      identifiers = ["logs.us-west-2.amazonaws.com"]\n    }\n', `      identifiers = ["logs.us-west-2.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["${A}"]
    }
`));
});

// Fixes inside an indented heredoc (`<<-EOT`): Terraform strips the lines' common indentation,
// so the JSON keeps the heredoc's margin; what a fix writes is indented like the lines around it.

const KEY_INDENTED_HEREDOC = `
resource "aws_kms_key" "app" {
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "Own",
          "Effect": "Allow",
          "Principal": { "AWS": "arn:aws:iam::${A}:root" },
          "Action": "kms:*",
          "Resource": "*"
        },
        {
          "Sid": "Workloads",
          "Effect": "Allow",
          "Principal": { "AWS": "arn:aws:iam::${B}:root" },
          "Action": ["kms:Decrypt", "kms:Encrypt", "kms:Decrypt"],
          "Resource": "*"
        }
      ]
    }
  EOT
}
`;

test('<<-EOT heredoc: narrowing to two roles writes the list one ARN a line at the indentation of its neighbours', () => {
  const ws = workspace(KEY_INDENTED_HEREDOC, BOTH);
  applyFix(ws, '/w/security/key.tf', fixOf(ws, '/w/security/key.tf', 'root-principal-broader-than-grants', /^Narrow the principal to the 2 principals/));
  assert.equal(assertFixed(ws, '/w/security/key.tf', ['root-principal-broader-than-grants', 'root-principal-without-grant']), KEY_INDENTED_HEREDOC.replace(
    `          "Principal": { "AWS": "arn:aws:iam::${B}:root" },\n`,
    `          "Principal": { "AWS": [
            "${READER}",
            "${WRITER}"
          ] },\n`,
  ));
});

test('<<-EOT heredoc: a condition added, a duplicate action removed and the principal replaced keep the heredoc valid and its lines aligned', () => {
  const condition = workspace(KEY_INDENTED_HEREDOC, READER_ONLY);
  applyFix(condition, '/w/security/key.tf', fixOf(condition, '/w/security/key.tf', 'root-principal-broader-than-grants', /^Keep the account principal and allow only role\/Reader/));
  assert.equal(assertFixed(condition, '/w/security/key.tf', ['root-principal-broader-than-grants', 'root-principal-without-grant']), KEY_INDENTED_HEREDOC.replace(
    '          "Action": ["kms:Decrypt", "kms:Encrypt", "kms:Decrypt"],\n          "Resource": "*"\n',
    `          "Action": ["kms:Decrypt", "kms:Encrypt", "kms:Decrypt"],
          "Resource": "*",
          "Condition": {
            "ArnEquals": {
              "aws:PrincipalArn": "${READER}"
            }
          }\n`,
  ));
  const duplicate = workspace(KEY_INDENTED_HEREDOC, READER_ONLY);
  applyFix(duplicate, '/w/security/key.tf', fixOf(duplicate, '/w/security/key.tf', 'redundant-action', /^Remove "kms:Decrypt"$/));
  assert.equal(assertFixed(duplicate, '/w/security/key.tf', ['redundant-action']),
    KEY_INDENTED_HEREDOC.replace('["kms:Decrypt", "kms:Encrypt", "kms:Decrypt"]', '["kms:Decrypt", "kms:Encrypt"]'));
  const one = workspace(KEY_INDENTED_HEREDOC, READER_ONLY);
  applyFix(one, '/w/security/key.tf', fixOf(one, '/w/security/key.tf', 'root-principal-broader-than-grants', /^Narrow the principal to arn:aws:iam::444455556666:role\/Reader \(has a grant/));
  assert.equal(assertFixed(one, '/w/security/key.tf', ['root-principal-broader-than-grants', 'root-principal-without-grant']),
    KEY_INDENTED_HEREDOC.replace(`"arn:aws:iam::${B}:root"`, `"${READER}"`));
});

test('<<-EOT heredoc: add-iam-grant writes the new statement at the indentation of the role policy\'s statements', () => {
  const heredocPolicy = (r: string) => `
resource "aws_iam_role_policy" "${r}_logs" {
  role   = aws_iam_role.${r}.name
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": "s3:GetObject",
          "Resource": "arn:aws:s3:::logs/*"
        }
      ]
    }
  EOT
}
`;
  const roles = rolesTf(heredocPolicy('reader') + heredocPolicy('writer'));
  const ws = workspace(KEY_JSONENCODE, roles);
  applyFix(ws, '/w/security/key.tf', fixOf(ws, '/w/security/key.tf', 'root-principal-without-grant', /^Grant 2 key actions to role\/Reader in workloads\/roles\.tf$/));
  assert.equal(assertFixed(ws, '/w/workloads/roles.tf', ['iam-grant-without-key-trust']), roles.replace(`          "Resource": "arn:aws:s3:::logs/*"
        }
      ]`, `          "Resource": "arn:aws:s3:::logs/*"
        },
        {
          "Sid": "UseKey1234abcd",
          "Effect": "Allow",
          "Action": [
            "kms:Decrypt",
            "kms:Encrypt"
          ],
          "Resource": "${KEY_ARN}"
        }
      ]`));
});
