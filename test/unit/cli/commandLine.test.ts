/**
 * What the CLI says about its command line and its inputs: a malformed --manifest once, the
 * summary counts checked and skipped files apart, usage with no arguments, usage lines that
 * fit a terminal, stdin, and a graph with no key.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../support/corpus';
import { runIn } from '../../support/cli';
import { withHclParser } from '../../support/hcl';

withHclParser();

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-cli-line-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a malformed --manifest is reported once', () => {
  fs.writeFileSync(path.join(dir, 'm.json'), '{"accounts": {\n');
  const run = runIn(repoRoot, 'check', 'examples/cross-account/security', '--manifest', path.join(dir, 'm.json'), '--format', 'json');
  assert.equal(run.code, 1);
  const manifest = (JSON.parse(run.stdout) as { file: string; code: string; range: unknown; message: string }[]).filter((f) => f.file.endsWith('m.json'));
  assert.deepEqual(manifest.map((f) => [f.code, f.range, f.message]), [['json-syntax', { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, 'Closing brace expected.']]);
});

test('the summary counts skipped files apart from the files checked', () => {
  fs.writeFileSync(path.join(dir, 'big.json'), `{"a": "${'x'.repeat(2000)}"}`);
  fs.writeFileSync(path.join(dir, 'ok.json'), '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}');
  const run = runIn(dir, 'check', 'big.json', 'ok.json', '--max-file-size', '1000');
  assert.equal(run.stdout, 'big.json:1:1: info file-skipped: File is larger than 1000 bytes: not checked.\n1 file checked, 1 skipped: 0 error(s), 0 warning(s), 1 info.\n');
  assert.equal(runIn(dir, 'check', 'ok.json').stdout, '1 file checked: 0 error(s), 0 warning(s), 0 info.\n');
  // A document over the statement limit is not checked: its file counts as skipped.
  const statements = Array.from({ length: 20_001 }, () => '{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}').join(',');
  fs.writeFileSync(path.join(dir, 'many.json'), `{"Version": "2012-10-17", "Statement": [${statements}]}`);
  assert.match(runIn(dir, 'check', 'many.json', 'ok.json').stdout, /\n1 file checked, 1 skipped: 0 error\(s\), 0 warning\(s\), 1 info\.\n$/);
  // A Terraform file with one policy read and one whose HCL does not parse was checked; one with
  // only the broken policy was not.
  const broken = 'resource "aws_iam_policy" "typing" {\n  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["kms:Decrypt", }] })\n}\n';
  fs.writeFileSync(path.join(dir, 'half.tf'), 'resource "aws_iam_policy" "ok" {\n  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }] })\n}\n' + broken);
  fs.writeFileSync(path.join(dir, 'only.tf'), broken);
  assert.equal(runIn(dir, 'check', 'half.tf', 'only.tf').stdout, [
    'half.tf:5:23: info file-skipped: This policy is not checked: its HCL does not parse here. Fix the syntax, and aws_iam_policy.typing is checked.',
    'only.tf:2:23: info file-skipped: This policy is not checked: its HCL does not parse here. Fix the syntax, and aws_iam_policy.typing is checked.',
    '1 file checked, 1 skipped: 0 error(s), 0 warning(s), 2 info.',
    '',
  ].join('\n'));
});

test('no arguments: the usage only, on stderr, exit 2', () => {
  const run = runIn(dir);
  assert.equal(run.code, 2);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^Usage: policy-handshake check \[paths…\]/);
  assert.equal(runIn(dir, 'help').stdout, run.stderr);
});

test('every line of the usage fits 100 columns', () => {
  const usage = runIn(dir, '--help').stdout;
  const long = usage.split('\n').filter((l) => [...l].length > 100);
  assert.deepEqual(long, []);
  assert.ok(usage.includes('--check ID=LEVEL'));
});

test('check -: stdin is not read, and the CLI says so', () => {
  assert.deepEqual(runIn(dir, 'check', '-'), { code: 2, stdout: '', stderr: 'policy-handshake: reading a policy from stdin (-) is not supported: save it to a file and give its path\n' });
});

test('graph of files with no key policy: a comment in the picture, a note on stderr', () => {
  fs.writeFileSync(path.join(dir, 'role.json'), '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}');
  assert.deepEqual(runIn(dir, 'graph', 'role.json'), {
    code: 0,
    stdout: 'flowchart LR\n  %% No key policy found in the files given.\n',
    stderr: 'policy-handshake: no key policy found in the files given: the graph is empty\n',
  });
  assert.equal(runIn(dir, 'graph', 'role.json', '--format', 'dot').stdout,
    'digraph keyAccess {\n  rankdir=LR;\n  node [fontname="Helvetica"];\n  edge [fontname="Helvetica", fontsize=10];\n  // No key policy found in the files given.\n}\n');
});
