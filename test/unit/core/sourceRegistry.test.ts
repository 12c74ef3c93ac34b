/**
 * One registry of sources decides which files a folder walk reads, which syntax a file is
 * read in, and which disk files are screened out; the CLI walk, the server and the engine ask it.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { isSourceFileName, mayHoldPolicies, sourceFor, SOURCES, SOURCE_FILE_EXTENSIONS } from '../../../server/src/core/sources/registry';
import { discover } from '../../../server/src/core/sources/discover';

test('file names a folder walk reads', () => {
  assert.deepEqual([...SOURCE_FILE_EXTENSIONS].sort(), ['.json', '.template', '.tf', '.tftpl', '.tfvars', '.tpl', '.yaml', '.yml']);
  for (const name of ['key.json', 'KEY.JSON', 'stack.yaml', 'stack.YML', 'stack.template', 'main.tf', 'terraform.tfvars', 'key.json.tpl', 'role.tftpl']) assert.equal(isSourceFileName(name), true, name);
  for (const name of ['main.tf.bak', 'notes.txt', 'policy.jsonc', 'x.tfstate', 'README.md']) assert.equal(isSourceFileName(name), false, name);
  // The walk's list (a module of its own, for the CLI's entry) is exactly the sources' extensions.
  assert.deepEqual([...new Set(SOURCES.flatMap((s) => s.extensions))].sort(), [...SOURCE_FILE_EXTENSIONS].sort());
});

test('the source that reads a file, by name and by the start of its text', () => {
  const yamlTemplate = 'AWSTemplateFormatVersion: "2010-09-09"\nResources: {}\n';
  const cases: [string, string, string][] = [
    ['main.tf', '{"Statement": []}', 'terraform'],
    ['key.json.tpl', '{"Statement": []}', 'template'],
    ['ROLE.TFTPL', '', 'template'],
    ['MAIN.TF', '', 'terraform'],
    ['stack.yaml', '{"Resources": {}}', 'yaml'],
    ['stack.yml', 'a: 1', 'yaml'],
    ['stack.template', yamlTemplate, 'yaml'],
    ['stack.template', '  {"Resources": {}}', 'json'],
    ['stack.template', '// comment\n{}', 'json'],
    ['key.json', yamlTemplate, 'json'],
    ['policy.jsonc', yamlTemplate, 'json'],
    ['explicit-argument', yamlTemplate, 'yaml'],
    ['explicit-argument', 'Statement: []', 'json'],
  ];
  for (const [name, text, id] of cases) assert.equal(sourceFor(name, text).id, id, `${name}: ${JSON.stringify(text)}`);
});

test('the disk screen follows the source: Terraform names a policy, YAML is a template, JSON names a policy key', () => {
  assert.equal(mayHoldPolicies('main.tf', 'resource "aws_s3_bucket" "b" {}'), false);
  assert.equal(mayHoldPolicies('main.tf', 'resource "aws_iam_role_policy" "p" {}'), true);
  assert.equal(mayHoldPolicies('ci.yml', 'on: push\njobs: {}\n'), false);
  assert.equal(mayHoldPolicies('stack.yml', 'Resources:\n  K:\n    Type: AWS::KMS::Key\n'), true);
  assert.equal(mayHoldPolicies('package.json', '{"name": "x", "policy": 1}'), false);
  assert.equal(mayHoldPolicies('key.json', '{"Policy": "{}"}'), true);
  assert.equal(mayHoldPolicies('user_data.tpl', '#!/bin/sh\necho ${name}\n'), false);
  assert.equal(mayHoldPolicies('key.json.tpl', '{"Statement": [{"Principal": {"AWS": "${account_id}"}}]}'), true);
});

test('discovery reads each file with its source: YAML that is no template has no tree, JSON in a .template is JSON', () => {
  assert.equal(discover('ci.yml', 'on: push\n').json.syntax, 'yaml');
  assert.equal(discover('ci.yml', 'on: push\n').json.root, undefined);
  const json = discover('k.template', '{"Resources": {"K": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"Statement": []}}}}}');
  assert.equal(json.json.syntax ?? 'json', 'json');
  assert.equal(json.shape, 'cloudformation');
  assert.equal(discover('main.tf', '').shape, 'terraform');
});
