/**
 * The CLI process loads the HCL parser (WebAssembly) only when a Terraform file is among the
 * files it reads. Shown with a copy of the bundle and its catalog without the parser's .wasm
 * files beside it: a check of JSON policies runs as usual and says nothing of the parser; a
 * check that reads a .tf file says it could not load the parser.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../support/corpus';
import { needs } from '../../support/needs';

const DIST = path.join(repoRoot, 'dist');
const CLI = path.join(DIST, 'cli.js');
const notBuilt = fs.existsSync(CLI) ? undefined : `${CLI} not built (node scripts/bundle.mjs)`;

const KEY_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'Admin', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }],
});
const ROLE_TF = `resource "aws_iam_role_policy" "reader" {
  name   = "reader"
  role   = "reader"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "kms:Decryptt", Resource = "*" }]
  })
}
`;

test('the HCL parser is loaded only for a check that reads a .tf file', needs('build', notBuilt), () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-cli-parsers-'));
  try {
    // The bundle and its catalog, without tree-sitter.wasm and tree-sitter-terraform.wasm, and
    // where no node_modules can supply them.
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    for (const f of fs.readdirSync(DIST).filter((f) => !f.endsWith('.wasm') && fs.statSync(path.join(DIST, f)).isFile())) {
      fs.copyFileSync(path.join(DIST, f), path.join(bin, f));
    }
    const json = path.join(dir, 'json');
    fs.mkdirSync(json);
    fs.writeFileSync(path.join(json, 'key.json'), KEY_POLICY);
    const tf = path.join(dir, 'tf');
    fs.mkdirSync(tf);
    fs.writeFileSync(path.join(tf, 'key.json'), KEY_POLICY);
    fs.writeFileSync(path.join(tf, 'role.tf'), ROLE_TF);

    const run = (folder: string) => spawnSync(process.execPath, [path.join(bin, 'cli.js'), 'check', folder, '--format', 'json'], { encoding: 'utf8', cwd: dir });

    const onlyJson = run(json);
    assert.equal(onlyJson.stderr, '');
    assert.equal(onlyJson.status, 0, onlyJson.stdout);

    const withTf = run(tf);
    assert.match(withTf.stderr, /The Terraform \(HCL\) parser could not be loaded; \.tf files are not checked/);
    // The JSON file is still checked, and the .tf file is not read (no unknown-action on it).
    assert.equal(withTf.status, 0, withTf.stdout);
    assert.doesNotMatch(withTf.stdout, /unknown-action/);
    assert.deepEqual(JSON.parse(withTf.stdout), []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('with the parser beside the bundle, the .tf file is checked', needs('build', notBuilt), () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-cli-parsers-'));
  try {
    fs.writeFileSync(path.join(dir, 'role.tf'), ROLE_TF);
    const r = spawnSync(process.execPath, [CLI, 'check', dir, '--format', 'json'], { encoding: 'utf8' });
    assert.equal(r.stderr, '');
    const findings = JSON.parse(r.stdout) as { code: string; range: { start: { line: number; character: number } } }[];
    assert.deepEqual(findings.map((f) => [f.code, f.range.start.line, f.range.start.character]), [['unknown-action', 5, 51]]);
    assert.equal(r.status, 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
