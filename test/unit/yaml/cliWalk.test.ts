/** The CLI's folder walk reads CloudFormation YAML names; explicit file arguments of any name are read. */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { collectFiles } from '../../../server/src/cli/files';
import { runCli } from '../../../server/src/cli/main';
import { yamlManagedPolicyTemplate } from '../../support/cfnYaml';

const TEMPLATE = yamlManagedPolicyTemplate(`- Effect: Allow
  Action: kms:Decrpyt
  Resource: '*'`);

let root: string;
before(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ph-cli-yaml-')));
  const files: Record<string, string> = {
    'a.yaml': TEMPLATE, 'b.yml': TEMPLATE, 'c.template': TEMPLATE, 'd.json': '{}', 'e.txt': TEMPLATE, 'f.cfn': TEMPLATE,
    '.github/workflows/ci.yml': 'on: push\njobs: {build: {runs-on: ubuntu-latest}}\n',
  };
  for (const [f, t] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), t);
  }
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

test('a folder: *.json, *.yaml, *.yml, *.template; an explicit file: whatever its name', () => {
  const rel = (l: string[]) => l.map((p) => path.relative(root, p)).sort();
  assert.deepEqual(rel(collectFiles(['.'], root).files), ['.github/workflows/ci.yml', 'a.yaml', 'b.yml', 'c.template', 'd.json']);
  assert.deepEqual(rel(collectFiles(['f.cfn'], root).files), ['f.cfn']);
  const out: string[] = [];
  runCli(['check', path.join(root, 'f.cfn'), '--format', 'json'], { stdout: (s) => out.push(s), stderr: () => {}, cwd: root });
  assert.deepEqual((JSON.parse(out.join('')) as { code: string }[]).map((f) => f.code), ['unknown-action']);
});

test('the YAML templates are checked: unknown-action in each, nothing in the workflow', () => {
  const out: string[] = [];
  const code = runCli(['check', root, '--format', 'json'], { stdout: (s) => out.push(s), stderr: () => {}, cwd: root });
  assert.equal(code, 1);
  const findings = JSON.parse(out.join('')) as { file: string; code: string; range: { start: { line: number; character: number } } }[];
  assert.deepEqual(findings.map((f) => `${f.file} ${f.code} ${f.range.start.line}:${f.range.start.character}`).sort(), [
    'a.yaml unknown-action 9:24', 'b.yml unknown-action 9:24', 'c.template unknown-action 9:24',
  ]);
});
