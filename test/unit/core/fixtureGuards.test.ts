/**
 * The fixture helpers refuse inputs under which a test would pass without checking anything:
 * a check id no check has (in `only`, in a marker, in `single`), and a Terraform file while the
 * HCL parser is not loaded (this file never loads it).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { expectFindings } from '../../support/fixture';
import { buildWorkspace, expectWorkspace, single } from '../handshake/workspaceFixture';

const OPEN = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObjct", "Resource": "*"}]}';

test('expectFindings: a misspelt id in only or in a marker is an error, not an empty comparison', () => {
  assert.throws(() => expectFindings(OPEN, { only: ['unknown-actoin'] }), /^Error: unknown check id: unknown-actoin /);
  assert.throws(() => expectFindings(OPEN.replace('GetObjct', '«unknown-actoin:GetObjct»')), /^Error: unknown check id: unknown-actoin /);
  // The same fixture with the id spelt right is compared (and a missing finding fails).
  assert.throws(() => expectFindings(OPEN, { only: ['unknown-action'] }), { code: 'ERR_ASSERTION' });
  expectFindings(OPEN.replace('GetObjct', '«unknown-action:GetObjct»'), { only: ['unknown-action'] });
});

test('expectFindings: ids of the extra checks a test passes are known', () => {
  const check = { id: 'made-up-check', defaultSeverity: 'info' as const, summary: 'made up', run() {} };
  expectFindings(OPEN, { checks: [check], only: ['made-up-check'] });
});

test('the workspace helpers: misspelt ids and Terraform files read without the parser are errors', () => {
  assert.throws(() => expectWorkspace({ '/ws/k.json': OPEN }, { only: ['manifets'] }), /^Error: unknown check id: manifets /);
  assert.throws(() => single(buildWorkspace({ '/ws/k.json': OPEN }).ws, '/ws/k.json', 'root-principal-withou-grant'), /^Error: unknown check id: root-principal-withou-grant /);
  assert.throws(() => buildWorkspace({ '/ws/main.tf': 'resource "aws_iam_policy" "p" {}' }), /^Error: \/ws\/main\.tf: load the HCL parser first/);
  assert.throws(() => expectFindings('resource "aws_iam_policy" "p" {}', { file: 'vars.tfvars' }), /^Error: vars\.tfvars: load the HCL parser first/);
});
