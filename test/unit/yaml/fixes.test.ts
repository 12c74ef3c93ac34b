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

const template = (statement: string) => `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: use-key
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
${statement.replace(/^/gm, '              ')}
`;

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

test('fixes that add or remove structure are not offered on YAML yet (their JSON text would break the block style)', () => {
  const stmt = `- Effect: Allow\n  Action:\n    - kms:Decrypt\n    - kms:Decrypt\n  Resource: '*'`;
  const text = template(stmt).replace("            Version: '2012-10-17'\n", '');
  const findings = checkText('template.yaml', text).findings;
  const redundant = findings.find((f) => f.checkId === 'redundant-action');
  assert.ok(redundant);
  assert.equal(redundant.fixes, undefined);
  const version = findings.find((f) => f.checkId === 'version-missing');
  assert.ok(version);
  assert.equal(version.fixes, undefined);
  // The same document as JSON has both fixes.
  const json = checkText('t.json', JSON.stringify({ Statement: [{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Decrypt'], Resource: '*' }] }, null, 2)).findings;
  assert.ok(json.find((f) => f.checkId === 'redundant-action')?.fixes?.length);
  assert.ok(json.find((f) => f.checkId === 'version-missing')?.fixes?.length);
});
