/**
 * Quick-fixes on CloudFormation YAML: each is applied to the template, the text must be the
 * expected YAML (the replaced scalar keeps its style), and checking it again must leave the
 * finding fixed and no yaml-syntax error.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/engine';
import type { Finding } from '../../../server/src/core/findings';
import { applyEdits } from '../../support/fixture';
import { yamlRoleTemplate } from '../../support/cfnYaml';

const template = (statement: string) => yamlRoleTemplate(statement);

function fixOf(text: string, checkId: string, fixId: string): { finding: Finding; fixed: string } {
  const found = checkText('template.yaml', text).findings.filter((f) => f.checkId === checkId);
  assert.equal(found.length, 1, `${checkId}: ${found.map((f) => f.message).join(' / ')}`);
  const fix = found[0].fixes?.find((f) => f.id === fixId);
  assert.ok(fix, `${checkId} offers ${fixId}: ${(found[0].fixes ?? []).map((f) => f.id).join(', ')}`);
  return { finding: found[0], fixed: applyEdits(text, fix.changes[0].edits) };
}

function assertFixed(text: string, checkId: string): void {
  const ids = checkText('template.yaml', text).findings.map((f) => f.checkId);
  assert.ok(!ids.includes(checkId) && !ids.includes('yaml-syntax'), ids.join(', '));
}

test('replace-action on plain, single-quoted and double-quoted actions keeps each style', () => {
  for (const [written, fixed] of [['kms:Decrpyt', 'kms:Decrypt'], ["'kms:Decrpyt'", "'kms:Decrypt'"], ['"kms:Decrpyt"', '"kms:Decrypt"']]) {
    const stmt = (a: string) => `- Effect: Allow\n  Action:\n    - ${a}\n    - kms:Encrypt\n  Resource: '*'`;
    const { fixed: out } = fixOf(template(stmt(written)), 'unknown-action', 'replace-action');
    assert.equal(out, template(stmt(fixed)));
    assertFixed(out, 'unknown-action');
  }
});

test('replace-condition-key and replace-operator keep plain and quoted keys', () => {
  const stmt = (op: string, key: string) => `- Effect: Allow\n  Action: kms:Decrypt\n  Resource: '*'\n  Condition:\n    ${op}:\n      ${key}: 111122223333`;
  let r = fixOf(template(stmt('StringEquals', 'kms:CallerAcount')), 'unknown-condition-key', 'replace-condition-key');
  assert.equal(r.fixed, template(stmt('StringEquals', 'kms:CallerAccount')));
  assertFixed(r.fixed, 'unknown-condition-key');
  r = fixOf(template(stmt('StringEquals', '"kms:CallerAcount"')), 'unknown-condition-key', 'replace-condition-key');
  assert.equal(r.fixed, template(stmt('StringEquals', '"kms:CallerAccount"')));
  assertFixed(r.fixed, 'unknown-condition-key');
  r = fixOf(template(stmt("'StringEqual'", 'kms:CallerAccount')), 'unknown-condition-operator', 'replace-operator');
  assert.equal(r.fixed, template(stmt("'StringEquals'", 'kms:CallerAccount')));
  assertFixed(r.fixed, 'unknown-condition-operator');
});

test('replace-service and rename-sid', () => {
  const stmt = (sid: string, action: string) => `- Sid: ${sid}\n  Effect: Allow\n  Action: ${action}\n  Resource: '*'`;
  let r = fixOf(template(stmt('UseKey', 'kmss:Decrypt')), 'unknown-service', 'replace-service');
  assert.equal(r.fixed, template(stmt('UseKey', 'kms:Decrypt')));
  assertFixed(r.fixed, 'unknown-service');
  r = fixOf(template(stmt('use-key', 'kms:Decrypt')), 'invalid-sid', 'rename-sid');
  assert.equal(r.fixed, template(stmt('useKey', 'kms:Decrypt')));
  assertFixed(r.fixed, 'invalid-sid');
});

test('add-version adds a block property before the first one, at its column, quoted', () => {
  const stmt = `- Effect: Allow\n  Action: kms:Decrypt\n  Resource: '*'`;
  const text = template(stmt).replace("            Version: '2012-10-17'\n            Statement:", '            Statement:');
  const { fixed } = fixOf(text, 'version-missing', 'add-version');
  assert.equal(fixed, template(stmt));
  assertFixed(fixed, 'version-missing');
});

test('remove-redundant-action removes the block sequence item\'s line; in a flow sequence, the JSON-like edit', () => {
  const block = (items: string[]) => `- Effect: Allow\n  Action:\n${items.map((i) => `    - ${i}\n`).join('')}  Resource: '*'`;
  let r = fixOf(template(block(['kms:Decrypt', 'kms:Encrypt', 'kms:Decrypt'])), 'redundant-action', 'remove-redundant-action');
  assert.equal(r.fixed, template(block(['kms:Decrypt', 'kms:Encrypt'])));
  assertFixed(r.fixed, 'redundant-action');
  const flow = (items: string) => `- Effect: Allow\n  Action: [${items}]\n  Resource: '*'`;
  r = fixOf(template(flow('kms:Decrypt, "kms:Decrypt", kms:Encrypt')), 'redundant-action', 'remove-redundant-action');
  assert.equal(r.fixed, template(flow('kms:Decrypt, kms:Encrypt')));
  assertFixed(r.fixed, 'redundant-action');
});

test('a removal that would take a sequence item\'s dash with it is not offered', () => {
  // The first property of a statement shares its line with the dash: principal-not-allowed's
  // fix (remove Principal) cannot remove that line alone.
  const stmt = `- Principal: {AWS: '*'}\n  Effect: Allow\n  Action: kms:Decrypt\n  Resource: '*'`;
  const found = checkText('template.yaml', template(stmt)).findings.filter((f) => f.checkId === 'principal-not-allowed');
  assert.equal(found.length, 1);
  assert.equal(found[0].fixes, undefined);
  // Not first: its lines are removed.
  const later = `- Effect: Allow\n  Principal:\n    AWS: '*'\n  Action: kms:Decrypt\n  Resource: '*'`;
  const { fixed } = fixOf(template(later), 'principal-not-allowed', 'remove-element');
  assert.equal(fixed, template(`- Effect: Allow\n  Action: kms:Decrypt\n  Resource: '*'`));
  assertFixed(fixed, 'principal-not-allowed');
});
