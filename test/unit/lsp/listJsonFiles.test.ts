/** Walking a workspace folder for the server: JSON and CloudFormation YAML names only, skipped folders, symlinks and loops. */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listJsonFiles, mayHoldPolicies } from '../../../server/src/lsp/diskFiles';

let root: string;
before(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ph-list-')));
  const files = ['a.json', 'b.JSON', 'stack.yaml', 'stack.YML', 'old.template', 'x.tpl', 'notes.txt', 'keys/k.json', 'keys/deep/er/x.json', 'node_modules/pkg/p.json', '.git/config.json', 'keys/deep/readme.md'];
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), '{}');
  }
  fs.mkdirSync(path.join(root, 'folder.json'));
  fs.symlinkSync(path.join(root, 'keys'), path.join(root, 'keys/deep/loop')); // a loop back up
  fs.symlinkSync(path.join(root, 'a.json'), path.join(root, 'link.json'));
  fs.symlinkSync(path.join(root, 'missing.json'), path.join(root, 'dangling.json'));
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

test('policy files (JSON, YAML, *.template, Terraform templates *.tpl) below the root, sorted; skipped folders, loops and dangling links left out', async () => {
  const rel = (await listJsonFiles(root)).map((p) => path.relative(root, p));
  assert.deepEqual(rel, ['a.json', 'b.JSON', 'keys/deep/er/x.json', 'keys/k.json', 'link.json', 'old.template', 'stack.YML', 'stack.yaml', 'x.tpl']);
});

test('cancelled: stops and returns what it has', async () => {
  assert.deepEqual(await listJsonFiles(root, () => true), []);
});

test('a root that does not exist has no files', async () => {
  assert.deepEqual(await listJsonFiles(path.join(root, 'nope')), []);
});

test('the disk screen: a YAML file is parsed only when it may be a CloudFormation template', () => {
  assert.equal(mayHoldPolicies('/w/stack.yaml', "AWSTemplateFormatVersion: '2010-09-09'\n"), true);
  assert.equal(mayHoldPolicies('/w/stack.yml', 'Resources:\n  K:\n    Type: AWS::KMS::Key\n'), true);
  assert.equal(mayHoldPolicies('/w/sam.yaml', 'Transform: AWS::Serverless-2016-10-31\n'), true);
  assert.equal(mayHoldPolicies('/w/.github/workflows/ci.yml', 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n'), false);
  assert.equal(mayHoldPolicies('/w/k8s/pod.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: Statement\n'), false);
  assert.equal(mayHoldPolicies('/w/old.template', '{"Resources": {}}'), true);
});
