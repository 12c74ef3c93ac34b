/** Key policies the KMS checks are tested on, and a helper that applies a check's first fix. */
import * as assert from 'node:assert/strict';
import { checkText, type EngineOptions } from '../../../server/src/core/engine';
import { applyEdits, assertKnownCheckIds, assertReadable } from '../../support/fixture';

/** The ids of the KMS group's checks. */
export const KMS_CHECK_IDS = [
  'redundant-action', 'policy-too-large', 'public-key-policy', 'kms-wildcard-action', 'lockout-risk',
  'key-policy-resource-not-star', 'statement-has-no-effect', 'alias-as-key-resource', 'unique-id-principal',
  'allow-with-not-principal',
];

/** The default key policy (KMS Developer Guide, "Default key policy"). */
export const DEFAULT_KEY_POLICY = `{
  "Version": "2012-10-17",
  "Id": "key-default-1",
  "Statement": [
    {
      "Sid": "Enable IAM User Permissions",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
      "Action": "kms:*",
      "Resource": "*"
    }
  ]
}`;

/** What the console writes with key administrators, key users and another account. */
export const CONSOLE_POLICY_WITH_OTHER_ACCOUNT = `{
  "Id": "key-consolepolicy-3",
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Enable IAM User Permissions",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
      "Action": "kms:*",
      "Resource": "*"
    },
    {
      "Sid": "Allow access for Key Administrators",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"},
      "Action": ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*",
        "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion",
        "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand"],
      "Resource": "*"
    },
    {
      "Sid": "Allow use of the key",
      "Effect": "Allow",
      "Principal": {"AWS": ["arn:aws:iam::111122223333:role/KeyUser", "arn:aws:iam::444455556666:root"]},
      "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
      "Resource": "*"
    },
    {
      "Sid": "Allow attachment of persistent resources",
      "Effect": "Allow",
      "Principal": {"AWS": ["arn:aws:iam::111122223333:role/KeyUser", "arn:aws:iam::444455556666:root"]},
      "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
      "Resource": "*",
      "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}
    }
  ]
}`;

/** `aws kms get-key-policy` output: the policy is a JSON string. */
export function getKeyPolicyOutput(policy: string): string {
  return JSON.stringify({ Policy: JSON.stringify(JSON.parse(policy), null, 2), PolicyName: 'default' }, null, 4);
}

/** A key policy whose Statement is one object rather than an array. */
export const SINGLE_STATEMENT_OBJECT = `{
  "Version": "2012-10-17",
  "Statement": {
    "Sid": "Enable IAM User Permissions",
    "Effect": "Allow",
    "Principal": {"AWS": "111122223333"},
    "Action": "kms:*",
    "Resource": "*"
  }
}`;

/** Check the text, apply the first fix of the first finding of `checkId`, return the new text. */
export function applyFirstFix(text: string, checkId: string, options: EngineOptions = {}, file = 'fixture.json'): string {
  const finding = checkText(file, text, options).findings.find((f) => f.checkId === checkId);
  assert.ok(finding, `expected a ${checkId} finding`);
  assert.ok(finding.fixes?.length, `expected a fix on ${checkId}`);
  const own = finding.fixes[0].changes.filter((c) => c.file === undefined);
  assert.equal(own.length, 1);
  return applyEdits(text, own[0].edits);
}

/** The findings of one check (ids and ranges are what tests compare). */
export function findingsOf(text: string, checkId: string, options: EngineOptions = {}, file = 'fixture.json') {
  assertKnownCheckIds([checkId], options.checks);
  assertReadable(file);
  return checkText(file, text, options).findings.filter((f) => f.checkId === checkId);
}
