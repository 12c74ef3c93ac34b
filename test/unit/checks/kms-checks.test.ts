/** The KMS group as a whole: policies every key owner writes must produce no finding. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { checkText } from '../../../server/src/core/engine';
import { allChecks } from '../../../server/src/core/checks/registry';
import { expectFindings } from '../../support/fixture';
import { corpusMissing, corpusPath } from '../../support/corpus';
import { CONSOLE_POLICY_WITH_OTHER_ACCOUNT, DEFAULT_KEY_POLICY, KMS_CHECK_IDS, SINGLE_STATEMENT_OBJECT, getKeyPolicyOutput } from './kmsPolicies';
import { needs } from '../../support/needs';

const only = KMS_CHECK_IDS;

test('kms checks: all registered', () => {
  const ids = new Set(allChecks.map((c) => c.id));
  for (const id of KMS_CHECK_IDS) assert.ok(ids.has(id), id);
});

test('kms checks: the default key policy gives no finding', () => {
  expectFindings(DEFAULT_KEY_POLICY, { only });
});

test('kms checks: the default key policy with the owner known gives no finding', () => {
  expectFindings(DEFAULT_KEY_POLICY, { only, binding: { owner: { account: '111122223333' } } });
});

test('kms checks: the console policy with key administrators, users and another account gives no finding', () => {
  expectFindings(CONSOLE_POLICY_WITH_OTHER_ACCOUNT, { only });
  expectFindings(CONSOLE_POLICY_WITH_OTHER_ACCOUNT, { only, binding: { owner: { account: '111122223333' } } });
});

test('kms checks: get-key-policy output of the default and console policies gives no finding', () => {
  expectFindings(getKeyPolicyOutput(DEFAULT_KEY_POLICY), { only });
  expectFindings(getKeyPolicyOutput(CONSOLE_POLICY_WITH_OTHER_ACCOUNT), { only });
});

test('kms checks: a single Statement object gives no finding', () => {
  expectFindings(SINGLE_STATEMENT_OBJECT, { only });
});

test('kms checks: corpus default key policies give no finding', needs('corpus', corpusMissing('kms-key-policies')), () => {
  const files = [
    'kms-key-policies/aws-kms-developer-guide/full-key-policies/key-policy-viewing__L55.json',
    'kms-key-policies/security-tool-fixtures/aws-iam-access-analyzer-kms-blog/default-kms-key-policy.json',
  ];
  for (const f of files) {
    const text = fs.readFileSync(corpusPath(f), 'utf8');
    const found = checkText(f, text).findings.filter((x) => KMS_CHECK_IDS.includes(x.checkId));
    assert.deepEqual(found.map((x) => x.checkId), [], f);
  }
});

test('kms checks: no error-severity finding in the AWS managed policies', needs('corpus', corpusMissing('aws-managed')), () => {
  const dir = corpusPath('aws-managed');
  const errors: string[] = [];
  for (const name of fs.readdirSync(dir)) {
    const text = fs.readFileSync(`${dir}/${name}`, 'utf8');
    for (const f of checkText(name, text).findings) {
      if (KMS_CHECK_IDS.includes(f.checkId) && f.severity === 'error') errors.push(`${name}: ${f.checkId}`);
    }
  }
  assert.deepEqual(errors, []);
});
