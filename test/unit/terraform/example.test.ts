/**
 * examples/terraform through the CLI: a key in one account trusting the other account's root
 * (jsonencode), and that account's role policies (a policy document block, a managed policy)
 * granting it, bound to their accounts by the manifest's `templates`.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../../server/src/cli/main';
import { repoRoot } from '../../support/corpus';
import { withHclParser } from '../../support/hcl';

withHclParser();

function check(...args: string[]): { code: number; out: string } {
  let out = '';
  const code = runCli(['check', ...args], { stdout: (s) => { out += s; }, stderr: (s) => { out += s; }, cwd: repoRoot });
  return { code, out };
}

test('examples/terraform: the CLI output is the one its README shows', () => {
  const { code, out } = check('examples/terraform');
  assert.equal(code, 0);
  const readme = fs.readFileSync(path.join(repoRoot, 'examples', 'terraform', 'README.md'), 'utf8');
  const shown = readme.split('$ policy-handshake check examples/terraform\n')[1].split('```')[0];
  assert.equal(out, shown);
});

test('examples/terraform: the findings point at the trusted root and at the action the key does not allow', () => {
  const { out } = check('examples/terraform', '--format', 'json');
  const findings = JSON.parse(out) as { file: string; code: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }[];
  assert.deepEqual(findings.map((f) => [f.file, f.code, f.range.start.line, f.range.start.character, f.range.end.character]), [
    ['examples/terraform/security/key.tf', 'root-principal-broader-than-grants', 26, 28, 75],
    ['examples/terraform/workloads/roles.tf', 'iam-grant-exceeds-key-policy', 53, 33, 52],
  ]);
  const lines = fs.readFileSync(path.join(repoRoot, 'examples', 'terraform', 'security', 'key.tf'), 'utf8').split('\n');
  assert.equal(lines[26].slice(28, 75), '"arn:aws:iam::${var.workloads_account_id}:root"');
});
